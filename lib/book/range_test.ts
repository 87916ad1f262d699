/**
 * Reading a learning-rate range test: a short run whose rate rises exponentially from update to
 * update, with the loss of every update recorded (`TrainRequest.updateLosses`). The losses are
 * noisy, and a single bad minibatch can spike by orders of magnitude, so they are smoothed by a
 * running median before anything is read off them.
 *
 * - {@linkcode readRangeTest}: the smoothed curve, the rate where it is lowest (the suggested
 *   peak), and the rate where it falls fastest per decade of rate (the other common reading).
 *
 * @module
 */

/** How {@linkcode readRangeTest} smooths and differentiates. */
export interface RangeTestOptions {
  /**
   * The running median's half-width `w`, in updates: the smoothed loss of update `u` is the
   * median of the losses of updates `u − w .. u + w` (those that exist). An integer >= 0;
   * default 10 (0: no smoothing).
   */
  window?: number;
  /**
   * The slope's half-span `h`, in updates: the slope at `u` is taken between updates `u − h`
   * and `u + h`. An integer >= 1; default 5.
   */
  span?: number;
}

/** A point of the smoothed curve that a rule picked. */
export interface RangePoint {
  /** The update (0-based). */
  update: number;
  /** Its rate. */
  rate: number;
  /** The smoothed loss there. */
  loss: number;
}

/** What a range test shows, by the rules of {@linkcode readRangeTest}. */
export interface RangeTestReading {
  /** The rate of each update read. */
  rates: number[];
  /** The loss of each update read, as recorded. */
  losses: number[];
  /** The running median of the losses. */
  smoothed: number[];
  /** The update whose smoothed loss is lowest (the first, on a tie). */
  lowest: RangePoint;
  /**
   * The update, up to {@linkcode RangeTestReading.lowest}, where the smoothed loss falls
   * fastest per decade of rate, with that slope (loss per factor of ten in the rate, negative);
   * `null` when no update up to the lowest has `span` updates on either side, or the curve
   * never falls there.
   */
  steepest: (RangePoint & { slope: number }) | null;
  /** The suggested peak: the rate of {@linkcode RangeTestReading.lowest}, to two significant digits. */
  peak: number;
}

/** `value` if it is an integer >= `min`, else a RangeError naming the option and quoting it. */
function whole(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(
      `readRangeTest: ${name} (${
        JSON.stringify(value) ?? String(value)
      }) must be an integer >= ${min}`,
    );
  }
  return value;
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Read a range test. With `ℓ_u` the loss of update `u` and `η_u` its rate, the smoothed loss is
 * `S_u = median(ℓ_v : |v − u| ≤ w)`; the lowest point is `argmin_u S_u`, and its rate, to two
 * significant digits, is the suggested peak: the largest rate at which the loss still came
 * down before larger ones undid the progress. The steepest point is where
 * `(S_{u+h} − S_{u−h}) / (log10 η_{u+h} − log10 η_{u−h})` is most negative, for `h ≤ u` up to
 * the lowest point. Only the updates that have a loss are read (a run that diverged has fewer
 * than its rates). A range test's valley is steeper on its far side than on its near one, and
 * there the median's lowest point comes a little before the raw curve's: the rule errs towards
 * the smaller rate.
 *
 * @param rates The rate of every update of the sweep, each a finite number > 0.
 * @param losses The loss of each update, from the first, each finite: at least one and at most
 *   as many as `rates`.
 * @param options The smoothing's half-width and the slope's half-span.
 * @returns The curve and what it shows.
 * @throws {RangeError} naming the argument and quoting the value: no losses, more losses than
 *   rates, a loss that is not finite, a rate that is not finite or not above 0, a half-width or
 *   half-span that is not a whole number in range.
 *
 * @example A valley whose bottom is at 0.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRangeTest } from "./range_test.ts";
 * const rates = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
 * const losses = [2.3, 2.2, 2.0, 1.2, 0.9, 1.5, 2.3];
 * const r = readRangeTest(rates, losses, { window: 0, span: 1 });
 * assert.equal(r.lowest.rate, 0.1);
 * assert.equal(r.peak, 0.1);
 * assert.equal(r.steepest!.rate, 0.03); // from 2.0 at 0.01 to 0.9 at 0.1: −1.1 per decade
 * ```
 *
 * @example A spike does not move the median
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRangeTest } from "./range_test.ts";
 * const rates = [1, 2, 3, 4, 5].map((k) => 0.01 * k);
 * const r = readRangeTest(rates, [2, 1.8, 1e6, 1.4, 1.3], { window: 1 });
 * assert.deepEqual(r.smoothed, [1.9, 2, 1.8, 1.4, 1.35]);
 * assert.equal(r.peak, 0.05);
 * ```
 */
export function readRangeTest(
  rates: readonly number[],
  losses: readonly number[],
  options: RangeTestOptions = {},
): RangeTestReading {
  const w = whole("window", options.window ?? 10, 0);
  const h = whole("span", options.span ?? 5, 1);
  const n = losses.length;
  if (n === 0) throw new RangeError("readRangeTest: losses ([]) must hold at least one loss");
  if (n > rates.length) {
    throw new RangeError(
      `readRangeTest: losses (${n} of them) must be no more than rates (${rates.length})`,
    );
  }
  losses.forEach((l, u) => {
    if (typeof l !== "number" || !Number.isFinite(l)) {
      throw new RangeError(`readRangeTest: losses[${u}] (${l}) must be a finite number`);
    }
  });
  const read = rates.slice(0, n);
  read.forEach((r, u) => {
    if (typeof r !== "number" || !Number.isFinite(r) || !(r > 0)) {
      throw new RangeError(`readRangeTest: rates[${u}] (${r}) must be a finite number > 0`);
    }
  });
  const smoothed = losses.map((_, u) => median(losses.slice(Math.max(0, u - w), u + w + 1)));
  let low = 0;
  smoothed.forEach((s, u) => {
    if (s < smoothed[low]) low = u;
  });
  let steepest: RangeTestReading["steepest"] = null;
  for (let u = h; u <= low && u + h < n; u++) {
    const run = Math.log10(read[u + h]) - Math.log10(read[u - h]);
    if (!(run > 0)) continue; // the rate did not rise over this stretch: no slope to read
    const slope = (smoothed[u + h] - smoothed[u - h]) / run;
    if (slope < 0 && (steepest === null || slope < steepest.slope)) {
      steepest = { update: u, rate: read[u], loss: smoothed[u], slope };
    }
  }
  const lowest = { update: low, rate: read[low], loss: smoothed[low] };
  return {
    rates: read,
    losses: [...losses],
    smoothed,
    lowest,
    steepest,
    peak: Number(lowest.rate.toPrecision(2)),
  };
}
