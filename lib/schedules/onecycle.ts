/**
 * The one-cycle policy (PyTorch's `OneCycleLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { halfCosine } from "./_math.ts";
import {
  checkOptionNames,
  guarded,
  readBoolean,
  readChoice,
  readNumber,
  readRate,
} from "./validate.ts";

/** Options of {@linkcode onecycle}. */
export interface OnecycleOptions {
  /** The peak rate; a finite number >= 0. */
  maxLr: number;
  /** The length of the cycle, in steps; an integer >= 2. */
  totalSteps: number;
  /** The fraction of the cycle spent rising, in (0, 1). Default 0.3. */
  pctStart?: number;
  /** The starting rate is `maxLr / divFactor`; a finite number >= 1. Default 25. */
  divFactor?: number;
  /** The final rate is `maxLr / divFactor / finalDivFactor`; a finite number >= 1. Default 1e4. */
  finalDivFactor?: number;
  /** The shape of each phase: `"cos"` (default) or `"linear"`. */
  anneal?: "cos" | "linear";
  /**
   * Three phases (up to `maxLr`, back down to the starting rate, then down to
   * the final rate) instead of two (up, then down to the final rate). Default false.
   */
  threePhase?: boolean;
}

/**
 * PyTorch's `OneCycleLR` (Smith and Topin's "super-convergence" policy). With
 * `T = totalSteps`, `p = pctStart`, `a = maxLr / divFactor` and
 * `m = a / finalDivFactor`, the rate moves through phases that end at steps
 *
 * - two phases: `p*T - 1` (rising `a -> maxLr`), then `T - 1` (falling `maxLr -> m`);
 * - `threePhase`: `p*T - 1` (`a -> maxLr`), `2*p*T - 2` (`maxLr -> a`), `T - 1` (`a -> m`).
 *
 * Inside a phase from step `s0` (rate `r0`) to step `s1` (rate `r1`), with
 * `x = (t - s0) / (s1 - s0)`: `lr = r1 + (r0 - r1) * (1 + cos(pi * x)) / 2`
 * (`anneal: "cos"`) or `lr = r0 + (r1 - r0) * x` (`"linear"`). After
 * `T - 1` the rate stays at `m` (PyTorch extrapolates one step further, then raises).
 * Momentum cycling is not part of a rate schedule.
 *
 * @param options `{ maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4, anneal = "cos", threePhase = false }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a non-finite or negative `maxLr`, a `totalSteps`
 *   that is not an integer >= 2, a `pctStart` outside (0, 1) or leaving a
 *   phase with no steps, a `divFactor` or `finalDivFactor` below 1, or an
 *   unknown `anneal`.
 *
 * @example PyTorch's defaults over 100 steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { onecycle } from "./onecycle.ts";
 * const lr = onecycle({ maxLr: 1, totalSteps: 100 });
 * assert.ok(Math.abs(lr(0) - 1 / 25) < 1e-15);
 * assert.equal(lr(29), 1); // the peak, at pctStart * totalSteps - 1
 * assert.ok(Math.abs(lr(99) - 1 / 25 / 1e4) < 1e-18);
 * ```
 */
export function onecycle(options: OnecycleOptions): Schedule {
  const name = "onecycle";
  const o = checkOptionNames(name, options, [
    "maxLr",
    "totalSteps",
    "pctStart",
    "divFactor",
    "finalDivFactor",
    "anneal",
    "threePhase",
  ]);
  const maxLr = readRate(name, o, "maxLr");
  const totalSteps = readNumber(name, o, "totalSteps", { integer: true, min: 2 });
  const pctStart = readNumber(name, o, "pctStart", { above: 0, below: 1 }, 0.3);
  const divFactor = readNumber(name, o, "divFactor", { min: 1 }, 25);
  const finalDivFactor = readNumber(name, o, "finalDivFactor", { min: 1 }, 1e4);
  const anneal = readChoice(name, o, "anneal", ["cos", "linear"] as const, "cos");
  const threePhase = readBoolean(name, o, "threePhase", false);

  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const rise = pctStart * totalSteps - 1;
  if (!(rise > 0)) {
    throw new RangeError(
      `${name}: pctStart (${pctStart}) * totalSteps (${totalSteps}) must be > 1, ` +
        `or the rising phase has no steps`,
    );
  }
  const phases: { end: number; from: number; to: number }[] = threePhase
    ? [
      { end: rise, from: initialLr, to: maxLr },
      { end: 2 * pctStart * totalSteps - 2, from: maxLr, to: initialLr },
      { end: totalSteps - 1, from: initialLr, to: minLr },
    ]
    : [
      { end: rise, from: initialLr, to: maxLr },
      { end: totalSteps - 1, from: maxLr, to: minLr },
    ];
  for (let i = 1; i < phases.length; i++) {
    if (!(phases[i].end > phases[i - 1].end)) {
      throw new RangeError(
        `${name}: pctStart (${pctStart}) leaves phase ${i + 1} of ${phases.length} ` +
          `with no steps for totalSteps (${totalSteps})`,
      );
    }
  }
  const shape = anneal === "cos"
    ? (from: number, to: number, x: number) => halfCosine(to, from, Math.PI * x)
    : (from: number, to: number, x: number) => from + (to - from) * x;
  return guarded(name, (t) => {
    if (t > totalSteps - 1) return minLr;
    let start = 0;
    for (const phase of phases) {
      if (t <= phase.end) return shape(phase.from, phase.to, (t - start) / (phase.end - start));
      start = phase.end;
    }
    return minLr; // not reached: the last phase ends at totalSteps - 1
  });
}
