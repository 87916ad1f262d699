/**
 * Any function of the step, checked.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkedRates, checkSchedule, checkStep } from "./validate.ts";

/**
 * A schedule from any function of the step (PyTorch's `LambdaLR` on a base
 * of 1, Keras's `LearningRateSchedule.__call__`), with the library's checks
 * around it: each call checks its step (a finite number >= 0) and the rate
 * the function returns (a finite number >= 0), and throws the library's own
 * error, naming the step, instead of passing on NaN, a negative rate or a
 * string. The function is trusted to be pure: the same step, the same rate.
 *
 * @param rate The function; given a valid step, it returns the rate.
 * @returns The checked schedule.
 * @throws {TypeError} When `rate` is not a function; and, from the schedule
 *   made, when a step or a rate is not a number.
 * @throws {RangeError} From the schedule made, when a step or a rate is NaN,
 *   infinite or negative (`custom: rate(3) returned -0.5; a rate must be a
 *   finite number >= 0`).
 *
 * @example An inverse square root after a warmup (the Transformer's)
 * ```ts
 * import assert from "node:assert/strict";
 * import { custom } from "./custom.ts";
 * const d = 512, w = 4000;
 * const lr = custom((t) => d ** -0.5 * Math.min((t + 1) ** -0.5, (t + 1) * w ** -1.5));
 * assert.ok(lr(w - 1) > lr(0) && lr(w - 1) > lr(10 * w));
 * assert.throws(() => custom((t) => 1 - t)(2), { name: "RangeError", message: /custom: rate\(2\) returned -1/ });
 * ```
 */
export function custom(rate: (step: number) => number): Schedule {
  const name = "custom";
  const checked = checkedRates(name, "rate", checkSchedule(name, "rate", rate));
  return (step: number): number => checked(checkStep(name, step));
}
