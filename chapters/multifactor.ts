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
 * `vs-baseline`.
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
} from "../lib/book/types.ts";
import {
  compareWith,
  meanOver,
  percent,
  points,
  rateStretches,
  runOf,
  scope,
  versus,
  versusText,
} from "../lib/book/measure.ts";
import { multifactor, type MultifactorOptions, type Schedule } from "../lib/schedules/mod.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { baselineRequest } from "./toy-problem.ts";
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
/** The multi-factor run: a fresh schedule, the rate set once per epoch. */
export function multifactorRequest(): TrainRequest {
  return {
    name: "multi-factor 0.5",
    schedule: multifactorSchedule(),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it. */
async function runMultifactor(ctx: CellContext): Promise<Output[]> {
  return [{ kind: "run", run: await ctx.train(multifactorRequest()) }];
}
// #endregion multifactor-run

// #region vs-baseline
/** The toy problem's constant rate (from the run cache if that chapter has run), compared. */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareWith(ctx, "multifactor-run", baselineRequest());
}
// #endregion vs-baseline

/** The rates the run used, and why the second milestone never acts in 30 epochs. */
function ratesUsed(run: RunResult): string {
  const stretches = rateStretches(run)
    .map((s) => `${s.lr} for epoch${s.from === s.to ? ` ${s.from}` : `s ${s.from}–${s.to}`}`)
    .join(", ");
  const n = run.config.epochs;
  const unused = MILESTONES.filter((m) => m >= n);
  if (unused.length === 0) return md`The run used the rates ${stretches}.`;
  const plural = unused.length > 1 ? "s" : "";
  const original = n === 30
    ? "The original chapter's run, also 30 epochs long, has the same unused milestone."
    : "In a full run of 30 epochs, as in the original chapter's, the milestone 30 never acts either.";
  return md`The run used the rates ${stretches}. A milestone $s$ lowers the rate from epoch $s + 1$
on, counting epochs from 1, so the milestone${plural} ${unused.join(" and ")} would first act in
epoch${plural} ${unused.map((m) => m + 1).join(" and ")}, after the end of this ${n}-epoch run.
${original}`;
}

/**
 * The effect of the first milestone: the mean test accuracy over the three
 * epochs after the rate was halved, and over the three before; `null` if the
 * run is too short to have both.
 */
export function milestoneEffect(
  run: RunResult,
): { drop: number; before: number; after: number } | null {
  const drop = MILESTONES[0] + 1; // the first epoch (from 1) at the lowered rate
  const before = meanOver(run, "testAcc", drop - 3, drop - 1);
  const after = meanOver(run, "testAcc", drop, drop + 2);
  return run.history.length < drop + 2 || before === null || after === null
    ? null
    : { drop, before, after };
}

/** {@linkcode milestoneEffect} in words. */
export function effectText(e: { drop: number; before: number; after: number }): string {
  return `Over the three epochs after the rate was halved (epochs ${e.drop}–${e.drop + 2}) the ` +
    `test accuracy averaged ${percent(e.after)}, against ${percent(e.before)} over the three ` +
    `epochs before (${points(e.after - e.before, true)}).`;
}

/** The seed's claim: lowering the rate once progress stalls gives a (slightly) better solution. */
function multifactorClaims(run: RunResult, baseline: RunResult): string {
  const effect = milestoneEffect(run);
  const jump = effect === null
    ? `The run is too short to see the effect of the first milestone (it needs ${
      MILESTONES[0] + 3
    } epochs).`
    : effect.after > effect.before
    ? `**The drop helps: confirmed.** ${effectText(effect)}`
    : `**The drop helps: not confirmed.** ${effectText(effect)}`;
  const v = versus(run, baseline);
  const overall = v.verdict === "higher"
    ? `**A better solution than the constant rate: confirmed.** ${versusText(v)}`
    : `**A better solution than the constant rate: not confirmed.** ${versusText(v)}`;
  return md`${scope(run)}

${ratesUsed(run)}

- ${jump}
- ${overall}
`;
}

const chapter: Chapter = {
  slug: "multifactor",
  title: "Multi-Factor Scheduler",
  original: d2l("Multi Factor Scheduler"),
  source: import.meta.url,
  trainingRuns: 2,
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
a good local minimum. [The run below](fig:multifactor-run) shows whether this yields a better solution.
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
      "Train with the multi-factor schedule (0.5, halved at epochs 15 and 30, per epoch)",
      runMultifactor,
    ),
    code("vs-baseline", "Compare with the constant rate of the toy problem", vsBaseline),
    prose((results) =>
      multifactorClaims(runOf(results, "multifactor-run"), runOf(results, "vs-baseline"))
    ),
  ],
};

export default chapter;
