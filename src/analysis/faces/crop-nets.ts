// The two face-api nets that read a 112 px face crop, run by onnxruntime-node's CPU runtime: the
// 68-point landmark net (FaceFeatureExtractor: four dense blocks) and the age net (TinyXception with
// two middle blocks; its gender head is left out). Same layers and weights as face-api's
// faceLandmark68Net and ageGenderNet, written out as ONNX graphs in memory (onnx-graph.ts). In tfjs
// on the WASM backend one crop cost ≈ 12 ms in the age net and ≈ 8 ms in the landmark net on this
// machine; tests/engines/faces.test.ts compares both outputs with face-api's own.
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import * as ort from 'onnxruntime-node';
import { toCpuSessionOptions } from '../onnx-session.ts';
import { createGraphBuilder, ints, str, type GraphBuilder } from './onnx-graph.ts';

type FaceApi = typeof FaceApiModule;
type Tensor1D = FaceApiModule.tf.Tensor1D;
type Tensor2D = FaceApiModule.tf.Tensor2D;
type Tensor4D = FaceApiModule.tf.Tensor4D;

/** The side of the crop both nets read. */
export const CROP_SIDE = 112;
/** face-api's mean RGB for both nets (their inputs are (x − mean) / 255). */
const MEAN_RGB = [122.782, 117.001, 104.298];

interface Separable {
  depthwise_filter: Tensor4D;
  pointwise_filter: Tensor4D;
  bias: Tensor1D;
}
interface Conv {
  filters: Tensor4D;
  bias: Tensor1D;
}
interface Dense {
  weights: Tensor2D;
  bias: Tensor1D;
}
interface DenseBlock4 {
  conv0: Conv | Separable;
  conv1: Separable;
  conv2: Separable;
  conv3: Separable;
}
interface ReductionBlock {
  separable_conv0: Separable;
  separable_conv1: Separable;
  expansion_conv: Conv;
}
interface MainBlock {
  separable_conv0: Separable;
  separable_conv1: Separable;
  separable_conv2: Separable;
}
/** The parts of face-api's params these graphs read (faceFeatureExtractor/types.ts, xception/types.ts). */
interface LandmarkParams {
  extractor: Record<'dense0' | 'dense1' | 'dense2' | 'dense3', DenseBlock4>;
  fc: Dense;
}
interface AgeParams {
  extractor: {
    entry_flow: { conv_in: Conv; reduction_block_0: ReductionBlock; reduction_block_1: ReductionBlock };
    middle_flow: Record<string, MainBlock>;
    exit_flow: { reduction_block: ReductionBlock; separable_conv: Separable };
  };
  fc: { age: Dense };
}

const conv = (g: GraphBuilder, x: string, c: Conv, stride: 1 | 2): string =>
  g.conv(x, { filter: c.filters, bias: c.bias }, stride);
const add = (g: GraphBuilder, a: string, b: string): string => g.node('Add', [a, b]);

/** face-api's denseBlock4 (faceFeatureExtractor/denseBlock.ts), stride 2. */
function denseBlock4(g: GraphBuilder, x: string, p: DenseBlock4, first: boolean): string {
  const out1 = g.relu(first ? conv(g, x, p.conv0 as Conv, 2) : g.separable(x, p.conv0 as Separable, 2));
  const out2 = g.separable(out1, p.conv1, 1);
  const in3 = g.relu(add(g, out1, out2));
  const out3 = g.separable(in3, p.conv2, 1);
  const in4 = g.relu(add(g, out1, add(g, out2, out3)));
  const out4 = g.separable(in4, p.conv3, 1);
  return g.relu(add(g, out1, add(g, out2, add(g, out3, out4))));
}

/** face-api's reductionBlock (xception/TinyXception.ts). */
function reductionBlock(g: GraphBuilder, x: string, p: ReductionBlock, activate: boolean): string {
  let out = activate ? g.relu(x) : x;
  out = g.separable(out, p.separable_conv0, 1);
  out = g.separable(g.relu(out), p.separable_conv1, 1);
  out = g.node(
    'MaxPool',
    [out],
    [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')],
  );
  return add(g, out, conv(g, x, p.expansion_conv, 2));
}

/** face-api's mainBlock (xception/TinyXception.ts). */
function mainBlock(g: GraphBuilder, x: string, p: MainBlock): string {
  let out = g.separable(g.relu(x), p.separable_conv0, 1);
  out = g.separable(g.relu(out), p.separable_conv1, 1);
  out = g.separable(g.relu(out), p.separable_conv2, 1);
  return add(g, out, x);
}

/** tf.avgPool 7×7, stride 2, 'valid', on a 7×7 map, flattened to [n, channels]. */
function pooled(g: GraphBuilder, x: string): string {
  const pool = g.node('AveragePool', [x], [ints('kernel_shape', [7, 7]), ints('strides', [2, 2])]);
  return g.node('Flatten', [pool]);
}

const INPUT = { name: 'input', dims: ['n', CROP_SIDE, CROP_SIDE, 3] };

export function toLandmarkOnnx(tf: FaceApi['tf'], p: LandmarkParams): Uint8Array {
  const g = createGraphBuilder(tf);
  let out = g.normalised('input', MEAN_RGB, 255);
  out = denseBlock4(g, out, p.extractor.dense0, true);
  out = denseBlock4(g, out, p.extractor.dense1, false);
  out = denseBlock4(g, out, p.extractor.dense2, false);
  out = denseBlock4(g, out, p.extractor.dense3, false);
  g.named('Identity', [g.dense(pooled(g, out), p.fc)], 'landmarks');
  return g.encode('face_landmark_68', INPUT, [{ name: 'landmarks', dims: ['n', 136] }]);
}

export function toAgeOnnx(tf: FaceApi['tf'], p: AgeParams): Uint8Array {
  const g = createGraphBuilder(tf);
  const { entry_flow: entry, middle_flow: middle, exit_flow: exit } = p.extractor;
  let out = g.normalised('input', MEAN_RGB, 255);
  out = g.relu(conv(g, out, entry.conv_in, 2));
  out = reductionBlock(g, out, entry.reduction_block_0, false);
  out = reductionBlock(g, out, entry.reduction_block_1, true);
  for (const key of Object.keys(middle).sort()) out = mainBlock(g, out, middle[key]!);
  out = reductionBlock(g, out, exit.reduction_block, true);
  out = g.relu(g.separable(out, exit.separable_conv, 1));
  g.named('Identity', [g.dense(pooled(g, out), p.fc.age)], 'age');
  return g.encode('face_age', INPUT, [{ name: 'age', dims: ['n', 1] }]);
}

export interface CropNets {
  /** Per crop (NHWC float32, RGB 0–255, CROP_SIDE square): 68 (x, y) points relative to the crop. */
  landmarks(crops: Float32Array, n: number): Promise<Float32Array[]>;
  /** Per crop: the age net's estimate in years. */
  ages(crops: Float32Array, n: number): Promise<number[]>;
}

/** Both sessions, from the weights face-api loaded (`faceapi.nets`). */
export async function createCropNets(faceapi: FaceApi, threads = 1): Promise<CropNets> {
  const nets = faceapi.nets as unknown as {
    faceLandmark68Net: {
      params: { fc: Dense };
      faceFeatureExtractor: { params: LandmarkParams['extractor'] };
    };
    ageGenderNet: {
      params: { fc: AgeParams['fc'] };
      faceFeatureExtractor: { params: AgeParams['extractor'] };
    };
  };
  const lm = nets.faceLandmark68Net;
  const age = nets.ageGenderNet;
  const options = toCpuSessionOptions(threads);
  const [landmarkSession, ageSession] = await Promise.all([
    ort.InferenceSession.create(
      toLandmarkOnnx(faceapi.tf, { extractor: lm.faceFeatureExtractor.params, fc: lm.params.fc }),
      options,
    ),
    ort.InferenceSession.create(
      toAgeOnnx(faceapi.tf, { extractor: age.faceFeatureExtractor.params, fc: age.params.fc }),
      options,
    ),
  ]);
  const run = async (
    session: ort.InferenceSession,
    crops: Float32Array,
    n: number,
  ): Promise<Float32Array> => {
    const input = new ort.Tensor('float32', crops, [n, CROP_SIDE, CROP_SIDE, 3]);
    try {
      const res = await session.run({ input });
      const out = Object.values(res)[0]!;
      const data = (out.data as Float32Array).slice();
      for (const t of Object.values(res)) t.dispose();
      return data;
    } finally {
      input.dispose();
    }
  };
  return {
    async landmarks(crops, n) {
      const out = await run(landmarkSession, crops, n);
      return Array.from({ length: n }, (_, i) => out.subarray(i * 136, (i + 1) * 136));
    },
    async ages(crops, n) {
      return Array.from(await run(ageSession, crops, n));
    },
  };
}
