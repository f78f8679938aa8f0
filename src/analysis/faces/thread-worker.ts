// The face thread: loads the face models once, then runs detectFaces for each request from the
// thread that owns it (face-thread.ts). Pixels arrive as a copy; nothing else is kept between requests.
import { parentPort, workerData } from 'node:worker_threads';
import { detectFaces, loadFaceModels, type ResolvedFaceOptions } from './analyzer.ts';
import type { FaceThreadReply, FaceThreadRequest } from './thread.ts';

const port = parentPort;
if (!port) throw new Error('face-thread-worker runs only as a worker thread');
const opts = workerData as ResolvedFaceOptions;

const reply = (msg: FaceThreadReply): void => port.postMessage(msg);

try {
  const models = await loadFaceModels();
  reply({ type: 'ready', loadMs: models.loadMs });
} catch (e) {
  reply({ type: 'init_failed', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

// Requests in flight, each with its abort; `stop` aborts them and ends the thread once none is left
// (an onnxruntime run must finish before the thread may end: thread.ts).
const inFlight = new Map<number, AbortController>();
let stopping = false;
const endIfStopped = (): void => {
  if (stopping && inFlight.size === 0) process.exit(0);
};

port.on('message', (msg: FaceThreadRequest) => {
  if (msg.type === 'stop') {
    stopping = true;
    for (const ac of inFlight.values()) ac.abort();
    endIfStopped();
    return;
  }
  if (msg.type !== 'detect' || stopping) return;
  const raw = {
    ...msg.raw,
    data: Buffer.from(msg.raw.data.buffer, msg.raw.data.byteOffset, msg.raw.data.byteLength),
  };
  const ac = new AbortController();
  inFlight.set(msg.id, ac);
  detectFaces(raw, opts, ac.signal, msg.lookAt)
    .then(
      (scan) => reply({ type: 'done', id: msg.id, result: scan }),
      (e: unknown) =>
        reply({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }),
    )
    .finally(() => {
      inFlight.delete(msg.id);
      endIfStopped();
    });
});
