/**
 * Inverse-time decay (Keras's `InverseTimeDecay`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readBoolean, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode inverseTime}. */
export interface InverseTimeOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
  /** How fast the rate falls; a finite number >= 0 (0: constant). */
  decayRate: number;
  /** The steps one unit of `decayRate` takes; an integer >= 1. Default 1. */
  decaySteps?: number;
  /** Decay in whole multiples of `decaySteps` (a staircase) instead of smoothly. Default false. */
  staircase?: boolean;
}

/**
 * Keras's `InverseTimeDecay`: with `p = t / decaySteps` (`floor` of it with
 * `staircase`), `lr(t) = baseLr / (1 + decayRate * p)`. The rate falls as
 * 1/t, the step size of the Robbins–Monro conditions (compare
 * {@linkcode sqrt}, which falls as 1/sqrt(t)).
 *
 * @param options `{ baseLr, decayRate, decaySteps = 1, staircase = false }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite `baseLr` or `decayRate`,
 *   or a `decaySteps` that is not an integer >= 1.
 *
 * @example Halved after ten steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { inverseTime } from "./inverse_time.ts";
 * const lr = inverseTime({ baseLr: 0.1, decayRate: 1, decaySteps: 10 });
 * assert.deepEqual([0, 10, 30].map(lr), [0.1, 0.05, 0.025]);
 * const stairs = inverseTime({ baseLr: 0.1, decayRate: 1, decaySteps: 10, staircase: true });
 * assert.deepEqual([0, 9, 10, 19].map(stairs), [0.1, 0.1, 0.05, 0.05]);
 * ```
 */
export function inverseTime(options: InverseTimeOptions): Schedule {
  const name = "inverseTime";
  const o = checkOptionNames(name, options, ["baseLr", "decayRate", "decaySteps", "staircase"]);
  const baseLr = readRate(name, o, "baseLr");
  const decayRate = readNumber(name, o, "decayRate", { min: 0 });
  const decaySteps = readNumber(name, o, "decaySteps", { integer: true, min: 1 }, 1);
  const staircase = readBoolean(name, o, "staircase", false);
  return guarded(name, (t) => {
    const p = staircase ? Math.floor(t / decaySteps) : t / decaySteps;
    return baseLr / (1 + decayRate * p); // an overflowing denominator gives 0, the limit
  });
}
