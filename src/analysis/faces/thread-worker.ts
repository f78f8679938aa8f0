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

port.on('message', (msg: FaceThreadRequest) => {
  if (msg.type !== 'detect') return;
  const raw = {
    ...msg.raw,
    data: Buffer.from(msg.raw.data.buffer, msg.raw.data.byteOffset, msg.raw.data.byteLength),
  };
  detectFaces(raw, opts, undefined, msg.lookAt).then(
    (scan) => reply({ type: 'done', id: msg.id, scan }),
    (e: unknown) => reply({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }),
  );
});
