/**
 * A value per interval between boundaries (Keras's `PiecewiseConstantDecay`,
 * optax's `piecewise_constant_schedule`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import {
  checkOptionNames,
  countAtOrBelow,
  guarded,
  quote,
  readRates,
  readSteps,
} from "./validate.ts";

/** Options of {@linkcode piecewiseConstant}. */
export interface PiecewiseConstantOptions {
  /** The steps at which the rate changes: integers >= 1, strictly increasing. */
  boundaries: readonly number[];
  /** The rates: `values[0]` before `boundaries[0]`, `values[i]` from `boundaries[i-1]`; one more than the boundaries, each a finite number >= 0. */
  values: readonly number[];
}

/**
 * A rate per interval: `lr(t) = values[i]` for `boundaries[i-1] <= t < boundaries[i]`
 * (with `values[0]` before the first boundary and the last value after the
 * last one), so `i` is the number of boundaries at or below `t`. Each call
 * costs O(log(boundaries)).
 *
 * A boundary takes effect at its own step, as milestones do in
 * {@linkcode multifactor} and PyTorch: Keras's
 * `PiecewiseConstantDecay(boundaries=[b], values)` keeps `values[0]` at step
 * `b` itself and changes after it, which is `boundaries: [b + 1]` here.
 * optax's `piecewise_constant_schedule(init, {b: s})` multiplies by scales:
 * its values are the running products `init`, `init * s`, ...
 *
 * @param options `{ boundaries, values }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing option, one that is not an array, a hole
 *   or a non-number entry, or an unknown option.
 * @throws {RangeError} For boundaries that are not integers >= 1 in strictly
 *   increasing order, a value that is not a finite number >= 0, or
 *   `values.length !== boundaries.length + 1`.
 *
 * @example Three levels
 * ```ts
 * import assert from "node:assert/strict";
 * import { piecewiseConstant } from "./piecewise_constant.ts";
 * const lr = piecewiseConstant({ boundaries: [10, 20], values: [0.1, 0.05, 0.001] });
 * assert.deepEqual([0, 9, 10, 19, 20, 1000].map(lr), [0.1, 0.1, 0.05, 0.05, 0.001, 0.001]);
 * ```
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const name = "piecewiseConstant";
  const o = checkOptionNames(name, options, ["boundaries", "values"]);
  const boundaries = readSteps(name, o, "boundaries", 1);
  const values = readRates(name, o, "values");
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(
      `${name}: values (${quote(o.values)}) must have one entry more than boundaries ` +
        `(${boundaries.length})`,
    );
  }
  return guarded(name, (t) => values[countAtOrBelow(boundaries, t)]);
}
