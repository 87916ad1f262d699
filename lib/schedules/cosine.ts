/**
 * The chapter's cosine schedule (PyTorch's `CosineAnnealingLR` on
 * `[0, maxUpdate]`), with optional linear warmup.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { halfCosine, ramp } from "./_math.ts";
import { checkOptionNames, guarded, readBoolean, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode cosine}. */
export interface CosineOptions {
  /** The rate at the top of the cosine (after any warmup); a finite number >= 0. */
  baseLr: number;
  /** The rate reached at `maxUpdate` and held after it; in [0, baseLr]. Default 0. */
  finalLr?: number;
  /** The step at which the cosine reaches `finalLr`; an integer >= 1. */
  maxUpdate: number;
  /** Steps of linear warmup, counted inside `maxUpdate`; an integer in [0, maxUpdate]. Default 0. */
  warmupSteps?: number;
  /** The rate at step 0 when warming up; a finite number >= 0. Default 0. */
  warmupBeginLr?: number;
  /**
   * Keep following the cosine after `maxUpdate` (back up to `baseLr` at
   * `2 * maxUpdate - warmupSteps`, and so on) instead of holding `finalLr`.
   * That is what PyTorch's `CosineAnnealingLR` does when stepped past `T_max`.
   * Default false.
   */
  periodic?: boolean;
}

/**
 * Cosine decay from `baseLr` to `finalLr`, the chapter's `CosineScheduler`.
 * With `w = warmupSteps` and `T = maxUpdate`:
 *
 * - `t < w`: `lr(t) = warmupBeginLr + (baseLr - warmupBeginLr) * t / w` (linear warmup);
 * - `w <= t <= T`: `lr(t) = finalLr + (baseLr - finalLr) * (1 + cos(pi * (t - w) / (T - w))) / 2`;
 * - `t > T`: `lr(t) = finalLr` (or the same cosine formula when `periodic`).
 *
 * The warmup is counted inside `maxUpdate`, as in the chapter, so the curve
 * reaches `finalLr` at `maxUpdate` whatever the warmup. When `warmupSteps ===
 * maxUpdate` there is no decay phase: the rate drops to `finalLr` at `T`.
 * The same curve is `warmup(cosine({ baseLr, finalLr, maxUpdate: T - w }),
 * { steps: w, beginLr: warmupBeginLr })`.
 *
 * @param options `{ baseLr, finalLr = 0, maxUpdate, warmupSteps = 0, warmupBeginLr = 0, periodic = false }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a non-finite or negative rate, `finalLr > baseLr`,
 *   a non-integer or zero `maxUpdate`, a non-integer or negative
 *   `warmupSteps`, or `warmupSteps > maxUpdate`.
 *
 * @example The chapter's curve
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine } from "./cosine.ts";
 * const lr = cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 });
 * assert.equal(lr(0), 0.3);
 * assert.ok(Math.abs(lr(10) - 0.155) < 1e-12); // half way down
 * assert.equal(lr(20), 0.01);
 * assert.equal(lr(50), 0.01);
 * ```
 *
 * @example With warmup
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine } from "./cosine.ts";
 * const lr = cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 });
 * assert.deepEqual([0, 1, 5].map(lr).map((x) => +x.toFixed(12)), [0, 0.06, 0.3]);
 * assert.equal(lr(20), 0.01);
 * ```
 */
export function cosine(options: CosineOptions): Schedule {
  const name = "cosine";
  const o = checkOptionNames(name, options, [
    "baseLr",
    "finalLr",
    "maxUpdate",
    "warmupSteps",
    "warmupBeginLr",
    "periodic",
  ]);
  const baseLr = readRate(name, o, "baseLr");
  const finalLr = readRate(name, o, "finalLr", 0);
  const maxUpdate = readNumber(name, o, "maxUpdate", { integer: true, min: 1 });
  const warmupSteps = readNumber(name, o, "warmupSteps", { integer: true, min: 0 }, 0);
  const warmupBeginLr = readRate(name, o, "warmupBeginLr", 0);
  const periodic = readBoolean(name, o, "periodic", false);
  if (finalLr > baseLr) {
    throw new RangeError(`${name}: finalLr (${finalLr}) must be <= baseLr (${baseLr})`);
  }
  if (warmupSteps > maxUpdate) {
    throw new RangeError(
      `${name}: warmupSteps (${warmupSteps}) must be <= maxUpdate (${maxUpdate})`,
    );
  }
  const decaySteps = maxUpdate - warmupSteps;
  return guarded(name, (t) => {
    if (t < warmupSteps) return ramp(warmupBeginLr, baseLr, t, warmupSteps);
    if (decaySteps === 0 || (t > maxUpdate && !periodic)) return finalLr;
    const phase = Math.PI * (t - warmupSteps) / decaySteps;
    // past about 5.7e307 steps pi * t overflows: take the step modulo a whole period
    // first (exactly, by %), and divide before multiplying by pi
    return halfCosine(
      finalLr,
      baseLr,
      Number.isFinite(phase)
        ? phase
        : Math.PI * (((t - warmupSteps) % (2 * decaySteps)) / decaySteps),
    );
  });
}
