/**
 * The chapter's factor schedule, without its off-by-one.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode factor}. */
export interface FactorOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
  /** The decay per step, in (0, 1]. */
  factor: number;
  /** The floor the rate never goes below; in [0, baseLr]. Default 0. */
  stopFactorLr?: number;
}

/**
 * Multiplicative decay with a floor: `lr(t) = max(stopFactorLr, baseLr * factor^t)`.
 *
 * The chapter's stateful `FactorScheduler` multiplies before it returns, so
 * its first call already gives `baseLr * factor`: its value at call `t` is
 * this schedule's value at `t + 1`. Here `lr(0) = baseLr`, as for every other
 * schedule.
 *
 * @param options `{ baseLr, factor, stopFactorLr = 0 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a non-finite or negative rate, a `factor` outside
 *   (0, 1], or `stopFactorLr > baseLr`.
 *
 * @example Decay to a floor
 * ```ts
 * import assert from "node:assert/strict";
 * import { factor } from "./factor.ts";
 * const lr = factor({ baseLr: 2, factor: 0.5, stopFactorLr: 0.3 });
 * assert.deepEqual([0, 1, 2, 3, 4].map(lr), [2, 1, 0.5, 0.3, 0.3]);
 * ```
 */
export function factor(options: FactorOptions): Schedule {
  const o = checkOptionNames("factor", options, ["baseLr", "factor", "stopFactorLr"]);
  const baseLr = readRate("factor", o, "baseLr");
  const f = readNumber("factor", o, "factor", { above: 0, max: 1 });
  const stop = readRate("factor", o, "stopFactorLr", 0);
  if (stop > baseLr) {
    throw new RangeError(`factor: stopFactorLr (${stop}) must be <= baseLr (${baseLr})`);
  }
  return guarded("factor", (t) => Math.max(stop, baseLr * f ** t));
}
