/**
 * The arithmetic the closed forms share, written so that a curve between two
 * finite rates stays finite: `a + (b - a) * t / n` overflows when `(b - a) * t`
 * passes `Number.MAX_VALUE` (a ramp to 1e300 over 1e9 steps, at step 5e8),
 * and `(b - a) * (1 + cos x) / 2` does when `b - a` passes half of it. Both
 * are computed as written, so that every ordinary rate keeps its last bit, and
 * only an overflow is redone in the order that cannot overflow. Not part of
 * the public API.
 *
 * @module
 */

/**
 * The straight line from `from` (at 0) to `to` (at `n`), at `t`:
 * `from + (to - from) * t / n`.
 *
 * @param from The value at 0.
 * @param to The value at `n`.
 * @param t Where, usually in [0, n].
 * @param n The length, > 0.
 * @returns The value; finite whenever `from`, `to` and `t / n` are and `t <= n`.
 *
 * @example A ramp that would overflow as written
 * ```ts
 * import assert from "node:assert/strict";
 * import { ramp } from "./_math.ts";
 * assert.equal(ramp(0, 1, 1, 4), 0.25);
 * assert.equal(ramp(0, 1e300, 5e8, 1e9), 5e299);
 * ```
 */
export function ramp(from: number, to: number, t: number, n: number): number {
  const value = from + (to - from) * t / n;
  return Number.isFinite(value) ? value : from + (to - from) * (t / n);
}

/**
 * Half a cosine from `high` (phase 0) down to `low` (phase pi):
 * `low + (high - low) * (1 + cos(phase)) / 2`.
 *
 * @param low The value at phase pi.
 * @param high The value at phase 0.
 * @param phase The phase, in radians.
 * @returns The value, between `low` and `high`.
 *
 * @example Near the largest double
 * ```ts
 * import assert from "node:assert/strict";
 * import { halfCosine } from "./_math.ts";
 * assert.equal(halfCosine(0.1, 0.3, 0), 0.3);
 * assert.equal(halfCosine(0.1, 0.3, Math.PI), 0.1);
 * assert.equal(halfCosine(0, 1e308, 0), 1e308);
 * ```
 */
export function halfCosine(low: number, high: number, phase: number): number {
  const value = low + (high - low) * (1 + Math.cos(phase)) / 2;
  return Number.isFinite(value) ? value : low + (high - low) * ((1 + Math.cos(phase)) / 2);
}
