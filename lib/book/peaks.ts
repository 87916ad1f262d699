/**
 * Fair peaks: two schedules compared at the same peak rate, at a few peaks.
 *
 * A schedule that starts at 0.5 and a constant rate of 0.3 differ in two
 * things, the shape of the schedule and its peak, and one comparison of the
 * two cannot say which of them made the difference. A peak sweep trains each
 * schedule at every peak of {@linkcode PEAKS}, over the seeds of
 * {@linkcode SWEEP_SEEDS}, and compares them peak by peak, and each at its
 * own best peak, by the rule of `./verdict.ts`.
 *
 * - {@linkcode sweepPeaks}: a schedule at every peak, one group per peak,
 *   reusing a group already trained at one of them.
 * - {@linkcode sweepOf}: the groups back from a cell's results.
 * - {@linkcode peakTable}: two schedules side by side, peak by peak.
 * - {@linkcode bestPeak}: the peak with the best mean.
 * - {@linkcode byPeakSentence}, {@linkcode peakReading},
 *   {@linkcode bestPeakSentence}: what the sweep shows, in sentences that read
 *   correctly for every outcome; {@linkcode fairPeakClaims}: all of them, for
 *   a chapter's prose.
 *
 * @module
 */

import type { TrainRequest } from "../train/types.ts";
import { divergedSeeds, groupOf, groupScope, pickSeeds, seedsFor, seedsText } from "./seeds.ts";
import { formatMeanSd, spreadOf } from "./spread.ts";
import { differenceCell } from "./spread_table.ts";
import type { CellContext, Output, RunsOutput, SeedRuns, TableOutput } from "./types.ts";
import {
  compareGroups,
  comparisonSentence,
  countWord,
  FINAL_TEST_ACC,
  type GroupComparison,
  type Metric,
  type SeedVerdict,
  verdictWords,
} from "./verdict.ts";

/** The peaks of a sweep: the book's baseline rate, 0.3, and one on either side of it. */
export const PEAKS: readonly number[] = Object.freeze([0.1, 0.3, 0.5]);

/**
 * The seeds of a sweep: two, enough for a standard error and a rough look;
 * the chapters' main comparisons have five.
 */
export const SWEEP_SEEDS: readonly number[] = Object.freeze([0, 1]);

/**
 * The label of a schedule's group at one peak of a sweep: `"square root, peak 0.3"`.
 *
 * @param family The schedule's name.
 * @param peak The peak.
 * @returns The label.
 */
export function peakLabel(family: string, peak: number): string {
  return `${family}, peak ${peak}`;
}

/** A group the chapter already trained at one of the sweep's peaks, to reuse. */
export interface TrainedPeak {
  /** Its peak. */
  peak: number;
  /** The group: its runs of the sweep's seeds are reused instead of trained again. */
  group: SeedRuns;
}

/**
 * Train `request(peak)` over the sweep's seeds at every peak: one group per
 * peak, labelled by {@linkcode peakLabel}, each a reference (shown as one
 * line; the cell's table says what they show). At the peak of `trained`, the
 * runs of those seeds come from that group instead.
 *
 * @param ctx The cell's context.
 * @param family The schedule's name, for the labels.
 * @param request The run at a peak.
 * @param trained A group already trained at one of the peaks.
 * @param peaks The peaks (default {@linkcode PEAKS}).
 * @param seeds The seeds (default {@linkcode SWEEP_SEEDS}; `--seeds N` replaces them).
 * @returns One group per peak, in the order of `peaks`.
 * @throws {RangeError} when `trained` lacks a run of one of the seeds.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepPeaks } from "./peaks.ts";
 * import { fakeTrainer } from "./_testing.ts";
 * import { runChapter } from "./run.ts";
 * import { code } from "./types.ts";
 * const trainer = fakeTrainer();
 * const request = (peak: number) => ({ name: `c ${peak}`, schedule: () => peak, stepsPer: "epoch" as const });
 * const run = await runChapter({
 *   slug: "c", title: "C", source: "", cells: [
 *     code("main", "main", async (ctx) => [await ctx.trainSeeds(request(0.3))]),
 *     code("sweep", "sweep", async (ctx) => {
 *       const main = ctx.results.get("main")![0];
 *       return await sweepPeaks(ctx, "c", request, { peak: 0.3, group: main as never });
 *     }),
 *   ],
 * }, { quiet: true, epochs: 2 }, {}, trainer);
 * assert.deepEqual(run.results.get("sweep")!.map((o) => (o as { label: string }).label), ["c, peak 0.1", "c, peak 0.3", "c, peak 0.5"]);
 * assert.equal(trainer.requests.length, 5 + 2 + 2); // the main group, then two seeds at 0.1 and 0.5
 * ```
 */
export async function sweepPeaks(
  ctx: CellContext,
  family: string,
  request: (peak: number) => TrainRequest,
  trained?: TrainedPeak,
  peaks: readonly number[] = PEAKS,
  seeds: readonly number[] = SWEEP_SEEDS,
): Promise<RunsOutput[]> {
  const groups: RunsOutput[] = [];
  for (const peak of peaks) {
    const label = peakLabel(family, peak);
    if (trained !== undefined && trained.peak === peak) {
      groups.push(pickSeeds(trained.group, seedsFor(ctx.options, seeds), label, true));
    } else {
      groups.push({ ...(await ctx.trainSeeds(request(peak), seeds)), label, reference: true });
    }
  }
  return groups;
}

/**
 * A schedule's sweep back from a cell's results: its group at each peak.
 *
 * @param results The results map prose functions receive.
 * @param id The cell that trained the sweep.
 * @param family The schedule's name, as given to {@linkcode sweepPeaks}.
 * @param peaks The peaks.
 * @returns One group per peak, in the order of `peaks`.
 * @throws {Error} when the cell produced no group at one of the peaks.
 */
export function sweepOf(
  results: ReadonlyMap<string, readonly Output[]>,
  id: string,
  family: string,
  peaks: readonly number[] = PEAKS,
): RunsOutput[] {
  return peaks.map((peak) => groupOf(results, id, peakLabel(family, peak)));
}

/** The mean of `metric` over a group's seeds, or `null` when a run cannot give it. */
function meanOf(group: SeedRuns, metric: Metric): number | null {
  const values = group.runs.map((r) => metric.value(r));
  return values.every((v): v is number => v !== null) ? spreadOf(values).mean : null;
}

/** A schedule at the peak where its mean was best. */
export interface BestPeak {
  /** The peak. */
  peak: number;
  /** Its index in the sweep. */
  index: number;
  /** The group at that peak. */
  group: SeedRuns;
  /** The group's mean of the metric. */
  mean: number;
}

/**
 * The peak at which a schedule's mean of `metric` was highest (the lowest
 * such peak on a tie); peaks whose runs cannot give the metric are skipped.
 *
 * @param groups The schedule's group at each peak.
 * @param peaks The peaks, in the same order.
 * @param metric The measure (default final test accuracy).
 * @returns The best peak, or `null` when no peak could be measured.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestPeak } from "./peaks.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const groups = [[0.80, 0.81], [0.88, 0.87], [0.85, 0.86]].map((f, i) =>
 *   fakeGroup(`p${i}`, f.map((x) => [x]))
 * );
 * assert.equal(bestPeak(groups, [0.1, 0.3, 0.5])!.peak, 0.3);
 * ```
 */
export function bestPeak(
  groups: readonly SeedRuns[],
  peaks: readonly number[],
  metric: Metric = FINAL_TEST_ACC,
): BestPeak | null {
  if (groups.length !== peaks.length) {
    throw new RangeError(`bestPeak: ${groups.length} groups for ${peaks.length} peaks`);
  }
  let best: BestPeak | null = null;
  groups.forEach((group, index) => {
    const mean = meanOf(group, metric);
    if (mean !== null && (best === null || mean > best.mean)) {
      best = { peak: peaks[index], index, group, mean };
    }
  });
  return best;
}

/** How the sentences of a sweep name the two schedules. */
export interface SweepNames {
  /** The schedule in question, e.g. `"the square-root schedule"`. */
  a: string;
  /** The one it is compared with, e.g. `"the constant rate"`. */
  b: string;
}

/**
 * Two schedules side by side, peak by peak: each one's mean ± sd of `metric`
 * at the peak (its best peak marked), the difference ± its standard error
 * (paired by seed), and the verdict.
 *
 * @param a The schedule in question at each peak.
 * @param b The one it is compared with, at the same peaks.
 * @param peaks The peaks.
 * @param names Column headings for the two.
 * @param metric The measure (default final test accuracy).
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { peakTable } from "./peaks.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const at = (finals: number[][]) => finals.map((f, i) => fakeGroup(`g${i}`, f.map((x) => [x])));
 * const t = peakTable(
 *   at([[0.80, 0.81], [0.88, 0.89], [0.86, 0.87]]),
 *   at([[0.80, 0.80], [0.85, 0.855], [0.84, 0.84]]),
 *   [0.1, 0.3, 0.5],
 *   { a: "decay", b: "constant" },
 * );
 * assert.deepEqual(t.rows[1], [0.3, "88.50% ± 0.71 pp (best)", "85.25% ± 0.35 pp (best)", "+3.25 ± 0.25 pp", "higher"]);
 * ```
 */
export function peakTable(
  a: readonly SeedRuns[],
  b: readonly SeedRuns[],
  peaks: readonly number[],
  names: SweepNames,
  metric: Metric = FINAL_TEST_ACC,
): TableOutput {
  const bestA = bestPeak(a, peaks, metric)?.index, bestB = bestPeak(b, peaks, metric)?.index;
  const cell = (g: SeedRuns, best: boolean) => {
    const values = g.runs.map((r) => metric.value(r));
    const known = values.filter((v): v is number => v !== null);
    const spread = known.length === values.length ? spreadOf(known) : null;
    return formatMeanSd(spread, metric.scale) + (best ? " (best)" : "");
  };
  return {
    kind: "table",
    columns: [
      "peak",
      `${names.a}: ${metric.name}, mean ± sd`,
      `${names.b}: ${metric.name}, mean ± sd`,
      "difference ± SE",
      "verdict",
    ],
    rows: peaks.map((peak, i) => {
      const c = compareGroups(a[i], b[i], metric);
      return [
        peak,
        cell(a[i], i === bestA),
        cell(b[i], i === bestB),
        differenceCell(c),
        verdictWords(c),
      ];
    }),
  };
}

/** Peaks in prose: "0.1", "0.1 and 0.3", "0.1, 0.3 and 0.5". */
function peakList(peaks: readonly number[]): string {
  return peaks.length <= 1
    ? peaks.join("")
    : `${peaks.slice(0, -1).join(", ")} and ${peaks.at(-1)}`;
}

/** The order in which {@linkcode byPeakSentence} states its verdicts. */
const ORDER: readonly SeedVerdict[] = ["higher", "lower", "no measurable difference", "undecided"];

/**
 * The sweep peak by peak in one sentence: at which peaks `a` was higher than
 * `b` at the same peak, lower, not measurably different, or without a verdict.
 * A verdict shared by every peak is said once.
 *
 * @param a The schedule in question at each peak.
 * @param b The one it is compared with, at the same peaks.
 * @param peaks The peaks.
 * @param names How to name the two.
 * @param metric The measure (default final test accuracy).
 * @returns The sentence.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { byPeakSentence } from "./peaks.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const at = (finals: number[][]) => finals.map((f, i) => fakeGroup(`g${i}`, f.map((x) => [x])));
 * assert.equal(
 *   byPeakSentence(
 *     at([[0.80, 0.81], [0.88, 0.89], [0.86, 0.87]]),
 *     at([[0.80, 0.80], [0.85, 0.855], [0.84, 0.84]]),
 *     [0.1, 0.3, 0.5],
 *     { a: "the decay", b: "the constant rate" },
 *   ),
 *   "Peak for peak, in final test accuracy (seeds 0 and 1), the decay was higher than the " +
 *     "constant rate at 0.3 and 0.5, and not measurably different from it at 0.1.",
 * );
 * ```
 */
export function byPeakSentence(
  a: readonly SeedRuns[],
  b: readonly SeedRuns[],
  peaks: readonly number[],
  names: SweepNames,
  metric: Metric = FINAL_TEST_ACC,
): string {
  const comparisons = peaks.map((_, i) => compareGroups(a[i], b[i], metric));
  const by = new Map<SeedVerdict, number[]>();
  comparisons.forEach((c, i) => by.set(c.verdict, [...(by.get(c.verdict) ?? []), peaks[i]]));
  const phrase = (v: SeedVerdict, other: string) =>
    v === "higher"
      ? `higher than ${other}`
      : v === "lower"
      ? `lower than ${other}`
      : v === "no measurable difference"
      ? `not measurably different from ${other}`
      : `without a verdict against ${other} (${
        comparisons.some((c) => c.undecided === "unmeasurable") ? "not measurable" : "one seed"
      })`;
  const seeds = seedsText(comparisons[0].a.seeds);
  const lead = `in ${metric.name} (${seeds})`;
  if (by.size === 1) {
    const [v] = by.keys();
    const each = peaks.length === 1
      ? `At the one peak, ${peaks[0]}`
      : `At each of the ${countWord(peaks.length)} peaks (${peakList(peaks)})`;
    return `${each}, ${lead}, ${names.a} was ${phrase(v, names.b)} at the same peak.`;
  }
  const parts = ORDER.filter((v) => by.has(v)).map((v, i) =>
    `${phrase(v, i === 0 ? names.b : "it")} at ${peakList(by.get(v)!)}`
  );
  const joined = parts.length === 2
    ? `${parts[0]}, and ${parts[1]}`
    : `${parts.slice(0, -1).join(", ")}, and ${parts.at(-1)}`;
  return `Peak for peak, ${lead}, ${names.a} was ${joined}.`;
}

/**
 * What the sweep says about the question it was run for, whether the schedule
 * or its peak made the difference: `a` ahead at every peak, behind at every
 * peak, never measurably different, or ahead at some peaks and not at others.
 *
 * @param a The schedule in question at each peak.
 * @param b The one it is compared with, at the same peaks.
 * @param peaks The peaks.
 * @param names How to name the two.
 * @param metric The measure (default final test accuracy).
 * @returns The sentence.
 */
export function peakReading(
  a: readonly SeedRuns[],
  b: readonly SeedRuns[],
  peaks: readonly number[],
  names: SweepNames,
  metric: Metric = FINAL_TEST_ACC,
): string {
  const verdicts = peaks.map((_, i) => compareGroups(a[i], b[i], metric).verdict);
  const all = (v: SeedVerdict) => verdicts.every((x) => x === v);
  const none = (v: SeedVerdict) => verdicts.every((x) => x !== v);
  if (all("higher")) {
    return `So the peak is not what put ${names.a} ahead: it came out ahead at every peak tried.`;
  }
  if (all("lower")) {
    return `So the peak is not what put ${names.a} behind: it came out behind at every peak tried.`;
  }
  if (all("undecided")) {
    return `With one seed per peak the sweep cannot say whether ${names.a} or its peak made ` +
      `the difference.`;
  }
  if (none("higher") && none("lower")) {
    const n = countWord(Math.min(...a.map((g) => g.runs.length)));
    return `So at none of these peaks did ${names.a} differ measurably from ${names.b} at the ` +
      `same peak (with ${n} seeds only large differences are measurable).`;
  }
  const where = (v: SeedVerdict) => peakList(peaks.filter((_, i) => verdicts[i] === v));
  if (none("lower")) {
    return `So whether ${names.a} comes out ahead of ${names.b} depends on the peak: it did at ` +
      `${where("higher")}, and at no peak did it come out behind.`;
  }
  if (none("higher")) {
    return `So ${names.a} came out ahead of ${names.b} at no peak, and behind it at ` +
      `${where("lower")}.`;
  }
  return `So which of the two comes out ahead depends on the peak they start from: ${names.a} ` +
    `at ${where("higher")}, ${names.b} at ${where("lower")}.`;
}

/**
 * Each schedule at its own best peak of the sweep, compared: the fairest
 * match the sweep allows, since neither is held to a peak that suits only the
 * other. (The best peak is picked on the same seeds it is then compared on,
 * which flatters both sides alike.)
 *
 * @param a The schedule in question at each peak.
 * @param b The one it is compared with, at the same peaks.
 * @param peaks The peaks.
 * @param names How to name the two.
 * @param metric The measure (default final test accuracy).
 * @returns The sentence, and the comparison (`null` when a side had no measurable peak).
 */
export function bestPeakSentence(
  a: readonly SeedRuns[],
  b: readonly SeedRuns[],
  peaks: readonly number[],
  names: SweepNames,
  metric: Metric = FINAL_TEST_ACC,
): { text: string; comparison: GroupComparison | null } {
  const ba = bestPeak(a, peaks, metric), bb = bestPeak(b, peaks, metric);
  if (ba === null || bb === null) {
    return {
      text: `The ${metric.name} could not be measured at any peak of ` +
        `${ba === null ? names.a : names.b}, so there is no best peak to compare.`,
      comparison: null,
    };
  }
  const c = compareGroups(ba.group, bb.group, metric);
  const sentence = comparisonSentence(c, {
    a: `${names.a} at its best peak, ${ba.peak},`,
    b: `${names.b} at its best peak, ${bb.peak},`,
  });
  return { text: `Each at its own best peak: ${lowerFirst(sentence)}`, comparison: c };
}

/**
 * The findings of a schedule's sweep against the constant rate's, for a
 * chapter's prose: the scope; peak for peak ({@linkcode byPeakSentence}) and
 * what that says ({@linkcode peakReading}); when the chapter's own run starts
 * at another peak than the baseline's, what the peak alone does (the constant
 * rate at that peak against the constant rate at the baseline's); and each at
 * its best peak ({@linkcode bestPeakSentence}).
 *
 * @param schedule The schedule at each peak.
 * @param constant The constant rate at the same peaks.
 * @param ownPeak The peak of the chapter's own run of the schedule.
 * @param basePeak The baseline's peak.
 * @param names How to name the two.
 * @param peaks The peaks (default {@linkcode PEAKS}).
 * @returns Markdown.
 */
export function fairPeakClaims(
  schedule: readonly SeedRuns[],
  constant: readonly SeedRuns[],
  ownPeak: number,
  basePeak: number,
  names: SweepNames,
  peaks: readonly number[] = PEAKS,
): string {
  const i = peaks.indexOf(ownPeak), j = peaks.indexOf(basePeak);
  if (i < 0 || j < 0) {
    throw new RangeError(`fairPeakClaims: ${ownPeak} and ${basePeak} must be among the peaks`);
  }
  const alone = ownPeak === basePeak
    ? ""
    : `The peak alone: ${
      lowerFirst(comparisonSentence(compareGroups(constant[i], constant[j]), {
        a: `${names.b} at ${ownPeak}`,
        b: `${names.b} at ${basePeak}`,
      }))
    } `;
  return `${groupScope(schedule[0])}\n\n${byPeakSentence(schedule, constant, peaks, names)} ` +
    `${peakReading(schedule, constant, peaks, names)}${divergedNote([...schedule, ...constant])}` +
    `\n\n${alone}${bestPeakSentence(schedule, constant, peaks, names).text}`;
}

/** A sentence's first letter in lower case, to follow a colon. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * A sentence naming the groups' diverged seeds (`./seeds.ts`'s `divergedSeeds`), with a space
 * before it; empty when none diverged.
 *
 * @param groups The groups of a sweep.
 * @returns The sentence.
 */
export function divergedNote(groups: readonly SeedRuns[]): string {
  const list = divergedSeeds(groups);
  return list.length === 0 ? "" : ` Diverged: ${list.join("; ")}.`;
}
