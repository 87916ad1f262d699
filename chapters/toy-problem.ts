/**
 * Chapter "toy-problem": LeNet on Fashion-MNIST, and the constant-rate baseline
 * every later chapter compares with.
 *
 * From the seed's section "玩具问题" (A Toy Problem): its first paragraph is the
 * first prose cell ("we hybridize the network" replaced by what our engine
 * does); its code gap is the cell `setup`; its second paragraph is split into
 * the prose before `baseline` (the settings) and the measured prose after it
 * (the claims: training accuracy keeps rising, test accuracy stalls, the gap
 * means overfitting). The seed lost the baseline's own code cell; it is
 * restored as `baseline`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  type CellContext,
  type Chapter,
  code,
  md,
  type Output,
  prose,
  region,
} from "../lib/book/types.ts";
import { percent, points, runOf, scope, summarize } from "../lib/book/measure.ts";
import { cpuBackend } from "../lib/book/tfjs.ts";
import { constant } from "../lib/schedules/mod.ts";
import { initLeNet } from "../lib/train/lenet.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { d2l } from "./references.ts";

// #region setup
/** The network every experiment trains, as the engine initializes it, and the shared settings. */
async function setup(ctx: CellContext): Promise<Output[]> {
  // What a run of this chapter actually uses (a quick run changes epochs and sizes).
  const c = ctx.configOf(baselineRequest());
  await cpuBackend(); // a one-off look at the weights: tfjs's plain CPU backend will do
  const params = initLeNet(c.seed); // the engine's starting point: Xavier-uniform, zero biases
  const count = (n: number) => n.toLocaleString("en-US");
  const rows = Object.entries(params).map(([name, w]) => [name, w.shape.join("×"), count(w.size)]);
  const total = Object.values(params).reduce((n, p) => n + p.size, 0);
  tf.dispose(Object.values(params));
  const settings = [
    `LeNet: ${count(total)} parameters, initialized from seed ${c.seed}`,
    `minibatch SGD (no momentum, no weight decay): w ← w − η·∇loss, batch ${c.batchSize}`,
    `${count(c.trainSize)} training images: ${c.updatesPerEpoch} updates per epoch`,
    `${c.epochs} epoch(s), each followed by the accuracy on ${count(c.testSize)} test images`,
    `one call per run: ctx.train({ name, schedule, stepsPer: "epoch" | "update", epochs })`,
  ];
  return [
    { kind: "table", columns: ["parameter", "shape", "size"], rows },
    { kind: "text", text: settings.join("\n") },
  ];
}
// #endregion setup

// #region baseline
/** The toy problem's run: a constant rate of 0.3 for 30 epochs. */
export function baselineRequest(): TrainRequest {
  return {
    name: "constant 0.3",
    schedule: constant({ baseLr: 0.3 }),
    stepsPer: "epoch", // a constant rate is the same per epoch or per update
    epochs: 30,
  };
}

/** Train it. */
async function baseline(ctx: CellContext): Promise<Output[]> {
  return [{ kind: "run", run: await ctx.train(baselineRequest()) }];
}
// #endregion baseline

/**
 * The seed's claims about the baseline, checked: training accuracy keeps
 * rising over the last third of the run; test accuracy rises less than half as
 * much there ("stalls"); the final train-test gap is positive and wider than a
 * third of the way from the end ("overfitting").
 */
function baselineClaims(run: RunResult): string {
  const h = run.history, n = h.length, s = summarize(run);
  const intro = md`${scope(run)}

The original chapter observes that the training accuracy keeps on increasing while the test
accuracy stalls beyond some point, and reads the gap between the two curves as overfitting.`;
  if (n < 3) {
    return md`${intro} A run of ${n} epoch${n === 1 ? "" : "s"} is too short to show a trend: after
it, the training accuracy is ${percent(s.finalTrainAcc)} and the test accuracy
${percent(s.finalTestAcc)}.`;
  }
  const k = Math.round((2 * n) / 3); // the start of the last third
  const trainRise = h[n - 1].trainAcc - h[k - 1].trainAcc;
  const testRise = h[n - 1].testAcc - h[k - 1].testAcc;
  const gapThen = h[k - 1].trainAcc - h[k - 1].testAcc;
  const rising = trainRise > 0
    ? md`**Confirmed:** over the last third of the run (epochs ${k + 1}–${n}) the training accuracy
went on rising, from ${percent(h[k - 1].trainAcc)} to ${percent(h[n - 1].trainAcc)}
(${points(trainRise, true)}).`
    : md`**Not confirmed:** over the last third of the run (epochs ${k + 1}–${n}) the training
accuracy did not rise (${points(trainRise, true)}).`;
  const stalls = testRise < trainRise / 2
    ? md`Over the same epochs the test accuracy changed by only ${points(testRise, true)}, less than
half as much: it **stalls**, as claimed (its best, ${percent(s.peakTestAcc)}, came after epoch
${s.peakEpoch}).`
    : md`The test accuracy, though, kept pace (${
      points(testRise, true)
    } over the same epochs), so it
**did not stall** in this run.`;
  const gap = s.gap > 0 && s.gap > gapThen
    ? md`At the end the training accuracy exceeds the test accuracy by ${points(s.gap)}, up from
${points(gapThen, true)} after epoch ${k}: a widening gap, the mark of **overfitting**, as
claimed.`
    : md`At the end the training accuracy minus the test accuracy is ${points(s.gap, true)}, against
${points(gapThen, true)} after epoch ${k}: the gap **did not widen**, so this run does not show
growing overfitting.`;
  return `${intro}\n\n${rising} ${stalls} ${gap}`;
}

const chapter: Chapter = {
  slug: "toy-problem",
  title: "A Toy Problem",
  original: d2l("Toy Problem"),
  source: import.meta.url,
  trainingRuns: 1,
  cells: [
    prose(md`
# A Toy Problem

We start with a problem that is cheap enough to compute in minutes on a laptop, yet not so
trivial that it hides what matters: a slightly modernized LeNet (ReLU activations instead of
sigmoids, max-pooling instead of average pooling) trained on Fashion-MNIST. The original chapter
"hybridizes" the network at this point, compiling it to a static graph for speed. Our training
engine (\`lib/train\`) gets its speed differently: it computes the whole training step in a few
small WebAssembly SIMD kernels of its own, with every activation kept in one block of memory, and
splits each minibatch across the machine's cores. None of that changes the mathematics: the
engine's gradients agree with those of the TensorFlow.js model shown below to float precision
(the tests check it), every run is plain minibatch SGD on LeNet, and only the learning rate
differs from run to run.

Since the model and the loop are standard, we show them without further discussion; the LeNet
section of the chapter on convolutional networks is the place for a refresher. The cell lists the
layers and the settings every run shares; the network itself and the engine's training loop are
shown beside it.
`),
    code("setup", "LeNet and the training setup every run shares", setup, [
      region(new URL("../lib/train/architecture.ts", import.meta.url), "architecture"),
      region(new URL("../lib/train/lenet.ts", import.meta.url), "lenet"),
      region(new URL("../lib/train/replica.ts", import.meta.url), "loop"),
    ]),
    prose(md`
Let us see what happens with the default settings: a constant learning rate of 0.3 for 30
epochs. A request to the engine names its schedule, a function from the step count to the rate,
and says what a step is: here \`stepsPer: "epoch"\`. For a constant rate the two choices give
the same run, but every run in this book states its unit, because for any other schedule they
give very different ones. The cell shows the rate, loss and accuracies after every epoch.
`),
    code("baseline", "Train with a constant rate of 0.3 for 30 epochs (per epoch)", baseline),
    prose((results) => baselineClaims(runOf(results, "baseline"))),
  ],
};

export default chapter;
