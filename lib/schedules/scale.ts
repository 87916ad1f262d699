/**
 * A schedule times a constant.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkedRates, checkNumber, checkSchedule, checkStep, quote } from "./validate.ts";

/**
 * `lr(t) = by * schedule(t)`: the same shape at another height, say a
 * recipe's schedule at the rate a larger batch wants (the linear scaling
 * rule), or a schedule written for a peak of 1 (`scale(cosine({ baseLr: 1,
 * maxUpdate }), 0.3)`). optax's `scale` does the same to updates.
 *
 * @param schedule Any schedule; each rate it returns is checked.
 * @param by The factor; a finite number >= 0.
 * @returns The scaled schedule.
 * @throws {TypeError} When `schedule` is not a function or `by` is not a number.
 * @throws {RangeError} When `by` is negative or not finite; and, from the
 *   schedule made, when `schedule` returns a bad rate or the product passes
 *   the largest number.
 *
 * @example Twice the rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { scale } from "./scale.ts";
 * import { step } from "./step.ts";
 * const lr = scale(step({ baseLr: 0.1, stepSize: 10 }), 2);
 * assert.deepEqual([0, 10].map(lr), [0.2, 0.020000000000000004]);
 * ```
 */
export function scale(schedule: Schedule, by: number): Schedule {
  const name = "scale";
  const inner = checkedRates(name, "schedule", checkSchedule(name, "schedule", schedule));
  const factor = checkNumber(name, "by", by, { min: 0 });
  return (step: number): number => {
    const t = checkStep(name, step);
    const rate = factor * inner(t);
    if (rate > Number.MAX_VALUE) {
      throw new RangeError(
        `${name}: by (${quote(factor)}) times the rate at step ${quote(t)} (${
          quote(inner(t))
        }) passes the largest number`,
      );
    }
    return rate;
  };
}
