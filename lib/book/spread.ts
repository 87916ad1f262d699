/**
 * The spread of runs over seeds: how far apart the seeds of one experiment
 * ended, so that a difference between two schedules can be weighed against it.
 *
 * - {@linkcode spreadOf}: mean, sample standard deviation (divided by n − 1),
 *   minimum and maximum of a sample.
 * - {@linkcode groupSpread}: those of a {@linkcode SeedRuns} group's final test
 *   accuracy, best test accuracy and its epoch, final train loss and final
 *   train–test gap.
 * - {@linkcode epochSpreads}: the same epoch by epoch, for the figures' mean
 *   curves and bands.
 * - {@linkcode formatMeanSd}, {@linkcode formatRange}: the one way every number
 *   of a spread is written: accuracies as percentages with two decimals
 *   (`./measure.ts`'s `percent`), their differences and deviations in
 *   percentage points (`points`), losses with four decimals.
 *
 * @module
 */

import type { EpochRecord } from "../train/types.ts";
import { percent, points, summarize } from "./measure.ts";
import { seedsOf } from "./seeds.ts";
import type { SeedRuns } from "./types.ts";

/** Mean, spread and range of a sample. */
export interface Spread {
  /** How many values. */
  n: number;
  /** Their mean. */
  mean: number;
  /** The sample standard deviation (divided by n − 1); `null` for a single value. */
  sd: number | null;
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
  /** The values, in the order given. */
  values: number[];
}

/**
 * The spread of `values`: mean, sample standard deviation (n − 1), min and max.
 * Equal values have a standard deviation of exactly 0.
 *
 * @param values At least one finite number.
 * @returns The spread.
 * @throws {RangeError} for no values or a value that is not finite.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { spreadOf } from "./spread.ts";
 * const s = spreadOf([1, 2, 3, 4]);
 * assert.equal(s.mean, 2.5);
 * assert.ok(Math.abs(s.sd! - Math.sqrt(5 / 3)) < 1e-12); // sum of squares 5, over n − 1 = 3
 * assert.deepEqual([s.min, s.max], [1, 4]);
 * assert.equal(spreadOf([0.7]).sd, null);
 * assert.equal(spreadOf([0.1, 0.1, 0.1]).sd, 0);
 * ```
 */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spreadOf: no values");
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`spreadOf: value ${bad} (${values[bad]}) is not finite`);
  const n = values.length;
  const min = Math.min(...values), max = Math.max(...values);
  if (min === max) return { n, mean: min, sd: n > 1 ? 0 : null, min, max, values: [...values] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(squares / (n - 1)) : null,
    min,
    max,
    values: [...values],
  };
}

/** What a group of runs over seeds came to, each measure as a {@linkcode Spread} over the seeds. */
export interface GroupSpread {
  /** The group's label. */
  label: string;
  /** The seeds, in the group's order (each measure's values follow it). */
  seeds: number[];
  /** The seeds that diverged (their loss became NaN or infinite). */
  diverged: number[];
  /** Test accuracy after each seed's last epoch. */
  finalTestAcc: Spread;
  /** The best test accuracy after any epoch of each seed. */
  bestTestAcc: Spread;
  /** The epoch (1-based) of each seed's best test accuracy (0 for a run with no epoch). */
  bestEpoch: Spread;
  /**
   * The train loss of each seed's last epoch, over the seeds where it is finite
   * (a diverged run's is not): `null` when there is none.
   */
  finalTrainLoss: Spread | null;
  /** Training accuracy of each seed's last epoch. */
  finalTrainAcc: Spread;
  /** Each seed's final training accuracy minus its final test accuracy. */
  gap: Spread;
}

/**
 * The spread over its seeds of what a group's runs came to.
 *
 * @param group The group (at least one run).
 * @returns The spreads, values in the order of the group's runs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupSpread } from "./spread.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const s = groupSpread(fakeGroup("a", [[0.5, 0.8, 0.7], [0.5, 0.6, 0.9]]));
 * assert.deepEqual(s.finalTestAcc.values, [0.7, 0.9]);
 * assert.deepEqual(s.bestEpoch.values, [2, 3]);
 * ```
 */
export function groupSpread(group: SeedRuns): GroupSpread {
  const summaries = group.runs.map(summarize);
  const losses = group.runs.map((r) => r.history.at(-1)?.trainLoss ?? NaN)
    .filter(Number.isFinite);
  const of = (f: (s: (typeof summaries)[number]) => number) => spreadOf(summaries.map(f));
  return {
    label: group.label,
    seeds: seedsOf(group),
    diverged: group.runs.filter((r) => r.divergedAt !== null).map((r) => r.config.seed),
    finalTestAcc: of((s) => s.finalTestAcc),
    bestTestAcc: of((s) => s.peakTestAcc),
    bestEpoch: of((s) => s.peakEpoch),
    finalTrainLoss: losses.length ? spreadOf(losses) : null,
    finalTrainAcc: of((s) => s.finalTrainAcc),
    gap: of((s) => s.gap),
  };
}

/** A per-epoch metric of a run. */
export type EpochMetric = "testAcc" | "trainAcc" | "trainLoss";

/** One epoch of a group: every seed's value and their spread. */
export interface EpochSpread {
  /** The epoch, 1-based. */
  epoch: number;
  /**
   * Each seed's value, in the group's order: `null` where the run has no such
   * epoch (it diverged earlier) or the value is not finite (a diverged loss).
   */
  bySeed: (number | null)[];
  /** The spread of the values there are; `null` when there are none. */
  spread: Spread | null;
}

/**
 * A metric of a group epoch by epoch, from epoch 1 to the longest run's last.
 *
 * @param group The group.
 * @param metric Which metric.
 * @returns One entry per epoch.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochSpreads } from "./spread.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const e = epochSpreads(fakeGroup("a", [[0.5, 0.7], [0.6, 0.9]]), "testAcc");
 * assert.deepEqual(e.map((x) => x.spread!.mean), [0.55, 0.8]);
 * assert.deepEqual(e[1].bySeed, [0.7, 0.9]);
 * ```
 */
export function epochSpreads(group: SeedRuns, metric: EpochMetric): EpochSpread[] {
  const epochs = Math.max(0, ...group.runs.map((r) => r.history.length));
  return Array.from({ length: epochs }, (_, i) => {
    const bySeed = group.runs.map((r) => {
      const e: EpochRecord | undefined = r.history[i];
      return e !== undefined && Number.isFinite(e[metric]) ? e[metric] : null;
    });
    const present = bySeed.filter((v): v is number => v !== null);
    return { epoch: i + 1, bySeed, spread: present.length ? spreadOf(present) : null };
  });
}

/**
 * How a quantity is written: `"accuracy"` a fraction shown as a percentage
 * (its differences and deviations in percentage points), `"points"` a
 * difference of accuracies (a gap, a change), `"loss"` a loss with four
 * decimals, `"epoch"` an epoch count.
 */
export type Scale = "accuracy" | "points" | "loss" | "epoch";

/**
 * A value of a quantity.
 *
 * @param x The value.
 * @param scale How the quantity is written.
 * @returns E.g. `"88.12%"`, `"+4.10 pp"`, `"0.2345"`, `"24"`.
 */
export function formatValue(x: number, scale: Scale): string {
  switch (scale) {
    case "accuracy":
      return percent(x);
    case "points":
      return points(x, true);
    case "loss":
      return x.toFixed(4);
    case "epoch":
      return Number.isInteger(x) ? String(x) : x.toFixed(1);
  }
}

/**
 * A difference or deviation of a quantity, without sign: in percentage points
 * for accuracies and gaps.
 *
 * @param x The size (its absolute value is shown).
 * @param scale How the quantity is written.
 * @returns E.g. `"0.31 pp"`, `"0.0123"`, `"3.1"`.
 */
export function formatSize(x: number, scale: Scale): string {
  switch (scale) {
    case "accuracy":
    case "points":
      return points(Math.abs(x));
    case "loss":
      return Math.abs(x).toFixed(4);
    case "epoch":
      return Math.abs(x).toFixed(1);
  }
}

/**
 * A quantity and its ± companion in one unit: `"1.74 ± 0.31 pp"`,
 * `"0.2345 ± 0.0123"`. The first number is written without sign.
 *
 * @param x The quantity (its absolute value is shown).
 * @param pm The ± part (at least 0).
 * @param scale How the quantity is written.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPlusMinus } from "./spread.ts";
 * assert.equal(formatPlusMinus(-0.0174, 0.0031, "accuracy"), "1.74 ± 0.31 pp");
 * ```
 */
export function formatPlusMinus(x: number, pm: number, scale: Scale): string {
  const size = formatSize(x, scale), spread = formatSize(pm, scale);
  return scale === "accuracy" || scale === "points"
    ? `${size.replace(/ pp$/, "")} ± ${spread}`
    : `${size} ± ${spread}`;
}

/**
 * A spread as mean ± standard deviation: `"88.12% ± 0.31 pp"`,
 * `"+4.10 ± 0.20 pp"`, `"0.2345 ± 0.0123"`; one value is `"88.12% (1 seed)"`.
 * With `of`, a spread over fewer values than that says so: `"(4 of 5 seeds)"`.
 *
 * @param s The spread, or `null` for none (`"–"`).
 * @param scale How the quantity is written.
 * @param of The group's number of seeds, when `s` may cover fewer.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatMeanSd, spreadOf } from "./spread.ts";
 * assert.equal(formatMeanSd(spreadOf([0.88, 0.8824]), "accuracy"), "88.12% ± 0.17 pp");
 * assert.equal(formatMeanSd(spreadOf([0.04, 0.05]), "points"), "+4.50 ± 0.71 pp");
 * assert.equal(formatMeanSd(spreadOf([0.25]), "loss", 5), "0.2500 (1 of 5 seeds)");
 * ```
 */
export function formatMeanSd(s: Spread | null, scale: Scale, of = s?.n ?? 0): string {
  if (s === null) return "–";
  const count = s.n < of ? ` (${s.n} of ${of} seeds)` : s.sd === null ? ` (${s.n} seed)` : "";
  if (s.sd === null) return `${formatValue(s.mean, scale)}${count}`;
  const text = scale === "accuracy"
    ? `${percent(s.mean)} ± ${points(s.sd)}`
    : scale === "points"
    ? `${points(s.mean, true).replace(/ pp$/, "")} ± ${points(s.sd)}`
    : scale === "epoch"
    ? `${s.mean.toFixed(1)} ± ${formatSize(s.sd, scale)}`
    : `${formatValue(s.mean, scale)} ± ${formatSize(s.sd, scale)}`;
  return text + count;
}

/**
 * A spread's range, smallest to largest: `"87.80%–88.51%"`, `"−1.20 to +3.40 pp"`,
 * `"0.2211–0.2456"`, `"18–27"`; one value alone when they are all equal.
 *
 * @param s The spread, or `null` for none (`"–"`).
 * @param scale How the quantity is written.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRange, spreadOf } from "./spread.ts";
 * assert.equal(formatRange(spreadOf([0.8851, 0.878]), "accuracy"), "87.80%–88.51%");
 * assert.equal(formatRange(spreadOf([-0.012, 0.034]), "points"), "−1.20 to +3.40 pp");
 * ```
 */
export function formatRange(s: Spread | null, scale: Scale): string {
  if (s === null) return "–";
  if (s.min === s.max) return formatValue(s.min, scale);
  if (scale === "points") {
    return `${points(s.min, true).replace(/ pp$/, "")} to ${points(s.max, true)}`;
  }
  return `${formatValue(s.min, scale)}–${formatValue(s.max, scale)}`;
}
