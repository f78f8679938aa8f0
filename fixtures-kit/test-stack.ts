// A real stack for integration and adapter tests: the scan service (producer) → BullMQ scan queue →
// a real worker scanning in a worker thread with real engines → results queue → the dispatcher
// calling your senders. Real Redis (REDIS_URL, default 127.0.0.1:6379) in the database you choose,
// under a unique key prefix; close() removes every key under that prefix.
//
//   const stack = await createTestStack({ db: 3, senders: { telegram: adapter.sendResult } });
//   ... drive your adapter with stack.scanService ...
//   expect((await stack.audit()).imageBytesFound).toBe(false);
//   await stack.close();
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../src/blob/blob-store.ts';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { createLogger, type Logger } from '../src/log.ts';
import {
  closeRedis,
  connectRedis,
  createProducerConnection,
  createWorkerConnection,
} from '../src/queue/connections.ts';
import { RESULTS_QUEUE, SCAN_QUEUE } from '../src/queue/names.ts';
import { createResultDispatcher, type ResultSender } from '../src/queue/results.ts';
import { createScanQueue, type ScanQueue } from '../src/queue/scan-queue.ts';
import { createScanService, type ScanLimits, type ScanService } from '../src/scan-service.ts';
import { AppError } from '../src/errors.ts';
import type { AnalyzerName, IncomingPhoto, Platform } from '../src/types.ts';
import { createScanPool, type ScanPool } from '../worker/scan-pool.ts';
import { createScanWorker, type ScanWorker } from '../worker/scan-worker.ts';
import { auditRedis, type PrivacyAudit } from './privacy-audit.ts';
import { deletePrefixed } from './redis-prefix.ts';

export interface TestStackOptions {
  /** Redis database number reserved for your tests. */
  db: number;
  /** Key prefix; a unique one is generated when absent. */
  prefix?: string;
  senders: Partial<Record<Platform, ResultSender>>;
  /** Engines in the scan thread. Default ['metadata'] (fast); pass all four for a full scan. */
  checks?: AnalyzerName[];
  /** Multiplies the analyzers' deadlines and the scan's hard deadline (full engines on a loaded machine). */
  deadlineScale?: number;
  limits?: Partial<ScanLimits>;
  /** The scan service's clock (epoch ms; default Date.now): rate-limit tests pass a fake one. */
  clock?: () => number;
  /** Logger for every part (default: silent). Pass one writing to a capture stream to assert on logs. */
  logger?: Logger;
  /** Start the scan worker (default true). With false, jobs stay queued until `startWorker()`. */
  worker?: boolean;
  /** Scan attempts per job (default 3). */
  attempts?: number;
  redisUrl?: string;
  /** BLOB_KEY shared with a worker running elsewhere (a child process); random when absent. */
  blobKey?: Buffer;
  /** Lock and stalled-check timing of the in-process worker (defaults 30 s / 5 s). */
  lockMs?: number;
  stalledIntervalMs?: number;
}

export interface TestStack {
  scanService: ScanService;
  /** The producer connection (fail-fast) on the test database. */
  redis: Redis;
  prefix: string;
  blobs: BlobStore;
  queue: ScanQueue;
  /** Starts the scan worker when created with `worker: false`. */
  startWorker(): Promise<void>;
  /** Resolves when no scan or result job is waiting, delayed or active. */
  idle(timeoutMs?: number): Promise<void>;
  /** Privacy audit of every key under this stack's prefix. */
  audit(): Promise<PrivacyAudit>;
  /** Same as audit(), under the name the adapter contract uses. */
  auditRedis(): Promise<PrivacyAudit>;
  close(): Promise<void>;
}

export async function createTestStack(opts: TestStackOptions): Promise<TestStack> {
  const url = opts.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = opts.prefix ?? `pft-${randomUUID().slice(0, 8)}`;
  const logger = opts.logger ?? createLogger({ level: 'silent' });
  const key = opts.blobKey ?? randomBytes(32);
  const producer = createProducerConnection(url, { db: opts.db });
  const consumer = createWorkerConnection(url, { db: opts.db });
  await Promise.all([connectRedis(producer), connectRedis(consumer)]);

  const blobs = createRedisBlobStore({ redis: producer, key, prefix });
  const workerBlobs = createRedisBlobStore({ redis: consumer, key, prefix });
  const queue = createScanQueue({
    connection: producer,
    prefix,
    attempts: opts.attempts ?? 3,
    backoffMs: 200,
  });
  const scanService = createScanService({
    redis: producer,
    queue,
    blobs,
    prefix,
    logger,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const dispatcher = createResultDispatcher({
    connection: consumer,
    prefix,
    blobs: workerBlobs,
    senders: opts.senders,
    logger,
  });

  let pool: ScanPool | undefined;
  let worker: ScanWorker | undefined;
  const startWorker = async (): Promise<void> => {
    if (worker) return;
    const scale = opts.deadlineScale ?? 1;
    pool = createScanPool({
      size: 1,
      checks: opts.checks ?? ['metadata'],
      timeoutMs: 120_000 * scale,
      ...(scale !== 1 ? { deadlineScale: scale } : {}),
      logger,
    });
    await pool.ready();
    const p = pool;
    worker = createScanWorker({
      connection: consumer,
      prefix,
      blobs: workerBlobs,
      scan: (bytes, options) => p.scan(bytes, options),
      logger,
      concurrency: 1,
      lockMs: opts.lockMs ?? 30_000,
      stalledIntervalMs: opts.stalledIntervalMs ?? 5_000,
      sanitizedTtlMs: 10 * 60_000,
    });
    await worker.worker.waitUntilReady();
  };
  if (opts.worker ?? true) await startWorker();

  const pending = async (): Promise<number> => {
    let n = 0;
    for (const name of [SCAN_QUEUE, RESULTS_QUEUE]) {
      const base = `${prefix}:${name}`;
      n +=
        (await producer.llen(`${base}:wait`)) +
        (await producer.llen(`${base}:active`)) +
        (await producer.zcard(`${base}:delayed`)) +
        (await producer.zcard(`${base}:prioritized`));
    }
    return n;
  };

  const audit = (): Promise<PrivacyAudit> => auditRedis(producer, { match: `${prefix}:*` });

  return {
    scanService,
    redis: producer,
    prefix,
    blobs,
    queue,
    startWorker,
    async idle(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while ((await pending()) > 0) {
        if (Date.now() > until) throw new Error('queues did not drain');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    audit,
    auditRedis: audit,
    async close() {
      await dispatcher.close();
      await worker?.close();
      await pool?.close();
      await queue.close();
      await deletePrefixed(producer, prefix);
      await Promise.all([closeRedis(producer), closeRedis(consumer)]);
    },
  };
}

/** An IncomingPhoto serving bytes from memory (for tests that don't go through a platform). */
export function createTestPhoto(
  bytes: Buffer,
  over: Partial<Omit<IncomingPhoto, 'download'>> = {},
): IncomingPhoto & { downloads: number } {
  const photo = {
    platform: 'telegram' as Platform,
    userId: 'u1',
    declaredBytes: bytes.length,
    recompressed: false,
    locale: 'en' as const,
    ...over,
    downloads: 0,
    download(maxBytes: number, signal: AbortSignal): Promise<Buffer> {
      photo.downloads++;
      if (signal.aborted) return Promise.reject(new Error('aborted'));
      if (bytes.length > maxBytes) return Promise.reject(new AppError('file_too_large', 'too large'));
      return Promise.resolve(bytes);
    },
  };
  return photo;
}

/** A logger writing JSON lines into memory, to assert what logs contain (and never contain). */
export function createCaptureLogger(level = 'debug'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const logger = createLogger({ level, name: 'test' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines, text: () => lines.join('') };
}

/** A 12-megapixel (4000×3000) phone-sized JPEG made in memory from a committed fixture. */
export async function makeTwelveMegapixelJpeg(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const src = readFileSync(new URL('../tests/fixtures/images/faces_group_three-adults.jpg', import.meta.url));
  return sharp(src).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
}
