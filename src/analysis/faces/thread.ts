// The face check in its own thread. Face detection is CPU-bound (the landmark and age nets are
// synchronous WASM, the detector an onnxruntime run): on the scan's thread it blocked everything
// else, and OCR's steps between its worker's passes waited behind it (text stage 0.4 s alone, 1.6 s
// inside the pipeline). In a thread of its own it runs beside OCR and the code reader. Same options,
// same findings as createFaceAnalyzer.
//
// A thread is never terminated while it may be inside an onnxruntime run: the addon's completion
// callback into a terminated thread aborts the whole process ("terminate called after throwing an
// instance of 'Napi::Error'", seen here). It is asked to stop instead (`stop`): it drops the request
// at its next check and ends itself once no run is in flight.
import { Worker } from 'node:worker_threads';
import { toThreadEntry } from '../../package-paths.ts';
import type { ClosableAnalyzer, RawImage } from '../../types.ts';
import type { FaceDetection } from './boxes.ts';
import { toFaceAnalyzer, toFaceOptions, type FaceAnalyzerOptions, type FaceScan } from './analyzer.ts';

export type FaceThreadRequest =
  | {
      type: 'detect';
      id: number;
      raw: Omit<RawImage, 'data'> & { data: Uint8Array };
      lookAt?: FaceDetection[];
    }
  | { type: 'stop' };
export type FaceThreadReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'init_failed'; message: string }
  | { type: 'done'; id: number; scan: FaceScan }
  | { type: 'error'; id: number; message: string };

const ENTRY = toThreadEntry(import.meta.url, 'thread-worker', './thread-entry.js');

interface Pending {
  resolve(scan: FaceScan): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Stopped or stopping: the next scan starts a new thread. */
  gone: boolean;
}

/** How long a stopping thread may take to finish its run before it is terminated all the same. */
const STOP_GRACE_MS = 30_000;

/**
 * Asks `t` to stop (it ends itself after the run in flight) and resolves when it has; terminated only
 * after STOP_GRACE_MS, by when no single detector run is still going.
 */
function stopThread(t: Thread, keepProcess: boolean): Promise<void> {
  t.gone = true;
  if (t.worker.threadId < 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void t.worker.terminate(), STOP_GRACE_MS);
    timer.unref();
    t.worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A thread stopped after a deadline must not keep the process alive; one stopped by close() is
    // waited for.
    if (!keepProcess) t.worker.unref();
    t.worker.postMessage({ type: 'stop' } satisfies FaceThreadRequest);
  });
}

/** Starts a face thread and waits until its models are loaded (rejects if they cannot be). */
function startThread(opts: ReturnType<typeof toFaceOptions>): Promise<Thread> {
  return new Promise<Thread>((resolve, reject) => {
    // The thread needs no secret and no setting from the environment.
    const worker = new Worker(ENTRY, { workerData: opts, env: {} });
    const thread: Thread = { worker, pending: new Map(), gone: false };
    let ready = false;
    const fail = (e: Error): void => {
      thread.gone = true;
      for (const p of thread.pending.values()) p.reject(e);
      thread.pending.clear();
      if (!ready) reject(e);
    };
    worker.on('message', (msg: FaceThreadReply) => {
      if (msg.type === 'ready') {
        ready = true;
        resolve(thread);
      } else if (msg.type === 'init_failed') {
        fail(new Error(`face models failed to load: ${msg.message}`));
      } else {
        const p = thread.pending.get(msg.id);
        if (!p) return; // answered after its scan gave up on it
        thread.pending.delete(msg.id);
        if (msg.type === 'done') p.resolve(msg.scan);
        else p.reject(new Error(msg.message));
      }
    });
    worker.on('error', (e) => fail(new Error(`face thread failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`face thread stopped (exit code ${code})`)));
  });
}

/**
 * The face check with detection in a worker thread of its own, started (models loaded) before this
 * resolves. A thread that crashes fails the scans it was working on and is started again for the
 * next one; a scan that passes its deadline stops the thread (it ends after the run in flight), and
 * the next scan starts a fresh one.
 */
export async function createFaceThreadAnalyzer(options: FaceAnalyzerOptions = {}): Promise<ClosableAnalyzer> {
  const opts = toFaceOptions(options);
  let closed = false;
  let nextId = 1;
  let current: Promise<Thread> | undefined;
  // A new thread only replaces the one a caller saw fail: two scans arriving together start one.
  const restart = (seen: Promise<Thread> | undefined): Promise<Thread> => {
    if (current === seen) current = startThread(opts);
    return current!;
  };
  const thread = (): Promise<Thread> => {
    const seen = current;
    if (!seen) return restart(seen);
    return seen.then(
      (t) => (t.gone ? restart(seen) : t),
      () => restart(seen),
    );
  };
  await thread();

  const detect = async (raw: RawImage, signal: AbortSignal, lookAt?: FaceDetection[]): Promise<FaceScan> => {
    const t = await thread();
    signal.throwIfAborted();
    const id = nextId++;
    return new Promise<FaceScan>((resolve, reject) => {
      const onAbort = (): void => {
        t.pending.delete(id);
        reject(new Error('face check aborted'));
        // The thread is still working on it: stop it; the next scan starts a new one.
        void stopThread(t, false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          signal.removeEventListener('abort', onAbort);
          f(v);
        };
      t.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      // A copy of the pixels: the raw copy stays shared with the other analyzers on this thread.
      const { data, ...dims } = raw;
      t.worker.postMessage({
        type: 'detect',
        id,
        raw: { ...dims, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) },
        ...(lookAt ? { lookAt } : {}),
      } satisfies FaceThreadRequest);
    });
  };

  return toFaceAnalyzer(
    opts,
    detect,
    async () => {
      if (closed) return;
      closed = true;
      const t = await current?.catch(() => undefined);
      current = undefined;
      if (t) {
        t.worker.removeAllListeners('exit');
        for (const p of t.pending.values()) p.reject(new Error('the face check was closed'));
        t.pending.clear();
        await stopThread(t, true);
      }
    },
    true,
  );
}
