/**
 * Chapter "cosine": the cosine schedule of Loshchilov & Hutter (2016).
 *
 * From the seed's section "Cosine调度器" (Cosine Scheduler): paragraph 1 (its
 * formula lost in the draft, restored in TeX) and paragraph 2 (the symbols,
 * garbled: "the initial rate is the initial rate ...", repaired) and its code
 * gap -> `cosine-plot`; paragraph 3 ("improvements are not guaranteed") and
 * its code gap -> `cosine-run`, the claim checked in the measured prose after
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
  percent,
  points,
  runOf,
  scope,
  summarize,
  versus,
  versusText,
} from "../lib/book/measure.ts";
import { cosine, type CosineOptions, type Schedule } from "../lib/schedules/mod.ts";
import type { ScheduleSpec } from "../lib/preview/recipe.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { baselineRequest } from "./toy-problem.ts";
import { d2l } from "./references.ts";

// #region cosine-plot
/** From η0 = 0.3 down to ηT = 0.01 at T = 20 epochs, then held at 0.01. */
export const COSINE_OPTIONS = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 } satisfies CosineOptions;

/** The schedule. A fresh one per call. */
export function cosineSchedule(): Schedule {
  return cosine(COSINE_OPTIONS);
}

/** The schedule over the 30 epochs of a run. */
function plotCosine(): Output[] {
  return [curve("cosine: 0.3 → 0.01, T = 20", "epoch", cosineSchedule(), 30)];
}
// #endregion cosine-plot

/**
 * The warmup of the next chapter (`warmup.ts`): the first 5 of the T = 20 epochs a linear ramp
 * from 0. It is defined here because this chapter's playground already shows it.
 */
export const WARMUP_EPOCHS = 5;

/** The cosine schedule as the library describes it, for the playground panels. */
export const COSINE_SPEC = { kind: "cosine", options: COSINE_OPTIONS } satisfies ScheduleSpec;

/** The same with the next chapter's warmup in front, counted inside T. */
export const COSINE_WARMUP_SPEC = {
  ...COSINE_SPEC,
  warmup: { steps: WARMUP_EPOCHS },
} satisfies ScheduleSpec;

// #region cosine-run
/** The cosine run: a fresh schedule, the rate set once per epoch. */
export function cosineRequest(): TrainRequest {
  return { name: "cosine 0.3 → 0.01", schedule: cosineSchedule(), stepsPer: "epoch", epochs: 30 };
}

/** Train it. */
async function runCosine(ctx: CellContext): Promise<Output[]> {
  return [{ kind: "run", run: await ctx.train(cosineRequest()) }];
}
// #endregion cosine-run

// #region vs-baseline
/** The toy problem's constant rate (from the run cache if that chapter has run), compared. */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareWith(ctx, "cosine-run", baselineRequest());
}
// #endregion vs-baseline

/** The seed's claim: cosine can improve results, but is not guaranteed to. */
function cosineClaims(run: RunResult, baseline: RunResult): string {
  const v = versus(run, baseline);
  const a = summarize(run), b = summarize(baseline);
  const outcome = v.verdict === "higher"
    ? `**Not guaranteed: not confirmed by this run,** where the cosine schedule did help. ` +
      versusText(v)
    : v.verdict === "same"
    ? `**Not guaranteed: confirmed.** Here the cosine schedule made no measurable difference. ` +
      versusText(v)
    : `**Not guaranteed: confirmed.** Here the cosine schedule did worse. ${versusText(v)}`;
  const peak =
    `The best test accuracy along the way was ${
      percent(a.peakTestAcc)
    } (after epoch ${a.peakEpoch}) with the cosine schedule and ${
      percent(b.peakTestAcc)
    } (after epoch ${b.peakEpoch}) with the ` +
    `constant rate; the final train–test gap ${points(a.gap, true)} against ${
      points(b.gap, true)
    }.`;
  return md`${scope(run)}

${outcome} ${peak} One seed per schedule, as here, cannot tell a small gain from luck; the
comparison says what these two runs did, not what the cosine schedule always does.
`;
}

const chapter: Chapter = {
  slug: "cosine",
  title: "Cosine Scheduler",
  original: d2l("Cosine Scheduler"),
  source: import.meta.url,
  trainingRuns: 2,
  playground: {
    after: "cosine-plot",
    schedules: [COSINE_SPEC, COSINE_WARMUP_SPEC],
    fullRun: cosineRequest,
  },
  cells: [
    prose(md`
# Cosine Scheduler

The cosine schedule of [Loshchilov & Hutter (2017)](cite:loshchilov2017) is a heuristic that has worked remarkably well
in practice with little theory to say why; the original chapter calls it "perplexing" for that
reason, and [Gotmare et al. (2019)](cite:gotmare2019) found that the explanations usually given for it are not borne
out by experiment. Its shape follows from two wishes: keep the rate high for a good while rather
than cutting it early, and finish with a rate small enough to polish the solution. Half a period
of a cosine does both, for $t \in [0, T]$:

$$\eta_t = \eta_T + \frac{\eta_0 - \eta_T}{2} \left(1 + \cos\left(\frac{\pi t}{T}\right)\right).$$

Here $\eta_0$ is the initial rate and $\eta_T$ the target rate at time $T$. For $t > T$ we simply
pin the rate to $\eta_T$ instead of letting it rise again. (That is our library's default;
PyTorch's \`CosineAnnealingLR\` keeps following the cosine back up when stepped past its
\`T_max\`, which \`cosine({ ..., periodic: true })\` reproduces.) In [the example below](fig:cosine-plot)
$\eta_0 = 0.3$, $\eta_T = 0.01$ and $T = 20$, counted in epochs: the rate is set once per epoch,
so epochs 1 to 21 follow the cosine ($t = 0, \dots, 20$) and epochs 22 to 30 stay at $0.01$.
`),
    code("cosine-plot", "Plot the cosine schedule (0.3 → 0.01, T = 20) over 30 epochs", plotCosine),
    prose(md`
Counting in epochs matters here too. The MXNet edition of the original chapter gives the same
$T = 20$ to a scheduler that its trainer calls once per *update*: there the whole cosine is over
within the first 20 of the first epoch's 235 updates, and the rest of the run trains at $0.01$.

In computer vision this schedule can lead to better results. Note, however, that such
improvements are not guaranteed, as [the run below](fig:cosine-run) shows.
`),
    code("cosine-run", "Train with the cosine schedule (per epoch)", runCosine),
    code("vs-baseline", "Compare with the constant rate of the toy problem", vsBaseline),
    prose((results) => cosineClaims(runOf(results, "cosine-run"), runOf(results, "vs-baseline"))),
  ],
};

export default chapter;
