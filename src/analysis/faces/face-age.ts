// A closer look at each face found: its 68 landmarks (for the shape check and the roll), then the age
// net on a crop levelled by the eyes, averaged with its mirror image. The crops are cut with tfjs; the
// two nets run in onnxruntime (crop-nets.ts).
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { FaceDetection } from './boxes.ts';
import { CROP_SIDE, type CropNets } from './crop-nets.ts';
import { isFaceShaped, rollAngle, type Point } from './landmarks.ts';

type FaceApi = typeof FaceApiModule;
type Tensor3D = FaceApiModule.tf.Tensor3D;
type Tensor4D = FaceApiModule.tf.Tensor4D;

export interface AgeOptions {
  /** Room around the box for the age crop, as a fraction of its longest side (0.25: 25 % wider). */
  margin: number;
  /** Average the age over the crop and its mirror image. */
  mirror: boolean;
}

/** Chosen on the labelled fixtures (docs/EVAL.md, "Faces"): a margin made children read older. */
export const DEFAULT_AGE_OPTIONS: AgeOptions = { margin: 0, mirror: true };

export interface FaceLook {
  /** The 68 points look like a face (landmarks.ts). */
  faceShaped: boolean;
  /** Roll levelled before the age was read, in radians. */
  roll: number;
  /** Age in years, from the levelled crop (and its mirror when enabled). */
  age: number;
}

const LANDMARK_SIDE = CROP_SIDE;
const AGE_SIDE = CROP_SIDE;

/**
 * Landmarks, shape check and age for each box of `image` (RGB, 0–255, the analysed copy). One batched
 * pass of the landmark net and one of the age net; every tensor it makes is disposed.
 */
export async function lookAtFaces(
  faceapi: FaceApi,
  nets: CropNets,
  image: Tensor3D,
  faces: readonly FaceDetection[],
  opts: AgeOptions = DEFAULT_AGE_OPTIONS,
): Promise<FaceLook[]> {
  if (faces.length === 0) return [];
  const { tf } = faceapi;
  const [h, w] = image.shape;
  const whole = tf.tidy(() => tf.expandDims<Tensor4D>(tf.cast(image, 'float32'), 0));
  const ids = faces.map(() => 0);
  const square = (f: FaceDetection, k: number): number[] => {
    const side = Math.max(f.width, f.height) * k;
    const x = f.x + f.width / 2 - side / 2;
    const y = f.y + f.height / 2 - side / 2;
    return [y / h, x / w, (y + side) / h, (x + side) / w];
  };
  try {
    // Landmarks on the detector's box, as face-api reads them.
    const boxes = faces.map((f) => [f.y / h, f.x / w, (f.y + f.height) / h, (f.x + f.width) / w]);
    const crops = tf.tidy(() =>
      tf.image.cropAndResize(whole, tf.tensor2d(boxes), ids, [LANDMARK_SIDE, LANDMARK_SIDE]),
    );
    let marks: Float32Array[];
    try {
      marks = await nets.landmarks((await crops.data()) as Float32Array, faces.length);
    } finally {
      crops.dispose();
    }
    // Square crops, so no padding to undo: (x, y) pairs relative to the box, as face-api gives them.
    const points: Point[][] = marks.map((m) =>
      Array.from({ length: m.length / 2 }, (_, k) => ({ x: m[2 * k]!, y: m[2 * k + 1]! })),
    );
    // Roll in image pixels (the box need not be square).
    const rolls = points.map((pts, i) =>
      rollAngle(pts.map((p) => ({ x: p.x * faces[i]!.width, y: p.y * faces[i]!.height }))),
    );
    // A square twice the face, levelled about its centre, then the face with its margin cut from it.
    const inner = (1 + opts.margin) / 2;
    const aligned = tf.tidy(() => {
      const big = tf.image.cropAndResize(whole, tf.tensor2d(faces.map((f) => square(f, 2))), ids, [
        AGE_SIDE * 2,
        AGE_SIDE * 2,
      ]);
      const level = tf.concat(
        tf
          .unstack(big)
          .map((one, i) => tf.image.rotateWithOffset(tf.expandDims<Tensor4D>(one, 0), rolls[i]!, 0, 0.5)),
      );
      const cut = tf.image.cropAndResize(
        level,
        tf.tensor2d(faces.map(() => [0.5 - inner / 2, 0.5 - inner / 2, 0.5 + inner / 2, 0.5 + inner / 2])),
        faces.map((_, i) => i),
        [AGE_SIDE, AGE_SIDE],
      );
      return opts.mirror ? tf.concat([cut, tf.image.flipLeftRight(cut)]) : cut;
    });
    let ages: number[];
    try {
      ages = await nets.ages((await aligned.data()) as Float32Array, aligned.shape[0]);
    } finally {
      aligned.dispose();
    }
    const n = faces.length;
    return faces.map((_, i) => ({
      faceShaped: isFaceShaped(points[i]!),
      roll: rolls[i]!,
      age: opts.mirror ? (ages[i]! + ages[i + n]!) / 2 : ages[i]!,
    }));
  } finally {
    whole.dispose();
  }
}
