// The detector's passes: SSD on a batch of inputs (our decoding and NMS), on windows of the copy
// (the tile grid), and on 2×2 mosaics of cells around weak boxes. Boxes come back in copy pixels.
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import {
  nonMaxSuppression,
  fromMosaic,
  DEFAULT_PROPOSAL_OPTIONS,
  type FaceDetection,
  type Tile,
} from './boxes.ts';
import type { OnnxSsd } from './ssd-onnx.ts';

type Tensor3D = FaceApiModule.tf.Tensor3D;
type Tensor = FaceApiModule.tf.Tensor;

/** The tfjs statistics functions face-api's bundled types leave out. */
interface TfStats {
  moments(x: Tensor): { mean: Tensor; variance: Tensor };
  mean(x: Tensor, axis: number): Tensor;
  maximum(a: Tensor, b: number): Tensor;
  sqrt(x: Tensor): Tensor;
}

/** What the passes need: face-api (its tfjs and input handling) and the SSD in onnxruntime. */
export interface DetectorModels {
  faceapi: typeof FaceApiModule;
  ssd: OnnxSsd;
}

/**
 * One SSD forward pass over a batch of inputs (the full frame, or crops), then our own box decoding
 * and non-maximum suppression (face-api's `locateFaces` spends more time in its NMS than in the
 * network). Boxes come back in each input's pixels, shifted by its `offset`.
 */
export async function locate(
  m: DetectorModels,
  inputs: readonly { tensor: Tensor3D; offset?: Tile }[],
  minConfidence: number,
): Promise<FaceDetection[][]> {
  const { faceapi } = m;
  const netInput = await faceapi.toNetInput(inputs.map((i) => i.tensor));
  // Each input resized (longest side 512) and padded to 512×512, as face-api's SSD expects.
  const batch = faceapi.tf.tidy(() => faceapi.tf.cast(netInput.toBatchTensor(512, false), 'float32'));
  let pixels: Float32Array;
  try {
    pixels = (await batch.data()) as Float32Array;
  } finally {
    batch.dispose();
  }
  const out = await m.ssd.run(pixels, inputs.length);
  const results: FaceDetection[][] = [];
  for (let b = 0; b < inputs.length; b++) {
    const boxes = out.boxes[b]!;
    const scores = out.scores[b]!;
    const keep = nonMaxSuppression(boxes, scores, 100, 0.5, minConfidence);
    // The SSD sees each input padded to a square: undo the padding, then scale to input pixels.
    const dims = netInput.getReshapedInputDimensions(b);
    const padX = netInput.inputSize! / dims.width;
    const padY = netInput.inputSize! / dims.height;
    const w = netInput.getInputWidth(b);
    const h = netInput.getInputHeight(b);
    const offset = inputs[b]!.offset;
    results.push(
      keep.map((i) => {
        const top = Math.max(0, boxes[i * 4]!) * padY * h;
        const left = Math.max(0, boxes[i * 4 + 1]!) * padX * w;
        const bottom = Math.min(1, boxes[i * 4 + 2]!) * padY * h;
        const right = Math.min(1, boxes[i * 4 + 3]!) * padX * w;
        return {
          x: left + (offset?.x ?? 0),
          y: top + (offset?.y ?? 0),
          width: right - left,
          height: bottom - top,
          score: scores[i]!,
        };
      }),
    );
  }
  return results;
}

/** Spread of the grey levels a normalised window is given (standard deviations → levels). */
const NORMAL_SPREAD = 56;

/**
 * A window with its contrast normalised: grey mean moved to mid-grey, grey standard deviation to
 * `NORMAL_SPREAD` levels, the same gain on each channel (colours keep their hue), clipped to 0–255.
 * Lifts faded, low-contrast faces (an ID card's ghost portrait, a face under a laminate) to the
 * contrast the detector was trained on; a well-exposed photo changes little.
 */
export function normaliseContrast(tf: typeof FaceApiModule.tf, image: Tensor3D): Tensor3D {
  // tfjs as face-api bundles it has these at run time; its bundled types leave them out.
  const ops = tf as unknown as TfStats;
  return tf.tidy(() => {
    const f = tf.cast(image, 'float32');
    const { mean, variance } = ops.moments(ops.mean(f, 2));
    const gain = tf.div(NORMAL_SPREAD, ops.maximum(ops.sqrt(variance), 1));
    const out = tf.add(tf.mul(tf.sub(f, mean), gain), 128);
    return tf.cast(tf.clipByValue(out, 0, 255), 'int32') as Tensor3D;
  });
}

/**
 * The detector on each window of the copy (the tile grid), boxes back in copy pixels; with
 * `normalise`, each window's contrast is normalised first (normaliseContrast).
 */
export async function lookInWindows(
  m: DetectorModels,
  input: Tensor3D,
  windows: readonly Tile[],
  minConfidence: number,
  normalise = false,
): Promise<FaceDetection[]> {
  const { tf } = m.faceapi;
  if (windows.length === 0) return [];
  const parts = windows.map((t) => {
    const part = tf.slice3d(input, [t.y, t.x, 0], [t.height, t.width, 3]);
    if (!normalise) return part;
    const out = normaliseContrast(tf, part);
    part.dispose();
    return out;
  });
  try {
    const found = await locate(
      m,
      parts.map((tensor, i) => ({ tensor, offset: windows[i]! })),
      minConfidence,
    );
    return found.flat();
  } finally {
    for (const p of parts) p.dispose();
  }
}

/** An RGB copy's pixels, row-major, three bytes a pixel. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * A 2×2 mosaic of up to four cells of `rgb`, each copied 1:1 to the top-left corner of its quarter
 * (cells in order top-left, top-right, bottom-left, bottom-right); the rest is black. Plain row
 * copies: built with tfjs slice/pad/concat on the WASM backend, one mosaic took 40–50 ms, the
 * detector's own pass on it ≈ 80 ms.
 */
export function composeMosaic(rgb: RgbPixels, cells: readonly Tile[], cell: number): Int32Array {
  const side = 2 * cell;
  const out = new Int32Array(side * side * 3);
  cells.slice(0, 4).forEach((c, k) => {
    const ox = (k % 2) * cell;
    const oy = Math.floor(k / 2) * cell;
    const w = Math.min(c.width, cell, rgb.width - c.x);
    const h = Math.min(c.height, cell, rgb.height - c.y);
    for (let y = 0; y < h; y++) {
      const from = ((c.y + y) * rgb.width + c.x) * 3;
      out.set(rgb.data.subarray(from, from + w * 3), ((oy + y) * side + ox) * 3);
    }
  });
  return out;
}

/**
 * The detector on 2×2 mosaics of proposal cells: each cell keeps its pixels 1:1 (a 512 px mosaic is
 * exactly the detector's input), so a small face is seen about three times larger than in the
 * full-frame pass, four places per pass.
 */
export async function lookInCells(
  m: DetectorModels,
  rgb: RgbPixels,
  cells: readonly Tile[],
  minConfidence: number,
): Promise<FaceDetection[]> {
  const { tf } = m.faceapi;
  const cell = DEFAULT_PROPOSAL_OPTIONS.cell;
  if (cells.length === 0) return [];
  const groups: Tile[][] = [];
  for (let i = 0; i < cells.length; i += 4) groups.push(cells.slice(i, i + 4));
  const mosaics = groups.map((g) =>
    tf.tensor3d(composeMosaic(rgb, g, cell), [2 * cell, 2 * cell, 3], 'int32'),
  );
  try {
    const found = await locate(
      m,
      mosaics.map((tensor) => ({ tensor })),
      minConfidence,
    );
    return found.flatMap((dets, i) => dets.flatMap((d) => fromMosaic(d, groups[i]!, cell) ?? []));
  } finally {
    for (const t of mosaics) t.dispose();
  }
}
