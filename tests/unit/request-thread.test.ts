// The threads the engines start (faces, code reader): an empty environment, replies routed by id,
// and a thread that dies fails what it held.
import { afterEach, describe, expect, it } from 'vitest';
import { startRequestThread, type RequestThread } from '../../src/analysis/request-thread.ts';

const worker = (body: string): URL =>
  new URL(
    `data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (msg) => { ${body} });`)}`,
  );

let thread: RequestThread<unknown> | undefined;
afterEach(async () => {
  await thread?.worker.terminate();
  thread = undefined;
  delete process.env['PREFLIGHT_TEST_TOKEN'];
});

const ask = (t: RequestThread<unknown>, id: number): Promise<unknown> =>
  new Promise((resolve, reject) => {
    t.pending.set(id, { resolve, reject });
    t.worker.postMessage({ id });
  });

describe('startRequestThread', () => {
  it('starts the thread with an empty environment and routes each reply to its request', async () => {
    process.env['PREFLIGHT_TEST_TOKEN'] = 'not-for-threads';
    thread = await startRequestThread<unknown>(
      worker(
        `parentPort.postMessage({ type: 'done', id: msg.id, result: { id: msg.id, env: Object.keys(process.env) } });`,
      ),
      'test',
    );
    const [a, b] = await Promise.all([ask(thread, 1), ask(thread, 2)]);
    expect(a).toEqual({ id: 1, env: [] });
    expect(b).toEqual({ id: 2, env: [] });
  });

  it('fails the requests a thread held when it stops, and marks it gone', async () => {
    thread = await startRequestThread<unknown>(worker(`process.exit(3);`), 'test');
    await expect(ask(thread, 1)).rejects.toThrow('test thread stopped (exit code 3)');
    expect(thread.gone).toBe(true);
  });

  it('rejects the start when the thread cannot load its models', async () => {
    const failing = new URL(
      `data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'init_failed', message: 'no weights' });`)}`,
    );
    await expect(startRequestThread<unknown>(failing, 'test')).rejects.toThrow(
      'test models failed to load: no weights',
    );
  });
});
