/**
 * What the exercise experiments share: how big a sweep is, how its runs are
 * trained, and how a run ended.
 *
 * The same request builders and analyses serve the chapter (full size, runs
 * through the chapter's trainer and its cache) and the tests (reduced size,
 * the engine with a memory cache), so a test checks exactly the claims the
 * chapter's prose states.
 *
 * @module
 */

import type { ScheduleOutput } from "../book/types.ts";
import { resolveConfig } from "../train/train.ts";
import type { RunConfig, RunResult, TrainRequest } from "../train/types.ts";

/** The size of an experiment: epochs, data and the updates per epoch they give. */
export interface Plan {
  /** Passes over the training data. */
  epochs: number;
  /** Training images used (the first ones of the 60,000). */
  trainSize: number;
  /** Test images used (the first ones of the 10,000). */
  testSize: number;
  /** Minibatches per epoch at the engine's batch size of 256. */
  updatesPerEpoch: number;
}

/**
 * A plan: `epochs` passes over the first `trainSize` training images.
 *
 * @param epochs Passes over the data.
 * @param trainSize Training images (default all 60,000).
 * @param testSize Test images (default all 10,000).
 * @returns The plan, with the updates per epoch the engine will make.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { plan } from "./common.ts";
 * assert.equal(plan(30).updatesPerEpoch, 235);
 * assert.equal(plan(5, 6000, 2000).updatesPerEpoch, 24);
 * ```
 */
export function plan(epochs: number, trainSize = 60_000, testSize = 10_000): Plan {
  const config = resolveConfig({
    name: "plan",
    schedule: () => 0,
    stepsPer: "update",
    epochs,
    trainSize,
    testSize,
  });
  return {
    epochs: config.epochs,
    trainSize: config.trainSize,
    testSize: config.testSize,
    updatesPerEpoch: config.updatesPerEpoch,
  };
}

/** The sizes of a plan as request fields. */
export function sizes(p: Plan): Pick<TrainRequest, "epochs" | "trainSize" | "testSize"> {
  return { epochs: p.epochs, trainSize: p.trainSize, testSize: p.testSize };
}

/** Trains one request: a chapter passes `ctx.train`, a test the engine itself. */
export type Trainer = (request: TrainRequest) => Promise<RunResult>;

/**
 * Train the requests one after the other (each run uses every core already).
 *
 * @param trainer How to train one.
 * @param requests What to train.
 * @returns The runs, in the order of the requests.
 */
export async function trainAll(
  trainer: Trainer,
  requests: readonly TrainRequest[],
): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  for (const request of requests) runs.push(await trainer(request));
  return runs;
}

/** Test accuracy below this after the last epoch: the network learned next to nothing. */
export const CHANCE_LEVEL = 0.2;

/**
 * How a run ended.
 *
 * - `"diverged"`: a loss became NaN or infinite and the engine stopped the run;
 * - `"stalled"`: it ran to the end but its final test accuracy is below
 *   {@linkcode CHANCE_LEVEL} (10 classes: chance is 10%), typically because
 *   one huge step killed the ReLUs and the network now outputs a constant;
 * - `"trained"`: anything else.
 */
export type Outcome = "diverged" | "stalled" | "trained";

/**
 * How `run` ended (see {@linkcode Outcome}).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { outcome } from "./common.ts";
 * import { fakeRun } from "../book/_testing.ts";
 * assert.equal(outcome(fakeRun("a", [0.5, 0.9], [0.5, 0.85])), "trained");
 * assert.equal(outcome(fakeRun("b", [0.1, 0.1], [0.1, 0.1])), "stalled");
 * ```
 */
export function outcome(run: RunResult): Outcome {
  if (run.divergedAt !== null) return "diverged";
  return finalTestAcc(run) < CHANCE_LEVEL ? "stalled" : "trained";
}

/** Test accuracy after the last epoch (0 for a run that diverged in its first epoch). */
export function finalTestAcc(run: RunResult): number {
  return run.divergedAt !== null ? 0 : run.history[run.history.length - 1]?.testAcc ?? 0;
}

/** Mean training loss of the last epoch (`Infinity` for a run that diverged). */
export function finalTrainLoss(run: RunResult): number {
  return run.divergedAt !== null
    ? Infinity
    : run.history[run.history.length - 1]?.trainLoss ?? Infinity;
}

/** The best test accuracy after any epoch (0 if none). */
export function peakTestAcc(run: RunResult): number {
  return run.history.reduce(
    (best, e) => Math.max(best, Number.isFinite(e.testAcc) ? e.testAcc : 0),
    0,
  );
}

/**
 * The epochs (1-based) after which the mean training loss was higher than
 * after the epoch before: signs of an optimization that overshoots.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossRises } from "./common.ts";
 * import { fakeRun } from "../book/_testing.ts";
 * const run = fakeRun("a", [0.5, 0.6, 0.7], [0.5, 0.6, 0.7]);
 * run.history[1].trainLoss = 3; // up from epoch 1's loss
 * assert.deepEqual(lossRises(run), [2]);
 * ```
 */
export function lossRises(run: RunResult): number[] {
  const h = run.history;
  const rises: number[] = [];
  for (let i = 1; i < h.length; i++) {
    if (!(h[i].trainLoss <= h[i - 1].trainLoss)) rises.push(h[i].epoch);
  }
  return rises;
}

/**
 * A number with at most `digits` significant digits, without trailing zeros.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { num } from "./common.ts";
 * assert.equal(num(0.30000000000000004), "0.3");
 * assert.equal(num(1234.5, 3), "1230");
 * assert.equal(num(1.5871e12), "1.59e+12");
 * ```
 */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

/** An accuracy as a percentage with two decimals, e.g. `"88.12%"`. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * One sentence saying what size an experiment ran at, and, when that is
 * smaller than the chapter's full size, that the claims are about the full one.
 *
 * @param ran The plan the runs used.
 * @param full The chapter's full-size plan.
 * @returns Markdown.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { plan, scopeNote } from "./common.ts";
 * assert.match(scopeNote(plan(2, 1024), plan(30)), /quick run/);
 * assert.match(scopeNote(plan(30), plan(30)), /^\*Measured at full size/);
 * ```
 */
export function scopeNote(ran: Plan, full: Plan): string {
  const data = ran.trainSize === 60_000
    ? "all 60,000 training images"
    : `${ran.trainSize.toLocaleString("en-US")} of the 60,000 training images`;
  const what = `${ran.epochs} epoch${ran.epochs === 1 ? "" : "s"} on ${data}, ` +
    `${ran.updatesPerEpoch} updates per epoch`;
  return ran.epochs >= full.epochs && ran.trainSize >= full.trainSize
    ? `*Measured at full size: ${what}.*`
    : `*These numbers come from a quick run (${what}); the answer is about the full size of ` +
      `${full.epochs} epochs on all the data, which a quick run is too small to settle.*`;
}

/**
 * The plan a chapter cell runs with: `epochs` at full size, or whatever the
 * chapter's options (a quick run) make of it.
 *
 * @param configOf The cell context's `configOf`.
 * @param epochs The full-size number of epochs.
 * @returns The plan.
 */
export function planOf(configOf: (request: TrainRequest) => RunConfig, epochs: number): Plan {
  const c = configOf({ name: "plan", schedule: () => 0, stepsPer: "update", epochs });
  return fromConfig(c);
}

/** The plan a run was made with. */
export function fromConfig(c: RunConfig): Plan {
  return {
    epochs: c.epochs,
    trainSize: c.trainSize,
    testSize: c.testSize,
    updatesPerEpoch: c.updatesPerEpoch,
  };
}

/**
 * A schedule evaluated at about `points` evenly spaced updates of a run of
 * `total` updates (always including the first and the last), as a curve.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampledCurve } from "./common.ts";
 * const c = sampledCurve("halving", (t) => 1 / (t + 1), 1000, 10);
 * assert.equal(c.steps[0], 0);
 * assert.equal(c.steps[c.steps.length - 1], 999);
 * assert.ok(c.steps.length <= 12);
 * ```
 */
export function sampledCurve(
  label: string,
  schedule: (t: number) => number,
  total: number,
  points = 200,
): ScheduleOutput {
  const every = Math.max(1, Math.floor(total / points));
  const steps: number[] = [];
  for (let t = 0; t < total; t += every) steps.push(t);
  if (steps[steps.length - 1] !== total - 1) steps.push(total - 1);
  return { kind: "schedule", label, unit: "update", steps, lrs: steps.map((t) => schedule(t)) };
}
