/**
 * Chapter "schedulers": setting the rate by hand, then a schedule: the
 * square-root decay, its curve and its run.
 *
 * From the seed's section "调度器" (Schedulers): paragraph 1 (MXNet's
 * `set_learning_rate`, replaced by tfjs's `setLearningRate` and our
 * `setLearningRate` for optimizers without one) and its code gap -> `by-hand`;
 * paragraph 2 (the formula, lost in the draft, restored) -> `sqrt`;
 * paragraph 3 -> `sqrt-plot`; paragraph 4 -> `sqrt-run`, with the aside on
 * per-epoch versus per-update stepping; paragraph 5 (the results: better,
 * smoother, less overfitting, and why that is poorly understood) -> the
 * measured prose after `vs-baseline`. After that paragraph the draft has a
 * stray code gap, the multi-factor section's "intuition" paragraph and a
 * second copy of paragraph 5: the intuition paragraph is in the `multifactor`
 * chapter, where it belongs, and the copy is dropped. Added here:
 * `sqrt-peaks`, the schedule against the constant rate at the same peaks, so
 * that the run's lower peak is not mistaken for the schedule's doing.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  type CellContext,
  type Chapter,
  code,
  curve,
  md,
  type Output,
  prose,
  type SeedRuns,
} from "../lib/book/types.ts";
import { laterWindow } from "../lib/book/measure.ts";
import {
  fairPeakClaims,
  PEAKS,
  peakTable,
  SWEEP_SEEDS,
  sweepOf,
  sweepPeaks,
} from "../lib/book/peaks.ts";
import { DEFAULT_SEEDS, groupOf, groupScope } from "../lib/book/seeds.ts";
import { compareGroupWith } from "../lib/book/spread_table.ts";
import {
  compareGroups,
  comparisonSentence,
  FINAL_GAP,
  FINAL_TRAIN_ACC,
  type GroupComparison,
  WOBBLE,
} from "../lib/book/verdict.ts";
import { cpuBackend } from "../lib/book/tfjs.ts";
import { type Schedule, sqrt, type SqrtOptions } from "../lib/schedules/mod.ts";
import { getLearningRate, setLearningRate } from "../lib/schedules/tfjs.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest, CONSTANT, constantRequest } from "./toy-problem.ts";
import { d2l } from "./references.ts";

// #region by-hand
/** Set the rate of two real tfjs optimizers by hand, and check that the next update uses it. */
async function byHand(): Promise<Output[]> {
  await cpuBackend(); // a few scalars: tfjs's plain CPU backend will do
  /** One update of a weight w = 1 whose gradient is 1: w moves by (about) the rate. */
  const oneStep = (optimizer: tf.Optimizer) => {
    const w = tf.variable(tf.scalar(1));
    optimizer.applyGradients({ [w.name]: tf.scalar(1) });
    return w.dataSync()[0];
  };
  const sgd = tf.train.sgd(0.3);
  const sgdBefore = getLearningRate(sgd);
  sgd.setLearningRate(0.1); // tfjs's own setter (SGD and momentum have one)

  const adam = tf.train.adam(0.3);
  const adamBefore = getLearningRate(adam);
  setLearningRate(adam, 0.1); // Adam has no setter: lib/schedules sets the field it reads

  return [{
    kind: "table",
    columns: ["optimizer", "rate before", "rate after", "w after one step (from 1, gradient 1)"],
    rows: [
      ["SGD", sgdBefore, getLearningRate(sgd), oneStep(sgd)],
      ["Adam", adamBefore, getLearningRate(adam), oneStep(adam)],
    ],
  }];
}
// #endregion by-hand

// #region sqrt
/** η = η0 (t + 1)^(-1/2) with η0 = 0.1, written by hand: a schedule is just a function. */
const sqrtByHand = (t: number) => 0.1 * (t + 1) ** -0.5;

/** The same schedule's options for the library: η0 = 0.1. */
export const SQRT_OPTIONS = { baseLr: 0.1 } satisfies SqrtOptions;

/** The schedule from the library, which also checks its options. A fresh one per call. */
export function sqrtSchedule(): Schedule {
  return sqrt(SQRT_OPTIONS);
}

/** Both, side by side at a few steps. */
function defineSqrt(): Output[] {
  const library = sqrtSchedule();
  const rows = [0, 1, 2, 3, 8, 99].map((t) => [t, sqrtByHand(t), library(t)]);
  return [{ kind: "table", columns: ["t", "by hand", "sqrt({ baseLr: 0.1 })"], rows }];
}
// #endregion sqrt

// #region sqrt-plot
/** The square-root schedule over the 30 epochs of a run. */
function plotSqrt(): Output[] {
  return [curve("square root, η0 = 0.1", "epoch", sqrtSchedule(), 30)];
}
// #endregion sqrt-plot

// #region sqrt-run
/** The square-root run: η0 = 0.1 unless said otherwise, the rate set once per epoch from t = 0. */
export function sqrtRequest(peak: number = SQRT_OPTIONS.baseLr): TrainRequest {
  return {
    name: `square root ${peak}`,
    schedule: sqrt({ ...SQRT_OPTIONS, baseLr: peak }),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it over seeds 0–4. */
async function runSqrt(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(sqrtRequest())];
}
// #endregion sqrt-run

// #region vs-baseline
/** The toy problem's constant rate over the same seeds (stored runs if that chapter has run). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "sqrt-run", baselineRequest());
}
// #endregion vs-baseline

// #region sqrt-peaks
/** The name of the square-root schedule in the peak sweeps. */
export const SQRT = "square root";

/** The square-root schedule and the constant rate at each peak, two seeds each. */
async function sqrtPeaks(ctx: CellContext): Promise<Output[]> {
  const own = { peak: SQRT_OPTIONS.baseLr, group: groupOf(ctx.results, "sqrt-run") };
  const schedule = await sweepPeaks(ctx, SQRT, sqrtRequest, own);
  const base = { peak: BASELINE_LR, group: groupOf(ctx.results, "vs-baseline") };
  const constant = await sweepPeaks(ctx, CONSTANT, constantRequest, base);
  return [peakTable(schedule, constant, PEAKS, { a: SQRT, b: CONSTANT }), ...schedule, ...constant];
}
// #endregion sqrt-peaks

/** The same schedule stepped per epoch and per update, in numbers: why the unit matters. */
function unitAside(): string {
  const lr = sqrtSchedule();
  const perEpoch = Math.ceil(60_000 / 256); // updates in one epoch of the full data
  const f = (x: number) => x.toPrecision(2);
  return md`
The unit of $t$ matters as much as the formula. The original chapter's MXNet edition hands the
scheduler to its \`Trainer\`, which calls it with the number of *updates* made so far; its PyTorch
edition sets the rate from the same kind of scheduler once per *epoch*. With ${perEpoch} updates
per epoch, these are two different experiments: stepped per update, $\eta_0 (t+1)^{-1/2}$ is
already down to ${f(lr(perEpoch))} when the second epoch begins and to ${
    f(lr(29 * perEpoch))
  } in the last epoch; stepped per epoch, the rate of the second epoch is ${f(lr(1))} and that of
the last ${
    f(lr(29))
  }. [The curve above](fig:sqrt-plot) counts epochs, and so does the run: its request says
\`stepsPer: "epoch"\`, and the engine sets the rate of every update of epoch $t$ (counted from 0)
to $\eta_0 (t+1)^{-1/2}$.
`;
}

/** "Confirmed", "Not confirmed" or "No verdict", by a comparison's outcome. */
function mark(c: GroupComparison, wanted: "higher" | "lower"): string {
  return c.verdict === wanted
    ? "confirmed"
    : c.verdict === "undecided"
    ? "no verdict"
    : "not confirmed";
}

/**
 * The seed's claims about the square-root run, checked against the
 * constant-rate baseline over the same seeds: better, smoother, less
 * overfitting.
 *
 * @param run The square-root schedule over seeds.
 * @param baseline The constant rate over the same seeds.
 * @returns Markdown.
 */
export function sqrtClaims(run: SeedRuns, baseline: SeedRuns): string {
  const names = { a: "the square-root schedule", b: "the constant rate" };
  const better = compareGroups(run, baseline);
  const n = Math.min(...[...run.runs, ...baseline.runs].map((r) => r.history.length));
  const [from, to] = laterWindow(n);
  const smooth = compareGroups(run, baseline, WOBBLE);
  const smoothWhere = smooth.undecided === "unmeasurable"
    ? ""
    : ` The wobble is taken over epochs ${from}–${to}, the later two thirds of the runs.`;
  const gap = compareGroups(run, baseline, FINAL_GAP);
  const fit = compareGroups(run, baseline, FINAL_TRAIN_ACC);
  const lessFit = gap.verdict === "lower" && fit.verdict === "lower"
    ? ` Part of that is simply less fitting: ${lower(comparisonSentence(fit, names))}`
    : "";
  const why = gap.verdict === "lower"
    ? "Why some schedules lead to less overfitting"
    : "When a decaying rate does reduce overfitting, as it often does, why it does so";
  return md`${groupScope(run)}

The original chapter finds this run much better than the constant rate, in two ways: the curves
are smoother, and there is less overfitting. Our runs:

- **Better than before: ${mark(better, "higher")}.** ${comparisonSentence(better, names)}
- **Smoother curves: ${mark(smooth, "lower")}.** ${comparisonSentence(smooth, names)}${smoothWhere}
- **Less overfitting: ${mark(gap, "lower")}.** ${comparisonSentence(gap, names)}${lessFit}

${why} is not well understood in theory. One argument holds that smaller steps keep the
parameters closer to zero, and hence the model simpler. That cannot be the whole story, since we
do not really stop training early: we merely lower the rate gently.
`;
}

/** A sentence's first letter in lower case, to follow a colon. */
function lower(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * What the peak sweep says: the schedule against the constant rate peak for
 * peak, what that means for the chapter's comparison, each at its best peak,
 * and the peak alone (the constant rate at 0.1 against 0.3).
 *
 * @param schedule The square-root schedule at each peak of {@linkcode PEAKS}.
 * @param constant The constant rate at the same peaks.
 * @returns Markdown.
 */
export function sqrtPeakClaims(
  schedule: readonly SeedRuns[],
  constant: readonly SeedRuns[],
): string {
  return fairPeakClaims(schedule, constant, SQRT_OPTIONS.baseLr, BASELINE_LR, {
    a: "the square-root schedule",
    b: "the constant rate",
  });
}

const chapter: Chapter = {
  slug: "schedulers",
  title: "Schedulers",
  original: d2l("Schedulers"),
  source: import.meta.url,
  // The schedule and the baseline over five seeds; the schedule at two more peaks and the
  // constant rate at two more over two seeds each (the other two peaks reuse runs above).
  trainingRuns: 2 * DEFAULT_SEEDS.length + 2 * (PEAKS.length - 1) * SWEEP_SEEDS.length,
  playground: {
    after: "sqrt-plot",
    schedules: [{ kind: "sqrt", options: SQRT_OPTIONS }],
    fullRun: sqrtRequest,
  },
  cells: [
    prose(md`
# Schedulers

The bluntest way to control the learning rate is to overwrite it by hand whenever we like. In TensorFlow.js the
SGD optimizer (and the momentum optimizer, its subclass) has a method for that,
\`setLearningRate\`, which rebuilds the tensor the update multiplies by. Adam, RMSProp, Adagrad,
Adadelta and Adamax have no such method: they read a plain \`learningRate\` field at every update.
Our library's \`setLearningRate(optimizer, rate)\` (in \`lib/schedules/tfjs.ts\`) handles both
kinds. With it a training loop can lower the rate once per epoch or once per minibatch, and
could even react to the loss as it goes. The cell changes the rate of two real
optimizers and makes one update with each, to show that the new rate is the one used.
`),
    code("by-hand", "Set the learning rate of a tfjs optimizer by hand", byHand),
    prose(md`
More generally we want a *schedule*: a function that, given the number of steps taken so far,
returns the rate to use next. A simple one decays the rate with the square root of the step count,

$$\eta_t = \eta_0 (t+1)^{-1/2}.$$

In our library a schedule is exactly that, a pure function \`(step) => rate\`; \`sqrt({ baseLr })\`
is this formula plus checks on its options. The cell writes the formula by hand and compares it
with the library's version.
`),
    code("sqrt", "The square-root schedule, by hand and from the library", defineSqrt),
    prose(md`Let us plot its behavior over the 30 epochs of a run.`),
    code("sqrt-plot", "Plot the square-root schedule over 30 epochs", plotSqrt),
    prose(md`
Next we train LeNet on Fashion-MNIST with it. The training function takes the schedule as part of
its request (the \`schedule\` field), here with $\eta_0 = 0.1$.
`),
    prose(() => unitAside()),
    code(
      "sqrt-run",
      "Train with the square-root schedule (η0 = 0.1, per epoch), over seeds",
      runSqrt,
    ),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem, over the same seeds",
      vsBaseline,
    ),
    prose((results) => sqrtClaims(groupOf(results, "sqrt-run"), groupOf(results, "vs-baseline"))),
    prose(md`
## The schedule or its peak? {#peaks}

The square-root run starts at 0.1 and the constant rate sits at 0.3, so the two differ in their
peak as well as in their shape. To see which of the two matters, we train the square-root
schedule at the [toy problem's peaks](toy-problem.html#peaks), 0.1, 0.3 and 0.5, two seeds each
(at 0.1 these are seeds 0 and 1 of the runs above), and set each against the constant rate at the
same peak.
`),
    code(
      "sqrt-peaks",
      "The square-root schedule and the constant rate at peaks 0.1, 0.3 and 0.5",
      sqrtPeaks,
    ),
    prose((results) =>
      sqrtPeakClaims(sweepOf(results, "sqrt-peaks", SQRT), sweepOf(results, "sqrt-peaks", CONSTANT))
    ),
  ],
};

export default chapter;
