/**
 * Schedules multiplied together (PyTorch's `ChainedScheduler`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkSchedules, checkStep, quote } from "./validate.ts";

/**
 * `lr(t) = schedules[0](t) * schedules[1](t) * ...`: one schedule gives the
 * rate, the others factors around 1, each a schedule of its own written for
 * a base of 1. PyTorch's `ChainedScheduler([A, B])` on a base rate `b`, with
 * schedulers whose update multiplies the rate (StepLR, MultiStepLR,
 * ExponentialLR, ConstantLR, LinearLR, PolynomialLR, and CosineAnnealingLR
 * with `eta_min = 0` up to `T_max`), is `multiply([a, b1])` with `a` the
 * first on `b` and `b1` the second on a base of 1. So are Keras's and
 * optax's decays stacked by hand.
 *
 * @param schedules One or more schedules; each rate they return is checked.
 * @returns The product.
 * @throws {TypeError} When `schedules` is not an array, has a hole or an
 *   entry that is not a function.
 * @throws {RangeError} When it is empty; and, from the schedule made, when a
 *   schedule returns a bad rate or the product passes the largest number.
 *
 * @example A cosine that also halves every 20 steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine } from "./cosine.ts";
 * import { multiply } from "./multiply.ts";
 * import { step } from "./step.ts";
 * const lr = multiply([
 *   cosine({ baseLr: 0.1, maxUpdate: 100 }),
 *   step({ baseLr: 1, stepSize: 20, gamma: 0.5 }),
 * ]);
 * assert.equal(lr(0), 0.1);
 * assert.ok(Math.abs(lr(50) - 0.05 * 0.25) < 1e-15);
 * ```
 */
export function multiply(schedules: readonly Schedule[]): Schedule {
  const name = "multiply";
  const parts = checkSchedules(name, schedules);
  if (parts.length === 0) {
    throw new RangeError(`${name}: schedules ([]) must have at least one entry`);
  }
  return (step: number): number => {
    const t = checkStep(name, step);
    const rates = parts.map((part) => part(t));
    if (rates.includes(0)) return 0; // exactly, even beside rates whose product would overflow
    let rate = rates[0];
    for (let i = 1; i < rates.length; i++) rate *= rates[i];
    if (rate > Number.MAX_VALUE) {
      throw new RangeError(
        `${name}: the product at step ${quote(t)} of the schedules' rates ` +
          `(${rates.map(quote).join(", ")}) passes the largest number`,
      );
    }
    return rate;
  };
}
