// The code reader's thread: loads zxing-wasm once, then reads each picture its owner sends
// (reader-thread.ts). Pixels arrive transferred; nothing is kept between requests.
import { parentPort } from 'node:worker_threads';
import { loadReader, readCodes } from './zxing.ts';
import type { ReaderReply, ReaderRequest } from './reader-thread.ts';

const port = parentPort;
if (!port) throw new Error('reader-worker runs only as a worker thread');
const reply = (msg: ReaderReply): void => port.postMessage(msg);

try {
  await loadReader();
  reply({ type: 'ready' });
} catch (e) {
  reply({ type: 'init_failed', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

port.on('message', (msg: ReaderRequest) => {
  readCodes(msg.picture, msg.options).then(
    (codes) => reply({ type: 'done', id: msg.id, result: codes }),
    (e: unknown) => reply({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }),
  );
});
