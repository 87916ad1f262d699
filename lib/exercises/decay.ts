/**
 * Exercise 2: the exponent of the decay. Polynomial schedules
 * `η_t = η_0 (1 − t/T)^p` for several powers `p`, same start, same end.
 *
 * @module
 */

import { poly } from "../schedules/mod.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import { finalTestAcc, finalTrainLoss, num, pct, type Plan, sizes } from "./common.ts";

// #region decay-grid
/** The exponents tried: from a rate that stays high almost to the end (0.5) to one that collapses early (8). */
export const POWERS: readonly number[] = [0.5, 1, 2, 4, 8];

/** The starting rate of every run (the book's usual 0.3). */
export const DECAY_BASE_LR = 0.3;

/** One run per power: the rate set every update, from 0.3 down to 0 at the last update. */
export function decayRequests(p: Plan, powers: readonly number[] = POWERS): TrainRequest[] {
  const updates = p.epochs * p.updatesPerEpoch;
  return powers.map((power) => ({
    name: `poly, power ${power}`,
    schedule: poly({ baseLr: DECAY_BASE_LR, finalLr: 0, maxUpdate: updates, power }),
    stepsPer: "update",
    ...sizes(p),
  }));
}
// #endregion decay-grid

/** One power's result. */
export interface DecayRow {
  power: number;
  /** The mean rate over the run, `η_0 / (p + 1)` in the limit of many updates. */
  meanLr: number;
  /** The update at which the rate has fallen to a tenth of `η_0`, as a fraction of the run. */
  tenthAt: number;
  finalTrainLoss: number;
  finalTestAcc: number;
  /** Training loss after the middle epoch. */
  midTrainLoss: number;
  diverged: boolean;
}

/** What the sweep shows. */
export interface DecayAnalysis {
  rows: DecayRow[];
  /** Final training loss rises with every step up in power. */
  lossRisesWithPower: boolean;
  /** Final test accuracy falls with every step up in power. */
  accFallsWithPower: boolean;
  /** The row with the lowest final training loss, and the one with the best final test accuracy. */
  bestLoss: DecayRow;
  bestAcc: DecayRow;
}

/**
 * Read the sweep.
 *
 * @param runs One run per power, in the order of `powers`.
 * @param powers The powers of the runs.
 * @returns What the sweep shows.
 */
export function analyzeDecay(
  runs: readonly RunResult[],
  powers: readonly number[] = POWERS,
): DecayAnalysis {
  if (runs.length !== powers.length || runs.length < 2) {
    throw new RangeError(`analyzeDecay: need one run per power (at least 2)`);
  }
  const rows = runs.map((run, i): DecayRow => {
    const power = powers[i];
    const n = run.config.epochs * run.config.updatesPerEpoch;
    const mid = run.history[Math.floor(run.config.epochs / 2) - 1] ?? run.history[0];
    let sum = 0;
    for (let u = 0; u < n; u++) sum += (1 - u / n) ** power;
    return {
      power,
      meanLr: DECAY_BASE_LR * sum / n,
      tenthAt: 1 - 0.1 ** (1 / power),
      finalTrainLoss: finalTrainLoss(run),
      finalTestAcc: finalTestAcc(run),
      midTrainLoss: mid?.trainLoss ?? NaN,
      diverged: run.divergedAt !== null,
    };
  });
  const pairs = rows.slice(1).map((r, i) => [rows[i], r] as const);
  const byLoss = [...rows].sort((a, b) => a.finalTrainLoss - b.finalTrainLoss);
  const byAcc = [...rows].sort((a, b) => b.finalTestAcc - a.finalTestAcc);
  return {
    rows,
    lossRisesWithPower: pairs.every(([a, b]) => b.finalTrainLoss > a.finalTrainLoss),
    accFallsWithPower: pairs.every(([a, b]) => b.finalTestAcc < a.finalTestAcc),
    bestLoss: byLoss[0],
    bestAcc: byAcc[0],
  };
}

/**
 * The answer's findings, in words, from the sweep's numbers.
 *
 * @param a The analysis.
 * @returns Markdown.
 */
export function decayFindings(a: DecayAnalysis): string {
  const losses = a.rows.map((r) => `${num(r.finalTrainLoss, 3)} (p = ${r.power})`).join(", ");
  const accs = a.rows.map((r) => `${pct(r.finalTestAcc)} (p = ${r.power})`).join(", ");
  const order = a.lossRisesWithPower
    ? `It rises with every step up in the exponent.`
    : `It does not rise steadily with the exponent: the lowest final loss came from p = ${a.bestLoss.power}.`;
  const means = a.rows.map((r) => `${num(r.meanLr, 2)} (p = ${r.power})`).join(", ");
  const last = a.rows[a.rows.length - 1];
  const acc = a.accFallsWithPower
    ? `The test accuracy falls in the same order: ${accs}.`
    : `The test accuracy does not follow the same order: ${accs}; the best came from p = ${a.bestAcc.power}.`;
  return [
    `Final training loss: ${losses}. ${order} The exponent decides how early the rate collapses: ` +
    `with p = ${last.power} it is below a tenth of its start after ${
      Math.round(100 * last.tenthAt)
    }% of the run, with p = ${a.rows[0].power} only after ${
      Math.round(100 * a.rows[0].tenthAt)
    }%. ` +
    `Over the whole run the mean rate is η₀ / (p + 1): ${means}.` +
    (a.lossRisesWithPower
      ? ` A larger exponent spends most of the run at rates too small to move the weights much, ` +
        `so convergence stops early; a smaller one keeps taking large steps until the last epochs, ` +
        `and in a run of this length that is worth more than settling early.`
      : ` The mean rate alone does not explain the order here: where the decay happens matters too.`),
    acc,
  ].join("\n\n");
}
