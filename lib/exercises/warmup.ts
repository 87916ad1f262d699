/**
 * Exercise 4: how long warmup should last. The cosine schedule at a peak rate
 * too high for a cold start, with linear warmups of several lengths
 * (including none), each run with several seeds, because whether a run at
 * such a rate survives is partly luck: it depends on the first minibatches.
 *
 * @module
 */

import { cosine } from "../schedules/mod.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import type { FixedAnalysis, FixedRow } from "./fixed.ts";
import {
  CHANCE_LEVEL,
  finalTestAcc,
  num,
  type Outcome,
  outcome,
  pct,
  type Plan,
  sizes,
} from "./common.ts";

// #region warmup-grid
/** The peak rate: twice the book's usual 0.3, more than a cold start survives reliably. */
export const WARMUP_PEAK_LR = 0.6;

/** Warmup lengths as fractions of the run: none, then from a sixteenth up to half of it. */
export const WARMUP_FRACTIONS: readonly number[] = [0, 1 / 16, 1 / 8, 1 / 4, 1 / 2];

/** Every length is run with these seeds (weights and minibatch order). */
export const WARMUP_SEEDS: readonly number[] = [0, 1, 2, 3];

/** The warmup, in updates, that is `fraction` of a run of plan `p`. */
export function warmupUpdates(p: Plan, fraction: number): number {
  return Math.round(fraction * p.epochs * p.updatesPerEpoch);
}

/**
 * The schedule of one warmup length: a linear ramp from 0 to the peak over
 * `fraction` of the run, then cosine down to 0 at its last update.
 *
 * @param p The run's plan.
 * @param fraction The warmup's share of the run (0: none).
 * @returns The schedule, by update.
 *
 * @example A quarter of the run
 * ```ts
 * import assert from "node:assert/strict";
 * import { plan } from "./common.ts";
 * import { WARMUP_PEAK_LR, warmupSchedule } from "./warmup.ts";
 * const lr = warmupSchedule(plan(4, 6000), 1 / 4); // 96 updates, 24 of them warmup
 * assert.deepEqual([lr(0), lr(12), lr(24), lr(96)], [0, WARMUP_PEAK_LR / 2, WARMUP_PEAK_LR, 0]);
 * ```
 */
export function warmupSchedule(p: Plan, fraction: number): (step: number) => number {
  return cosine({
    baseLr: WARMUP_PEAK_LR,
    maxUpdate: p.epochs * p.updatesPerEpoch,
    warmupSteps: warmupUpdates(p, fraction),
  });
}

/** One run per length and seed, the rate set every update. */
export function warmupRequests(
  p: Plan,
  fractions: readonly number[] = WARMUP_FRACTIONS,
  seeds: readonly number[] = WARMUP_SEEDS,
): TrainRequest[] {
  return fractions.flatMap((fraction) =>
    seeds.map((seed): TrainRequest => {
      const ramp = warmupUpdates(p, fraction);
      const share = fraction === 0
        ? "no warmup"
        : `warmup 1/${Math.round(1 / fraction)} (${ramp} updates)`;
      return {
        name: `${share}, seed ${seed}`,
        schedule: warmupSchedule(p, fraction),
        stepsPer: "update",
        seed,
        ...sizes(p),
      };
    })
  );
}
// #endregion warmup-grid

/** A constant run that failed, in words: "diverged" or "stalled at chance". */
function failed(row: FixedRow): string {
  return row.outcome === "diverged" ? "diverged" : "stalled at the level of guessing";
}

/**
 * Where the first answer's constant rates stopped training, and where this
 * answer's peak ({@linkcode WARMUP_PEAK_LR}) lies against that, from the first
 * answer's runs (one per rate, on seed 0): the sentence that explains the
 * choice of peak, for every outcome of that sweep.
 *
 * @param fixed The first answer's sweep.
 * @returns One or two sentences of Markdown.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeRun } from "../book/_testing.ts";
 * import { analyzeFixed } from "./fixed.ts";
 * import { peakChoice } from "./warmup.ts";
 * const ok = fakeRun("a", [0.5, 0.9], [0.5, 0.85]), dead = fakeRun("b", [0.1, 0.1], [0.1, 0.1]);
 * const text = peakChoice(analyzeFixed([ok, ok, dead], [0.1, 0.3, 1]));
 * assert.match(text, /^In \[the first answer\]\(#answer-1\) the largest constant rate /);
 * ```
 */
export function peakChoice(fixed: FixedAnalysis): string {
  const P = WARMUP_PEAK_LR;
  const first = fixed.rows.findIndex((r) => r.outcome !== "trained");
  if (first < 0) {
    return `In [the first answer](#answer-1) every constant rate of the grid trained, ` +
      `up to ${fixed.rows.at(-1)!.lr} (one seed each), so its runs show no edge to keep ` +
      `below; we take a peak of ${P} all the same.`;
  }
  const fail = fixed.rows[first];
  if (first === 0) {
    return `In [the first answer](#answer-1) even the smallest constant rate of the grid, ` +
      `${fail.lr}, ${failed(fail)} (one seed each), so its runs show no rate that trains; ` +
      `we take a peak of ${P} all the same.`;
  }
  const ok = fixed.rows[first - 1];
  const where = P > fail.lr
    ? `above the rate at which a constant run already failed`
    : P === fail.lr
    ? `the very rate at which a constant run failed`
    : P > ok.lr
    ? `between the two, a rate the grid did not try`
    : `no higher than a rate at which a constant run trained, so a cold start may well survive it`;
  return `In [the first answer](#answer-1) the largest constant rate that trained was ` +
    `${ok.lr}; the next one up, ${fail.lr}, ${failed(fail)} (one seed each). We take a ` +
    `peak of ${P}, ${where}.`;
}

/** Where a failed run broke. */
export interface WarmupBreak {
  seed: number;
  /** The 1-based epoch in which it broke. */
  epoch: number;
  /** The highest rate of any update of that epoch. */
  topLr: number;
  /** That epoch began after the warmup had ended: the run broke at or after the peak. */
  afterRamp: boolean;
}

/**
 * The epoch in which a failed run broke: the one whose loss became NaN or
 * infinite, or else the first after which test accuracy stayed below
 * {@linkcode CHANCE_LEVEL} to the end. `null` for a run that did not fail.
 *
 * @param run A run.
 * @returns Its 1-based breaking epoch, or `null`.
 *
 * @example A run that stalls after its second epoch
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeRun } from "../book/_testing.ts";
 * import { breakingEpoch } from "./warmup.ts";
 * assert.equal(breakingEpoch(fakeRun("a", [0.6, 0.8, 0.1, 0.1], [0.6, 0.8, 0.1, 0.1])), 3);
 * assert.equal(breakingEpoch(fakeRun("b", [0.6, 0.8], [0.6, 0.8])), null);
 * ```
 */
export function breakingEpoch(run: RunResult): number | null {
  if (run.divergedAt !== null) return run.divergedAt;
  const h = run.history;
  let epoch: number | null = null;
  for (let i = h.length - 1; i >= 0 && h[i].testAcc < CHANCE_LEVEL; i--) epoch = h[i].epoch;
  return epoch;
}

/** One warmup length, over its seeds. */
export interface WarmupRow {
  fraction: number;
  updates: number;
  /** The warmup in epochs. */
  epochs: number;
  outcomes: Outcome[];
  /** Seeds whose run stalled or diverged. */
  failed: number;
  /** Where each failed seed broke. */
  breaks: WarmupBreak[];
  /** Final test accuracy: per seed, the mean and the worst. */
  finals: number[];
  mean: number;
  worst: number;
}

/** What the sweep shows. */
export interface WarmupAnalysis {
  rows: WarmupRow[];
  seeds: number;
  /** The row without warmup. */
  cold: WarmupRow;
  /** Without warmup, at least one seed failed: a cold start at this peak is unsafe. */
  coldHurts: boolean;
  /**
   * The shortest warmup from which on no seed failed, for it and every longer
   * warmup of the grid; `null` if even the longest had a failure.
   */
  threshold: WarmupRow | null;
  /** The warmup with the best mean final accuracy. */
  bestMean: WarmupRow;
  /** Warmups that failed on more seeds than the cold start did. */
  worseThanCold: WarmupRow[];
  /**
   * The lowest rate at which any run broke (the smallest top rate of a
   * breaking epoch), or `null` if none failed: below it, no run broke.
   */
  lowestBreakLr: number | null;
}

/**
 * Read the sweep.
 *
 * @param runs The runs of {@linkcode warmupRequests}, in its order.
 * @param p The plan they ran with.
 * @param fractions The warmup lengths.
 * @param seeds The seeds.
 * @returns What the sweep shows.
 */
export function analyzeWarmup(
  runs: readonly RunResult[],
  p: Plan,
  fractions: readonly number[] = WARMUP_FRACTIONS,
  seeds: readonly number[] = WARMUP_SEEDS,
): WarmupAnalysis {
  if (runs.length !== fractions.length * seeds.length) {
    throw new RangeError(`analyzeWarmup: need ${fractions.length * seeds.length} runs`);
  }
  const rows = fractions.map((fraction, i): WarmupRow => {
    const group = runs.slice(i * seeds.length, (i + 1) * seeds.length);
    const outcomes = group.map(outcome);
    const finals = group.map(finalTestAcc);
    const updates = warmupUpdates(p, fraction);
    const schedule = warmupSchedule(p, fraction);
    const breaks = group.flatMap((run, j): WarmupBreak[] => {
      const epoch = outcomes[j] === "trained" ? null : breakingEpoch(run);
      if (epoch === null) return [];
      const first = (epoch - 1) * p.updatesPerEpoch;
      let topLr = 0;
      for (let t = first; t < first + p.updatesPerEpoch; t++) topLr = Math.max(topLr, schedule(t));
      return [{ seed: seeds[j], epoch, topLr, afterRamp: fraction > 0 && first >= updates }];
    });
    return {
      fraction,
      updates,
      epochs: updates / p.updatesPerEpoch,
      outcomes,
      breaks,
      failed: outcomes.filter((o) => o !== "trained").length,
      finals,
      mean: finals.reduce((a, b) => a + b, 0) / finals.length,
      worst: Math.min(...finals),
    };
  });
  let threshold: WarmupRow | null = null;
  for (let i = rows.length - 1; i >= 0 && rows[i].failed === 0; i--) threshold = rows[i];
  const tops = rows.flatMap((r) => r.breaks.map((b) => b.topLr));
  return {
    rows,
    seeds: seeds.length,
    cold: rows[0],
    coldHurts: rows[0].failed > 0,
    threshold,
    bestMean: rows.reduce((a, b) => (b.mean > a.mean ? b : a)),
    worseThanCold: rows.slice(1).filter((r) => r.failed > rows[0].failed),
    lowestBreakLr: tops.length ? Math.min(...tops) : null,
  };
}

/** The sweep as a table: one row per warmup length. */
export function warmupTable(a: WarmupAnalysis): { columns: string[]; rows: (string | number)[][] } {
  return {
    columns: ["warmup", "updates", "failed seeds", "final test acc per seed", "mean", "worst"],
    rows: a.rows.map((r) => [
      r.fraction === 0
        ? "none"
        : `${num(r.epochs, 3)} epochs (1/${Math.round(1 / r.fraction)} of the run)`,
      r.updates,
      `${r.failed} of ${a.seeds}`,
      r.finals.map((
        x,
        i,
      ) => (r.outcomes[i] === "trained" ? pct(x) : `${pct(x)} (${r.outcomes[i]})`))
        .join(", "),
      pct(r.mean),
      pct(r.worst),
    ]),
  };
}

/**
 * The answer's findings, in words, from the sweep's numbers.
 *
 * @param a The analysis.
 * @returns Markdown.
 */
export function warmupFindings(a: WarmupAnalysis): string {
  const length = (r: WarmupRow) =>
    r.fraction === 0
      ? "no warmup"
      : `a warmup of ${r.updates} updates (${num(r.epochs, 3)} epochs, 1/${
        Math.round(1 / r.fraction)
      } of the run)`;
  const cold = a.coldHurts
    ? `Without warmup, ${a.cold.failed} of ${a.seeds} seeds failed to train at a peak of ` +
      `${WARMUP_PEAK_LR}: a cold start at this rate is a gamble on the first minibatches.`
    : `Without warmup, all ${a.seeds} seeds trained at a peak of ${WARMUP_PEAK_LR} (worst final ` +
      `test accuracy ${pct(a.cold.worst)}): on this run a cold start was not hurt.`;
  const counts = a.rows.map((r) =>
    `${r.failed} of ${a.seeds} (${r.fraction === 0 ? "none" : `1/${Math.round(1 / r.fraction)}`})`
  )
    .join(", ");
  const threshold = !a.coldHurts
    ? `With every seed training from a cold start there was nothing for a warmup to fix at this ` +
      `peak${a.rows.some((r) => r.failed > 0) ? ", and some warmups even did worse" : ""}.`
    : a.threshold === null
    ? `No warmup length of the grid made every seed train, not even the longest: warmup did not ` +
      `make this peak safe.`
    : `The shortest warmup from which on every seed trained was **${length(a.threshold)}**; its ` +
      `seeds ended at ${a.threshold.finals.map(pct).join(", ")} (mean ${pct(a.threshold.mean)}).`;
  const best =
    `The best mean final accuracy came with ${length(a.bestMean)}: ${pct(a.bestMean.mean)}, ` +
    `against ${pct(a.cold.mean)} without warmup.`;
  const worse = a.worseThanCold.length
    ? ` A warmup can also be worse than none: ${
      a.worseThanCold.map((r) => `${length(r)} failed on ${r.failed}`).join(", ")
    }, against ${a.cold.failed} without.`
    : "";
  return [
    `${cold} Failed seeds by warmup length (fraction of the run): ${counts}.${worse}`,
    `${threshold} ${best}`,
    breakFindings(a),
  ].filter((x) => x !== "").join("\n\n");
}

/** Where the failed runs broke, in words; empty when none failed. */
function breakFindings(a: WarmupAnalysis): string {
  if (a.lowestBreakLr === null) return "";
  const share = Math.round((100 * a.lowestBreakLr) / WARMUP_PEAK_LR);
  const warm = a.rows.slice(1).flatMap((r) => r.breaks);
  const after = warm.filter((b) => b.afterRamp).length;
  const where = `Every failed run broke in an epoch in which the rate reached at least ` +
    `${num(a.lowestBreakLr, 3)} (${share}% of the peak); none broke while the rate stayed lower.` +
    (warm.length
      ? ` Of the ${warm.length} failures with a warmup, ${after} came after the ramp had ended.`
      : "");
  const meaning = a.threshold === null && a.lowestBreakLr >= NEAR_PEAK * WARMUP_PEAK_LR
    ? ` A ramp only postponed the moment a network met a near-peak rate; it did not make the ` +
      `network survive it. The remedy for a peak this high is a lower peak, not a longer ramp.`
    : "";
  return where + meaning;
}

/** A failure at a rate of at least this share of the peak counts as a failure "near the peak". */
export const NEAR_PEAK = 0.75;
