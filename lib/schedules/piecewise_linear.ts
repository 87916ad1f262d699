/**
 * Straight lines between a rate at each boundary (optax's
 * `piecewise_interpolate_schedule("linear", ...)`, NumPy's `interp`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { ramp } from "./_math.ts";
import {
  checkOptionNames,
  countAtOrBelow,
  guarded,
  quote,
  readRates,
  readSteps,
} from "./validate.ts";

/** Options of {@linkcode piecewiseLinear}. */
export interface PiecewiseLinearOptions {
  /** The steps the values belong to: integers >= 0, strictly increasing, at least one. */
  boundaries: readonly number[];
  /** The rate at each boundary; as many as the boundaries, each a finite number >= 0. */
  values: readonly number[];
}

/**
 * The rate at each boundary, joined by straight lines: for
 * `boundaries[i] <= t < boundaries[i+1]`,
 * `lr(t) = values[i] + (values[i+1] - values[i]) * (t - boundaries[i]) / (boundaries[i+1] - boundaries[i])`;
 * `values[0]` before the first boundary and the last value after the last.
 * Each call costs O(log(boundaries)).
 *
 * A warmup, a plateau and a linear decay, or a triangle, are each one call:
 * `piecewiseLinear({ boundaries: [0, 5, 50, 100], values: [0, 0.1, 0.1, 0] })`.
 * optax's `piecewise_interpolate_schedule("linear", init, {b: s})` gives its
 * values as running products of scales, reached at each boundary `b`.
 *
 * @param options `{ boundaries, values }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing option, one that is not an array, a hole
 *   or a non-number entry, or an unknown option.
 * @throws {RangeError} For no boundaries, boundaries that are not integers
 *   >= 0 in strictly increasing order, a value that is not a finite number
 *   >= 0, or `values.length !== boundaries.length`.
 *
 * @example Warmup, hold, decay
 * ```ts
 * import assert from "node:assert/strict";
 * import { piecewiseLinear } from "./piecewise_linear.ts";
 * const lr = piecewiseLinear({ boundaries: [0, 5, 50, 100], values: [0, 0.1, 0.1, 0] });
 * assert.deepEqual([0, 1, 5, 30, 75, 100, 200].map(lr), [0, 0.02, 0.1, 0.1, 0.05, 0, 0]);
 * ```
 */
export function piecewiseLinear(options: PiecewiseLinearOptions): Schedule {
  const name = "piecewiseLinear";
  const o = checkOptionNames(name, options, ["boundaries", "values"]);
  const boundaries = readSteps(name, o, "boundaries", 0);
  const values = readRates(name, o, "values");
  if (boundaries.length === 0) {
    throw new RangeError(`${name}: boundaries ([]) must have at least one entry`);
  }
  if (values.length !== boundaries.length) {
    throw new RangeError(
      `${name}: values (${quote(o.values)}) must have as many entries as boundaries ` +
        `(${boundaries.length})`,
    );
  }
  const last = boundaries.length - 1;
  return guarded(name, (t) => {
    const i = countAtOrBelow(boundaries, t) - 1; // boundaries[i] <= t < boundaries[i + 1]
    if (i < 0) return values[0];
    if (i >= last) return values[last];
    const from = boundaries[i];
    return ramp(values[i], values[i + 1], t - from, boundaries[i + 1] - from);
  });
}
