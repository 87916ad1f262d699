/**
 * Numbers read off training runs, for prose that states what was measured.
 *
 * A chapter's claims ("smoother curves", "less overfitting") are written as
 * functions of the results: they call these helpers on the runs of earlier
 * cells and choose their wording by the outcome. Every helper copes with
 * short (quick) and diverged runs, so a one-epoch run still reads sensibly.
 *
 * @module
 */

import type { RunResult, TrainRequest } from "../train/types.ts";
import type { CellContext, Output, TableOutput } from "./types.ts";

/** The size of the full training set (a run on fewer images is a quick run). */
export const FULL_TRAIN_SIZE = 60_000;
/** The number of epochs of the book's full runs. */
export const FULL_EPOCHS = 30;

/**
 * The runs a cell produced (its `run` outputs, in order).
 *
 * @param results The results map prose functions receive.
 * @param id The cell's id.
 * @returns The runs, possibly none.
 */
export function runsOf(results: ReadonlyMap<string, readonly Output[]>, id: string): RunResult[] {
  return (results.get(id) ?? []).flatMap((o) => (o.kind === "run" ? [o.run] : []));
}

/**
 * The rows of the first table cell `id` returned, for prose that quotes it.
 *
 * @param results The outputs so far, by cell id.
 * @param id The cell.
 * @returns The table's rows.
 * @throws {Error} naming the cell when it returned no table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { tableRowsOf } from "./measure.ts";
 * const results = new Map([["t", [{ kind: "table" as const, columns: ["a"], rows: [[1]] }]]]);
 * assert.deepEqual(tableRowsOf(results, "t"), [[1]]);
 * assert.throws(() => tableRowsOf(results, "u"), /no table from cell "u"/);
 * ```
 */
export function tableRowsOf(
  results: ReadonlyMap<string, readonly Output[]>,
  id: string,
): (string | number)[][] {
  const table = (results.get(id) ?? []).find((o): o is TableOutput => o.kind === "table");
  if (table === undefined) throw new Error(`no table from cell "${id}"`);
  return table.rows;
}

/**
 * The run a cell produced.
 *
 * @param results The results map prose functions receive.
 * @param id The cell's id.
 * @param name The run's name, when the cell produced several.
 * @returns The run.
 * @throws {Error} if the cell has not run or produced no such run.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { runOf } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const run = fakeRun("a", [0.5, 0.6], [0.5, 0.55]);
 * assert.equal(runOf(new Map([["cell", [{ kind: "run", run }]]]), "cell"), run);
 * ```
 */
export function runOf(
  results: ReadonlyMap<string, readonly Output[]>,
  id: string,
  name?: string,
): RunResult {
  const runs = runsOf(results, id).filter((r) => name === undefined || r.name === name);
  if (runs.length === 0) {
    throw new Error(
      `no run ${name === undefined ? "" : `"${name}" `}from cell "${id}": ` +
        `prose must come after the cell it quotes`,
    );
  }
  return runs[0];
}

/** What a run achieved, in the terms the chapters' claims use. */
export interface RunSummary {
  name: string;
  /** Epochs completed (fewer than configured if the run diverged). */
  epochs: number;
  /** True if the loss became NaN or infinite. */
  diverged: boolean;
  /** Training accuracy of the last epoch (0 for a run with no epochs). */
  finalTrainAcc: number;
  /** Test accuracy after the last epoch. */
  finalTestAcc: number;
  /** The best test accuracy after any epoch, and that epoch (1-based). */
  peakTestAcc: number;
  peakEpoch: number;
  /** Overfitting: final training accuracy minus final test accuracy. */
  gap: number;
  /**
   * How much the test-accuracy curve wobbles: the mean absolute change of the
   * test accuracy from one epoch to the next, over the later two thirds of the
   * run (epochs `floor(n/3) + 1 .. n`, once the fast early progress is over).
   * Smaller is smoother. `null` for runs of fewer than 3 epochs.
   */
  wobble: number | null;
}

/**
 * The later two thirds of a run: the epochs over which {@linkcode RunSummary.wobble} is taken.
 *
 * @param epochs Epochs completed.
 * @returns The first and last epoch (1-based) of the window.
 */
export function laterWindow(epochs: number): [number, number] {
  return [Math.floor(epochs / 3) + 1, epochs];
}

/**
 * Summarize a run.
 *
 * @param run The run.
 * @returns Final, peak and gap accuracies and the wobble.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarize } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const s = summarize(fakeRun("a", [0.5, 0.7, 0.8], [0.5, 0.6, 0.58]));
 * assert.equal(s.peakEpoch, 2);
 * assert.ok(Math.abs(s.gap - 0.22) < 1e-12);
 * assert.ok(Math.abs(s.wobble! - 0.06) < 1e-12); // changes into epochs 2 and 3: 0.1, 0.02
 * ```
 */
export function summarize(run: RunResult): RunSummary {
  const h = run.history;
  const last = h[h.length - 1];
  let peak = h[0];
  for (const e of h) if (e.testAcc > peak.testAcc) peak = e;
  const [from, to] = laterWindow(h.length);
  const changes: number[] = [];
  for (let epoch = Math.max(2, from); epoch <= to; epoch++) {
    changes.push(Math.abs(h[epoch - 1].testAcc - h[epoch - 2].testAcc));
  }
  return {
    name: run.name,
    epochs: h.length,
    diverged: run.divergedAt !== null,
    finalTrainAcc: last?.trainAcc ?? 0,
    finalTestAcc: last?.testAcc ?? 0,
    peakTestAcc: peak?.testAcc ?? 0,
    peakEpoch: peak?.epoch ?? 0,
    gap: last ? last.trainAcc - last.testAcc : 0,
    wobble: h.length >= 3 ? changes.reduce((a, b) => a + b, 0) / changes.length : null,
  };
}

/**
 * The mean of one metric over epochs `from..to` (1-based, clipped to the run).
 *
 * @param run The run.
 * @param metric Which metric.
 * @param from First epoch.
 * @param to Last epoch.
 * @returns The mean, or `null` if the run has none of those epochs.
 */
export function meanOver(
  run: RunResult,
  metric: "trainAcc" | "testAcc" | "trainLoss",
  from: number,
  to: number,
): number | null {
  const values = run.history.filter((e) => e.epoch >= from && e.epoch <= to).map((e) => e[metric]);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * The run's rates as stretches of equal rate: `{ lr, from, to }`, epochs 1-based.
 *
 * @param run The run.
 * @returns The stretches, in order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateStretches } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const run = fakeRun("a", [0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.5, 0.5, 0.25]);
 * assert.deepEqual(rateStretches(run), [{ lr: 0.5, from: 1, to: 2 }, { lr: 0.25, from: 3, to: 3 }]);
 * ```
 */
export function rateStretches(run: RunResult): { lr: number; from: number; to: number }[] {
  const out: { lr: number; from: number; to: number }[] = [];
  for (const e of run.history) {
    const prev = out[out.length - 1];
    if (prev && prev.lr === e.lr && e.lr === e.lrLast) prev.to = e.epoch;
    else out.push({ lr: e.lr, from: e.epoch, to: e.epoch });
  }
  return out;
}

/**
 * An accuracy as a percentage with two decimals.
 *
 * @param x A fraction in [0, 1].
 * @returns E.g. `"88.12%"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { percent } from "./measure.ts";
 * assert.equal(percent(0.88123), "88.12%");
 * ```
 */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * A difference of accuracies in percentage points, with two decimals.
 *
 * @param x A difference of fractions.
 * @param signed Show a `+` on positive values.
 * @returns E.g. `"1.50 pp"` or `"+1.50 pp"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { points } from "./measure.ts";
 * assert.equal(points(0.015), "1.50 pp");
 * assert.equal(points(0.015, true), "+1.50 pp");
 * assert.equal(points(-0.015, true), "−1.50 pp");
 * ```
 */
export function points(x: number, signed = false): string {
  const text = `${(100 * Math.abs(x)).toFixed(2)} pp`;
  return x < 0 ? `−${text}` : signed ? `+${text}` : text;
}

/**
 * True when a run is shorter or smaller than the book's full runs. A plateau run that holds
 * images out (`lib/train/plateau.ts`) and trains on all the others is full size.
 *
 * @param run The run.
 * @returns Whether it is a quick run.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isQuick } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const full = fakeRun("a", Array(30).fill(0.9), Array(30).fill(0.88), undefined, { trainSize: 60_000 });
 * assert.equal(isQuick(full), false);
 * assert.equal(isQuick(fakeRun("a", [0.5], [0.5])), true);
 * ```
 */
export function isQuick(run: RunResult): boolean {
  const c = run.config;
  return c.epochs < FULL_EPOCHS || c.trainSize + (c.plateau?.holdOut ?? 0) < FULL_TRAIN_SIZE;
}

/**
 * A run's settings in words, as {@linkcode scope} says them: epochs, images, stepping.
 *
 * @param run The run.
 * @returns E.g. `30 epochs on all 60,000 training images, the rate set once per epoch`.
 */
export function settingsText(run: RunResult): string {
  const c = run.config;
  const count = (n: number) => n.toLocaleString("en-US");
  const data = c.trainSize === FULL_TRAIN_SIZE
    ? "all 60,000 training images"
    : c.plateau && c.trainSize + c.plateau.holdOut === FULL_TRAIN_SIZE
    ? `${count(c.trainSize)} of the 60,000 training images (the other ` +
      `${count(c.plateau.holdOut)} held out for the plateau scheduler)`
    : c.plateau
    ? `${count(c.trainSize)} of the 60,000 training images (the last ` +
      `${count(c.plateau.holdOut)} held out for the plateau scheduler)`
    : `${count(c.trainSize)} of the 60,000 training images`;
  const stepping = c.stepsPer === "epoch"
    ? "the rate set once per epoch"
    : "the rate set per update";
  return `${c.epochs} epoch${c.epochs === 1 ? "" : "s"} on ${data}, ${stepping}`;
}

/**
 * What a run was, in words: epochs, images, stepping; and for a quick run, a
 * warning that the chapter's claims are about the full run.
 *
 * @param run The run.
 * @returns One or two sentences of Markdown.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { scope } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * assert.match(scope(fakeRun("a", [0.5], [0.5])), /quick run/);
 * ```
 */
export function scope(run: RunResult): string {
  const what = settingsText(run);
  return isQuick(run)
    ? `*These numbers come from a quick run (${what}); the claims below are about the full ` +
      `run of ${FULL_EPOCHS} epochs on all the data, and a quick run is too short to settle them.*`
    : `*Measured on the full run: ${what}.*`;
}

/**
 * A table comparing runs: final and peak accuracies, the train-test gap and
 * the wobble of the test accuracy ({@linkcode RunSummary}).
 *
 * @param runs The runs, one row each.
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparison } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const t = comparison([fakeRun("a", [0.5], [0.4])]);
 * assert.equal(t.rows[0][0], "a");
 * ```
 */
export function comparison(runs: readonly RunResult[]): TableOutput {
  return {
    kind: "table",
    columns: [
      "run",
      "epochs",
      "final train acc",
      "final test acc",
      "peak test acc (epoch)",
      "train − test",
      "mean change per epoch",
    ],
    rows: runs.map((run) => {
      const s = summarize(run);
      return [
        s.name,
        s.diverged ? `${s.epochs} (diverged)` : String(s.epochs),
        percent(s.finalTrainAcc),
        percent(s.finalTestAcc),
        `${percent(s.peakTestAcc)} (${s.peakEpoch})`,
        points(s.gap, true),
        s.wobble === null ? "–" : points(s.wobble),
      ];
    }),
  };
}

/** How one number compares with another, given what counts as noise. */
export type Verdict = "higher" | "same" | "lower";

/**
 * Compare `a` with `b`: a difference no larger than `noise` counts as the same.
 *
 * @param a The new value.
 * @param b The value to compare with.
 * @param noise The size of differences to ignore (>= 0).
 * @returns `"higher"`, `"same"` or `"lower"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { verdict } from "./measure.ts";
 * assert.equal(verdict(0.9, 0.88, 0.005), "higher");
 * assert.equal(verdict(0.881, 0.88, 0.005), "same");
 * ```
 */
export function verdict(a: number, b: number, noise: number): Verdict {
  return a - b > noise ? "higher" : b - a > noise ? "lower" : "same";
}

/** The outcome of {@linkcode versus}. */
export interface Versus {
  verdict: Verdict;
  /** `a - b` of the compared metric. */
  delta: number;
  /** The larger of the two runs' wobbles: differences up to this count as equal. */
  noise: number;
  a: RunSummary;
  b: RunSummary;
}

/**
 * Compare two runs' final test accuracy, treating differences no larger than
 * the runs' own epoch-to-epoch wobble as no difference: with one seed per
 * schedule, a smaller difference could be the luck of the last epoch.
 *
 * @param a The run in question.
 * @param b The run to compare with.
 * @returns The verdict, the difference and the noise level used.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { versus } from "./measure.ts";
 * import { fakeRun } from "./_testing.ts";
 * const a = fakeRun("a", [0.5, 0.6, 0.7], [0.5, 0.6, 0.7]);
 * const b = fakeRun("b", [0.5, 0.6, 0.7], [0.5, 0.55, 0.56]);
 * assert.equal(versus(a, b).verdict, "higher"); // 14 pp apart, wobble 5.5 pp
 * ```
 */
export function versus(a: RunResult, b: RunResult): Versus {
  const sa = summarize(a), sb = summarize(b);
  const noise = Math.max(sa.wobble ?? 0, sb.wobble ?? 0);
  return {
    verdict: verdict(sa.finalTestAcc, sb.finalTestAcc, noise),
    delta: sa.finalTestAcc - sb.finalTestAcc,
    noise,
    a: sa,
    b: sb,
  };
}

/**
 * One sentence of Markdown stating {@linkcode versus}: which run ended with
 * the better test accuracy, by how much, and what counted as noise.
 *
 * @param v The comparison.
 * @returns The sentence.
 */
export function versusText(v: Versus): string {
  const outcome = v.verdict === "higher"
    ? `higher than the ${percent(v.b.finalTestAcc)} of`
    : v.verdict === "lower"
    ? `lower than the ${percent(v.b.finalTestAcc)} of`
    : `no different, within noise, from the ${percent(v.b.finalTestAcc)} of`;
  const noise = v.noise > 0
    ? `; differences up to ${
      points(v.noise)
    }, the larger of the two runs' average epoch-to-epoch change in test accuracy, count as noise`
    : "";
  return `**${v.a.name}** ended at a test accuracy of ${percent(v.a.finalTestAcc)}, ${outcome} ` +
    `**${v.b.name}** (${points(v.delta, true)}${noise}).`;
}

/**
 * Train `request` (usually a run of an earlier chapter, so it comes from the
 * run cache when that chapter has run) and compare it with the run of cell
 * `id`: a {@linkcode comparison} table, then the new run as a reference.
 *
 * @param ctx The cell's context.
 * @param id The cell whose run is compared.
 * @param request The run to compare with.
 * @returns The table and the reference run.
 */
export async function compareWith(
  ctx: CellContext,
  id: string,
  request: TrainRequest,
): Promise<Output[]> {
  const other = await ctx.train(request);
  return [comparison([runOf(ctx.results, id), other]), {
    kind: "run",
    run: other,
    reference: true,
  }];
}
