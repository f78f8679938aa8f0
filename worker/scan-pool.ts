// A small pool of scan threads. Scans are CPU-heavy (decode, face model, OCR, re-encode): running
// them in worker threads keeps the main event loop free for BullMQ lock renewal, Redis and the bots.
// Each thread keeps its engines warm; one scan per thread at a time. A thread that crashes or runs
// past the deadline is replaced, and its scan rejected (the job is then retried or failed cleanly).
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../src/errors.ts';
import type { AnalyzerName } from '../src/types.ts';
import type { Logger } from '../src/log.ts';
import { toThreadEntry } from '../src/package-paths.ts';
import type { FacesMode, RiskReport, ScanOptions, ScanOutput } from '../src/types.ts';

export interface ThreadInit {
  checks: AnalyzerName[];
  ocrLangs?: string[];
  deadlineScale?: number;
}
export type ThreadRequest =
  { type: 'scan'; id: number; bytes: ArrayBuffer; options: Partial<ScanOptions> } | { type: 'close' };
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'init_failed'; message: string }
  | {
      type: 'done';
      id: number;
      report: RiskReport;
      sanitized?: Uint8Array;
      variants?: { faces: FacesMode; bytes: Uint8Array }[];
      preview?: Uint8Array;
    }
  | { type: 'error'; id: number; message: string; code?: ErrorCode };

/** A scan that failed because of the thread (crash, deadline), not because of the image. */
export class ScanThreadError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'ScanThreadError';
    this.retryable = retryable;
  }
}

export interface ScanPool {
  /** Resolves when every thread has its engines loaded. */
  ready(): Promise<void>;
  scan(bytes: Buffer, options?: Partial<ScanOptions>): Promise<ScanOutput>;
  close(): Promise<void>;
}

interface Task {
  bytes: Buffer;
  options: Partial<ScanOptions>;
  resolve(out: ScanOutput): void;
  reject(e: Error): void;
}

interface Slot {
  thread: Worker;
  ready: Promise<void>;
  task?: { id: number; task: Task; timer: NodeJS.Timeout } | undefined;
}

const ENTRY = toThreadEntry(import.meta.url, 'scan-thread', './scan-thread-entry.js');

/** Starts `size` scan threads; a scan goes to a free thread and is bounded by the deadline. */
export function createScanPool(opts: {
  size: number;
  checks: AnalyzerName[];
  /** OCR languages (default English). */
  ocrLangs?: string[];
  /** Hard deadline for one scan; the thread is terminated and replaced when it passes. */
  timeoutMs: number;
  /** Multiplies every analyzer's deadline (tests on a loaded machine); default 1. */
  deadlineScale?: number;
  logger: Logger;
  /** Memory cap per thread (old generation, MB). */
  maxOldGenerationMb?: number;
}): ScanPool {
  const { logger } = opts;
  const waiting: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;

  function spawn(): Slot {
    const thread = new Worker(ENTRY, {
      workerData: {
        checks: opts.checks,
        ...(opts.ocrLangs ? { ocrLangs: opts.ocrLangs } : {}),
        ...(opts.deadlineScale ? { deadlineScale: opts.deadlineScale } : {}),
      } satisfies ThreadInit,
      resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationMb ?? 2048 },
      // Scan threads need no secret: platform tokens and BLOB_KEY stay out of their environment.
      env: toThreadEnv(process.env),
    });
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const slot: Slot = {
      thread,
      ready: new Promise<void>((res, rej) => {
        markReady = res;
        failReady = rej;
      }),
    };
    slot.ready.catch(() => undefined);
    thread.on('message', (msg: ThreadReply) => {
      switch (msg.type) {
        case 'ready':
          markReady();
          pump();
          return;
        case 'init_failed':
          failReady(new Error(`scan engines failed to load: ${msg.message}`));
          return;
        case 'done':
        case 'error': {
          const current = slot.task;
          if (!current || current.id !== msg.id) return;
          clearTimeout(current.timer);
          slot.task = undefined;
          if (msg.type === 'done') {
            const out: ScanOutput = { report: msg.report };
            const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
            if (msg.sanitized) out.sanitized = toBuffer(msg.sanitized);
            if (msg.variants)
              out.variants = msg.variants.map((v) => ({ faces: v.faces, bytes: toBuffer(v.bytes) }));
            if (msg.preview) out.preview = toBuffer(msg.preview);
            current.task.resolve(out);
          } else {
            current.task.reject(msg.code ? new AppError(msg.code, msg.message) : new Error(msg.message));
          }
          pump();
          return;
        }
        default:
          return;
      }
    });
    thread.on('error', (err) => logger.error({ err }, 'scan thread error'));
    thread.on('exit', (code) => {
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      failReady(new Error('scan thread exited'));
      if (slot.task) {
        clearTimeout(slot.task.timer);
        slot.task.task.reject(new ScanThreadError(`scan thread exited (code ${code}) during a scan`, true));
        slot.task = undefined;
      }
      if (!closing) {
        logger.warn({ code }, 'scan thread exited; starting a new one');
        slots.push(spawn());
      }
    });
    return slot;
  }

  function pump(): void {
    for (const slot of slots) {
      if (waiting.length === 0) return;
      if (slot.task) continue;
      // Only idle threads whose engines are loaded take work.
      void isSettledReady(slot).then((ok) => {
        if (!ok || slot.task || waiting.length === 0 || !slots.includes(slot)) return;
        const task = waiting.shift();
        if (task) run(slot, task);
      });
    }
  }

  function run(slot: Slot, task: Task): void {
    const id = nextId++;
    const timer = setTimeout(() => {
      if (slot.task?.id !== id) return;
      slot.task = undefined;
      task.reject(new ScanThreadError(`scan exceeded ${opts.timeoutMs} ms`, false));
      logger.warn({ timeoutMs: opts.timeoutMs }, 'scan deadline passed; replacing its thread');
      void slot.thread.terminate();
    }, opts.timeoutMs);
    slot.task = { id, task, timer };
    // Copy into a fresh ArrayBuffer and transfer it: no second copy, nothing shared.
    const copy = new Uint8Array(task.bytes.byteLength);
    copy.set(task.bytes);
    const msg: ThreadRequest = { type: 'scan', id, bytes: copy.buffer, options: task.options };
    slot.thread.postMessage(msg, [copy.buffer]);
  }

  for (let i = 0; i < Math.max(1, opts.size); i++) slots.push(spawn());

  return {
    async ready() {
      await Promise.all(slots.map((s) => s.ready));
    },
    scan(bytes, options = {}) {
      if (closing) return Promise.reject(new ScanThreadError('scan pool is closed', true));
      return new Promise<ScanOutput>((resolve, reject) => {
        waiting.push({ bytes, options, resolve, reject });
        pump();
      });
    },
    async close() {
      closing = true;
      for (const t of waiting.splice(0)) t.reject(new ScanThreadError('scan pool is closed', true));
      await Promise.all(
        slots.map(async (slot) => {
          const exited = new Promise<void>((res) => slot.thread.once('exit', () => res()));
          slot.thread.postMessage({ type: 'close' } satisfies ThreadRequest);
          const timer = setTimeout(() => void slot.thread.terminate(), 5_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

async function isSettledReady(slot: Slot): Promise<boolean> {
  try {
    await slot.ready;
    return true;
  } catch {
    return false;
  }
}

/** process.env without anything secret-looking (tokens, keys, passwords, URLs with credentials). */
export function toThreadEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || /TOKEN|KEY|SECRET|PASSWORD|PASS|REDIS_URL|WEBHOOK/i.test(k)) continue;
    out[k] = v;
  }
  return out;
}
