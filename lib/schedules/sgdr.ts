/**
 * Cosine annealing with warm restarts (SGDR; PyTorch's
 * `CosineAnnealingWarmRestarts`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode sgdr}. */
export interface SgdrOptions {
  /** The rate at the start of every cycle; a finite number >= 0. */
  baseLr: number;
  /** The rate each cycle decays towards (PyTorch's `eta_min`); in [0, baseLr]. Default 0. */
  finalLr?: number;
  /** The length of the first cycle; an integer >= 1. */
  t0: number;
  /** Each cycle is `tMult` times longer than the one before; an integer >= 1. Default 1. */
  tMult?: number;
}

/**
 * Cosine decay that restarts at `baseLr` at the end of each cycle. Cycle `i`
 * (from 0) lasts `Ti = t0 * tMult^i` steps and starts at step
 * `Si = t0 * (tMult^i - 1) / (tMult - 1)` (`Si = i * t0` when `tMult = 1`); for
 * `Si <= t < Si + Ti`:
 * `lr(t) = finalLr + (baseLr - finalLr) * (1 + cos(pi * (t - Si) / Ti)) / 2`.
 * The cycle holding `t` is found in closed form (a logarithm), so each call is O(1).
 *
 * @param options `{ baseLr, finalLr = 0, t0, tMult = 1 }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, `finalLr > baseLr`,
 *   or a `t0` or `tMult` that is not an integer >= 1.
 *
 * @example Restarts every ten steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgdr } from "./sgdr.ts";
 * const lr = sgdr({ baseLr: 0.1, t0: 10 });
 * assert.equal(lr(0), 0.1);
 * assert.ok(Math.abs(lr(5) - 0.05) < 1e-12);
 * assert.equal(lr(10), 0.1);
 * ```
 *
 * @example Doubling cycles: restarts at 0, 4, 12, 28, ...
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgdr } from "./sgdr.ts";
 * const lr = sgdr({ baseLr: 1, finalLr: 0, t0: 4, tMult: 2 });
 * assert.deepEqual([0, 4, 12, 28].map(lr), [1, 1, 1, 1]);
 * assert.ok(Math.abs(lr(8) - 0.5) < 1e-12); // half way through the 8-step cycle
 * ```
 */
export function sgdr(options: SgdrOptions): Schedule {
  const name = "sgdr";
  const o = checkOptionNames(name, options, ["baseLr", "finalLr", "t0", "tMult"]);
  const baseLr = readRate(name, o, "baseLr");
  const finalLr = readRate(name, o, "finalLr", 0);
  const t0 = readNumber(name, o, "t0", { integer: true, min: 1 });
  const tMult = readNumber(name, o, "tMult", { integer: true, min: 1 }, 1);
  if (finalLr > baseLr) {
    throw new RangeError(`${name}: finalLr (${finalLr}) must be <= baseLr (${baseLr})`);
  }
  const start = (i: number): number => t0 * (tMult ** i - 1) / (tMult - 1);
  return guarded(name, (t) => {
    let cycleStart: number;
    let cycleLength: number;
    if (tMult === 1) {
      cycleStart = Math.floor(t / t0) * t0;
      cycleLength = t0;
    } else {
      let i = Math.floor(Math.log(t * (tMult - 1) / t0 + 1) / Math.log(tMult));
      // The logarithm may land one cycle off at a boundary; correct it.
      if (start(i) > t) i -= 1;
      else if (start(i + 1) <= t) i += 1;
      cycleStart = start(i);
      cycleLength = t0 * tMult ** i;
    }
    const phase = Math.PI * (t - cycleStart) / cycleLength;
    return finalLr + (baseLr - finalLr) * (1 + Math.cos(phase)) / 2;
  });
}
