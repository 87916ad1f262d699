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
 * restored as `baseline`, trained over seeds 0–4 (every claim is decided over
 * seeds, by the rule of `lib/book/verdict.ts`, which the chapter quotes).
 * Added here: `peaks`, the constant rate at 0.1 and 0.5 as well, two seeds
 * each, the baseline of every later chapter's peak sweep.
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
import type { SeedRuns } from "../lib/book/types.ts";
import { percent, summarize } from "../lib/book/measure.ts";
import {
  bestPeak,
  divergedNote,
  PEAKS,
  SWEEP_SEEDS,
  sweepOf,
  sweepPeaks,
} from "../lib/book/peaks.ts";
import { DEFAULT_SEEDS, groupOf, groupScope, seedsFor, seedsText } from "../lib/book/seeds.ts";
import { formatMeanSd, groupSpread, spreadOf } from "../lib/book/spread.ts";
import { spreadTable, verdictTable } from "../lib/book/spread_table.ts";
import {
  changeSentence,
  compareGroups,
  comparisonSentence,
  decidePaired,
  signedPlusMinus,
  VERDICT_RULE,
} from "../lib/book/verdict.ts";
import { cpuBackend } from "../lib/book/tfjs.ts";
import { constant } from "../lib/schedules/mod.ts";
import { initLeNet } from "../lib/train/lenet.ts";
import type { EpochRecord, TrainRequest } from "../lib/train/types.ts";
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
    `LeNet: ${count(total)} parameters, shown as seed ${c.seed} initializes them`,
    `minibatch SGD (no momentum, no weight decay): w ← w − η·∇loss, batch ${c.batchSize}`,
    `${count(c.trainSize)} training images: ${c.updatesPerEpoch} updates per epoch`,
    `${c.epochs} epoch(s), each followed by the accuracy on ${count(c.testSize)} test images`,
    `one call per experiment: ctx.trainSeeds({ name, schedule, stepsPer: "epoch" | "update", ` +
    `epochs }), one run per seed (${seedsText(seedsFor(ctx.options))})`,
  ];
  return [
    { kind: "table", columns: ["parameter", "shape", "size"], rows },
    { kind: "text", text: settings.join("\n") },
  ];
}
// #endregion setup

// #region baseline
/** The rate of the toy problem's run, the baseline every later chapter compares with. */
export const BASELINE_LR = 0.3;

/** A constant rate for 30 epochs. */
export function constantRequest(lr: number): TrainRequest {
  return {
    name: `constant ${lr}`,
    schedule: constant({ baseLr: lr }),
    stepsPer: "epoch", // a constant rate is the same per epoch or per update
    epochs: 30,
  };
}

/** The toy problem's run: a constant rate of 0.3. */
export function baselineRequest(): TrainRequest {
  return constantRequest(BASELINE_LR);
}

/** Train it once per seed (0–4), and tabulate how the seeds ended. */
async function baseline(ctx: CellContext): Promise<Output[]> {
  const group = await ctx.trainSeeds(baselineRequest());
  return [group, spreadTable([group])];
}
// #endregion baseline

// #region peaks
/** The name of the constant rate in the peak sweeps of this and later chapters. */
export const CONSTANT = "constant";

/** The constant rate at each peak of the sweep, two seeds each; 0.3 reuses the baseline's. */
async function constantPeaks(ctx: CellContext): Promise<Output[]> {
  const trained = { peak: BASELINE_LR, group: groupOf(ctx.results, "baseline") };
  const groups = await sweepPeaks(ctx, CONSTANT, constantRequest, trained);
  return [verdictTable(groups, groups[PEAKS.indexOf(BASELINE_LR)]), spreadTable(groups), ...groups];
}
// #endregion peaks

/** The mean over the seeds of a quantity of epoch `e` (1-based) of each run. */
function at(group: SeedRuns, e: number, f: (x: EpochRecord) => number): number[] {
  return group.runs.map((r) => f(r.history[e - 1]));
}

/** A sentence's first letter in capitals. */
function capital(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** The mean of some numbers. */
function mean(xs: readonly number[]): number {
  return spreadOf(xs).mean;
}

/**
 * The seed's claims about the baseline, checked over the seeds by the rule of
 * `lib/book/verdict.ts`: training accuracy keeps rising over the last third of
 * the run; test accuracy rises less than half as much there ("stalls"); the
 * gap between them widens ("overfitting").
 *
 * @param group The baseline over seeds.
 * @returns Markdown.
 */
export function baselineClaims(group: SeedRuns): string {
  const n = Math.min(...group.runs.map((r) => r.history.length));
  const s = groupSpread(group);
  const diverged = group.runs.filter((r) => r.divergedAt !== null);
  const divergence = diverged.length === 0 ? "" : ` ${
    capital(
      diverged.map((r) => `seed ${r.config.seed} diverged in epoch ${r.divergedAt}`).join(", "),
    )
  }, so these trends are over the ${n} epoch${n === 1 ? "" : "s"} every seed completed.`;
  const intro = md`${groupScope(group)}

The original chapter observes that the training accuracy keeps on increasing while the test
accuracy stalls beyond some point, and reads the gap between the two curves as overfitting.`;
  if (n < 3) {
    return md`${intro} A run of ${n} epoch${n === 1 ? "" : "s"} is too short to show a trend:
after it, the training accuracy is ${formatMeanSd(s.finalTrainAcc, "accuracy")} and the test
accuracy ${formatMeanSd(s.finalTestAcc, "accuracy")} (mean ± sd over the seeds).${divergence}`;
  }
  const k = Math.round((2 * n) / 3); // the last epoch before the last third
  const trainAcc = (e: number) => at(group, e, (x) => x.trainAcc);
  const testAcc = (e: number) => at(group, e, (x) => x.testAcc);
  const trainRise = trainAcc(n).map((a, i) => a - trainAcc(k)[i]);
  const testRise = testAcc(n).map((a, i) => a - testAcc(k)[i]);
  const last = `over the last third of the run (epochs ${k + 1}–${n})`;
  const train = changeSentence(trainRise, "points", { what: "the training accuracy", when: last });
  const means = ` (on average from ${percent(mean(trainAcc(k)))} after epoch ${k} to ` +
    `${percent(mean(trainAcc(n)))} after epoch ${n})`;
  const tv = train.decision.verdict;
  const rising = `**${
    tv === "higher" ? "Confirmed" : tv === "undecided" ? "No verdict" : "Not confirmed"
  }:** ${capital(train.text)}${means}.`;
  const test = changeSentence(testRise, "points", {
    what: "the test accuracy",
    when: "over the same epochs",
  });
  let stalls: string;
  if (tv === "higher") {
    // The claim in numbers: the test accuracy's change minus half the training accuracy's, per seed.
    const lag = decidePaired(testRise.map((t, i) => t - trainRise[i] / 2));
    const by = `its change minus half the training accuracy's was ${
      signedPlusMinus(lag.difference, lag.se, "points")
    } (mean over the seeds ± its standard error)`;
    const best = `its best, ${formatMeanSd(s.bestTestAcc, "accuracy")}, came after epoch ` +
      `${formatMeanSd(s.bestEpoch, "epoch")} (mean ± sd)`;
    const changed = `Over the same epochs the test accuracy changed by ${
      signedPlusMinus(mean(testRise), decidePaired(testRise).se, "points")
    }`;
    stalls = lag.verdict === "lower"
      ? `${changed}, less than half as much: ${by}, beyond twice the standard error. It ` +
        `**stalls**, as claimed (${best}).`
      : lag.verdict === "higher"
      ? `${changed}, more than half as much: ${by}, beyond twice the standard error. It kept ` +
        `pace, so it **did not stall**.`
      : `${changed}, not measurably less than half as much: ${by}, within twice the standard ` +
        `error. So these runs **do not show it stall**.`;
  } else {
    const why = tv === "lower"
      ? "Since the training accuracy fell,"
      : tv === "undecided"
      ? "With one seed there is no verdict on the training accuracy, and"
      : "Since the training accuracy did not rise measurably,";
    stalls = `${why} there is no rise for the test accuracy to fall behind: ${test.text}.`;
  }
  const gapThen = trainAcc(k).map((a, i) => a - testAcc(k)[i]);
  const gapEnd = trainAcc(n).map((a, i) => a - testAcc(n)[i]);
  const widen = changeSentence(gapEnd.map((g, i) => g - gapThen[i]), "points", {
    what: "it",
    when: `from epoch ${k} to epoch ${n}`,
  });
  const endGap = formatMeanSd(spreadOf(gapEnd), "points");
  const gv = widen.decision.verdict;
  const gap = gv === "higher" && mean(gapEnd) > 0
    ? `At the end the training accuracy exceeds the test accuracy by ${endGap} (mean ± sd), ` +
      `and ${widen.text}: a widening gap, the mark of **overfitting**, as claimed.`
    : `At the end the training accuracy minus the test accuracy is ${endGap} (mean ± sd), and ` +
      `${widen.text}` +
      (gv === "higher"
        ? `, but the training accuracy is not above the test accuracy: this is **not ` +
          `overfitting** yet.`
        : gv === "lower"
        ? `: the gap **narrowed**, so these runs do not show growing overfitting.`
        : gv === "undecided"
        ? "."
        : `: the gap **did not measurably widen**, so these runs do not show growing ` +
          `overfitting.`);
  return `${intro}\n\n${rising} ${stalls} ${gap}${divergence}`;
}

/**
 * What the constant rate's peak sweep shows: which of the three rates did
 * best, and each of the others against 0.3, by the rule.
 *
 * @param groups The constant rate at each peak of {@linkcode PEAKS}.
 * @returns Markdown.
 */
export function constantPeakClaims(groups: readonly SeedRuns[]): string {
  const base = groups[PEAKS.indexOf(BASELINE_LR)];
  const best = bestPeak(groups, PEAKS);
  const baseMean = percent(mean(base.runs.map((r) => summarize(r).finalTestAcc)));
  const lead = best === null
    ? "No rate's final test accuracy could be measured."
    : best.peak === BASELINE_LR
    ? `Of the three rates, the original chapter's ${BASELINE_LR} had the best mean final test ` +
      `accuracy (${percent(best.mean)}).`
    : `Of the three rates, ${best.peak} had the best mean final test accuracy ` +
      `(${percent(best.mean)}), not the original chapter's ${BASELINE_LR} (${baseMean}).`;
  const against = PEAKS.flatMap((peak, i) =>
    peak === BASELINE_LR ? [] : [
      comparisonSentence(compareGroups(groups[i], base), {
        a: `the constant rate of ${peak}`,
        b: `that of ${BASELINE_LR}`,
      }),
    ]
  );
  return md`${groupScope(groups[0])}

${lead} ${against.join(" ")}${divergedNote(groups)}`;
}

const chapter: Chapter = {
  slug: "toy-problem",
  title: "A Toy Problem",
  original: d2l("Toy Problem"),
  source: import.meta.url,
  // The baseline over five seeds, then the constant rate at the two other peaks over two.
  trainingRuns: DEFAULT_SEEDS.length + (PEAKS.length - 1) * SWEEP_SEEDS.length,
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

Since the model and the loop are standard, we show them without further discussion; the
[LeNet section](https://d2l.ai/chapter_convolutional-neural-networks/lenet.html) of the
original book's chapter on convolutional networks is the place for a refresher. The cell lists the
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
give very different ones.

One run would tell us what one network did. The seed of a run fixes its initial weights and the
order in which it sees the minibatches, and a different seed can end a few tenths of a point higher
or lower for no reason but luck. So the cell trains the same request five times, with seeds 0 to 4
and nothing else changed, and [the figure](fig:baseline) draws the mean of the five with a band of
one standard deviation around it (each seed's own curve is in the legend). The table gives each
measure as mean ± standard deviation and as the range from the lowest seed to the highest.
`),
    code(
      "baseline",
      "Train with a constant rate of 0.3 for 30 epochs (per epoch), over seeds",
      baseline,
    ),
    prose(() =>
      md`
Every claim this book checks is decided from such groups of seeds, by one rule:

> ${VERDICT_RULE}

The claims about a single group, like those below, apply the same rule to a change measured
within each seed's run: a trend is there if its mean over the seeds is more than twice its
standard error away from zero.
`
    ),
    prose((results) => baselineClaims(groupOf(results, "baseline"))),
    prose(md`
## How much the rate alone matters {#peaks}

The schedules of the [next chapters](schedulers.html) do not all start from 0.3: the square-root
schedule starts at 0.1, the multi-factor one at 0.5. A schedule that starts elsewhere differs from
our baseline in two ways at once, its shape and its peak, and a comparison of the two cannot say
which made the difference. So we also train the constant rate at 0.1 and 0.5, with two seeds each
(seeds 0 and 1, whose runs at 0.3 we already have). Two seeds give a rough look: the rule still
applies, but only a difference that is large against the two seeds' disagreement passes it. [Later
chapters](schedulers.html#peaks) train their schedules at the same three peaks and compare them with
these runs, peak for peak.
`),
    code("peaks", "The constant rate at 0.1, 0.3 and 0.5 (two seeds each)", constantPeaks),
    prose((results) => constantPeakClaims(sweepOf(results, "peaks", CONSTANT))),
  ],
};

export default chapter;
