// The code reader in a worker thread of its own. zxing-wasm's read is synchronous WebAssembly: on the
// scan's thread it held up the text check's steps between its onnxruntime runs (decoding the map,
// cutting line crops) for the 0.1–0.2 s of each read, original and copy. A thread that fails fails the
// reads it had and is started again for the next one; a read that outlives its scan's deadline
// finishes in the thread and its answer is dropped (zxing holds no native callbacks: terminating
// the thread at close is safe).
import { Worker } from 'node:worker_threads';
import type { ReaderOptions } from 'zxing-wasm/reader';
import { toThreadEntry } from '../../package-paths.ts';
import type { CodeRead, CodeReader, RgbaPicture } from './zxing.ts';

export type ReaderRequest = { id: number; picture: RgbaPicture; options: ReaderOptions };
export type ReaderReply =
  | { type: 'ready' }
  | { type: 'init_failed'; message: string }
  | { type: 'done'; id: number; codes: CodeRead[] }
  | { type: 'error'; id: number; message: string };

const ENTRY = toThreadEntry(import.meta.url, 'reader-worker', './reader-entry.js');

interface Pending {
  resolve(codes: CodeRead[]): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  gone: boolean;
}

function startThread(): Promise<Thread> {
  return new Promise<Thread>((resolve, reject) => {
    // The thread needs no secret and no setting from the environment.
    const worker = new Worker(ENTRY, { env: {} });
    const thread: Thread = { worker, pending: new Map(), gone: false };
    let ready = false;
    const fail = (e: Error): void => {
      thread.gone = true;
      for (const p of thread.pending.values()) p.reject(e);
      thread.pending.clear();
      if (!ready) reject(e);
    };
    worker.on('message', (msg: ReaderReply) => {
      if (msg.type === 'ready') {
        ready = true;
        resolve(thread);
      } else if (msg.type === 'init_failed') fail(new Error(`code reader failed to load: ${msg.message}`));
      else {
        const p = thread.pending.get(msg.id);
        if (!p) return;
        thread.pending.delete(msg.id);
        if (msg.type === 'done') p.resolve(msg.codes);
        else p.reject(new Error(msg.message));
      }
    });
    worker.on('error', (e) => fail(new Error(`code reader thread failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`code reader thread stopped (exit code ${code})`)));
  });
}

/** The reader's thread, started (zxing loaded) before this resolves. */
export async function createReaderThread(): Promise<CodeReader> {
  let current: Promise<Thread> = startThread();
  await current;
  let nextId = 1;
  let closed = false;
  const thread = async (): Promise<Thread> => {
    const t = await current.catch(() => undefined);
    if (t && !t.gone) return t;
    current = startThread();
    return current;
  };
  return {
    async read(picture, options) {
      if (closed) throw new Error('the code reader was closed');
      const t = await thread();
      const id = nextId++;
      return new Promise<CodeRead[]>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        // The pixels move to the thread (the caller made them for this read and keeps no reference).
        t.worker.postMessage({ id, picture, options } satisfies ReaderRequest, [
          picture.data.buffer as ArrayBuffer,
        ]);
      });
    },
    async close() {
      closed = true;
      const t = await current.catch(() => undefined);
      if (t) await t.worker.terminate();
    },
  };
}
