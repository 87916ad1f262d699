/**
 * Step decay (PyTorch's `StepLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode step}. */
export interface StepOptions {
  /** The rate for the first `stepSize` steps; a finite number >= 0. */
  baseLr: number;
  /** How many steps each level lasts; an integer >= 1. */
  stepSize: number;
  /** The decay applied every `stepSize` steps, in (0, 1]. Default 0.1 (PyTorch's). */
  gamma?: number;
}

/**
 * Piecewise-constant decay every `stepSize` steps, PyTorch's `StepLR`:
 * `lr(t) = baseLr * gamma^floor(t / stepSize)`.
 *
 * @param options `{ baseLr, stepSize, gamma = 0.1 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, a non-integer or
 *   zero `stepSize`, or a `gamma` outside (0, 1].
 *
 * @example Halve every ten steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { step } from "./step.ts";
 * const lr = step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 });
 * assert.deepEqual([0, 9, 10, 19, 20].map(lr), [0.1, 0.1, 0.05, 0.05, 0.025]);
 * ```
 */
export function step(options: StepOptions): Schedule {
  const o = checkOptionNames("step", options, ["baseLr", "stepSize", "gamma"]);
  const baseLr = readRate("step", o, "baseLr");
  const stepSize = readNumber("step", o, "stepSize", { integer: true, min: 1 });
  const gamma = readNumber("step", o, "gamma", { above: 0, max: 1 }, 0.1);
  return guarded("step", (t) => baseLr * gamma ** Math.floor(t / stepSize));
}
