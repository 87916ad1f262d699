/**
 * The shape of LeNet: its layers and their sizes (no TensorFlow.js needed).
 *
 * @module
 */

// #region architecture
/**
 * The layers of LeNet as [name, weight shape, fan-in, fan-out]; `width`
 * multiplies every layer's channels or units but the last (1 is the classic
 * net, 2 a wider one).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { lenetLayers } from "./architecture.ts";
 * assert.deepEqual(lenetLayers(2)[0], ["conv1", [5, 5, 1, 12], 25, 300]);
 * ```
 */
export function lenetLayers(width = 1): [string, number[], number, number][] {
  const [c1, c2, d1, d2] = [6 * width, 16 * width, 120 * width, 84 * width];
  return [
    ["conv1", [5, 5, 1, c1], 5 * 5 * 1, 5 * 5 * c1], // c1 filters 5x5, padding 2: 28x28 -> 28x28
    ["conv2", [5, 5, c1, c2], 5 * 5 * c1, 5 * 5 * c2], // c2 filters 5x5, no padding: 14x14 -> 10x10
    ["dense1", [c2 * 5 * 5, d1], c2 * 5 * 5, d1], // after pooling to 5x5
    ["dense2", [d1, d2], d1, d2],
    ["dense3", [d2, 10], d2, 10],
  ];
}

/**
 * The number of trainable parameters of LeNet at `width`.
 *
 * @example The classic LeNet has 61,706 parameters
 * ```ts
 * import assert from "node:assert/strict";
 * import { lenetParameterCount } from "./architecture.ts";
 * assert.equal(lenetParameterCount(), 61_706);
 * ```
 */
export function lenetParameterCount(width = 1): number {
  return lenetLayers(width).reduce((n, [, shape]) => {
    const weights = shape.reduce((a, b) => a * b, 1);
    return n + weights + shape[shape.length - 1];
  }, 0);
}
// #endregion architecture
