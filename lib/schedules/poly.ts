/**
 * Polynomial decay (the chapter's exercise; PyTorch's `PolynomialLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode poly}. */
export interface PolyOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
  /** The rate reached at `maxUpdate` and held after it; in [0, baseLr]. Default 0. */
  finalLr?: number;
  /** The step at which `finalLr` is reached; an integer >= 1. */
  maxUpdate: number;
  /** The exponent; a finite number > 0. Default 1 (a straight line). */
  power?: number;
}

/**
 * Polynomial decay:
 * `lr(t) = finalLr + (baseLr - finalLr) * (1 - t / maxUpdate)^power` for
 * `t <= maxUpdate`, then `finalLr`. With `finalLr = 0` it is PyTorch's
 * `PolynomialLR(total_iters = maxUpdate, power)`.
 *
 * @param options `{ baseLr, finalLr = 0, maxUpdate, power = 1 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, `finalLr > baseLr`,
 *   a `maxUpdate` that is not an integer >= 1, or a `power` <= 0.
 *
 * @example Quadratic decay to zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { poly } from "./poly.ts";
 * const lr = poly({ baseLr: 0.1, maxUpdate: 40, power: 2 });
 * assert.equal(lr(0), 0.1);
 * assert.ok(Math.abs(lr(20) - 0.025) < 1e-15);
 * assert.equal(lr(40), 0);
 * ```
 */
export function poly(options: PolyOptions): Schedule {
  const name = "poly";
  const o = checkOptionNames(name, options, ["baseLr", "finalLr", "maxUpdate", "power"]);
  const baseLr = readRate(name, o, "baseLr");
  const finalLr = readRate(name, o, "finalLr", 0);
  const maxUpdate = readNumber(name, o, "maxUpdate", { integer: true, min: 1 });
  const power = readNumber(name, o, "power", { above: 0 }, 1);
  if (finalLr > baseLr) {
    throw new RangeError(`${name}: finalLr (${finalLr}) must be <= baseLr (${baseLr})`);
  }
  return guarded(name, (t) => {
    if (t >= maxUpdate) return finalLr;
    return finalLr + (baseLr - finalLr) * (1 - t / maxUpdate) ** power;
  });
}
