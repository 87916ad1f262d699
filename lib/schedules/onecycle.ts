/**
 * The one-cycle policy (PyTorch's `OneCycleLR`): its rate and its momentum.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { halfCosine } from "./_math.ts";
import {
  checkOptionNames,
  guarded,
  type OptionRecord,
  readBoolean,
  readChoice,
  readMomenta,
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
 * The momentum that PyTorch cycles against the rate is {@linkcode onecycleMomentum}.
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
  const o = checkOptionNames(name, options, OPTION_NAMES);
  const { maxLr, initialLr, minLr, ends, shape, totalSteps } = readCycle(name, o);
  const phases = ends.length === 3
    ? [
      { end: ends[0], from: initialLr, to: maxLr },
      { end: ends[1], from: maxLr, to: initialLr },
      { end: ends[2], from: initialLr, to: minLr },
    ]
    : [
      { end: ends[0], from: initialLr, to: maxLr },
      { end: ends[1], from: maxLr, to: minLr },
    ];
  return guarded(name, (t) => (t > totalSteps - 1 ? minLr : follow(phases, shape, t)));
}

/** Options of {@linkcode onecycleMomentum}: those of {@linkcode onecycle}, and the momentum's two ends. */
export interface OnecycleMomentumOptions extends OnecycleOptions {
  /** The momentum at the peak rate (its lowest); in [0, maxMomentum]. Default 0.85 (PyTorch's). */
  baseMomentum?: number;
  /** The momentum at the start and the end (its highest); in [baseMomentum, 1]. Default 0.95 (PyTorch's). */
  maxMomentum?: number;
}

/**
 * The momentum curve of the one-cycle policy, PyTorch's `OneCycleLR` with
 * `cycle_momentum=True` (its default): the momentum moves against the rate
 * of {@linkcode onecycle} with the same options, phase for phase and in the
 * same shape, from `maxMomentum` down to `baseMomentum` at the peak rate and
 * back up to `maxMomentum` (with `threePhase`, back up by the end of the
 * second phase and held through the third), then held. Smith and Topin's
 * point: a high rate wants a low momentum. For Adam, PyTorch cycles `beta1`
 * this way; give this schedule to the tfjs callback's `beta1`.
 *
 * @param options The options of {@linkcode onecycle}, checked the same way,
 *   and `{ baseMomentum = 0.85, maxMomentum = 0.95 }`.
 * @returns The momentum schedule.
 * @throws {TypeError} As {@linkcode onecycle}, and for a non-number momentum.
 * @throws {RangeError} As {@linkcode onecycle}, and for a momentum outside
 *   [0, 1] or `baseMomentum > maxMomentum`.
 *
 * @example One object for both curves
 * ```ts
 * import assert from "node:assert/strict";
 * import { onecycle, onecycleMomentum } from "./onecycle.ts";
 * const options = { maxLr: 1, totalSteps: 100 };
 * const lr = onecycle(options);
 * const momentum = onecycleMomentum(options);
 * assert.equal(momentum(0), 0.95);
 * assert.equal(lr(29), 1);
 * assert.equal(momentum(29), 0.85); // lowest at the peak rate
 * assert.equal(momentum(99), 0.95);
 * ```
 */
export function onecycleMomentum(options: OnecycleMomentumOptions): Schedule {
  const name = "onecycleMomentum";
  const o = checkOptionNames(name, options, [...OPTION_NAMES, "baseMomentum", "maxMomentum"]);
  const { ends, shape, totalSteps } = readCycle(name, o);
  const { low, high } = readMomenta(name, o, 0.85, 0.95);
  const phases = ends.length === 3
    ? [
      { end: ends[0], from: high, to: low },
      { end: ends[1], from: low, to: high },
      { end: ends[2], from: high, to: high },
    ]
    : [
      { end: ends[0], from: high, to: low },
      { end: ends[1], from: low, to: high },
    ];
  return guarded(name, (t) => (t > totalSteps - 1 ? high : follow(phases, shape, t)));
}

const OPTION_NAMES = [
  "maxLr",
  "totalSteps",
  "pctStart",
  "divFactor",
  "finalDivFactor",
  "anneal",
  "threePhase",
] as const;

type Shape = (from: number, to: number, x: number) => number;

/** The options both curves share, checked: the rates, the phases' last steps, the shape. */
function readCycle(name: string, o: OptionRecord) {
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
  const ends = threePhase
    ? [rise, 2 * pctStart * totalSteps - 2, totalSteps - 1]
    : [rise, totalSteps - 1];
  for (let i = 1; i < ends.length; i++) {
    if (!(ends[i] > ends[i - 1])) {
      throw new RangeError(
        `${name}: pctStart (${pctStart}) leaves phase ${i + 1} of ${ends.length} ` +
          `with no steps for totalSteps (${totalSteps})`,
      );
    }
  }
  const shape: Shape = anneal === "cos"
    ? (from, to, x) => halfCosine(to, from, Math.PI * x)
    : (from, to, x) => from + (to - from) * x;
  return { maxLr, initialLr, minLr, ends, shape, totalSteps };
}

/** The value at step `t <= the last phase's end` of phases that follow one another from step 0. */
function follow(
  phases: readonly { end: number; from: number; to: number }[],
  shape: Shape,
  t: number,
): number {
  let start = 0;
  for (const phase of phases) {
    if (t <= phase.end) return shape(phase.from, phase.to, (t - start) / (phase.end - start));
    start = phase.end;
  }
  return phases[phases.length - 1].to; // not reached: the caller holds the end after it
}
