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
 * chapter, where it belongs, and the copy is dropped.
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
} from "../lib/book/types.ts";
import {
  compareWith,
  laterWindow,
  points,
  runOf,
  scope,
  summarize,
  versus,
  versusText,
} from "../lib/book/measure.ts";
import { cpuBackend } from "../lib/book/tfjs.ts";
import { type Schedule, sqrt, type SqrtOptions } from "../lib/schedules/mod.ts";
import { getLearningRate, setLearningRate } from "../lib/schedules/tfjs.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { baselineRequest } from "./toy-problem.ts";
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
/** The square-root run: η0 = 0.1, the rate set once per epoch from epoch t = 0, 1, ... */
export function sqrtRequest(): TrainRequest {
  return { name: "square root 0.1", schedule: sqrtSchedule(), stepsPer: "epoch", epochs: 30 };
}

/** Train it. */
async function runSqrt(ctx: CellContext): Promise<Output[]> {
  return [{ kind: "run", run: await ctx.train(sqrtRequest()) }];
}
// #endregion sqrt-run

// #region vs-baseline
/** The toy problem's constant rate (from the run cache if that chapter has run), compared. */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareWith(ctx, "sqrt-run", baselineRequest());
}
// #endregion vs-baseline

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

/** The seed's claims about the square-root run, checked against the constant-rate baseline. */
function sqrtClaims(run: RunResult, baseline: RunResult): string {
  const v = versus(run, baseline);
  const a = summarize(run), b = summarize(baseline);
  const better = v.verdict === "higher"
    ? `**Better than before: confirmed.** ${versusText(v)}`
    : `**Better than before: not confirmed.** ${versusText(v)}`;
  const [from, to] = laterWindow(Math.min(a.epochs, b.epochs));
  const window = `Over epochs ${from}–${to} (the later two thirds of the runs)`;
  const smoother = a.wobble === null || b.wobble === null
    ? `**Smoother curves:** the runs are too short to measure (the measure needs at least 3 epochs).`
    : a.wobble < b.wobble
    ? `**Smoother curves: confirmed.** ${window}, the test accuracy changed by ${
      points(a.wobble)
    } from one epoch to the next on average, against ${points(b.wobble)} with the constant rate.`
    : `**Smoother curves: not confirmed.** ${window}, the test accuracy changed by ${
      points(a.wobble)
    } from one epoch to the next on average, against ${points(b.wobble)} with the constant rate.`;
  const lessFit = a.finalTrainAcc < b.finalTrainAcc
    ? ` Part of that is simply less fitting: the training accuracy itself ended ${
      points(b.finalTrainAcc - a.finalTrainAcc)
    } lower.`
    : "";
  const overfit = a.gap < b.gap
    ? `**Less overfitting: confirmed.** The final gap between training and test accuracy is ${
      points(a.gap, true)
    }, against ${points(b.gap, true)} with the constant rate.${lessFit}`
    : `**Less overfitting: not confirmed.** The final gap between training and test accuracy is ${
      points(a.gap, true)
    }, against ${points(b.gap, true)} with the constant rate.`;
  const why = a.gap < b.gap
    ? "Why some schedules lead to less overfitting"
    : "When a decaying rate does reduce overfitting, as it often does, why it does so";
  return md`${scope(run)}

The original chapter finds this run much better than the constant rate, in two ways: the curves
are smoother, and there is less overfitting. Our numbers:

- ${better}
- ${smoother}
- ${overfit}

${why} is not well understood in theory. One argument holds that smaller steps keep the
parameters closer to zero, and hence the model simpler. That cannot be the whole story, since we
do not really stop training early: we merely lower the rate gently.
`;
}

const chapter: Chapter = {
  slug: "schedulers",
  title: "Schedulers",
  original: d2l("Schedulers"),
  source: import.meta.url,
  trainingRuns: 2,
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
    code("sqrt-run", "Train with the square-root schedule (η0 = 0.1, per epoch)", runSqrt),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem",
      vsBaseline,
    ),
    prose((results) => sqrtClaims(runOf(results, "sqrt-run"), runOf(results, "vs-baseline"))),
  ],
};

export default chapter;
