/**
 * Cosine annealing with warm restarts (SGDR; PyTorch's
 * `CosineAnnealingWarmRestarts`, with timm's peak decay and cycle limit).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { halfCosine } from "./_math.ts";
import { checkOptionNames, guarded, own, readNumber, readRate } from "./validate.ts";

/** Options of {@linkcode sgdr}. */
export interface SgdrOptions {
  /** The rate at the start of the first cycle; a finite number >= 0. */
  baseLr: number;
  /** The rate each cycle decays towards (PyTorch's `eta_min`); in [0, baseLr]. Default 0. */
  finalLr?: number;
  /** The length of the first cycle; an integer >= 1. */
  t0: number;
  /**
   * Each cycle is `tMult` times longer than the one before; a finite number
   * >= 1, not necessarily an integer. Default 1.
   */
  tMult?: number;
  /**
   * Each restart's peak is `peakDecay` times the one before (timm's
   * `cycle_decay`): cycle `i` starts at `baseLr * peakDecay^i`; in (0, 1].
   * Default 1.
   */
  peakDecay?: number;
  /**
   * How many cycles run (timm's `cycle_limit`); after the last one the rate
   * stays at `finalLr`. An integer >= 1; default: no limit.
   */
  cycles?: number;
}

const TWO_53 = 2 ** 53;

/**
 * Cosine decay that restarts at the end of each cycle. Cycle `i` (from 0)
 * lasts `Ti = t0 * tMult^i` steps and starts at step
 * `Si = t0 * (tMult^i - 1) / (tMult - 1)` (`Si = i * t0` when `tMult = 1`),
 * and peaks at `Pi = baseLr * peakDecay^i`; for `Si <= t < Si + Ti`:
 * `lr(t) = finalLr + (Pi - finalLr) * (1 + cos(pi * (t - Si) / Ti)) / 2`,
 * and `lr(t) = finalLr` from the start of cycle `cycles` on.
 *
 * The cycle holding `t` is found in closed form (a logarithm), so each call
 * is O(1); when `t0` and `tMult` are integers the cycle starts are integers
 * and are compared with `t` exactly, in `BigInt` where they pass 2^53, so a
 * restart is never misplaced (`sgdr({ baseLr: 1, t0: 1, tMult: 100 })` is
 * back at 1 at its ninth restart, step 101010101010101). With a real `tMult`
 * the cycle lengths are real too, and a restart falls on the first step at
 * or after `Si`, as PyTorch's own stepping gives (its constructor takes only
 * integers). A `peakDecay` can take a peak below `finalLr`: the curve then
 * rises from that peak to `finalLr`, as timm's does.
 *
 * @param options `{ baseLr, finalLr = 0, t0, tMult = 1, peakDecay = 1, cycles }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number option, or an unknown option.
 * @throws {RangeError} For a negative or non-finite rate, `finalLr > baseLr`,
 *   a `t0` or `cycles` that is not an integer >= 1, a `tMult` that is not a
 *   finite number >= 1, or a `peakDecay` outside (0, 1].
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
 *
 * @example Halving peaks, three cycles, 1.5 times longer each
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgdr } from "./sgdr.ts";
 * const lr = sgdr({ baseLr: 1, finalLr: 0.01, t0: 4, tMult: 1.5, peakDecay: 0.5, cycles: 3 });
 * assert.deepEqual([0, 4, 10, 19, 100].map(lr), [1, 0.5, 0.25, 0.01, 0.01]); // cycles of 4, 6, 9
 * ```
 */
export function sgdr(options: SgdrOptions): Schedule {
  const name = "sgdr";
  const o = checkOptionNames(name, options, [
    "baseLr",
    "finalLr",
    "t0",
    "tMult",
    "peakDecay",
    "cycles",
  ]);
  const baseLr = readRate(name, o, "baseLr");
  const finalLr = readRate(name, o, "finalLr", 0);
  const t0 = readNumber(name, o, "t0", { integer: true, min: 1 });
  const tMult = readNumber(name, o, "tMult", { min: 1 }, 1);
  const peakDecay = readNumber(name, o, "peakDecay", { above: 0, max: 1 }, 1);
  const cycles = own(o, "cycles") === undefined
    ? Infinity
    : readNumber(name, o, "cycles", { integer: true, min: 1 });
  if (finalLr > baseLr) {
    throw new RangeError(`${name}: finalLr (${finalLr}) must be <= baseLr (${baseLr})`);
  }
  const locate = tMult === 1
    ? equalCycles(t0)
    : Number.isInteger(tMult)
    ? integerCycles(t0, tMult)
    : realCycles(t0, tMult);
  return guarded(name, (t) => {
    const { index, phase } = locate(t);
    if (index >= cycles) return finalLr;
    const peak = peakDecay === 1 ? baseLr : baseLr * peakDecay ** index;
    return halfCosine(finalLr, peak, phase);
  });
}

/** Where a step is: its cycle (from 0) and its phase in it, `pi * (t - Si) / Ti`. */
interface Place {
  index: number;
  phase: number;
}

/** Cycles of `t0` steps each: `t % t0` is exact. */
function equalCycles(t0: number): (t: number) => Place {
  return (t) => {
    const into = t % t0;
    return { index: (t - into) / t0, phase: Math.PI * into / t0 };
  };
}

/**
 * The cycle a step falls in from the logarithm: `i = floor(log_m(t (m - 1) / t0 + 1))`,
 * computed without overflow (`t (m - 1)` can pass the largest double).
 */
function estimate(t: number, t0: number, m: number): number {
  const x = t / t0 * (m - 1);
  const log = Number.isFinite(x) ? Math.log1p(x) : Math.log(t / t0) + Math.log(m - 1);
  return Math.max(0, Math.floor(log / Math.log(m)));
}

/**
 * Integer cycle growth: the starts `Si = t0 (m^i - 1) / (m - 1)` are integers.
 * While `t0 * m^(i+1)` stays below 2^53 they are computed (exactly) in
 * doubles, as PyTorch writes them; past it, in BigInt, so that the step is
 * placed exactly even where `m^i` itself is not a double any more.
 */
function integerCycles(t0: number, m: number): (t: number) => Place {
  const startOf = (i: number) => t0 * (m ** i - 1) / (m - 1);
  const bigT0 = BigInt(t0), bigM = BigInt(m);
  const bigStart = (i: number) => bigT0 * (bigM ** BigInt(i) - 1n) / (bigM - 1n);
  return (t) => {
    let i = estimate(t, t0, m);
    if (t0 * m ** (i + 2) < TWO_53) {
      // The logarithm may land one cycle off at a boundary; correct it.
      if (startOf(i) > t) i -= 1;
      else if (startOf(i + 1) <= t) i += 1;
      return { index: i, phase: Math.PI * (t - startOf(i)) / (t0 * m ** i) };
    }
    const whole = BigInt(Math.floor(t)); // every start is an integer: S <= t iff S <= floor(t)
    while (i > 0 && bigStart(i) > whole) i -= 1;
    while (bigStart(i + 1) <= whole) i += 1;
    const start = bigStart(i);
    const into = start <= BigInt(TWO_53) ? t - Number(start) : Number(whole - start) + (t % 1);
    return { index: i, phase: Math.PI * Math.min(1, into / (t0 * m ** i)) };
  };
}

/** Real cycle growth: the starts are real, computed as written and, where `m^i` overflows, in logarithms. */
function realCycles(t0: number, m: number): (t: number) => Place {
  const logM = Math.log(m), logGap = Math.log(m - 1), logT0 = Math.log(t0);
  const startOf = (i: number) => {
    const power = m ** i;
    return Number.isFinite(power)
      ? t0 * (power - 1) / (m - 1)
      : Math.exp(logT0 + i * logM - logGap);
  };
  return (t) => {
    let i = estimate(t, t0, m);
    if (i < TWO_53 / 4) {
      // The logarithm may land a cycle or so off near a boundary; correct it (bounded).
      for (let k = 0; k < 4 && i > 0 && startOf(i) > t; k++) i -= 1;
      for (let k = 0; k < 4 && startOf(i + 1) <= t; k++) i += 1;
    }
    const into = (t - startOf(i)) / (t0 * m ** i);
    return { index: i, phase: Math.PI * Math.min(1, Math.max(0, into)) };
  };
}
