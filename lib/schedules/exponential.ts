/**
 * Exponential decay (PyTorch's `ExponentialLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode exponential}. */
export interface ExponentialOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
  /** The decay per step, in (0, 1]. */
  gamma: number;
}

/**
 * Exponential decay, PyTorch's `ExponentialLR`: `lr(t) = baseLr * gamma^t`.
 * (The same curve as {@linkcode factor} without a floor.)
 *
 * @param options `{ baseLr, gamma }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, or a `gamma` outside (0, 1].
 *
 * @example Ten percent less each step
 * ```ts
 * import assert from "node:assert/strict";
 * import { exponential } from "./exponential.ts";
 * const lr = exponential({ baseLr: 0.1, gamma: 0.9 });
 * assert.equal(lr(0), 0.1);
 * assert.ok(Math.abs(lr(2) - 0.081) < 1e-15);
 * ```
 */
export function exponential(options: ExponentialOptions): Schedule {
  const o = checkOptionNames("exponential", options, ["baseLr", "gamma"]);
  const baseLr = readRate("exponential", o, "baseLr");
  const gamma = readNumber("exponential", o, "gamma", { above: 0, max: 1 });
  return guarded("exponential", (t) => baseLr * gamma ** t);
}
