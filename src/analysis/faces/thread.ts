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
import { toThreadEntry } from '../../package-paths.ts';
import { startRequestThread, type RequestThread, type ThreadReply } from '../request-thread.ts';
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
export type FaceThreadReply = ThreadReply<FaceScan>;

const ENTRY = toThreadEntry(import.meta.url, 'thread-worker', './thread-entry.js');

type Thread = RequestThread<FaceScan>;

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
const startThread = (opts: ReturnType<typeof toFaceOptions>): Promise<Thread> =>
  startRequestThread<FaceScan>(ENTRY, 'face', opts);

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
