// The SSD MobileNet v1 face detector's weights, folded once for our forward pass (ssd-onnx.ts runs it
// in onnxruntime): batch norm folded into the depthwise filters, every convolution with its bias
// (ReLU6 follows in the backbone). Same arithmetic as face-api's mobileNetV1 / predictionLayer /
// outputLayer (tests/engines/faces.test.ts compares the boxes with face-api's own pass).
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';

type Tensor1D = FaceApiModule.tf.Tensor1D;
type Tensor2D = FaceApiModule.tf.Tensor2D;
type Tensor3D = FaceApiModule.tf.Tensor3D;
type Tensor4D = FaceApiModule.tf.Tensor4D;

/** tfjs as face-api bundles it, with the function its bundled types leave out (present at run time). */
type Tf = typeof FaceApiModule.tf & { sqrt(x: Tensor1D): Tensor1D };

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
