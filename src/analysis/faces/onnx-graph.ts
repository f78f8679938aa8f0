// Building an ONNX graph in memory from face-api's tfjs weights, layer by layer: the detector
// (ssd-onnx.ts) and the two nets that read a face crop (crop-nets.ts). No converter for tfjs weights
// to ONNX ships on npm, so the few operators these nets use are written here once.
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { createRequire } from 'node:module';
import type { onnx as OnnxTypes } from 'onnx-proto';

type Tf = typeof FaceApiModule.tf;
type Tensor1D = FaceApiModule.tf.Tensor1D;
type Tensor2D = FaceApiModule.tf.Tensor2D;
type Tensor4D = FaceApiModule.tf.Tensor4D;

// A CommonJS package whose namespace export Node's ESM loader cannot see by name.
const { onnx } = createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxTypes };
// eslint-disable-next-line @typescript-eslint/no-namespace -- the generated types live in a namespace
declare namespace onnx {
  type ITensorProto = OnnxTypes.ITensorProto;
  type INodeProto = OnnxTypes.INodeProto;
  type IAttributeProto = OnnxTypes.IAttributeProto;
  type ITypeProto = OnnxTypes.ITypeProto;
}
export type Attribute = onnx.IAttributeProto;

export const ints = (n: string, v: number[]): Attribute => ({
  name: n,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: v,
});
export const int = (n: string, v: number): Attribute => ({
  name: n,
  type: onnx.AttributeProto.AttributeType.INT,
  i: v,
});
export const str = (n: string, v: string): Attribute => ({
  name: n,
  type: onnx.AttributeProto.AttributeType.STRING,
  s: new TextEncoder().encode(v),
});

/** A convolution's weights as face-api holds them: filters [kh, kw, in, out] and an optional bias. */
export interface ConvWeights {
  filter: Tensor4D;
  bias?: Tensor1D;
}

export interface ConvOptions {
  /** Depthwise: filters [kh, kw, in, 1], one group per channel. */
  depthwise?: boolean;
  relu6?: boolean;
}

/** A float tensor's dimensions; strings name a dimension that varies (the batch). */
export type Dims = (number | string)[];

/** The graph being built: every helper returns the name of the value it makes. */
export interface GraphBuilder {
  constant(base: string, dims: number[], values: Float32Array): string;
  int64s(base: string, values: number[]): string;
  node(op: string, inputs: string[], attribute?: Attribute[]): string;
  /** A node whose output takes `output` as its name (a graph output). */
  named(op: string, inputs: string[], output: string, attribute?: Attribute[]): string;
  /** TensorFlow's conv2d with 'same' padding (and its bias), in NCHW. */
  conv(x: string, w: ConvWeights, stride: 1 | 2, opts?: ConvOptions): string;
  /** tfjs's separableConv2d + bias ('same'): depthwise then pointwise. */
  separable(
    x: string,
    p: { depthwise_filter: Tensor4D; pointwise_filter: Tensor4D; bias: Tensor1D },
    stride: 1 | 2,
  ): string;
  /** x · weights + bias (face-api's fullyConnectedLayer). */
  dense(x: string, p: { weights: Tensor2D; bias: Tensor1D }): string;
  relu(x: string): string;
  /** NHWC input (0–255) → NCHW, mean per channel (R, G, B) subtracted, divided by `divisor`. */
  normalised(input: string, meanRgb: readonly number[], divisor: number): string;
  /** The serialised model: one float input, float outputs. */
  encode(
    name: string,
    input: { name: string; dims: Dims },
    outputs: { name: string; dims: Dims }[],
  ): Uint8Array;
}

export function createGraphBuilder(tf: Tf): GraphBuilder {
  const initializers: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  let counter = 0;
  const name = (base: string): string => `${base}_${counter++}`;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;

  const b: GraphBuilder = {
    constant(base, dims, values) {
      const n = name(base);
      initializers.push({
        name: n,
        dims,
        dataType: FLOAT,
        rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
      });
      return n;
    },
    int64s(base, values) {
      const n = name(base);
      const data = new BigInt64Array(values.map((v) => BigInt(v)));
      initializers.push({
        name: n,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(data.buffer),
      });
      return n;
    },
    node(op, inputs, attribute = []) {
      return b.named(op, inputs, name(op.toLowerCase()), attribute);
    },
    named(op, inputs, output, attribute = []) {
      nodes.push({ opType: op, input: inputs, output: [output], name: output, attribute });
      return output;
    },
    conv(x, w, stride, opts = {}) {
      // tfjs filters are [kh, kw, in, out] (depthwise: [kh, kw, in, 1]); ONNX wants [out, in/group, kh, kw].
      const t = tf.transpose(w.filter, opts.depthwise ? [2, 3, 0, 1] : [3, 2, 0, 1]);
      let shape: number[];
      let filter: string;
      try {
        shape = t.shape;
        filter = b.constant('w', shape, t.dataSync() as Float32Array);
      } finally {
        t.dispose();
      }
      const inputs = [x, filter];
      if (w.bias) inputs.push(b.constant('b', [shape[0]!], w.bias.dataSync() as Float32Array));
      const y = b.node('Conv', inputs, [
        ints('kernel_shape', [shape[2]!, shape[3]!]),
        ints('strides', [stride, stride]),
        // TensorFlow's 'same' padding puts the odd pixel at the end: ONNX's SAME_UPPER.
        str('auto_pad', 'SAME_UPPER'),
        int('group', opts.depthwise ? shape[0]! : 1),
      ]);
      if (!opts.relu6) return y;
      return b.node('Clip', [
        y,
        b.constant('zero', [], new Float32Array([0])),
        b.constant('six', [], new Float32Array([6])),
      ]);
    },
    separable(x, p, stride) {
      const d = b.conv(x, { filter: p.depthwise_filter }, stride, { depthwise: true });
      return b.conv(d, { filter: p.pointwise_filter, bias: p.bias }, 1);
    },
    dense(x, p) {
      const [rows, cols] = p.weights.shape;
      const w = b.constant('fc', [rows, cols], p.weights.dataSync() as Float32Array);
      const bias = b.constant('fcb', [cols], p.bias.dataSync() as Float32Array);
      return b.node('Add', [b.node('MatMul', [x, w]), bias]);
    },
    relu(x) {
      return b.node('Relu', [x]);
    },
    normalised(input, meanRgb, divisor) {
      const nchw = b.node('Transpose', [input], [ints('perm', [0, 3, 1, 2])]);
      const mean = b.constant('mean', [1, 3, 1, 1], new Float32Array(meanRgb));
      const k = b.constant('k', [], new Float32Array([1 / divisor]));
      return b.node('Mul', [b.node('Sub', [nchw, mean]), k]);
    },
    encode(graphName, input, outputs) {
      const tensorType = (dims: Dims): onnx.ITypeProto => ({
        tensorType: {
          elemType: FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      });
      return onnx.ModelProto.encode({
        irVersion: 8,
        producerName: 'preflight',
        opsetImport: [{ domain: '', version: 13 }],
        graph: {
          name: graphName,
          node: nodes,
          initializer: initializers,
          input: [{ name: input.name, type: tensorType(input.dims) }],
          output: outputs.map((o) => ({ name: o.name, type: tensorType(o.dims) })),
        },
      }).finish();
    },
  };
  return b;
}
