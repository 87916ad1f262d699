/**
 * Made-up runs for the tests and examples of `lib/book`.
 *
 * @module
 */

import { ratesFor, resolveConfig } from "../train/train.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import type { Trainer } from "./run.ts";

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
 * A trainer that trains nothing: it makes up a plausible history from the
 * request's rates, instantly (accuracy grows with the sum of the rates so
 * far; the test accuracy wobbles more at higher rates; a rate above
 * `divergeAbove` diverges). For tests of full-length chapter runs.
 *
 * @param divergeAbove Rates above this make the run diverge (default: never).
 * @returns The trainer, and the requests it was given.
 */
export function fakeTrainer(
  divergeAbove = Infinity,
): Trainer & { requests: TrainRequest[] } {
  const requests: TrainRequest[] = [];
  const trainer = (request: TrainRequest): Promise<RunResult> => {
    requests.push(request);
    const config = resolveConfig(request);
    const rates = ratesFor(request.schedule, config);
    const u = config.updatesPerEpoch;
    const history: RunResult["history"] = [];
    let progress = 0, divergedAt: number | null = null;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const lr = rates[(epoch - 1) * u], lrLast = rates[epoch * u - 1];
      progress += lr;
      const trainAcc = 0.97 - 0.87 * Math.exp(-progress / 1.5);
      const wobble = 0.1 * Math.min(lr, 1) * Math.sin(2.1 * epoch);
      const testAcc = Math.max(0, Math.min(trainAcc, 0.9 - 0.8 * Math.exp(-progress) + wobble));
      const diverged = lr > divergeAbove;
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
    }
    return Promise.resolve({
      name: request.name,
      config,
      history,
      divergedAt,
      key: `fake-${requests.length}`,
      cached: false,
    });
  };
  return Object.assign(trainer, { requests });
}
