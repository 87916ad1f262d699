/**
 * Chapter "cosine": the cosine schedule of Loshchilov & Hutter (2016).
 *
 * From the seed's section "Cosine调度器" (Cosine Scheduler): paragraph 1 (its
 * formula lost in the draft, restored in TeX) and paragraph 2 (the symbols,
 * garbled: "the initial rate is the initial rate ...", repaired) and its code
 * gap -> `cosine-plot`; paragraph 3 ("improvements are not guaranteed") and
 * its code gap -> `cosine-run`, the claim checked in the measured prose after
 * `vs-baseline` (as what the runs show: one problem cannot refute "not
 * guaranteed"). Added here: `cosine-peaks`, the schedule against the constant
 * rate at other peaks too.
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
  BEST_TEST_ACC,
  compareGroups,
  comparisonSentence,
  countWord,
  FINAL_GAP,
} from "../lib/book/verdict.ts";
import { cosine, type CosineOptions, type Schedule } from "../lib/schedules/mod.ts";
import type { ScheduleSpec } from "../lib/preview/recipe.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest, CONSTANT, constantRequest } from "./toy-problem.ts";
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
 * The warmup chapter's ramp (`warmup.ts`): the first 5 of the T = 20 epochs a linear ramp
 * from 0. It is defined here because this chapter's playground already shows it.
 */
export const WARMUP_EPOCHS = 5;

/** The cosine schedule as the library describes it, for the playground panels. */
export const COSINE_SPEC = { kind: "cosine", options: COSINE_OPTIONS } satisfies ScheduleSpec;

/** The same with the warmup chapter's ramp in front, counted inside T. */
export const COSINE_WARMUP_SPEC = {
  ...COSINE_SPEC,
  warmup: { steps: WARMUP_EPOCHS },
} satisfies ScheduleSpec;

// #region cosine-run
/** The cosine run: a fresh schedule from η0 = 0.3 unless said otherwise, set once per epoch. */
export function cosineRequest(peak: number = COSINE_OPTIONS.baseLr): TrainRequest {
  return {
    name: `cosine ${peak} → ${COSINE_OPTIONS.finalLr}`,
    schedule: cosine({ ...COSINE_OPTIONS, baseLr: peak }),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it over seeds 0–4. */
async function runCosine(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(cosineRequest())];
}
// #endregion cosine-run

// #region vs-baseline
/** The toy problem's constant rate over the same seeds (stored runs if that chapter has run). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "cosine-run", baselineRequest());
}
// #endregion vs-baseline

// #region cosine-peaks
/** The name of the cosine schedule in the peak sweeps. */
export const COSINE = "cosine";

/** The cosine schedule (to 0.01 at T = 20) and the constant rate at each peak, two seeds each. */
async function cosinePeaks(ctx: CellContext): Promise<Output[]> {
  const own = { peak: COSINE_OPTIONS.baseLr, group: groupOf(ctx.results, "cosine-run") };
  const schedule = await sweepPeaks(ctx, COSINE, cosineRequest, own);
  const base = { peak: BASELINE_LR, group: groupOf(ctx.results, "vs-baseline") };
  const constant = await sweepPeaks(ctx, CONSTANT, constantRequest, base);
  const names = { a: COSINE, b: CONSTANT };
  return [peakTable(schedule, constant, PEAKS, names), ...schedule, ...constant];
}
// #endregion cosine-peaks

/**
 * The seed's claim: cosine can improve results, but is not guaranteed to.
 * One problem cannot refute "not guaranteed"; what the runs can say is what
 * the cosine schedule did on this problem, by the rule.
 *
 * @param group The cosine schedule over seeds.
 * @param baseline The constant rate over the same seeds.
 * @returns Markdown.
 */
export function cosineClaims(group: SeedRuns, baseline: SeedRuns): string {
  const names = { a: "the cosine schedule", b: "the constant rate" };
  const c = compareGroups(group, baseline);
  const sentence = comparisonSentence(c, names);
  const outcome = c.verdict === "higher"
    ? `**Here the cosine schedule helped.** ${sentence} One problem where it helps does not ` +
      `make the gain guaranteed; the peak sweep below shows whether it holds at other peaks.`
    : c.verdict === "lower"
    ? `**Here the cosine schedule did worse.** ${sentence} This problem is one of those where ` +
      `it brings no improvement.`
    : c.verdict === "no measurable difference"
    ? `**Here the cosine schedule made no measurable difference.** ${sentence} On this problem ` +
      `it brought no gain that ${countWord(group.runs.length)} seeds can tell from luck.`
    : `**No verdict.** ${sentence}`;
  const best = comparisonSentence(compareGroups(group, baseline, BEST_TEST_ACC), names);
  const gap = comparisonSentence(compareGroups(group, baseline, FINAL_GAP), names);
  return md`${groupScope(group)}

${outcome}

The final epoch is not the only one that counts: ${lowerFirst(best)} And in the gap between
training and test accuracy at the end, ${lowerFirst(gap)}
`;
}

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * What the peak sweep says (`lib/book/peaks.ts`'s `fairPeakClaims`).
 *
 * @param schedule The cosine schedule at each peak of {@linkcode PEAKS}.
 * @param constant The constant rate at the same peaks.
 * @returns Markdown.
 */
export function cosinePeakClaims(
  schedule: readonly SeedRuns[],
  constant: readonly SeedRuns[],
): string {
  return fairPeakClaims(schedule, constant, COSINE_OPTIONS.baseLr, BASELINE_LR, {
    a: "the cosine schedule",
    b: "the constant rate",
  });
}

const chapter: Chapter = {
  slug: "cosine",
  title: "Cosine Scheduler",
  original: d2l("Cosine Scheduler"),
  source: import.meta.url,
  // The schedule and the baseline over five seeds; the schedule at two more peaks and the
  // constant rate at two more over two seeds each (the other peak reuses runs above).
  trainingRuns: 2 * DEFAULT_SEEDS.length + 2 * (PEAKS.length - 1) * SWEEP_SEEDS.length,
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

In computer vision this schedule can lead to better results, but such improvements are not
guaranteed. The runs below show what it does here, over five seeds, against the constant rate of
[the toy problem](toy-problem.html); the same peak, 0.3, makes that comparison a fair one.
`),
    code("cosine-run", "Train with the cosine schedule (per epoch), over seeds", runCosine),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem, over the same seeds",
      vsBaseline,
    ),
    prose((results) =>
      cosineClaims(groupOf(results, "cosine-run"), groupOf(results, "vs-baseline"))
    ),
    prose(md`
## At other peaks {#peaks}

A result at one peak need not hold at another: a schedule that decays may forgive a peak that is too
high for a constant rate, or waste one that is too low. So, as in the [earlier
chapters](schedulers.html#peaks), we train the cosine schedule (still to 0.01 at $T = 20$) at [the
toy problem's peaks](toy-problem.html#peaks) 0.1, 0.3 and 0.5, two seeds each (at 0.3 these are
seeds 0 and 1 of the runs above), against the constant rate at the same peak.
`),
    code(
      "cosine-peaks",
      "The cosine schedule and the constant rate at peaks 0.1, 0.3 and 0.5",
      cosinePeaks,
    ),
    prose((results) =>
      cosinePeakClaims(
        sweepOf(results, "cosine-peaks", COSINE),
        sweepOf(results, "cosine-peaks", CONSTANT),
      )
    ),
  ],
};

export default chapter;
