/**
 * Chapter "multifactor": a piecewise-constant rate, halved at milestones.
 *
 * From the seed's section "多因素调度器" (Multi Factor Scheduler): its first
 * paragraph is the survey of policies, moved to open the `factor` chapter;
 * paragraph 2 (the update rule, garbled, restored in TeX) and its code gap ->
 * `multifactor-plot`; paragraph 3 (the intuition; the draft also has a stray
 * copy of it in the square-root section) and its code gap ->
 * `multifactor-run`, with the aside on the original's plotted-then-reused
 * scheduler; its claim ("better solutions") -> the measured prose after
 * `vs-baseline`. Added here: `multifactor-peaks`, the schedule against the
 * constant rate at the same peaks.
 *
 * @module
 */

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
import { meanOver, percent, rateStretches } from "../lib/book/measure.ts";
import {
  fairPeakClaims,
  PEAKS,
  peakTable,
  SWEEP_SEEDS,
  sweepOf,
  sweepPeaks,
} from "../lib/book/peaks.ts";
import { DEFAULT_SEEDS, groupOf, groupScope } from "../lib/book/seeds.ts";
import { spreadOf } from "../lib/book/spread.ts";
import { compareGroupWith } from "../lib/book/spread_table.ts";
import {
  changeSentence,
  compareGroups,
  comparisonSentence,
  countWord,
} from "../lib/book/verdict.ts";
import { multifactor, type MultifactorOptions, type Schedule } from "../lib/schedules/mod.ts";
import { resolveConfig } from "../lib/train/train.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest, CONSTANT, constantRequest } from "./toy-problem.ts";
import { d2l } from "./references.ts";

/** The epochs (counted from 0) at which the rate is halved. */
const MILESTONES = [15, 30];

// #region multifactor-plot
/** η0 = 0.5, halved at epochs 15 and 30 (counted from 0). */
export const MULTIFACTOR_OPTIONS = {
  baseLr: 0.5,
  milestones: MILESTONES,
  factor: 0.5,
} satisfies MultifactorOptions;

/** The schedule. A fresh one per call. */
export function multifactorSchedule(): Schedule {
  return multifactor(MULTIFACTOR_OPTIONS);
}

/** The schedule over the 30 epochs of a run. */
function plotMultifactor(): Output[] {
  return [curve("multi-factor: 0.5, halved at 15 and 30", "epoch", multifactorSchedule(), 30)];
}
// #endregion multifactor-plot

// #region multifactor-run
/** The multi-factor run: a fresh schedule from η0 = 0.5 unless said otherwise, set once per epoch. */
export function multifactorRequest(peak: number = MULTIFACTOR_OPTIONS.baseLr): TrainRequest {
  return {
    name: `multi-factor ${peak}`,
    schedule: multifactor({ ...MULTIFACTOR_OPTIONS, baseLr: peak }),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it over seeds 0–4. */
async function runMultifactor(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(multifactorRequest())];
}
// #endregion multifactor-run

// #region vs-baseline
/** The toy problem's constant rate over the same seeds (stored runs if that chapter has run). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "multifactor-run", baselineRequest());
}
// #endregion vs-baseline

// #region multifactor-peaks
/** The name of the multi-factor schedule in the peak sweeps. */
export const MULTIFACTOR = "multi-factor";

/** The multi-factor schedule and the constant rate at each peak, two seeds each. */
async function multifactorPeaks(ctx: CellContext): Promise<Output[]> {
  const own = { peak: MULTIFACTOR_OPTIONS.baseLr, group: groupOf(ctx.results, "multifactor-run") };
  const schedule = await sweepPeaks(ctx, MULTIFACTOR, multifactorRequest, own);
  const base = { peak: BASELINE_LR, group: groupOf(ctx.results, "vs-baseline") };
  const constant = await sweepPeaks(ctx, CONSTANT, constantRequest, base);
  const names = { a: MULTIFACTOR, b: CONSTANT };
  return [peakTable(schedule, constant, PEAKS, names), ...schedule, ...constant];
}
// #endregion multifactor-peaks

/** The updates in one epoch of the full data, at the engine's batch size. */
function updatesPerEpoch(): number {
  return resolveConfig({ name: "plan", schedule: () => 0, stepsPer: "update" }).updatesPerEpoch;
}

/**
 * The rates the run used, why the second milestone never acts in 30 epochs,
 * and how the original chapter's runs differ (as the aside says): its PyTorch
 * edition trains at the rate the plot left behind, its MXNet edition counts
 * the milestones in updates.
 *
 * @param run A run of the schedule (every seed of a group has the same rates).
 * @returns Markdown.
 */
export function ratesUsed(run: RunResult): string {
  const stretches = rateStretches(run)
    .map((s) => `${s.lr} for epoch${s.from === s.to ? ` ${s.from}` : `s ${s.from}–${s.to}`}`)
    .join(", ");
  const n = run.config.epochs, done = run.history.length;
  const unused = MILESTONES.filter((m) => m >= n);
  const diverged = run.divergedAt === null
    ? ""
    : ` (then the run diverged, in epoch ${run.divergedAt})`;
  const u = updatesPerEpoch();
  const perUpdate = multifactorSchedule(); // the same schedule, its steps read as updates
  const end = perUpdate(MILESTONES.at(-1)!);
  const original = md`The original chapter's runs differ from ours, and from each other. Its
PyTorch edition trains at a constant ${multifactorSchedule()(30)} throughout, as the aside above
explains. Its MXNet edition hands the schedule to a trainer that counts updates, so the milestones
${MILESTONES.join(" and ")} are updates: the rate is ${perUpdate(0)} for the first ${MILESTONES[0]}
updates, ${perUpdate(MILESTONES[0])} up to update ${MILESTONES[1]}, and ${end} for the rest of the
run; both halvings come within the first ${MILESTONES[1]} of the first epoch's ${u} updates.
Neither edition halves the rate after epoch ${MILESTONES[0]}, as ${
    done > MILESTONES[0] ? "ours does" : `a full run of ours would`
  }.`;
  if (unused.length === 0) return md`The run used the rates ${stretches}${diverged}. ${original}`;
  const plural = unused.length > 1 ? "s" : "";
  return md`The run used the rates ${stretches}${diverged}. A milestone $s$ lowers the rate from epoch $s + 1$
on, counting epochs from 1, so the milestone${plural} ${unused.join(" and ")} would first act in
epoch${plural} ${
    unused.map((m) => m + 1).join(" and ")
  }, after the end of this ${n}-epoch run. ${original}`;
}

/** The effect of the first milestone over the seeds. */
export interface MilestoneEffect {
  /** The first epoch (1-based) at the lowered rate. */
  drop: number;
  /** The mean over the seeds of the mean test accuracy of the three epochs before it. */
  before: number;
  /** The same over the three epochs from it on. */
  after: number;
  /** The change after − before, seed by seed, by the rule, in words. */
  change: ReturnType<typeof changeSentence>;
}

/**
 * The effect of the first milestone: per seed, the mean test accuracy over the
 * three epochs after the rate was halved minus that over the three before,
 * decided by the rule; `null` if the runs are too short to have both.
 *
 * @param group The multi-factor schedule over seeds.
 * @returns The effect, or `null`.
 */
export function milestoneEffect(group: SeedRuns): MilestoneEffect | null {
  const drop = MILESTONES[0] + 1; // the first epoch (from 1) at the lowered rate
  if (group.runs.some((r) => r.history.length < drop + 2)) return null;
  const before = group.runs.map((r) => meanOver(r, "testAcc", drop - 3, drop - 1)!);
  const after = group.runs.map((r) => meanOver(r, "testAcc", drop, drop + 2)!);
  const change = changeSentence(after.map((a, i) => a - before[i]), "points", {
    what: "the test accuracy",
    when: `from the three epochs before the rate was halved (epochs ${drop - 3}–${
      drop - 1
    }) to the three after (epochs ${drop}–${drop + 2})`,
  });
  return { drop, before: spreadOf(before).mean, after: spreadOf(after).mean, change };
}

/**
 * {@linkcode milestoneEffect} in words: one sentence.
 *
 * @param e The effect.
 * @returns The sentence.
 */
export function effectText(e: MilestoneEffect): string {
  const text = e.change.text;
  return `${text[0].toUpperCase()}${text.slice(1)}; on average ${percent(e.before)} before and ` +
    `${percent(e.after)} after.`;
}

/**
 * The seed's claim: lowering the rate once progress stalls gives a (slightly)
 * better solution; checked on the milestone's own effect and against the
 * constant rate over the same seeds.
 *
 * @param group The multi-factor schedule over seeds.
 * @param baseline The constant rate over the same seeds.
 * @returns Markdown.
 */
export function multifactorClaims(group: SeedRuns, baseline: SeedRuns): string {
  const effect = milestoneEffect(group);
  const verdict = effect?.change.decision.verdict;
  const broke = group.runs.filter((r) =>
    r.divergedAt !== null && r.divergedAt <= MILESTONES[0] + 3
  );
  const jump = effect === null
    ? broke.length > 0
      ? `${
        broke.length === group.runs.length
          ? "Every seed"
          : `${countWord(broke.length)} of the seeds`
      } ` +
        `diverged before the effect of the first milestone could be seen (it needs ${
          MILESTONES[0] + 3
        } epochs).`
      : `The runs are too short to see the effect of the first milestone (it needs ${
        MILESTONES[0] + 3
      } epochs).`
    : `**The drop helps: ${
      verdict === "higher" ? "confirmed" : verdict === "undecided" ? "no verdict" : "not confirmed"
    }.** ${effectText(effect)}`;
  const c = compareGroups(group, baseline);
  const overall = `**A better solution than the constant rate: ${
    c.verdict === "higher"
      ? "confirmed"
      : c.verdict === "undecided"
      ? "no verdict"
      : "not confirmed"
  }.** ${comparisonSentence(c, { a: "the multi-factor schedule", b: "the constant rate" })}`;
  return md`${groupScope(group)}

${ratesUsed(group.runs.reduce((a, r) => (r.history.length > a.history.length ? r : a)))}

- ${jump}
- ${overall}
`;
}

/**
 * What the peak sweep says (`lib/book/peaks.ts`'s `fairPeakClaims`).
 *
 * @param schedule The multi-factor schedule at each peak of {@linkcode PEAKS}.
 * @param constant The constant rate at the same peaks.
 * @returns Markdown.
 */
export function multifactorPeakClaims(
  schedule: readonly SeedRuns[],
  constant: readonly SeedRuns[],
): string {
  return fairPeakClaims(schedule, constant, MULTIFACTOR_OPTIONS.baseLr, BASELINE_LR, {
    a: "the multi-factor schedule",
    b: "the constant rate",
  });
}

const chapter: Chapter = {
  slug: "multifactor",
  title: "Multi-Factor Scheduler",
  original: d2l("Multi Factor Scheduler"),
  source: import.meta.url,
  // The schedule and the baseline over five seeds; the schedule at two more peaks and the
  // constant rate at two more over two seeds each (the other two peaks reuse runs above).
  trainingRuns: 2 * DEFAULT_SEEDS.length + 2 * (PEAKS.length - 1) * SWEEP_SEEDS.length,
  playground: {
    after: "multifactor-plot",
    schedules: [{ kind: "multifactor", options: MULTIFACTOR_OPTIONS }],
    fullRun: multifactorRequest,
  },
  cells: [
    prose(md`
# Multi-Factor Scheduler

Deep networks are often trained with a rate that stays flat for long stretches and falls by a
fixed factor at a few chosen moments. Name those moments by a set $S$, for instance
$S = \{5, 10, 20\}$; then

$$\eta_{t+1} \leftarrow \eta_t \cdot \alpha \quad \text{whenever } t \in S,$$

and $\eta_{t+1} \leftarrow \eta_t$ otherwise. Read with $t$ the number of epochs completed: after
epoch $s \in S$, the rate is multiplied by $\alpha$. In closed form, with steps counted from 0 as
our library counts them, the rate of step $t$ is $\eta_0 \alpha^{|\{s \in S \,:\, s \le t\}|}$;
that is \`multifactor({ baseLr, milestones, factor })\`, the same rates as PyTorch's
\`MultiStepLR\`. Our run starts at $\eta_0 = 0.5$ and halves the rate ($\alpha = 0.5$) at the
milestones 15 and 30, counted in epochs: the rate is set once per epoch.
`),
    code("multifactor-plot", "Plot the multi-factor schedule over 30 epochs", plotMultifactor),
    prose(md`
The intuition behind this piecewise-constant schedule is to let the optimization proceed until
it has reached a stationary point, in the sense that the distribution of the weight vectors no
longer changes much. Then, and only then, do we lower the rate, to get a higher-quality proxy of
a good local minimum. [The runs below](fig:multifactor-run) show whether this yields a better
solution.
`),
    prose(() =>
      md`
*An aside on the original chapter.* In its PyTorch edition this schedule is a stateful
\`MultiStepLR\` object attached to the optimizer. Drawing the plot steps that object, and the
optimizer's rate with it, through all 30 epochs; the same optimizer and scheduler then go to
training, which therefore starts where the plot ended, at $\eta_0 \alpha^2 = ${
        multifactorSchedule()(30)
      }$, and stays there, since both milestones are already behind it. The figure shows one
schedule and the run trains at a constant rate. That cannot happen here: a schedule is a pure
function, plotting only calls it, and the run cell builds a fresh one besides.
`
    ),
    code(
      "multifactor-run",
      "Train with the multi-factor schedule (0.5, halved at epochs 15 and 30, per epoch), over seeds",
      runMultifactor,
    ),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem, over the same seeds",
      vsBaseline,
    ),
    prose((results) =>
      multifactorClaims(groupOf(results, "multifactor-run"), groupOf(results, "vs-baseline"))
    ),
    prose(md`
## The schedule or its peak? {#peaks}

Our multi-factor run starts at 0.5, the constant rate sits at 0.3. As in the [last
chapter](schedulers.html#peaks), we train the schedule at [the toy problem's three
peaks](toy-problem.html#peaks), 0.1, 0.3 and 0.5, with the same milestones and two seeds each (at
0.5 these are seeds 0 and 1 of the runs above), and set each against the constant rate at the same
peak.
`),
    code(
      "multifactor-peaks",
      "The multi-factor schedule and the constant rate at peaks 0.1, 0.3 and 0.5",
      multifactorPeaks,
    ),
    prose((results) =>
      multifactorPeakClaims(
        sweepOf(results, "multifactor-peaks", MULTIFACTOR),
        sweepOf(results, "multifactor-peaks", CONSTANT),
      )
    ),
  ],
};

export default chapter;
