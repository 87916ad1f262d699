/**
 * LeNet, modernised as in the chapter: ReLU activations and max-pooling.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { lenetLayers } from "./architecture.ts";
import { initialWeights } from "./init.ts";

// #region lenet
/** The trainable parameters: a weight and a bias per layer. */
export type LeNetParams = Record<string, tf.Variable>;

/**
 * Fresh parameters as tfjs variables: the weights of {@linkcode initialWeights}
 * (Xavier/Glorot-uniform, zero biases), so the same seed gives the same
 * weights here and in the engine.
 */
export function initLeNet(seed: number, width = 1): LeNetParams {
  const flat = initialWeights(seed, width);
  const params: LeNetParams = {};
  let at = 0;
  for (const [name, shape] of lenetLayers(width)) {
    const size = shape.reduce((x, y) => x * y, 1), units = shape[shape.length - 1];
    const w = tf.tensor(flat.slice(at, at + size), [...shape]);
    const b = tf.tensor(flat.slice(at + size, at + size + units), [units]);
    params[`${name}/w`] = tf.variable(w, true, `${name}/w`);
    params[`${name}/b`] = tf.variable(b, true, `${name}/b`);
    tf.dispose([w, b]);
    at += size + units;
  }
  return params;
}

/** Logits of a batch of images `x` (shape `[n, 28, 28, 1]`, values in [0, 1]). */
export function lenet(p: LeNetParams, x: tf.Tensor4D): tf.Tensor2D {
  const n = x.shape[0];
  let h = tf.relu(tf.add(tf.conv2d(x, p["conv1/w"] as tf.Tensor4D, 1, 2), p["conv1/b"]));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, "valid"); // [n, 14, 14, 6]
  h = tf.relu(
    tf.add(tf.conv2d(h as tf.Tensor4D, p["conv2/w"] as tf.Tensor4D, 1, "valid"), p["conv2/b"]),
  );
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, "valid"); // [n, 5, 5, 16]
  let z = tf.reshape(h, [n, h.shape[1]! * h.shape[2]! * h.shape[3]!]) as tf.Tensor2D;
  z = tf.relu(tf.add(tf.matMul(z, p["dense1/w"]), p["dense1/b"]));
  z = tf.relu(tf.add(tf.matMul(z, p["dense2/w"]), p["dense2/b"]));
  return tf.add(tf.matMul(z, p["dense3/w"]), p["dense3/b"]);
}
// #endregion lenet
