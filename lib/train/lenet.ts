/**
 * LeNet, modernised as in the chapter: ReLU activations and max-pooling.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { lenetLayers } from "./architecture.ts";
import { mulberry32 } from "./rng.ts";

// #region lenet
/** The trainable parameters: a weight and a bias per layer. */
export type LeNetParams = Record<string, tf.Variable>;

/**
 * Fresh parameters: Xavier/Glorot-uniform weights, `U(-a, a)` with
 * `a = sqrt(6 / (fanIn + fanOut))`, and zero biases. Same seed, same weights.
 */
export function initLeNet(seed: number, width = 1): LeNetParams {
  const random = mulberry32(seed);
  const params: LeNetParams = {};
  for (const [name, shape, fanIn, fanOut] of lenetLayers(width)) {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const size = shape.reduce((x, y) => x * y, 1);
    const w = Float32Array.from({ length: size }, () => (2 * random() - 1) * a);
    params[`${name}/w`] = tf.variable(tf.tensor(w, [...shape]), true, `${name}/w`);
    params[`${name}/b`] = tf.variable(tf.zeros([shape[shape.length - 1]]), true, `${name}/b`);
  }
  return params;
}

/** Logits of a batch of images `x` (shape `[n, 28, 28, 1]`, values in [0, 1]). */
export function lenet(p: LeNetParams, x: tf.Tensor4D): tf.Tensor2D {
  const n = x.shape[0];
  let h = conv(x, p["conv1/w"], p["conv1/b"], 2); // [n, 28, 28, 6]
  h = tf.maxPool(h, 2, 2, "valid"); // [n, 14, 14, 6]
  h = conv(h, p["conv2/w"], p["conv2/b"], "valid"); // [n, 10, 10, 16]
  h = tf.maxPool(h, 2, 2, "valid"); // [n, 5, 5, 16]
  let z = tf.reshape(h, [n, h.shape[1] * h.shape[2] * h.shape[3]]) as tf.Tensor2D;
  z = dense(z, p["dense1/w"], p["dense1/b"], "relu");
  z = dense(z, p["dense2/w"], p["dense2/b"], "relu");
  return dense(z, p["dense3/w"], p["dense3/b"], "linear");
}
// #endregion lenet

/** A convolution with bias and ReLU as ONE fused kernel (gradient: ./gradients.ts). */
function conv(
  x: tf.Tensor4D,
  filter: tf.Tensor,
  bias: tf.Tensor,
  pad: number | "valid",
): tf.Tensor4D {
  return tf.engine().runKernel(tf.FusedConv2D, { x, filter, bias }, {
    strides: [1, 1],
    pad,
    dataFormat: "NHWC",
    dilations: [1, 1],
    activation: "relu",
  }) as tf.Tensor4D;
}

/** `activation(x w + b)` as ONE fused kernel (gradient: ./gradients.ts). */
function dense(
  x: tf.Tensor2D,
  w: tf.Tensor,
  b: tf.Tensor,
  activation: "relu" | "linear",
): tf.Tensor2D {
  const [n, units] = [x.shape[0], w.shape[1] as number];
  const a = tf.reshape(x, [1, n, x.shape[1]]);
  const y = tf.engine().runKernel(tf._FusedMatMul, {
    a,
    b: tf.reshape(w, [1, ...w.shape]),
    bias: b,
  }, {
    transposeA: false,
    transposeB: false,
    activation,
  }) as tf.Tensor3D;
  return tf.reshape(y, [n, units]);
}
