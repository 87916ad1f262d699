/**
 * Linear interpolation between two rates (PyTorch's `LinearLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { ramp } from "./_math.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode linear}. */
export interface LinearOptions {
  /** The rate at step 0; a finite number >= 0. */
  startLr: number;
  /** The rate reached at `maxUpdate` and held after it; a finite number >= 0 (above or below `startLr`). */
  endLr: number;
  /** The step at which `endLr` is reached; an integer >= 1. */
  maxUpdate: number;
}

/**
 * A straight line from `startLr` to `endLr` over `maxUpdate` steps, then flat:
 * `lr(t) = startLr + (endLr - startLr) * min(t, maxUpdate) / maxUpdate`.
 * Rising (a warmup) or falling. PyTorch's `LinearLR(start_factor, end_factor,
 * total_iters)` on a base rate `b` is `linear({ startLr: b * start_factor,
 * endLr: b * end_factor, maxUpdate: total_iters })`.
 *
 * @param options `{ startLr, endLr, maxUpdate }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, or a `maxUpdate`
 *   that is not an integer >= 1.
 *
 * @example A five-step ramp
 * ```ts
 * import assert from "node:assert/strict";
 * import { linear } from "./linear.ts";
 * const lr = linear({ startLr: 0, endLr: 1, maxUpdate: 5 });
 * assert.deepEqual([0, 1, 5, 9].map(lr), [0, 0.2, 1, 1]);
 * ```
 */
export function linear(options: LinearOptions): Schedule {
  const name = "linear";
  const o = checkOptionNames(name, options, ["startLr", "endLr", "maxUpdate"]);
  const startLr = readRate(name, o, "startLr");
  const endLr = readRate(name, o, "endLr");
  const maxUpdate = readNumber(name, o, "maxUpdate", { integer: true, min: 1 });
  return guarded(name, (t) => {
    if (t >= maxUpdate) return endLr;
    return ramp(startLr, endLr, t, maxUpdate);
  });
}
