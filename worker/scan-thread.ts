// Runs inside a worker thread: creates the engines once (models stay warm for the thread's life) and
// scans one image at a time for the pool, off the main event loop. Bytes arrive and leave as
// transferred ArrayBuffers: never copied to disk.
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { createEngines } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import { isAppError } from '../src/errors.ts';
import type { Engines } from '../src/types.ts';
import type { ThreadInit, ThreadReply, ThreadRequest } from './scan-pool.ts';

const port = parentPort;
if (!port) throw new Error('scan-thread must run in a worker thread');

const init = workerData as ThreadInit;
let engines: Engines | undefined;

try {
  engines = await createEngines({
    checks: init.checks,
    ...(init.ocrLangs ? { ocrLangs: init.ocrLangs } : {}),
    ...(init.deadlineScale ? { deadlineScale: init.deadlineScale } : {}),
  });
  // Warm up once (first inference of a model is slow): a small in-memory image, result ignored.
  const warm = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#7a8b9c' } })
    .jpeg()
    .toBuffer();
  await scanImage(warm, engines).catch(() => undefined);
  port.postMessage({ type: 'ready' } satisfies ThreadReply);
} catch (e) {
  port.postMessage({
    type: 'init_failed',
    message: e instanceof Error ? e.message : String(e),
  } satisfies ThreadReply);
}

port.on('message', (msg: ThreadRequest) => {
  if (msg.type === 'close') {
    void (async () => {
      await engines?.close().catch(() => undefined);
      process.exit(0);
    })();
    return;
  }
  void (async () => {
    try {
      if (!engines) throw new Error('engines not ready');
      const bytes = Buffer.from(msg.bytes);
      const out = await scanImage(bytes, engines, msg.options);
      const own = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
      const sanitized = out.sanitized ? own(out.sanitized) : undefined;
      const variants = out.variants?.map((v) => ({ faces: v.faces, bytes: own(v.bytes) }));
      const preview = out.preview ? own(out.preview) : undefined;
      const reply: ThreadReply = {
        type: 'done',
        id: msg.id,
        report: out.report,
        ...(sanitized ? { sanitized } : {}),
        ...(variants ? { variants } : {}),
        ...(preview ? { preview } : {}),
      };
      const transfer = [sanitized, preview, ...(variants ?? []).map((v) => v.bytes)].flatMap((b) =>
        b ? [b.buffer as ArrayBuffer] : [],
      );
      port.postMessage(reply, transfer);
    } catch (e) {
      const reply: ThreadReply = {
        type: 'error',
        id: msg.id,
        message: e instanceof Error ? e.message : String(e),
        ...(isAppError(e) ? { code: e.code } : {}),
      };
      port.postMessage(reply);
    }
  })();
});
