/**
 * LeNet's initial weights, as one flat array in parameter order.
 *
 * @module
 */

import { lenetLayers, lenetParameterCount } from "./architecture.ts";
import { mulberry32 } from "./rng.ts";

/**
 * Fresh parameters of LeNet at `width`, flattened in parameter order (each
 * layer's weight, then its bias, layer by layer as {@linkcode lenetLayers}
 * lists them): Xavier/Glorot-uniform weights, `U(-a, a)` with
 * `a = sqrt(6 / (fanIn + fanOut))`, drawn from `mulberry32(seed)` in that
 * order, and zero biases. Same seed, same weights.
 *
 * @param seed The seed of the random numbers.
 * @param width The channel and unit multiplier (1 is the classic net).
 * @returns All `lenetParameterCount(width)` parameters.
 *
 * @example Biases start at zero, weights within their bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialWeights } from "./init.ts";
 * const w = initialWeights(0);
 * assert.equal(w.length, 61_706);
 * assert.equal(w[150], 0); // conv1's bias follows its 5 x 5 x 1 x 6 weights
 * assert.ok(Math.abs(w[0]) <= Math.sqrt(6 / (25 + 150)));
 * ```
 */
export function initialWeights(seed: number, width = 1): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(lenetParameterCount(width));
  let at = 0;
  for (const [, shape, fanIn, fanOut] of lenetLayers(width)) {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const size = shape.reduce((x, y) => x * y, 1);
    for (let k = 0; k < size; k++) out[at++] = (2 * random() - 1) * a;
    at += shape[shape.length - 1]; // the bias, zero
  }
  return out;
}
