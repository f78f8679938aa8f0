// A second opinion on weak face boxes: the face-presence output of Human's face-mesh model (a network
// trained apart from SSD), read on a square crop around each box. Used to drop animals and objects.
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { FaceDetection } from './boxes.ts';
import type { GraphModel } from './human-models.ts';

type Tf = typeof FaceApiModule.tf;
type Tensor3D = FaceApiModule.tf.Tensor3D;

/** The face-mesh network's input side. */
const MESH_SIDE = 192;
/** The crop around a box, as a multiple of its longest side (the mesh expects the face with room). */
const MESH_CROP = 1.5;

/**
 * Face-presence scores (0..1) for each box, from one batched pass of the face-mesh model over square
 * crops of `image` (RGB, 0–255) centred on the boxes. Every tensor it makes is disposed.
 */
export async function meshFaceScores(
  tf: Tf,
  mesh: GraphModel,
  image: Tensor3D,
  boxes: readonly FaceDetection[],
): Promise<number[]> {
  if (boxes.length === 0) return [];
  const [h, w] = image.shape;
  const crops = tf.tidy(() => {
    const rel = boxes.map((b) => {
      const side = Math.max(b.width, b.height) * MESH_CROP;
      const x = b.x + b.width / 2 - side / 2;
      const y = b.y + b.height / 2 - side / 2;
      return [y / h, x / w, (y + side) / h, (x + side) / w];
    });
    const batch = tf.expandDims<FaceApiModule.tf.Tensor4D>(tf.cast(image, 'float32'), 0);
    const cut = tf.image.cropAndResize(batch, tf.tensor2d(rel), new Array<number>(boxes.length).fill(0), [
      MESH_SIDE,
      MESH_SIDE,
    ]);
    return tf.div(cut, 255);
  });
  let outs: FaceApiModule.tf.Tensor[];
  try {
    const res = mesh.execute(crops);
    outs = Array.isArray(res) ? res : [res];
  } finally {
    crops.dispose();
  }
  try {
    // Three outputs: the mesh, the contours and the face flag (one value per crop).
    const flag = outs.find((t) => t.shape.length === 2 && t.shape[1] === 1);
    if (!flag) throw new Error('the face-mesh model has no face-presence output');
    return Array.from(await flag.data());
  } finally {
    for (const t of outs) t.dispose();
  }
}
