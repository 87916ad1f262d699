/**
 * Exercise 3: the cosine schedule on a larger vision problem. ImageNet is out
 * of reach on this machine; what the literature reports about it is kept
 * here as data with its sources, and the experiment runs the largest problem
 * the machine allows: LeNet twice as wide, with data augmentation, on all of
 * Fashion-MNIST, for more epochs than the book's other runs.
 *
 * @module
 */

import { cosine, multifactor, type Schedule, step, warmup } from "../schedules/mod.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import {
  finalTestAcc,
  finalTrainLoss,
  num,
  type Outcome,
  outcome,
  pct,
  peakTestAcc,
  type Plan,
  sizes,
} from "./common.ts";

/** A published result, stated as the source states it. */
export interface Citation {
  /** The work's key in the book's bibliography (`chapters/references.ts`). */
  key: string;
  /** Authors, year. */
  authors: string;
  /** Title and venue. */
  title: string;
  /** What it reports that bears on the exercise. */
  finding: string;
}

/**
 * What the papers behind these schedules report, each checked against the
 * paper's abstract or its description of the training recipe.
 */
export const CITATIONS: readonly Citation[] = [
  {
    key: "loshchilov2017",
    authors: "Loshchilov & Hutter (2017)",
    title: "SGDR: Stochastic Gradient Descent with Warm Restarts, ICLR 2017",
    finding: "introduced the cosine schedule (with warm restarts) and reported test errors of " +
      "3.14% on CIFAR-10 and 16.21% on CIFAR-100, state of the art at the time; on ImageNet they " +
      "tested it only on a downsampled version of the data set, not at full resolution.",
  },
  {
    key: "goyal2017",
    authors: "Goyal et al. (2017)",
    title: "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
    finding: "trained ResNet-50 on ImageNet with minibatches of 8,192 images on 256 GPUs in one " +
      "hour, with no loss of accuracy against small minibatches, by scaling the rate linearly " +
      "with the minibatch size and ramping it up gradually (from the small-batch rate to the " +
      "scaled one over the first 5 epochs).",
  },
  {
    key: "he2019",
    authors: "He et al. (2019)",
    title: "Bag of Tricks for Image Classification with Convolutional Neural Networks, CVPR 2019",
    finding: "took as baseline the usual ResNet-50 recipe, a rate of 0.1 divided by 10 at " +
      "epochs 30, 60 and 90, and counted a cosine decay in place of those steps among the " +
      "refinements that together raised ResNet-50's top-1 validation accuracy on ImageNet from " +
      "75.3% to 79.29%.",
  },
];

// #region larger-schedules
/** The peak rate of all three schedules. */
export const LARGER_BASE_LR = 0.3;

/** LeNet with twice the channels and units, trained on randomly flipped and shifted images. */
export const LARGER_NET = { width: 2, augment: true } as const;

/**
 * The three schedules over a plan, each with the same linear warmup (the
 * first twentieth of the updates) and then:
 * - cosine: down to 0 at the last update;
 * - step: divided by 10 after each third of the rest (ResNet's 30/60 of 90 epochs);
 * - multi-factor: divided by 10 at half and at three quarters of the rest.
 */
export function largerSchedules(p: Plan): { name: string; schedule: Schedule }[] {
  const total = p.epochs * p.updatesPerEpoch;
  const ramp = Math.max(1, Math.round(total / 20));
  const rest = Math.max(3, total - ramp);
  const half = Math.round(rest / 2), threeQuarters = Math.max(half + 1, Math.round((3 * rest) / 4));
  const lr = LARGER_BASE_LR;
  return [
    { name: "cosine", schedule: cosine({ baseLr: lr, maxUpdate: ramp + rest, warmupSteps: ramp }) },
    {
      name: "step (÷10 every third)",
      schedule: warmup(step({ baseLr: lr, stepSize: Math.round(rest / 3) }), { steps: ramp }),
    },
    {
      name: "multi-factor (÷10 at 1/2, 3/4)",
      schedule: warmup(multifactor({ baseLr: lr, milestones: [half, threeQuarters] }), {
        steps: ramp,
      }),
    },
  ];
}

/** One run per schedule, the rate set every update. */
export function largerRequests(p: Plan): TrainRequest[] {
  return largerSchedules(p).map(({ name, schedule }) => ({
    name,
    schedule,
    stepsPer: "update",
    ...LARGER_NET,
    ...sizes(p),
  }));
}
// #endregion larger-schedules

/** One schedule's result. */
export interface LargerRow {
  name: string;
  outcome: Outcome;
  finalTestAcc: number;
  peakTestAcc: number;
  finalTrainLoss: number;
  finalTrainAcc: number;
  /** Mean absolute epoch-to-epoch change of test accuracy over the last third: the noise level. */
  wobble: number;
}

/** What the comparison shows. */
export interface LargerAnalysis {
  cosine: LargerRow;
  others: LargerRow[];
  /** The better of the step schedules at the end. */
  bestOther: LargerRow;
  /** Cosine's final test accuracy minus the best step schedule's. */
  margin: number;
  /** Differences up to this count as noise: the largest wobble of the runs compared. */
  noise: number;
  verdict: "better" | "same" | "worse";
  /** Cosine ended at least as well as the best step schedule, within noise. */
  cosineAtLeastAsGood: boolean;
  /** The best final test accuracy of the three minus the worst. */
  spread: number;
}

function wobble(run: RunResult): number {
  const h = run.history;
  const from = Math.max(1, Math.floor((2 * h.length) / 3));
  const changes = h.slice(from).map((e, i) => Math.abs(e.testAcc - h[from + i - 1].testAcc));
  return changes.length ? changes.reduce((a, b) => a + b, 0) / changes.length : 0;
}

/**
 * Read the comparison.
 *
 * @param runs The runs of {@linkcode largerRequests}, cosine first.
 * @returns What the comparison shows.
 */
export function analyzeLarger(runs: readonly RunResult[]): LargerAnalysis {
  if (runs.length < 2) {
    throw new RangeError("analyzeLarger: need cosine and at least one other run");
  }
  const rows = runs.map((run): LargerRow => ({
    name: run.name,
    outcome: outcome(run),
    finalTestAcc: finalTestAcc(run),
    peakTestAcc: peakTestAcc(run),
    finalTrainLoss: finalTrainLoss(run),
    finalTrainAcc: run.history[run.history.length - 1]?.trainAcc ?? 0,
    wobble: wobble(run),
  }));
  const [cos, ...others] = rows;
  const bestOther = others.reduce((a, b) => (b.finalTestAcc > a.finalTestAcc ? b : a));
  const margin = cos.finalTestAcc - bestOther.finalTestAcc;
  const noise = Math.max(...rows.map((r) => r.wobble));
  const verdict = margin > noise ? "better" : margin < -noise ? "worse" : "same";
  return {
    cosine: cos,
    others,
    bestOther,
    margin,
    noise,
    verdict,
    cosineAtLeastAsGood: verdict !== "worse",
    spread: Math.max(...rows.map((r) => r.finalTestAcc)) -
      Math.min(...rows.map((r) => r.finalTestAcc)),
  };
}

/**
 * The answer's findings, in words, from the comparison's numbers.
 *
 * @param a The analysis.
 * @returns Markdown.
 */
export function largerFindings(a: LargerAnalysis): string {
  const rows = [a.cosine, ...a.others];
  const finals = rows.map((r) => `${r.name} ${pct(r.finalTestAcc)}`).join(", ");
  const peaks = rows.map((r) => `${pct(r.peakTestAcc)}`).join(", ");
  const losses = rows.map((r) => num(r.finalTrainLoss, 3)).join(", ");
  const gap = `${(100 * Math.abs(a.margin)).toFixed(2)} points`;
  const verdict = a.verdict === "better"
    ? `Cosine ended **ahead** of the better step schedule (${a.bestOther.name}) by ${gap}, more than ` +
      `the runs' own epoch-to-epoch noise of ${(100 * a.noise).toFixed(2)} points.`
    : a.verdict === "same"
    ? `Cosine ended **level** with the better step schedule (${a.bestOther.name}): ${gap} apart, ` +
      `within the runs' own epoch-to-epoch noise of ${(100 * a.noise).toFixed(2)} points.`
    : `Cosine ended **behind** the better step schedule (${a.bestOther.name}) by ${gap}, more than ` +
      `the runs' own epoch-to-epoch noise of ${(100 * a.noise).toFixed(2)} points.`;
  const failed = rows.filter((r) => r.outcome !== "trained");
  return [
    `Final test accuracy: ${finals} (best epochs along the way: ${peaks}), ${
      (100 * a.spread).toFixed(2)
    } points from best to worst; final training losses, listed the same way: ${losses}. ${verdict}` +
    (failed.length ? ` Runs that did not train: ${failed.map((r) => r.name).join(", ")}.` : ""),
    (a.verdict === "worse"
      ? `On this problem the hand-placed steps did better than the cosine. `
      : `On this problem the cosine did at least as well as hand-placed steps, with one setting ` +
        `fewer to choose: no milestones, only the length of the run. `) +
    `One seed per schedule cannot tell differences of a few tenths of a point from luck, so the ` +
    `comparison says what these runs did, not what the schedules always do.`,
  ].join("\n\n");
}
