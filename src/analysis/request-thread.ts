// A worker thread that answers requests by id: the face thread and the code reader's thread. It
// starts with an empty environment (it needs no secret and no setting), says when its models are
// loaded, and a thread that fails fails the requests it holds (the owner starts a new one).
import { Worker } from 'node:worker_threads';

/** What such a thread posts back. */
export type ThreadReply<R> =
  | { type: 'ready'; loadMs?: number }
  | { type: 'init_failed'; message: string }
  | { type: 'done'; id: number; result: R }
  | { type: 'error'; id: number; message: string };

interface Pending<R> {
  resolve(result: R): void;
  reject(e: Error): void;
}

export interface RequestThread<R> {
  worker: Worker;
  /** Requests sent and not answered, by id. */
  pending: Map<number, Pending<R>>;
  /** Failed, stopped or stopping: the owner starts a new thread for the next request. */
  gone: boolean;
}

/**
 * Starts the thread at `entry` and resolves once it is ready (rejects if its models cannot load).
 * `what` names it in errors ("face" → "face thread stopped (exit code 1)").
 */
export function startRequestThread<R>(
  entry: URL,
  what: string,
  workerData?: unknown,
): Promise<RequestThread<R>> {
  return new Promise<RequestThread<R>>((resolve, reject) => {
    const worker = new Worker(entry, { ...(workerData === undefined ? {} : { workerData }), env: {} });
    const thread: RequestThread<R> = { worker, pending: new Map(), gone: false };
    let ready = false;
    const fail = (e: Error): void => {
      thread.gone = true;
      for (const p of thread.pending.values()) p.reject(e);
      thread.pending.clear();
      if (!ready) reject(e);
    };
    worker.on('message', (msg: ThreadReply<R>) => {
      if (msg.type === 'ready') {
        ready = true;
        resolve(thread);
      } else if (msg.type === 'init_failed') {
        fail(new Error(`${what} models failed to load: ${msg.message}`));
      } else {
        const p = thread.pending.get(msg.id);
        if (!p) return; // answered after its scan gave up on it
        thread.pending.delete(msg.id);
        if (msg.type === 'done') p.resolve(msg.result);
        else p.reject(new Error(msg.message));
      }
    });
    worker.on('error', (e) => fail(new Error(`${what} thread failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`${what} thread stopped (exit code ${code})`)));
  });
}
