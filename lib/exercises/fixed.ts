/**
 * Exercise 1: a fixed learning rate. A grid of constant rates on LeNet /
 * Fashion-MNIST, the best model it gives, and where training breaks down.
 *
 * @module
 */

import { constant } from "../schedules/mod.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import {
  finalTestAcc,
  finalTrainLoss,
  lossRises,
  num,
  type Outcome,
  outcome,
  pct,
  peakTestAcc,
  type Plan,
  sizes,
} from "./common.ts";

// #region fixed-grid
/** The constant rates tried: roughly a factor of 3 apart, from far too small to far too large. */
export const FIXED_RATES: readonly number[] = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 1000];

/** One run per rate, the rate never changing. */
export function fixedRequests(p: Plan, rates: readonly number[] = FIXED_RATES): TrainRequest[] {
  return rates.map((lr) => ({
    name: `constant ${lr}`,
    schedule: constant({ baseLr: lr }),
    stepsPer: "epoch",
    ...sizes(p),
  }));
}
// #endregion fixed-grid

/** One rate's result. */
export interface FixedRow {
  lr: number;
  outcome: Outcome;
  finalTestAcc: number;
  peakTestAcc: number;
  finalTrainLoss: number;
  /** Epochs (1-based) whose training loss was above the previous epoch's. */
  lossRises: number[];
  /** The first epoch's mean training loss (huge when the first steps overshoot). */
  firstLoss: number;
  divergedAt: number | null;
}

/** What the sweep shows. */
export interface FixedAnalysis {
  rows: FixedRow[];
  /** The row with the highest final test accuracy. */
  best: FixedRow;
  /** Its index in the grid (0-based). */
  bestIndex: number;
  /** True when the best rate is neither the smallest nor the largest tried. */
  bestInside: boolean;
  /** The largest rate that trained. */
  largestTrained: FixedRow | null;
  /** The rates, above the largest that trained, where the network stalled at chance. */
  stalled: FixedRow[];
  /** The rates at which the loss became NaN or infinite. */
  diverged: FixedRow[];
  /** The largest rate of the grid. */
  largest: FixedRow;
  /** The largest rate diverged, or ended at least 10 points below the best. */
  largestFails: boolean;
  /** Trained rates whose training loss went up from one epoch to the next. */
  unsteady: FixedRow[];
}

/**
 * Read the sweep.
 *
 * @param runs One run per rate, in the order of `rates`.
 * @param rates The rates of the runs.
 * @returns What the sweep shows.
 */
export function analyzeFixed(
  runs: readonly RunResult[],
  rates: readonly number[] = FIXED_RATES,
): FixedAnalysis {
  if (runs.length !== rates.length || runs.length < 3) {
    throw new RangeError(`analyzeFixed: need one run per rate (at least 3)`);
  }
  const rows: FixedRow[] = runs.map((run, i) => ({
    lr: rates[i],
    outcome: outcome(run),
    finalTestAcc: finalTestAcc(run),
    peakTestAcc: peakTestAcc(run),
    finalTrainLoss: finalTrainLoss(run),
    lossRises: lossRises(run),
    firstLoss: run.history[0]?.trainLoss ?? NaN,
    divergedAt: run.divergedAt,
  }));
  let bestIndex = 0;
  rows.forEach((r, i) => {
    if (r.finalTestAcc > rows[bestIndex].finalTestAcc) bestIndex = i;
  });
  const best = rows[bestIndex];
  const trained = rows.filter((r) => r.outcome === "trained");
  const largestTrained = trained.length ? trained[trained.length - 1] : null;
  const largest = rows[rows.length - 1];
  return {
    rows,
    best,
    bestIndex,
    bestInside: bestIndex > 0 && bestIndex < rows.length - 1,
    largestTrained,
    stalled: rows.filter((r) => r.outcome === "stalled" && r.lr > (largestTrained?.lr ?? -1)),
    diverged: rows.filter((r) => r.outcome === "diverged"),
    largest,
    largestFails: largest.outcome === "diverged" || largest.finalTestAcc <= best.finalTestAcc - 0.1,
    unsteady: trained.filter((r) => r.lossRises.length > 0),
  };
}

/** The sweep as a table: one row per rate. */
export function fixedTable(a: FixedAnalysis): { columns: string[]; rows: (string | number)[][] } {
  return {
    columns: [
      "rate",
      "outcome",
      "final test acc",
      "peak test acc",
      "final train loss",
      "epoch-1 loss",
      "loss rose after epochs",
    ],
    rows: a.rows.map((r) => [
      r.lr,
      r.outcome === "diverged" ? `diverged (epoch ${r.divergedAt})` : r.outcome,
      r.outcome === "diverged" ? "–" : pct(r.finalTestAcc),
      r.outcome === "diverged" ? "–" : pct(r.peakTestAcc),
      r.outcome === "diverged" ? "NaN" : num(r.finalTrainLoss, 4),
      num(r.firstLoss, 4),
      r.lossRises.length ? r.lossRises.join(", ") : "none",
    ]),
  };
}

function list(xs: readonly (string | number)[]): string {
  return xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/**
 * The answer's findings, in words, from the sweep's numbers.
 *
 * @param a The analysis.
 * @returns Markdown.
 */
export function fixedFindings(a: FixedAnalysis): string {
  const where = a.bestInside
    ? `It lies inside the grid: the rates on either side of it, ${a.rows[a.bestIndex - 1].lr} and ${
      a.rows[a.bestIndex + 1].lr
    }, ended at ${pct(a.rows[a.bestIndex - 1].finalTestAcc)} and ${
      pct(a.rows[a.bestIndex + 1].finalTestAcc)
    }.`
    : `It lies at the edge of the grid, so a rate beyond it might do better still.`;
  const tooSmall = a.rows[0].finalTestAcc < a.best.finalTestAcc
    ? ` The smallest rate, ${a.rows[0].lr}, is simply too slow: ${
      pct(a.rows[0].finalTestAcc)
    } after ` +
      `the same number of epochs.`
    : "";
  const unsteady = a.unsteady.length
    ? ` Among the rates that trained, ${
      list(a.unsteady.map((r) =>
        `${r.lr} (after epoch${r.lossRises.length > 1 ? "s" : ""} ${list(r.lossRises)})`
      ))
    } saw the training loss go *up* from one epoch to the next: the steps overshoot, the first ` +
      `sign of instability.`
    : ` None of the rates that trained ever saw its training loss go up from one epoch to the next.`;
  const flat = a.stalled.filter((r) => Math.abs(r.finalTrainLoss - Math.log(10)) < 0.05);
  const high = a.stalled.filter((r) => !flat.includes(r));
  const stalled = a.stalled.length
    ? ` Above ${
      a.largestTrained?.lr ?? "every rate"
    }, training broke down without any overflow: at ${
      list(a.stalled.map((r) => r.lr))
    } the final test accuracy was ${
      list(a.stalled.map((r) => pct(r.finalTestAcc)))
    }, the level of guessing.` +
      (flat.length
        ? ` At ${list(flat.map((r) => r.lr))} the training loss settled at ${
          list(flat.map((r) => num(r.finalTrainLoss, 4)))
        }, next to ln 10 ≈ ${
          num(Math.log(10), 4)
        }, the loss of a network that gives all ten classes the same probability ` +
          `whatever the image, after a first epoch whose mean loss was ${
            list(flat.map((r) => num(r.firstLoss, 3)))
          }. That is what happens when a few huge steps push the ReLUs into the range where ` +
          `they output zero and pass no gradient back: nothing before them can learn any more.`
        : "") +
      (high.length
        ? ` At ${list(high.map((r) => r.lr))} the training loss of the last epoch was ${
          list(high.map((r) => num(r.finalTrainLoss, 3)))
        }, ${
          flat.length
            ? "higher still"
            : `above the ln 10 ≈ ${
              num(Math.log(10), 4)
            } that a network scores when it gives all ten classes the same probability`
        }.`
        : "")
    : "";
  const diverged = a.diverged.length
    ? ` At ${list(a.diverged.map((r) => r.lr))} the loss overflowed to NaN in epoch ${
      list([...new Set(a.diverged.map((r) => r.divergedAt))] as number[])
    }; the engine stopped ${a.diverged.length === 1 ? "that run" : "those runs"}, marked ${
      a.diverged.length === 1 ? "it" : "them"
    } as diverged, and the sweep went on.`
    : ` No rate of the grid made the loss overflow to NaN.`;
  return md(
    `The best fixed rate of the grid was **${a.best.lr}**, with a final test accuracy of ` +
      `**${pct(a.best.finalTestAcc)}** (${pct(a.best.peakTestAcc)} at its best epoch). ${where}` +
      tooSmall,
    `**Where it becomes unstable.**${unsteady}${stalled}${diverged}`,
  );
}

function md(...paragraphs: string[]): string {
  return paragraphs.join("\n\n");
}
