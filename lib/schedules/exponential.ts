/**
 * Exponential decay (PyTorch's `ExponentialLR`), or bounded exponential
 * growth (a learning-rate range test).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, own, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode exponential}. */
export interface ExponentialOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
  /** The factor per step; a finite number > 0 (> 1 needs `maxLr`). */
  gamma: number;
  /**
   * The cap a growing rate stops at; a finite number >= baseLr. Required when
   * `gamma > 1`, where the rate would otherwise grow past every number.
   */
  maxLr?: number;
}

/**
 * Exponential decay, PyTorch's `ExponentialLR`: `lr(t) = baseLr * gamma^t`,
 * and with a cap, `lr(t) = min(maxLr, baseLr * gamma^t)`.
 *
 * With `gamma < 1` it is the curve of {@linkcode factor} without a floor.
 * With `gamma > 1` it grows, up to `maxLr`: the exponential learning-rate
 * range test (Smith's "LR finder", fastai's `lr_find`), which sweeps from
 * `baseLr` to `maxLr` in `n` steps with `gamma = (maxLr / baseLr)^(1 / n)`.
 *
 * @param options `{ baseLr, gamma, maxLr }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, a `gamma` that is
 *   not a finite number > 0, a `gamma > 1` without `maxLr`, or a `maxLr`
 *   below `baseLr`.
 *
 * @example Ten percent less each step
 * ```ts
 * import assert from "node:assert/strict";
 * import { exponential } from "./exponential.ts";
 * const lr = exponential({ baseLr: 0.1, gamma: 0.9 });
 * assert.equal(lr(0), 0.1);
 * assert.ok(Math.abs(lr(2) - 0.081) < 1e-15);
 * ```
 *
 * @example A range test from 1e-7 to 10 in 100 steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { exponential } from "./exponential.ts";
 * const lr = exponential({ baseLr: 1e-7, gamma: (10 / 1e-7) ** (1 / 100), maxLr: 10 });
 * assert.equal(lr(0), 1e-7);
 * assert.ok(Math.abs(lr(50) / 1e-3 - 1) < 1e-12); // half way, in logarithms
 * assert.equal(lr(1e6), 10);
 * ```
 */
export function exponential(options: ExponentialOptions): Schedule {
  const name = "exponential";
  const o = checkOptionNames(name, options, ["baseLr", "gamma", "maxLr"]);
  const baseLr = readRate(name, o, "baseLr");
  const gamma = readNumber(name, o, "gamma", { above: 0 });
  const capped = own(o, "maxLr") !== undefined;
  const maxLr = capped ? readRate(name, o, "maxLr") : Infinity;
  if (gamma > 1 && !capped) {
    throw new RangeError(
      `${name}: gamma (${gamma}) > 1 needs maxLr, the cap the growing rate stops at`,
    );
  }
  if (maxLr < baseLr) {
    throw new RangeError(`${name}: maxLr (${maxLr}) must be >= baseLr (${baseLr})`);
  }
  if (!capped) return guarded(name, (t) => baseLr * gamma ** t);
  // gamma^t may overflow to Infinity: the cap applies (and 0 stays 0)
  return guarded(name, (t) => {
    const rate = baseLr === 0 ? 0 : baseLr * gamma ** t;
    return rate < maxLr ? rate : maxLr;
  });
}
