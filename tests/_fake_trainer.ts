/**
 * A fake training engine for the site's tests: runs made up from the
 * schedule (loss falls and accuracy rises with the summed rate), so a build
 * of the whole book takes seconds and needs no data. A request that asks for
 * the loss of every update (a range test) gets `lib/book/_testing.ts`'s
 * made-up losses for its rates.
 *
 * @module
 */

import { fakeUpdateLosses } from "../lib/book/_testing.ts";
import type { Trainer } from "../lib/book/run.ts";
import { ratesFor, resolveConfig } from "../lib/train/train.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";

/** Runs made up from the schedule: loss falls and accuracy rises with the summed rate. */
export function fakeTrainer(calls: TrainRequest[] = []): Trainer {
  return (request) => {
    calls.push(request);
    const config = resolveConfig(request);
    let progress = 0;
    const history = Array.from({ length: config.epochs }, (_, e) => {
      const first = config.stepsPer === "epoch" ? e : e * config.updatesPerEpoch;
      const last = config.stepsPer === "epoch" ? e : first + config.updatesPerEpoch - 1;
      const lr = request.schedule(first), lrLast = request.schedule(last);
      progress += (lr + lrLast) / 2;
      return {
        epoch: e + 1,
        lr,
        lrLast,
        trainLoss: 2.3 * Math.exp(-progress),
        trainAcc: 1 - 0.9 * Math.exp(-progress),
        testAcc: 1 - 0.92 * Math.exp(-progress),
        seconds: 0.5,
      };
    });
    // A request that keeps the loss of every update gets one, made up from the update's rate.
    const updateLosses = config.updateLosses
      ? fakeUpdateLosses(ratesFor(request.schedule, config), config.seed)
      : undefined;
    const result: RunResult = {
      name: request.name,
      config,
      history,
      divergedAt: null,
      ...(updateLosses ? { updateLosses } : {}),
      key: `fake-${request.name}-${config.epochs}-${config.stepsPer}`,
      cached: false,
    };
    return Promise.resolve(result);
  };
}
