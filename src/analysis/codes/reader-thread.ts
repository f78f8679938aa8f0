// The code reader in a worker thread of its own. zxing-wasm's read is synchronous WebAssembly: on the
// scan's thread it held up the text check's steps between its onnxruntime runs (decoding the map,
// cutting line crops) for the 0.1–0.2 s of each read, original and copy. A thread that fails fails the
// reads it had and is started again for the next one; a read that outlives its scan's deadline
// finishes in the thread and its answer is dropped (zxing holds no native callbacks: terminating
// the thread at close is safe).
import type { ReaderOptions } from 'zxing-wasm/reader';
import { toThreadEntry } from '../../package-paths.ts';
import { startRequestThread, type RequestThread, type ThreadReply } from '../request-thread.ts';
import type { CodeRead, CodeReader, RgbaPicture } from './zxing.ts';

export type ReaderRequest = { id: number; picture: RgbaPicture; options: ReaderOptions };
export type ReaderReply = ThreadReply<CodeRead[]>;

const ENTRY = toThreadEntry(import.meta.url, 'reader-worker', './thread-entry.js');

type Thread = RequestThread<CodeRead[]>;

const startThread = (): Promise<Thread> => startRequestThread<CodeRead[]>(ENTRY, 'code reader');

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
