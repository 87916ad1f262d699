/**
 * The one type every schedule shares.
 *
 * @module
 */

/**
 * A learning-rate schedule: a pure function from a step count to a rate.
 *
 * `schedule(t)` is the rate used for the update (or epoch) that follows `t`
 * completed ones, so `schedule(0)` is the rate at the start. The same `t`
 * always gives the same rate, whatever was asked before.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Schedule } from "./types.ts";
 * const halfEveryTen: Schedule = (t) => 0.1 * 0.5 ** Math.floor(t / 10);
 * assert(halfEveryTen(10) === 0.05);
 * ```
 */
export type Schedule = (step: number) => number;
