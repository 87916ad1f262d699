/**
 * Chapter "summary": the book's experiments side by side, and the seed's
 * summary points stated as measured.
 *
 * From the seed's section "小结" (Summary): its five points, each checked
 * against the runs of the earlier chapters (read back from the stored runs
 * when those chapters have run), over seeds and by the rule of
 * `lib/book/verdict.ts`. The seed has no code here; the cells `all-runs` (the
 * chapters' main experiments) and `best-peaks` (each schedule at its best peak
 * of the sweeps against the constant rate at its best) are ours, so that the
 * summary's claims rest on numbers.
 *
 * @module
 */

import {
  type CellContext,
  type Chapter,
  code,
  md,
  type Output,
  prose,
  type SeedRuns,
} from "../lib/book/types.ts";
import { percent } from "../lib/book/measure.ts";
import { bestPeak, PEAKS, SWEEP_SEEDS, sweepPeaks } from "../lib/book/peaks.ts";
import { DEFAULT_SEEDS, divergedSeeds, groupScope, groupsOf } from "../lib/book/seeds.ts";
import { groupSpread } from "../lib/book/spread.ts";
import { spreadTable, verdictTable } from "../lib/book/spread_table.ts";
import {
  compareGroups,
  comparisonSentence,
  countWord,
  FINAL_GAP,
  FINAL_TRAIN_ACC,
  type Metric,
  type SeedVerdict,
} from "../lib/book/verdict.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { COSINE, COSINE_OPTIONS, cosineRequest } from "./cosine.ts";
import {
  effectText,
  milestoneEffect,
  MULTIFACTOR,
  MULTIFACTOR_OPTIONS,
  multifactorRequest,
} from "./multifactor.ts";
import { SQRT, SQRT_OPTIONS, sqrtRequest } from "./schedulers.ts";
import { BASELINE_LR, baselineRequest, CONSTANT, constantRequest } from "./toy-problem.ts";
import { WARMUP_COSINE, warmupRequest } from "./warmup.ts";
import { d2l } from "./references.ts";

/** A schedule of the book: its name in the sweeps, its run at a peak, its chapter's peak. */
interface Schedule {
  name: string;
  request: (peak?: number) => TrainRequest;
  peak: number;
}

/** The four decaying schedules, in the order of the chapters. */
const SCHEDULES: readonly Schedule[] = [
  { name: SQRT, request: sqrtRequest, peak: SQRT_OPTIONS.baseLr },
  { name: MULTIFACTOR, request: multifactorRequest, peak: MULTIFACTOR_OPTIONS.baseLr },
  { name: COSINE, request: cosineRequest, peak: COSINE_OPTIONS.baseLr },
  { name: WARMUP_COSINE, request: warmupRequest, peak: COSINE_OPTIONS.baseLr },
];

// #region all-runs
/** Every chapter's main experiment over seeds 0–4 (the stored runs), against the constant rate. */
async function allRuns(ctx: CellContext): Promise<Output[]> {
  const groups = [await ctx.trainSeeds(baselineRequest())];
  for (const schedule of SCHEDULES) groups.push(await ctx.trainSeeds(schedule.request()));
  return [
    spreadTable(groups),
    verdictTable(groups, groups[0]),
    ...groups.map((g): Output => ({ ...g, reference: true })),
  ];
}
// #endregion all-runs

// #region best-peaks
/** Each schedule and the constant rate at its best peak of the chapters' sweeps, compared. */
async function bestPeaks(ctx: CellContext): Promise<Output[]> {
  const [constant, ...main] = groupsOf(ctx.results, "all-runs");
  const sweeps = [
    await sweepPeaks(ctx, CONSTANT, constantRequest, { peak: BASELINE_LR, group: constant }),
  ];
  for (const [i, schedule] of SCHEDULES.entries()) {
    const trained = { peak: schedule.peak, group: main[i] };
    sweeps.push(await sweepPeaks(ctx, schedule.name, schedule.request, trained));
  }
  // The peak with the best mean final test accuracy (a run has at least one epoch to measure).
  const best = sweeps.map((groups) => groups[bestPeak(groups, PEAKS)?.index ?? 0]);
  return [verdictTable(best, best[0]), ...best];
}
// #endregion best-peaks

/** A sentence's first letter in capitals. */
function capital(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** Names as a list in prose: "a", "a and b", "a, b and c". */
function names(list: string[]): string {
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

/** How many groups, and which: "none", "one (a)", "two (a and b)". */
function counted(groups: readonly SeedRuns[]): string {
  return groups.length === 0
    ? "none"
    : `${countWord(groups.length)} (${names(groups.map((g) => `**${g.label}**`))})`;
}

/** The groups whose comparison with `base` came out `verdict`. */
function withVerdict(
  groups: readonly SeedRuns[],
  base: SeedRuns,
  verdict: SeedVerdict,
  metric?: Metric,
): SeedRuns[] {
  return groups.filter((g) => compareGroups(g, base, metric).verdict === verdict);
}

/**
 * The verdicts of `groups` against `base`, in words: "higher, two (**a** and **b**); lower,
 * none; no measurable difference, two (**c** and **d**)", and "no verdict, ..." when there is one.
 */
function tally(groups: readonly SeedRuns[], base: SeedRuns): string {
  const outcomes: [SeedVerdict, string][] = [
    ["higher", "higher"],
    ["lower", "lower"],
    ["no measurable difference", "no measurable difference"],
    ["undecided", "no verdict"],
  ];
  return outcomes
    .map(([v, words]) => [withVerdict(groups, base, v), words] as const)
    .filter(([list], i) => i < 3 || list.length > 0)
    .map(([list, words]) => `${words}, ${counted(list)}`)
    .join("; ");
}

/**
 * The seed's five summary points, each with what our runs measured, over
 * seeds and by the rule.
 *
 * @param main The chapters' main experiments over seeds: the constant rate first, then the
 *   square-root, multi-factor, cosine and warmup schedules.
 * @param best The constant rate and each schedule at its best peak of the sweeps, same order.
 * @returns Markdown.
 */
export function summaryPoints(main: readonly SeedRuns[], best: readonly SeedRuns[]): string {
  const [baseline, , multi, cos] = main;
  const decaying = main.slice(1);
  const lessGap = withVerdict(decaying, baseline, "lower", FINAL_GAP);

  const effect = milestoneEffect(multi);
  const plateau = effect === null
    ? "The multi-factor runs are too short to show the effect of their milestone."
    : effectText(effect);

  const cosVersus = comparisonSentence(compareGroups(cos, baseline), {
    a: "the cosine schedule",
    b: "the constant rate",
  });

  const all = [...main, ...best].flatMap((g) => g.runs);
  const runs = [...new Map(all.map((r) => [r.key, r])).values()];
  const diverged = divergedSeeds([...main, ...best]);
  const cold = runs.filter((r) => (r.history[0]?.lr ?? 0) > 0);
  const divergence = diverged.length === 0
    ? `None of the ${runs.length} runs summarized here diverged, not even those that start at ` +
      `a rate of ${Math.max(...cold.map((r) => r.history[0].lr))} without warmup, so they ` +
      `cannot show this; [the fourth exercise](exercises.html#answer-4) looks for a rate at ` +
      `which warmup matters.`
    : `Diverged: ${diverged.join("; ")}.`;

  // The two experiments closest in mean final training accuracy: did they generalize alike?
  const s = main.map(groupSpread);
  let pair: [number, number] = [0, 1];
  const apart = (i: number, j: number) =>
    Math.abs(s[i].finalTrainAcc.mean - s[j].finalTrainAcc.mean);
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j < s.length; j++) if (apart(i, j) < apart(...pair)) pair = [i, j];
  }
  const [p, q] = pair.map((i) => main[i]);
  const pq = { a: `**${p.label}**`, b: `**${q.label}**` };
  const train = compareGroups(p, q, FINAL_TRAIN_ACC), test = compareGroups(p, q);
  const reading = train.verdict !== "no measurable difference"
    ? train.verdict === "undecided"
      ? " With one seed there is no verdict on either."
      : " Even these two differ measurably in training accuracy, so our runs hold no two that " +
        "reached the same training error."
    : test.verdict === "higher" || test.verdict === "lower"
    ? " So two schedules that fitted the training data equally well, as far as the seeds can " +
      "tell, generalized measurably differently: **confirmed**."
    : " They generalized alike too, so our runs **do not show** this.";
  const generalization = `The two experiments closest in mean final training accuracy are ` +
    `${pq.a} (${percent(s[pair[0]].finalTrainAcc.mean)}) and ${pq.b} ` +
    `(${percent(s[pair[1]].finalTrainAcc.mean)}). ${comparisonSentence(train, pq)} ` +
    `${comparisonSentence(test, pq)}${reading}`;

  const [constantBest, ...bestSchedules] = best;
  return md`${groupScope(baseline)}

- Decreasing the learning rate during training can improve accuracy and, most perplexingly,
  reduce overfitting. *Measured:* at the settings of their chapters, against the constant rate
  of ${BASELINE_LR} ([Table](tbl:all-runs-2)), our ${countWord(decaying.length)} decaying
  schedules came out as follows in final test accuracy: ${tally(decaying, baseline)}.
  ${capital(counted(lessGap))} ended with a measurably smaller gap between training and test
  accuracy. Each at its best peak of the chapters' sweeps, against the constant rate at its own
  best, **${constantBest.label}** ([Table](tbl:best-peaks)), with two seeds each (a rougher
  look): ${tally(bestSchedules, constantBest)}.
- Lowering the rate piecewise, whenever progress has stalled, works well in practice: it lets
  the optimization first converge efficiently to a suitable region, and only then reduces the
  inherent variance of the parameters by lowering the rate. *Measured:* ${plateau} The
  [plateau chapter](plateau.html) takes the advice literally, cutting the rate whenever a held-out
  loss stops improving, and weighs that against the constant rate on its own page.
- Cosine schedules are popular for some computer-vision problems; GluonCV (for MXNet) and
  PyTorch's \`CosineAnnealingLR\` implement one, and ours is \`lib/schedules/cosine.ts\`.
  *Measured:* ${cosVersus}
- A warmup period before the main optimization can prevent divergence. *Measured:* ${divergence}
- In deep learning the optimizer does more than drive the training loss down: two runs that
  reach the same training error with different algorithms or schedules can still generalize
  quite differently, and overfit by different amounts. *Measured:* ${generalization}
`;
}

const chapter: Chapter = {
  slug: "summary",
  title: "Summary",
  original: d2l("Summary"),
  source: import.meta.url,
  // The five main experiments over five seeds (all stored by their chapters), and the sweeps'
  // new peaks: five schedules (the constant rate among them) at two more peaks over two seeds.
  trainingRuns: 5 * DEFAULT_SEEDS.length + 5 * (PEAKS.length - 1) * SWEEP_SEEDS.length,
  cells: [
    prose(md`
# Summary

The first table collects the main experiment of every chapter from [the toy problem](toy-problem.html) to [warmup](warmup.html),
each over the same five seeds: the constant rate, the
[square-root](schedulers.html), [multi-factor](multifactor.html) and [cosine](cosine.html)
schedules, and the cosine schedule with warmup, all at their chapters' settings,
stepping once per epoch for 30 epochs. The runs are the chapters' own, read back from the frozen
results (\`data/frozen/\`) rather than trained again. The chapters on
[reduce on plateau](plateau.html), [warm restarts](sgdr.html), [one-cycle](onecycle.html) and
[decay to zero](decay.html) trained three seeds each and make their comparisons on their own
pages.
`),
    code("all-runs", "Every chapter's main experiment, side by side", allRuns),
    prose(md`
Those settings start the schedules at different peaks. The chapters also trained every schedule,
and the constant rate, at the peaks 0.1, 0.3 and 0.5 over two seeds; the second table takes each
at the peak where its mean final test accuracy was best and compares it with the constant rate
at its own best peak, so that no schedule is held to a peak that suits only another.
`),
    code(
      "best-peaks",
      "Each schedule at its best peak, against the constant rate at its best",
      bestPeaks,
    ),
    prose((results) =>
      summaryPoints(groupsOf(results, "all-runs"), groupsOf(results, "best-peaks"))
    ),
  ],
};

export default chapter;
