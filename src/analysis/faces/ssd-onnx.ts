// The SSD MobileNet v1 face detector run by onnxruntime-node's CPU runtime instead of the tfjs WASM
// backend: the same network and weights (face-api's, folded in ssd.ts), written out as an ONNX graph
// in memory when the models load. On this machine one 512 px pass took ≈ 350 ms in single-threaded
// tfjs WASM (the Node build has no WASM threads) and ≈ 170 ms here with one thread (docs/EVAL.md,
// "What dominates"); the boxes are the same to float rounding (tests/engines/faces.test.ts). The graph is built
// layer by layer (onnx-graph.ts) from ssd.ts's folded weights.
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import * as ort from 'onnxruntime-node';
import { toCpuSessionOptions } from '../onnx-session.ts';
import { createGraphBuilder, int, ints } from './onnx-graph.ts';
import type { SsdNet } from './ssd.ts';

type Tf = typeof FaceApiModule.tf;

/** Stride 2 at these backbone layers (face-api's getStridesForLayerIdx). */
const STRIDE_2 = new Set([2, 4, 6, 12]);

/** The detector's input side (face-api's SSD reads 512×512). */
export const SSD_SIDE = 512;

export interface OnnxSsd {
  /**
   * One pass over `n` inputs (NHWC float32, RGB 0–255, `SSD_SIDE` square): per input, every anchor's
   * box (y0, x0, y1, x1, relative) and face score, as face-api's SSD outputs them.
   */
  run(batch: Float32Array, n: number): Promise<{ boxes: Float32Array[]; scores: Float32Array[] }>;
}

/** Builds the ONNX graph of `net` (weights copied out of the tfjs tensors). */
export function toSsdOnnx(tf: Tf, net: SsdNet): Uint8Array {
  const g = createGraphBuilder(tf);

  // x / 127.5 − 1, NHWC → NCHW.
  const nchw = g.node('Transpose', ['input'], [ints('perm', [0, 3, 1, 2])]);
  const scaled = g.node('Mul', [nchw, g.constant('k', [], new Float32Array([1 / 127.5]))]);
  let out = g.node('Sub', [scaled, g.constant('one', [], new Float32Array([1]))]);
  out = g.conv(out, net.conv0, 2, { relu6: true });
  let conv11 = out;
  net.pairs.forEach((pair, i) => {
    const layer = i + 1;
    const d = g.conv(out, pair.depthwise, STRIDE_2.has(layer) ? 2 : 1, { depthwise: true, relu6: true });
    out = g.conv(d, pair.pointwise, 1, { relu6: true });
    if (layer === 11) conv11 = out;
  });
  const features = out;
  const convs: string[] = [];
  let y = features;
  net.extra.forEach((c, i) => {
    y = g.conv(y, c, i % 2 === 1 ? 2 : 1, { relu6: true });
    convs.push(y);
  });
  const sources = [conv11, features, convs[1]!, convs[3]!, convs[5]!, convs[7]!];
  const boxParts: string[] = [];
  const clsParts: string[] = [];
  // Back to NHWC before flattening, so anchors come in the order face-api's reshape gives them.
  const flatten = (x: string, last: number): string =>
    g.node('Reshape', [
      g.node('Transpose', [x], [ints('perm', [0, 2, 3, 1])]),
      g.int64s('shape', [0, -1, last]),
    ]);
  sources.forEach((s, i) => {
    const pr = net.predictors[i]!;
    boxParts.push(flatten(g.conv(s, pr.box, 1), 4));
    clsParts.push(flatten(g.conv(s, pr.cls, 1), 3));
  });
  g.named('Concat', boxParts, 'encodings', [int('axis', 1)]);
  g.named('Concat', clsParts, 'classes', [int('axis', 1)]);
  return g.encode('ssd_mobilenetv1_face', { name: 'input', dims: ['n', SSD_SIDE, SSD_SIDE, 3] }, [
    { name: 'encodings', dims: ['n', 'anchors', 4] },
    { name: 'classes', dims: ['n', 'anchors', 3] },
  ]);
}

/**
 * The detector's session (`threads` intra-op threads) and its output decoding: anchors + encodings →
 * corner boxes, sigmoid of the face class (face-api's outputLayer, in plain arithmetic).
 */
export async function createOnnxSsd(tf: Tf, net: SsdNet, threads = 1): Promise<OnnxSsd> {
  const session = await ort.InferenceSession.create(toSsdOnnx(tf, net), toCpuSessionOptions(threads));
  const anchors = net.anchors.dataSync() as Float32Array;
  const count = anchors.length / 4;
  return {
    async run(batch, n) {
      const input = new ort.Tensor('float32', batch, [n, SSD_SIDE, SSD_SIDE, 3]);
      const res = await session.run({ input });
      const enc = res['encodings']!.data as Float32Array;
      const cls = res['classes']!.data as Float32Array;
      for (const t of Object.values(res)) t.dispose();
      input.dispose();
      const boxes: Float32Array[] = [];
      const scores: Float32Array[] = [];
      for (let b = 0; b < n; b++) {
        const box = new Float32Array(count * 4);
        const score = new Float32Array(count);
        for (let a = 0; a < count; a++) {
          const [ay0, ax0, ay1, ax1] = [
            anchors[a * 4]!,
            anchors[a * 4 + 1]!,
            anchors[a * 4 + 2]!,
            anchors[a * 4 + 3]!,
          ];
          const h = ay1 - ay0;
          const w = ax1 - ax0;
          const e = (b * count + a) * 4;
          const half0 = (Math.exp(enc[e + 2]! / 5) * h) / 2;
          const mid0 = (enc[e]! / 10) * h + ay0 + h / 2;
          const half1 = (Math.exp(enc[e + 3]! / 5) * w) / 2;
          const mid1 = (enc[e + 1]! / 10) * w + ax0 + w / 2;
          box[a * 4] = mid0 - half0;
          box[a * 4 + 1] = mid1 - half1;
          box[a * 4 + 2] = mid0 + half0;
          box[a * 4 + 3] = mid1 + half1;
          score[a] = 1 / (1 + Math.exp(-cls[(b * count + a) * 3 + 1]!));
        }
        boxes.push(box);
        scores.push(score);
      }
      return { boxes, scores };
    },
  };
}
