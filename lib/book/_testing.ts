/**
 * Made-up runs for the tests and examples of `lib/book`.
 *
 * @module
 */

import { capEpoch, plateauStep, startPlateau } from "../train/plateau.ts";
import { ratesFor, resolveConfig } from "../train/train.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import type { Trainer } from "./run.ts";
import { seedGroup } from "./seeds.ts";
import type { RunsOutput } from "./types.ts";

/**
 * A run with the given per-epoch accuracies (and rates), as the engine would
 * report it: 30 epochs configured on 1,024 images unless `history` is longer.
 *
 * @param name The run's name.
 * @param trainAcc Training accuracy per epoch.
 * @param testAcc Test accuracy per epoch (same length).
 * @param lrs Rate per epoch (default 0.1 throughout).
 * @param config Settings to override.
 * @returns The run.
 */
export function fakeRun(
  name: string,
  trainAcc: number[],
  testAcc: number[],
  lrs: number[] = trainAcc.map(() => 0.1),
  config: Partial<RunResult["config"]> = {},
): RunResult {
  return {
    name,
    config: {
      ...resolveConfig({
        name,
        schedule: () => 0.1,
        stepsPer: "epoch",
        epochs: Math.max(1, trainAcc.length),
        trainSize: 1024,
      }),
      ...config,
    },
    history: trainAcc.map((acc, i) => ({
      epoch: i + 1,
      lr: lrs[i],
      lrLast: lrs[i],
      trainLoss: 1 - acc,
      trainAcc: acc,
      testAcc: testAcc[i],
      seconds: 1,
    })),
    divergedAt: null,
    key: `fake-${name}`,
    cached: false,
  };
}

/**
 * A made-up group over seeds: one {@linkcode fakeRun} per seed, named
 * `"<label>, seed <s>"`, with the given test accuracies per epoch and a
 * training accuracy `gap` above them.
 *
 * @param label The group's label.
 * @param testAccBySeed Per seed, the test accuracy of each epoch.
 * @param seeds The seeds (default `0, 1, ...`).
 * @param gap Training accuracy minus test accuracy, every epoch (default 0.05).
 * @returns The group, as an output.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeGroup } from "./_testing.ts";
 * const g = fakeGroup("a", [[0.5, 0.6], [0.52, 0.61]], [3, 4]);
 * assert.deepEqual(g.runs.map((r) => [r.name, r.config.seed]), [["a, seed 3", 3], ["a, seed 4", 4]]);
 * ```
 */
export function fakeGroup(
  label: string,
  testAccBySeed: number[][],
  seeds: number[] = testAccBySeed.map((_, i) => i),
  gap = 0.05,
): RunsOutput {
  return seedGroup(
    label,
    testAccBySeed.map((testAcc, i) =>
      fakeRun(`${label}, seed ${seeds[i]}`, testAcc.map((a) => a + gap), testAcc, undefined, {
        seed: seeds[i],
      })
    ),
  );
}

/** One epoch of a made-up run: its training and test accuracy, and its rate (default 0.1). */
export interface FakeEpoch {
  /** Training accuracy. */
  train: number;
  /** Test accuracy. */
  test: number;
  /** The rate of the epoch. */
  lr?: number;
}

/** Options of {@linkcode fakeSeedRuns}. */
export interface FakeSeedRunsOptions {
  /** How many seeds, from 0 (default 3). */
  seeds?: number;
  /** The epochs each run is configured for, and trains unless it diverges (default 30). */
  epochs?: number;
  /** A quick run's 1,024 training images instead of all 60,000 (default false). */
  quick?: boolean;
  /** Seed → the epoch in which that seed's run diverged (its last). */
  diverge?: ReadonlyMap<number, number>;
  /** How the runs set the rate (default `"epoch"`). */
  stepsPer?: "epoch" | "update";
}

/**
 * A made-up experiment over seeds `0 … seeds - 1`: the run of seed `s`, named
 * `"<label>, seed <s>"`, has `epoch(s, e)` as its epoch `e` (from 1), for
 * every configured epoch or up to the one it diverges in.
 *
 * @param label The group's label.
 * @param epoch The accuracies (and rate) of each seed's each epoch.
 * @param options `{ seeds = 3, epochs = 30, quick = false, diverge, stepsPer = "epoch" }`.
 * @returns The group, as an output.
 *
 * @example Seed 1 diverges in its second epoch
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeSeedRuns } from "./_testing.ts";
 * const g = fakeSeedRuns("a", (s, e) => ({ train: 0.5 + e / 100, test: 0.5 + s / 100 }), {
 *   seeds: 2,
 *   epochs: 3,
 *   diverge: new Map([[1, 2]]),
 * });
 * assert.deepEqual(g.runs.map((r) => [r.name, r.history.length, r.divergedAt]), [
 *   ["a, seed 0", 3, null],
 *   ["a, seed 1", 2, 2],
 * ]);
 * assert.equal(g.runs[1].config.trainSize, 60_000);
 * ```
 */
export function fakeSeedRuns(
  label: string,
  epoch: (seed: number, epoch: number) => FakeEpoch,
  options: FakeSeedRunsOptions = {},
): RunsOutput {
  const { seeds = 3, epochs = 30, quick = false, diverge = new Map(), stepsPer = "epoch" } =
    options;
  const runs = Array.from({ length: seeds }, (_, s) => {
    const n = diverge.get(s) ?? epochs;
    const h = Array.from({ length: n }, (_, i) => epoch(s, i + 1));
    const run = fakeRun(
      `${label}, seed ${s}`,
      h.map((e) => e.train),
      h.map((e) => e.test),
      h.map((e) => e.lr ?? 0.1),
      { seed: s, epochs, trainSize: quick ? 1024 : 60_000, stepsPer },
    );
    if (diverge.has(s)) run.divergedAt = n;
    return run;
  });
  return seedGroup(label, runs);
}

/**
 * A trainer that trains nothing: it makes up a plausible history from the
 * request's rates, instantly (accuracy grows with the sum of the rates so
 * far; the test accuracy wobbles more at higher rates; a rate above
 * `divergeAbove` diverges). Seed 0 gives the same history at any
 * `seedNoise`; another seed moves each epoch's test accuracy by up to
 * `seedNoise` and its training accuracy by up to half that, by an amount
 * that depends on the seed, the epoch and the rate, so that runs over seeds
 * have a spread. A plateau request (`request.plateau`) is decided as the
 * engine decides it (`lib/train/plateau.ts`), on a made-up held-out loss and
 * accuracy that wobble like the test accuracy and creep up once the run
 * overfits, so its rates are cut, seed by seed. For tests of full-length
 * chapter runs, and for `./freeze.ts`, which finds the book's runs with it.
 *
 * A request that asks for the loss of every update (`updateLosses`, a
 * range test) gets {@linkcode fakeUpdateLosses}; such a run diverges in the
 * epoch of the first update whose rate is above `divergeAbove`, and its
 * losses stop before that update, as the engine's do.
 *
 * @param divergeAbove Rates above this make the run diverge (default: never).
 * @param seedNoise How far another seed moves the accuracies (default 0.006).
 * @returns The trainer, and the requests it was given.
 */
export function fakeTrainer(
  divergeAbove = Infinity,
  seedNoise = 0.006,
): Trainer & { requests: TrainRequest[] } {
  const requests: TrainRequest[] = [];
  const trainer = (request: TrainRequest): Promise<RunResult> => {
    requests.push(request);
    const config = resolveConfig(request);
    const rates = ratesFor(request.schedule, config);
    const u = config.updatesPerEpoch;
    const history: RunResult["history"] = [];
    const losses = config.updateLosses ? fakeUpdateLosses(rates, config.seed, divergeAbove) : null;
    let progress = 0, divergedAt: number | null = null;
    const settings = config.plateau;
    let state = settings ? startPlateau(settings) : null;
    if (state) capEpoch(rates, 0, u, state.lr);
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const lr = rates[(epoch - 1) * u], lrLast = rates[epoch * u - 1];
      // A range test diverges in the epoch of its first update above divergeAbove.
      const stops = losses !== null && losses.length < epoch * u && losses.length < rates.length;
      progress += lr;
      // Zero for seed 0 (sin 0), so seed 0's history is the same at any seedNoise; it depends
      // on the rate too, so that two schedules over the same seeds do not differ by the same
      // amount for every seed.
      const luck = seedNoise * Math.sin(config.seed * (1.7 + 0.37 * epoch + 5 * lr));
      const trainAcc = 0.97 - 0.87 * Math.exp(-progress / 1.5) + luck / 2;
      const wobble = 0.1 * Math.min(lr, 1) * Math.sin(2.1 * epoch);
      const testAcc = Math.max(
        0,
        Math.min(trainAcc, 0.9 - 0.8 * Math.exp(-progress) + wobble + luck),
      );
      const diverged = lr > divergeAbove || stops;
      history.push({
        epoch,
        lr,
        lrLast,
        trainLoss: diverged ? NaN : 1 - trainAcc,
        trainAcc: diverged ? 0.1 : trainAcc,
        testAcc: diverged ? 0 : testAcc,
        seconds: 0,
      });
      if (diverged) {
        divergedAt = epoch;
        break;
      }
      if (settings && state) {
        // The held-out images: a wobble of another phase, and a loss that grows with overfitting.
        const acc = Math.min(1, Math.max(0, testAcc + 0.3 * wobble * Math.cos(epoch) + luck / 3));
        const loss = 2.3 * (1 - acc) + 0.01 * Math.max(0, progress - 3);
        const step = plateauStep(settings, state, { loss, acc });
        state = step.state;
        history[epoch - 1].plateau = step.epoch;
        capEpoch(rates, epoch, u, state.lr);
      }
    }
    return Promise.resolve({
      name: request.name,
      config,
      history,
      divergedAt,
      ...(losses !== null ? { updateLosses: losses.slice(0, history.length * u) } : {}),
      key: `fake-${requests.length}`,
      cached: false,
    });
  };
  return Object.assign(trainer, { requests });
}

/**
 * A made-up loss of every update, for a run at `rates` (a range test, say): it falls from 2.3
 * towards 0.3 as the rates add up, plus 0.2 for every factor of ten the rate is away from 0.3,
 * and above 0.3 it climbs back, by 3 more per unit of rate, to the 2.3 of an untrained net
 * (which it never exceeds). So an exponentially rising rate gives a valley whose bottom is
 * near 0.3. Each seed other than 0
 * moves every loss by up to 0.02. The list stops before the first update whose rate is above
 * `divergeAbove`, as a diverged run's does.
 *
 * @param rates The rate of every update.
 * @param seed The seed.
 * @param divergeAbove Rates above this end the list (default: never).
 * @returns One loss per update, up to the first above `divergeAbove`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeUpdateLosses } from "./_testing.ts";
 * const rates = Array.from({ length: 200 }, (_, u) => 1e-3 * 10 ** (u / 50));
 * const losses = fakeUpdateLosses(rates, 0);
 * const lowest = losses.indexOf(Math.min(...losses));
 * assert.ok(rates[lowest] > 0.2 && rates[lowest] < 0.4); // the valley's bottom
 * assert.equal(fakeUpdateLosses(rates, 0, 0.5).length, 135); // updates 0–134 are at most 0.5
 * ```
 */
export function fakeUpdateLosses(
  rates: ArrayLike<number>,
  seed: number,
  divergeAbove = Infinity,
): number[] {
  const losses: number[] = [];
  let progress = 0;
  for (let u = 0; u < rates.length && !(rates[u] > divergeAbove); u++) {
    const lr = rates[u];
    const luck = 0.02 * Math.sin(seed * (2.3 + 0.71 * u));
    const away = 0.2 * Math.abs(Math.log10(lr / 0.3)) + 3 * Math.max(0, lr - 0.3);
    losses.push(Math.min(2.3, 0.3 + 2 * Math.exp(-progress) + away) + luck);
    progress += Math.min(lr, 0.3);
  }
  return losses;
}
