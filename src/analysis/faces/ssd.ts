// The SSD MobileNet v1 face detector's forward pass, on face-api's weights, written so that each
// layer's output is freed as soon as the next layer has read it. face-api keeps every layer's output
// alive until the whole pass ends (one tf.tidy around the network): at the 512 px input that is
// ≈ 100 MB of activations at once, and the WASM heap, which never shrinks, grew from 23 to 207 MB on
// the first pass. Batch norm is folded into the depthwise filters once, and bias and ReLU6 are fused
// into every convolution (one kernel per layer instead of three). Same arithmetic as face-api's
// mobileNetV1 / predictionLayer / outputLayer (tests/engines/faces.test.ts compares the boxes).
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';

type Tensor1D = FaceApiModule.tf.Tensor1D;
type Tensor2D = FaceApiModule.tf.Tensor2D;
type Tensor3D = FaceApiModule.tf.Tensor3D;
type Tensor4D = FaceApiModule.tf.Tensor4D;

interface FusedConvArgs {
  x: Tensor4D;
  filter: Tensor4D;
  strides: 1 | 2;
  pad: 'same';
  bias: Tensor1D;
  activation?: 'relu6';
}
/** tfjs as face-api bundles it, with the functions its bundled types leave out (present at run time). */
type Tf = typeof FaceApiModule.tf & {
  sqrt(x: Tensor1D): Tensor1D;
  fused: {
    conv2d(args: FusedConvArgs): Tensor4D;
    depthwiseConv2d(args: FusedConvArgs): Tensor4D;
  };
};

/** The parts of face-api's SsdMobilenetv1 params we read (src/ssdMobilenetv1/types.ts there). */
interface PointwiseParams {
  filters: Tensor4D;
  batch_norm_offset: Tensor1D;
}
interface DepthwiseParams {
  filters: Tensor4D;
  batch_norm_scale: Tensor1D;
  batch_norm_offset: Tensor1D;
  batch_norm_mean: Tensor1D;
  batch_norm_variance: Tensor1D;
}
interface ConvParams {
  filters: Tensor4D;
  bias: Tensor1D;
}
export interface SsdParams {
  mobilenetv1: Record<
    string,
    PointwiseParams | { depthwise_conv: DepthwiseParams; pointwise_conv: PointwiseParams }
  >;
  prediction_layer: Record<
    string,
    PointwiseParams | { box_encoding_predictor: ConvParams; class_predictor: ConvParams }
  >;
  output_layer: { extra_dim: Tensor3D };
}

/** A convolution with its bias (and, for the backbone, ReLU6) fused in. */
interface Conv {
  filter: Tensor4D;
  bias: Tensor1D;
}

export interface SsdNet {
  conv0: Conv;
  pairs: { depthwise: Conv; pointwise: Conv }[];
  extra: Conv[];
  predictors: { box: Conv; cls: Conv }[];
  anchors: Tensor2D;
}

const EPSILON = 0.0010000000474974513;

/** Folds face-api's weights once (tensors kept for the process, like the weights themselves). */
export function toSsdNet(tf: Tf, params: SsdParams): SsdNet {
  const m = params.mobilenetv1;
  const p = params.prediction_layer;
  const pointwise = (x: PointwiseParams): Conv => ({ filter: x.filters, bias: x.batch_norm_offset });
  const depthwise = (x: DepthwiseParams): Conv =>
    tf.tidy(() => {
      // (y − mean) / √(var + ε) · scale + offset  =  y · a + (offset − mean · a)
      const a = tf.div(x.batch_norm_scale, tf.sqrt(tf.add(x.batch_norm_variance, EPSILON)));
      return {
        filter: tf.mul<Tensor4D>(x.filters, tf.reshape(a, [1, 1, -1, 1])),
        bias: tf.sub<Tensor1D>(x.batch_norm_offset, tf.mul(x.batch_norm_mean, a)),
      };
    });
  const pairs = Array.from({ length: 13 }, (_, i) => {
    const pair = m[`conv_${i + 1}`] as { depthwise_conv: DepthwiseParams; pointwise_conv: PointwiseParams };
    return { depthwise: depthwise(pair.depthwise_conv), pointwise: pointwise(pair.pointwise_conv) };
  });
  const conv = (x: ConvParams): Conv => ({ filter: x.filters, bias: x.bias });
  return {
    conv0: pointwise(m['conv_0'] as PointwiseParams),
    pairs,
    extra: Array.from({ length: 8 }, (_, i) => pointwise(p[`conv_${i}`] as PointwiseParams)),
    predictors: Array.from({ length: 6 }, (_, i) => {
      const b = p[`box_predictor_${i}`] as {
        box_encoding_predictor: ConvParams;
        class_predictor: ConvParams;
      };
      return { box: conv(b.box_encoding_predictor), cls: conv(b.class_predictor) };
    }),
    anchors: tf.reshape<FaceApiModule.tf.Rank.R2>(params.output_layer.extra_dim, [-1, 4]),
  };
}

/** Stride 2 at these backbone layers (face-api's getStridesForLayerIdx). */
const STRIDE_2 = new Set([2, 4, 6, 12]);

/**
 * One pass over a batch (512×512, RGB 0–255, float32; not disposed here): per input, the boxes
 * (y0, x0, y1, x1, relative) and face scores of every anchor, as face-api's outputLayer returns them.
 */
export function forwardSsd(tf: Tf, net: SsdNet, batch: Tensor4D): { boxes: Tensor2D[]; scores: Tensor1D[] } {
  const relu6 = (x: Tensor4D, c: Conv, strides: 1 | 2, depthwise = false): Tensor4D =>
    depthwise
      ? tf.fused.depthwiseConv2d({
          x,
          filter: c.filter,
          strides,
          pad: 'same',
          bias: c.bias,
          activation: 'relu6',
        })
      : tf.fused.conv2d({ x, filter: c.filter, strides, pad: 'same', bias: c.bias, activation: 'relu6' });

  const x = tf.tidy(() => tf.sub<Tensor4D>(tf.div(batch, 127.5), 1));
  let out = relu6(x, net.conv0, 2);
  x.dispose();
  let conv11: Tensor4D | undefined;
  net.pairs.forEach((pair, i) => {
    const layer = i + 1;
    const d = relu6(out, pair.depthwise, STRIDE_2.has(layer) ? 2 : 1, true);
    if (out !== conv11) out.dispose();
    out = relu6(d, pair.pointwise, 1);
    d.dispose();
    if (layer === 11) conv11 = out;
  });
  const features = out;
  const c11 = conv11!;
  try {
    return tf.tidy(() => {
      // Prediction layer: eight more convolutions (16×16 down to 1×1), six box predictors.
      const convs: Tensor4D[] = [];
      let y = features;
      net.extra.forEach((c, i) => {
        y = relu6(y, c, i % 2 === 1 ? 2 : 1);
        convs.push(y);
      });
      const sources = [c11, features, convs[1]!, convs[3]!, convs[5]!, convs[7]!];
      const n = batch.shape[0];
      const boxParts: Tensor4D[] = [];
      const clsParts: Tensor3D[] = [];
      sources.forEach((s, i) => {
        const pr = net.predictors[i]!;
        const plain = (c: Conv): Tensor4D =>
          tf.fused.conv2d({ x: s, filter: c.filter, strides: 1, pad: 'same', bias: c.bias });
        boxParts.push(tf.reshape<FaceApiModule.tf.Rank.R4>(plain(pr.box), [n, -1, 1, 4]));
        clsParts.push(tf.reshape<FaceApiModule.tf.Rank.R3>(plain(pr.cls), [n, -1, 3]));
      });
      const boxPredictions = tf.concat(boxParts, 1);
      const classPredictions = tf.concat(clsParts, 1);

      // Output layer: anchors + encodings → corner boxes; sigmoid of the face class.
      const anchors = tf.reshape<FaceApiModule.tf.Rank.R2>(
        tf.tile(tf.expandDims(net.anchors, 0), [n, 1, 1]),
        [-1, 4],
      );
      const a = tf.unstack(tf.transpose(anchors, [1, 0]));
      const sizes = [tf.sub(a[2]!, a[0]!), tf.sub(a[3]!, a[1]!)];
      const centers = [tf.add(a[0]!, tf.div(sizes[0]!, 2)), tf.add(a[1]!, tf.div(sizes[1]!, 2))];
      const e = tf.unstack(tf.transpose(tf.reshape(boxPredictions, [-1, 4]), [1, 0]));
      const half0 = tf.div(tf.mul(tf.exp(tf.div(e[2]!, 5)), sizes[0]!), 2);
      const mid0 = tf.add(tf.mul(tf.div(e[0]!, 10), sizes[0]!), centers[0]!);
      const half1 = tf.div(tf.mul(tf.exp(tf.div(e[3]!, 5)), sizes[1]!), 2);
      const mid1 = tf.add(tf.mul(tf.div(e[1]!, 10), sizes[1]!), centers[1]!);
      const corners = tf.transpose(
        tf.stack([tf.sub(mid0, half0), tf.sub(mid1, half1), tf.add(mid0, half0), tf.add(mid1, half1)]),
        [1, 0],
      );
      const boxes = tf.reshape(corners, [n, -1, 4]);
      const scores = tf.reshape(tf.sigmoid(tf.slice(classPredictions, [0, 0, 1], [-1, -1, 1])), [n, -1]);
      return { boxes: tf.unstack(boxes) as Tensor2D[], scores: tf.unstack(scores) as Tensor1D[] };
    });
  } finally {
    features.dispose();
    if (c11 !== features) c11.dispose();
  }
}
