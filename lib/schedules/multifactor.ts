/**
 * Decay at chosen milestones (PyTorch's `MultiStepLR`, the chapter's
 * `MultiFactorScheduler`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import {
  checkOptionNames,
  countAtOrBelow,
  guarded,
  readNumber,
  readRate,
  readSteps,
} from "./validate.ts";

/** Options of {@linkcode multifactor}. */
export interface MultifactorOptions {
  /** The rate before the first milestone; a finite number >= 0. */
  baseLr: number;
  /** The steps at which the rate is multiplied by `factor`: integers >= 0, strictly increasing. */
  milestones: readonly number[];
  /**
   * The factor applied at each milestone; a finite number > 0 (usually below 1;
   * above 1 the rate steps up). Default 0.1 (PyTorch's `gamma`).
   */
  factor?: number;
}

/**
 * Piecewise-constant decay at milestones:
 * `lr(t) = baseLr * factor^(number of milestones m with m <= t)`.
 * The decay applies from the milestone itself on: with milestones `[15, 30]`,
 * `lr(14) = baseLr` and `lr(15) = baseLr * factor`. Each call costs
 * O(log(milestones)), independent of `t`.
 *
 * @param options `{ baseLr, milestones, factor = 0.1 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, `milestones` not an
 *   array, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, a `factor` that is
 *   not a finite number > 0 (or one that takes the last level past the
 *   largest number), or milestones that are negative, non-integer, unsorted
 *   or repeated.
 *
 * @example The chapter's milestones
 * ```ts
 * import assert from "node:assert/strict";
 * import { multifactor } from "./multifactor.ts";
 * const lr = multifactor({ baseLr: 0.5, milestones: [15, 30], factor: 0.5 });
 * assert.deepEqual([0, 14, 15, 29, 30, 59].map(lr), [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
 * ```
 */
export function multifactor(options: MultifactorOptions): Schedule {
  const o = checkOptionNames("multifactor", options, ["baseLr", "milestones", "factor"]);
  const baseLr = readRate("multifactor", o, "baseLr");
  const milestones = readSteps("multifactor", o, "milestones", 0);
  const f = readNumber("multifactor", o, "factor", { above: 0 }, 0.1);
  const last = baseLr * f ** milestones.length;
  if (!(f ** milestones.length <= Number.MAX_VALUE && last <= Number.MAX_VALUE)) {
    throw new RangeError(
      `multifactor: factor (${f}) at ${milestones.length} milestones takes baseLr (${baseLr}) ` +
        `past the largest number`,
    );
  }
  return guarded("multifactor", (t) => baseLr * f ** countAtOrBelow(milestones, t));
}
