/**
 * Cyclical learning rates (PyTorch's `CyclicLR`): the rate and its momentum.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import {
  checkOptionNames,
  guarded,
  type OptionRecord,
  readChoice,
  readMomenta,
  readNumber,
  readRate,
} from "./validate.ts";

/** Options of {@linkcode cyclic}. */
export interface CyclicOptions {
  /** The bottom of each cycle; a finite number >= 0. */
  baseLr: number;
  /** The top of each cycle; a finite number >= baseLr. */
  maxLr: number;
  /** Steps from the bottom to the top; an integer >= 1. Default 2000 (PyTorch's). */
  stepSizeUp?: number;
  /** Steps from the top back to the bottom; an integer >= 1. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /**
   * `"triangular"` (every cycle the same, default), `"triangular2"` (the
   * amplitude halves each cycle) or `"exp_range"` (the amplitude is scaled
   * by `gamma^t`).
   */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** The per-step amplitude decay of `"exp_range"`, in (0, 1]. Default 1. Ignored by the other modes. */
  gamma?: number;
}

/**
 * PyTorch's `CyclicLR` (Smith's triangular policies), in closed form. With
 * `L = stepSizeUp + stepSizeDown`, `r = stepSizeUp / L`,
 * `c = floor(1 + t / L)` (the cycle, from 1) and `x = 1 + t / L - c`:
 * `h = x / r` when `x <= r` (rising), else `h = (x - 1) / (r - 1)` (falling), and
 * `lr(t) = baseLr + (maxLr - baseLr) * h * s`, where the scale `s` is 1
 * (`triangular`), `1 / 2^(c - 1)` (`triangular2`) or `gamma^t` (`exp_range`).
 *
 * @param options `{ baseLr, maxLr, stepSizeUp = 2000, stepSizeDown = stepSizeUp, mode = "triangular", gamma = 1 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, `baseLr > maxLr`,
 *   step sizes that are not integers >= 1, an unknown `mode`, or a `gamma`
 *   outside (0, 1].
 *
 * @example A triangle every ten steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { cyclic } from "./cyclic.ts";
 * const lr = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 });
 * assert.equal(lr(0), 0.01);
 * assert.equal(lr(5), 0.1);
 * assert.ok(Math.abs(lr(10) - 0.01) < 1e-15);
 * ```
 *
 * @example triangular2 halves the amplitude each cycle
 * ```ts
 * import assert from "node:assert/strict";
 * import { cyclic } from "./cyclic.ts";
 * const lr = cyclic({ baseLr: 0, maxLr: 1, stepSizeUp: 5, mode: "triangular2" });
 * assert.deepEqual([5, 15, 25].map(lr), [1, 0.5, 0.25]);
 * ```
 */
export function cyclic(options: CyclicOptions): Schedule {
  const name = "cyclic";
  const o = checkOptionNames(name, options, OPTION_NAMES);
  const { baseLr, maxLr, place } = readCycles(name, o);
  return guarded(name, (t) => {
    const { height, scale } = place(t);
    return baseLr + (maxLr - baseLr) * height * scale;
  });
}

/** Options of {@linkcode cyclicMomentum}: those of {@linkcode cyclic}, and the momentum's two ends. */
export interface CyclicMomentumOptions extends CyclicOptions {
  /** The momentum at the top of each cycle (its lowest); in [0, maxMomentum]. Default 0.8 (PyTorch's). */
  baseMomentum?: number;
  /** The momentum at the bottom of each cycle (its highest); in [baseMomentum, 1]. Default 0.9 (PyTorch's). */
  maxMomentum?: number;
}

/**
 * The momentum curve of cyclical learning rates, PyTorch's `CyclicLR` with
 * `cycle_momentum=True` (its default): it moves against the rate of
 * {@linkcode cyclic} with the same options, with the same triangle and the
 * same scale: `momentum(t) = maxMomentum - (maxMomentum - baseMomentum) * h * s`
 * (`h` and `s` as in {@linkcode cyclic}), so it is `maxMomentum` at the
 * bottom of each cycle and `baseMomentum` at the top of the first.
 *
 * @param options The options of {@linkcode cyclic}, checked the same way,
 *   and `{ baseMomentum = 0.8, maxMomentum = 0.9 }`.
 * @returns The momentum schedule.
 * @throws {TypeError} As {@linkcode cyclic}, and for a non-number momentum.
 * @throws {RangeError} As {@linkcode cyclic}, and for a momentum outside
 *   [0, 1] or `baseMomentum > maxMomentum`.
 *
 * @example Low momentum at the top of each triangle
 * ```ts
 * import assert from "node:assert/strict";
 * import { cyclic, cyclicMomentum } from "./cyclic.ts";
 * const options = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 };
 * const momentum = cyclicMomentum(options);
 * assert.equal(cyclic(options)(5), 0.1);
 * assert.deepEqual([0, 5, 10].map((t) => +momentum(t).toFixed(12)), [0.9, 0.8, 0.9]);
 * ```
 */
export function cyclicMomentum(options: CyclicMomentumOptions): Schedule {
  const name = "cyclicMomentum";
  const o = checkOptionNames(name, options, [...OPTION_NAMES, "baseMomentum", "maxMomentum"]);
  const { place } = readCycles(name, o);
  const { low, high } = readMomenta(name, o, 0.8, 0.9);
  return guarded(name, (t) => {
    const { height, scale } = place(t);
    return high - (high - low) * height * scale;
  });
}

const OPTION_NAMES = [
  "baseLr",
  "maxLr",
  "stepSizeUp",
  "stepSizeDown",
  "mode",
  "gamma",
] as const;

/** The options both curves share, checked, and where a step falls: its height in the triangle and its scale. */
function readCycles(name: string, o: OptionRecord) {
  const baseLr = readRate(name, o, "baseLr");
  const maxLr = readRate(name, o, "maxLr");
  const stepSizeUp = readNumber(name, o, "stepSizeUp", { integer: true, min: 1 }, 2000);
  const stepSizeDown = readNumber(name, o, "stepSizeDown", { integer: true, min: 1 }, stepSizeUp);
  const mode = readChoice(
    name,
    o,
    "mode",
    ["triangular", "triangular2", "exp_range"] as const,
    "triangular",
  );
  const gamma = readNumber(name, o, "gamma", { above: 0, max: 1 }, 1);
  if (baseLr > maxLr) {
    throw new RangeError(`${name}: baseLr (${baseLr}) must be <= maxLr (${maxLr})`);
  }
  // Steps counted in halves where the cycle's length would overflow (both step sizes near
  // the largest number): the same ratios, exactly, and otherwise PyTorch's own arithmetic.
  const unit = Number.isFinite(stepSizeUp + stepSizeDown) ? 1 : 0.5;
  const total = stepSizeUp * unit + stepSizeDown * unit;
  const ratio = stepSizeUp * unit / total;
  const place = (t: number) => {
    const cycle = Math.floor(1 + t * unit / total);
    const x = 1 + t * unit / total - cycle;
    const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    const scale = mode === "triangular"
      ? 1
      : mode === "triangular2"
      ? 1 / 2 ** (cycle - 1)
      : gamma ** t;
    return { height, scale };
  };
  return { baseLr, maxLr, place };
}
