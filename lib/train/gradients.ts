/**
 * Gradients for tfjs's fused kernels, so a training step can use them.
 *
 * `tf.fused.conv2d` and `tf.fused.matMul` fall back to separate kernels
 * (convolution, bias add, ReLU) whenever a gradient is being recorded, and
 * their custom gradient computes the input gradient even when nothing needs
 * it (the first layer's input is data). Registering a gradient for the fused
 * kernels themselves keeps the forward pass fused (one XNNPACK call per layer)
 * and lets tfjs compute only the gradients it needs: each input's gradient is
 * a separate closure, called only if that input leads to a variable.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

type Activation = "linear" | "relu";

/** `dy * (y > 0)` for ReLU, `dy` for a linear output. */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === "linear") return dy;
  if (activation === "relu") return tf.mul(dy, tf.step(y));
  throw new Error(`no gradient for fused activation "${activation}"`);
}

/** The bias gradient: `dy` summed over every axis but the last. */
function biasGrad(dy: tf.Tensor): tf.Tensor {
  return tf.sum(dy, [...dy.shape.keys()].slice(0, -1));
}

let registered = false;

/** Register the gradients of `FusedConv2D` and `_FusedMatMul` (once). */
export function registerFusedGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.FusedConv2D,
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const { strides, pad, dimRoundingMode, activation } = attrs as unknown as tf.FusedConv2DAttrs;
      const g = activationGrad(dy as tf.Tensor, y, activation as Activation) as tf.Tensor4D;
      const conv = { strides, pad, dataFormat: "NHWC", dimRoundingMode };
      return {
        x: () =>
          tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: g, filter }, {
            ...conv,
            inputShape: x.shape,
          }) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: g }, {
            ...conv,
            filterShape: filter.shape,
          }) as tf.Tensor,
        bias: () => biasGrad(g),
      };
    },
  });
  tf.registerGradient({
    kernelName: tf._FusedMatMul,
    inputsToSave: ["a", "b"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [a, b, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const { transposeA, transposeB, activation } = attrs as unknown as tf._FusedMatMulAttrs;
      if (transposeA || transposeB) {
        throw new Error("fused matMul gradient: transposed inputs are not supported");
      }
      const g = activationGrad(tf.reshape(dy as tf.Tensor, y.shape), y, activation as Activation);
      return {
        a: () => tf.reshape(tf.matMul(g, b, false, true), a.shape),
        b: () => tf.reshape(tf.matMul(a, g, true, false), b.shape),
        bias: () => biasGrad(g),
      };
    },
  });
}
