/**
 * Chapter "warmup": a linear warmup in front of the cosine schedule.
 *
 * From the seed's section "热身期" (Warmup): paragraphs 1 and 2 (the dilemma
 * and the fix; the linear ramp's formula restored) and the code gap ->
 * `warmup-plot`; paragraph 3 ("the network converges better initially,
 * particularly in the first 5 epochs") and its code gap -> `warmup-run`, the
 * claim checked in the measured prose after `vs-cosine`; paragraph 4 (warmup
 * for any schedule; Gotmare et al., 2018) -> the closing prose. Added here:
 * `per-update`, the same comparison with the rate set before every update, so
 * that the claim is also checked without the per-epoch ramp's wasted epoch,
 * and `warmup-peaks`, both schedules at the peaks 0.1, 0.3 and 0.5.
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
import { meanOver } from "../lib/book/measure.ts";
import {
  byPeakSentence,
  divergedNote,
  peakReading,
  PEAKS,
  peakTable,
  SWEEP_SEEDS,
  sweepOf,
  sweepPeaks,
} from "../lib/book/peaks.ts";
import { DEFAULT_SEEDS, groupOf, groupScope, seedsText } from "../lib/book/seeds.ts";
import { formatMeanSd, spreadOf } from "../lib/book/spread.ts";
import { compareGroupWith, spreadTable, verdictTable } from "../lib/book/spread_table.ts";
import {
  changeSentence,
  compareGroups,
  comparisonSentence,
  countWord,
  decidePaired,
  meanTestAcc,
  type Metric,
  signedPlusMinus,
} from "../lib/book/verdict.ts";
import { cosine, type Schedule } from "../lib/schedules/mod.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import {
  COSINE,
  COSINE_OPTIONS,
  COSINE_SPEC,
  COSINE_WARMUP_SPEC,
  cosineRequest,
  cosineSchedule,
  WARMUP_EPOCHS,
} from "./cosine.ts";
import { d2l } from "./references.ts";

/** Epochs of warmup (the cosine chapter's playground already shows this ramp). */
const WARMUP = WARMUP_EPOCHS;

// #region warmup-plot
/**
 * The cosine chapter's schedule (from η0 = 0.3 unless said otherwise), with its first
 * 5 of T = 20 epochs a linear ramp from 0.
 */
export function warmupSchedule(peak: number = COSINE_OPTIONS.baseLr): Schedule {
  return cosine({ ...COSINE_OPTIONS, baseLr: peak, warmupSteps: WARMUP });
}

/** Both schedules over the 30 epochs of a run. */
function plotWarmup(): Output[] {
  return [
    curve("cosine with 5 warmup epochs", "epoch", warmupSchedule(), 30),
    curve("cosine without warmup", "epoch", cosineSchedule(), 30),
  ];
}
// #endregion warmup-plot

// #region warmup-run
/** The warmup run: a fresh schedule, the rate set once per epoch. */
export function warmupRequest(peak: number = COSINE_OPTIONS.baseLr): TrainRequest {
  return {
    name: `cosine ${peak} → ${COSINE_OPTIONS.finalLr}, 5 warmup epochs`,
    schedule: warmupSchedule(peak),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it over seeds 0–4. */
async function runWarmup(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(warmupRequest())];
}
// #endregion warmup-run

// #region vs-cosine
/**
 * The mean test accuracy over the first 5 epochs (fewer in a shorter run): what the claim is
 * about, and the measure of the verdict.
 */
function early(ctx: CellContext): Metric {
  return meanTestAcc(1, Math.min(WARMUP, ctx.configOf(warmupRequest()).epochs));
}

/** The cosine run without warmup over the same seeds (stored runs if that chapter has run). */
function vsCosine(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "warmup-run", cosineRequest(), early(ctx));
}
// #endregion vs-cosine

// #region per-update
/**
 * The same two schedules counted in updates, the rate set before every one:
 * the warmup ramp and the cosine span 5 and 20 epochs' worth of updates.
 */
export function perUpdateRequests(updatesPerEpoch: number): TrainRequest[] {
  const u = updatesPerEpoch;
  const schedule = (warmupSteps: number) =>
    cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 * u, warmupSteps });
  return [
    { name: "cosine, 5 warmup epochs, per update", schedule: schedule(WARMUP * u) },
    { name: "cosine 0.3 → 0.01, per update", schedule: schedule(0) },
  ].map((r) => ({ ...r, stepsPer: "update", epochs: 30 }));
}

/** Train both over seeds 0–4, fresh schedules, and compare them. */
async function runPerUpdate(ctx: CellContext): Promise<Output[]> {
  const plan = ctx.configOf({ name: "plan", schedule: () => 0, stepsPer: "update", epochs: 30 });
  const [warm, plain] = perUpdateRequests(plan.updatesPerEpoch);
  const groups = [await ctx.trainSeeds(warm), await ctx.trainSeeds(plain)];
  return [spreadTable(groups), verdictTable(groups, groups[1], early(ctx)), ...groups];
}
// #endregion per-update

// #region warmup-peaks
/** The name of the cosine schedule with warmup in the peak sweeps. */
export const WARMUP_COSINE = "cosine with warmup";

/** Both schedules at each peak of the sweep, two seeds each; 0.3 reuses the runs above. */
async function warmupPeaks(ctx: CellContext): Promise<Output[]> {
  const own = { peak: COSINE_OPTIONS.baseLr, group: groupOf(ctx.results, "warmup-run") };
  const warm = await sweepPeaks(ctx, WARMUP_COSINE, warmupRequest, own);
  const base = { peak: COSINE_OPTIONS.baseLr, group: groupOf(ctx.results, "vs-cosine") };
  const plain = await sweepPeaks(ctx, COSINE, cosineRequest, base);
  const names = { a: WARMUP_COSINE, b: COSINE };
  return [
    peakTable(warm, plain, PEAKS, names, early(ctx)),
    peakTable(warm, plain, PEAKS, names),
    ...warm,
    ...plain,
  ];
}
// #endregion warmup-peaks

/** How the sentences name the two. */
const NAMES = { a: "the schedule with warmup", b: "the one without" };

/** The epochs of the early measure: the first 5, or all of a shorter run. */
function earlyEpochs(...groups: SeedRuns[]): number {
  return Math.min(WARMUP, ...groups.flatMap((g) => g.runs.map((r) => r.history.length)));
}

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * The seed's claim: with warmup the network converges better in the first 5
 * epochs; checked over the seeds by the rule, with what happened at the end.
 *
 * @param run The schedule with warmup, over seeds.
 * @param plain The same without warmup, over the same seeds.
 * @param lead Words to open the verdict with (e.g. "Stepped per update: ").
 * @returns Markdown.
 */
export function warmupClaims(run: SeedRuns, plain: SeedRuns, lead = ""): string {
  const n = earlyEpochs(run, plain);
  const c = compareGroups(run, plain, meanTestAcc(1, n));
  const sentence = comparisonSentence(c, NAMES);
  const peak = plain.runs[0].history[0]?.lr ?? 0;
  const plainDiverged = plain.runs.filter((r) => r.divergedAt !== null);
  const nothing = plainDiverged.length === 0
    ? `, and starting at the full rate of ${peak} made none of its ${
      countWord(plain.runs.length)
    } seeds diverge, so in this problem there was nothing for a warmup to prevent.`
    : ".";
  const claim = c.verdict === "higher"
    ? `${lead}**Confirmed.** ${sentence}`
    : c.verdict === "undecided"
    ? `${lead}**No verdict.** ${sentence}`
    : c.verdict === "lower"
    ? `${lead}**Not confirmed.** ${sentence} Without warmup the network got ahead faster${nothing}`
    : `${lead}**Not confirmed.** ${sentence}`;
  const first = run.runs.map((r) => r.history[0]);
  const zero = first.every((e) => e !== undefined && e.lr === 0 && e.lrLast === 0)
    ? ` The first epoch of the warmup runs trains at rate 0 and leaves the weights as they were: ` +
      `their test accuracy after epoch 1, ${
        formatMeanSd(spreadOf(first.map((e) => e.testAcc)), "accuracy")
      } (mean ± sd), is that of the untrained networks.`
    : "";
  const diverged = [run, plain].flatMap((g) =>
    g.runs.filter((r) => r.divergedAt !== null).map((r) => `${r.name} (epoch ${r.divergedAt})`)
  );
  const divergence = diverged.length ? ` Diverged: ${diverged.join(", ")}.` : ` No seed diverged.`;
  const end = `By the end: ${lowerFirst(comparisonSentence(compareGroups(run, plain), NAMES))}`;
  return md`${groupScope(run)}

${claim}${zero}${divergence} ${end}
`;
}

/**
 * How warmup's early effect changed from per-epoch to per-update stepping:
 * per seed, the early difference with warmup minus without, per update minus
 * per epoch, by the rule.
 *
 * @param epochWarm Warmup, stepped per epoch, over seeds.
 * @param epochPlain No warmup, per epoch.
 * @param updateWarm Warmup, per update.
 * @param updatePlain No warmup, per update.
 * @returns Markdown.
 */
export function stepping(
  epochWarm: SeedRuns,
  epochPlain: SeedRuns,
  updateWarm: SeedRuns,
  updatePlain: SeedRuns,
): string {
  const groups = [epochWarm, epochPlain, updateWarm, updatePlain];
  const n = earlyEpochs(...groups);
  const bySeed = groups.map((g) => new Map(g.runs.map((r) => [r.config.seed, r])));
  const seeds = [...bySeed[0].keys()].filter((s) => bySeed.every((m) => m.has(s)))
    .sort((a, b) => a - b);
  const mean = (g: number, seed: number) => meanOver(bySeed[g].get(seed)!, "testAcc", 1, n) ?? 0;
  const perEpoch = seeds.map((s) => mean(0, s) - mean(1, s));
  const perUpdate = seeds.map((s) => mean(2, s) - mean(3, s));
  const epochs = n === 1 ? "epoch 1" : `epochs 1–${n}`;
  const e = decidePaired(perEpoch), u = decidePaired(perUpdate);
  const change = changeSentence(perUpdate.map((x, i) => x - perEpoch[i]), "points", {
    what: "warmup's difference",
    when: "from per-epoch to per-update stepping",
  });
  const meaning = change.decision.verdict === "higher"
    ? " Setting the rate per update, which wastes no epoch at rate 0, made warmup measurably " +
      "kinder to the early epochs."
    : change.decision.verdict === "lower"
    ? " Setting the rate per update made warmup measurably harsher on the early epochs."
    : change.decision.verdict === "undecided"
    ? ""
    : " How the rate was set made no measurable difference to what warmup did early on.";
  return `\n\nOver ${epochs}, warmup changed the mean test accuracy by ` +
    `${signedPlusMinus(e.difference, e.se, "points")} with the rate set per epoch and by ` +
    `${signedPlusMinus(u.difference, u.se, "points")} with it set per update (${
      seeds.length === 1
        ? "one seed, so no standard errors"
        : `mean paired differences over ${seedsText(seeds)} ± their standard errors`
    }). Seed by seed, ` +
    `${change.text}.${meaning}\n`;
}

/**
 * What the peak sweep says: warmup against none, peak for peak, early on and
 * at the end.
 *
 * @param warm The cosine schedule with warmup at each peak of {@linkcode PEAKS}.
 * @param plain The same without warmup, at the same peaks.
 * @returns Markdown.
 */
export function warmupPeakClaims(warm: readonly SeedRuns[], plain: readonly SeedRuns[]): string {
  const names = { a: "the cosine schedule with warmup", b: "the one without" };
  const metric = meanTestAcc(1, earlyEpochs(...warm, ...plain));
  return md`${groupScope(warm[0])}

${byPeakSentence(warm, plain, PEAKS, names, metric)} ${
    peakReading(warm, plain, PEAKS, names, metric)
  }

At the end of the runs: ${lowerFirst(byPeakSentence(warm, plain, PEAKS, names))}${
    divergedNote([...warm, ...plain])
  }
`;
}

const chapter: Chapter = {
  slug: "warmup",
  title: "Warmup",
  original: d2l("Warmup"),
  source: import.meta.url,
  // The per-epoch pair and the per-update pair over five seeds; both per-epoch schedules at two
  // more peaks over two seeds each (the third peak reuses runs above).
  trainingRuns: 4 * DEFAULT_SEEDS.length + 2 * (PEAKS.length - 1) * SWEEP_SEEDS.length,
  playground: {
    after: "warmup-plot",
    schedules: [COSINE_WARMUP_SPEC, COSINE_SPEC],
    fullRun: warmupRequest,
  },
  cells: [
    prose(md`
# Warmup

A good initialization does not always make for a good start. Some elaborate architectures are
unstable in their first updates: a rate large enough to make good progress later blows them up
at the beginning, and a rate small enough to survive the beginning makes all of training slow.

Warmup escapes the choice by not making it: begin with a small rate, raise it over the first
steps to the peak we actually want, and only then let the schedule bring it down again for the
rest of training. The ramp is usually a straight line, from $\eta_{\text{begin}}$ (often 0) to
$\eta_0$ over the first $w$ steps,

$$\eta_t = \eta_{\text{begin}} + (\eta_0 - \eta_{\text{begin}}) \frac{t}{w}, \qquad 0 \le t < w,$$

and the schedule of [the cosine chapter](cosine.html) takes over at $t = w$, now spread over the remaining steps:

$$\eta_t = \eta_T + \frac{\eta_0 - \eta_T}{2} \left(1 + \cos\left(\pi \frac{t - w}{T - w}\right)\right), \qquad w \le t \le T.$$

As in the original chapter, the warmup counts inside $T$: here $w = 5$ epochs, $T = 20$,
$\eta_{\text{begin}} = 0$, $\eta_0 = 0.3$, $\eta_T = 0.01$, the rate set once per epoch. The
library writes this as \`cosine({ ..., warmupSteps: 5 })\`, which is the same schedule as
\`warmup(cosine({ ..., maxUpdate: 15 }), { steps: 5 })\`.
`),
    code("warmup-plot", "Plot the cosine schedule with and without 5 warmup epochs", plotWarmup),
    prose(() =>
      md`
Stepping per epoch has a cost with a ramp that starts at 0: the whole first epoch runs at
$\eta = ${warmupSchedule()(0)}$, so it trains nothing, and the second at $${
        warmupSchedule()(1).toFixed(2)
      }$. Stepped per update, the same ramp would rise over $5 \times 235$ updates and only the
very first update would be wasted. We keep the original's per-epoch setting first, so that the
comparison with [the cosine chapter's runs](cosine.html#cell-cosine-run) is like for like, and then try it per update.

The original chapter observes that, with warmup, the network converges better at first,
particularly during the first 5 epochs. Let us check.
`
    ),
    code(
      "warmup-run",
      "Train with the cosine schedule after 5 warmup epochs (per epoch), over seeds",
      runWarmup,
    ),
    code("vs-cosine", "Compare with the cosine runs without warmup, over the same seeds", vsCosine),
    prose((results) => warmupClaims(groupOf(results, "warmup-run"), groupOf(results, "vs-cosine"))),
    prose(md`
That verdict leans on the per-epoch setting, which spends the whole first epoch at rate 0. So we
run the comparison once more with the rate set before every update: the ramp now climbs over the
first five epochs' worth of updates (from 0 at the very first update), and the cosine without
warmup, stepped the same way, is its partner. Both are trained over the same five seeds.
`),
    code(
      "per-update",
      "Train both schedules again, the rate set before every update, over seeds",
      runPerUpdate,
    ),
    prose((results) => {
      const [warm, plain] = perUpdateRequests(1).map((r) => groupOf(results, "per-update", r.name));
      return warmupClaims(warm, plain, "Stepped per update: ") +
        stepping(groupOf(results, "warmup-run"), groupOf(results, "vs-cosine"), warm, plain);
    }),
    prose(md`
## At other peaks {#peaks}

Warmup is meant for peaks that a cold start does not survive, and 0.3 may not be one of them. So
we train both per-epoch schedules at [the toy problem's peaks](toy-problem.html#peaks) 0.1, 0.3
and 0.5, two seeds each
(at 0.3 these are seeds 0 and 1 of the runs above; the runs without warmup are the
[cosine chapter's](cosine.html#peaks)), and compare them peak for peak, over the first epochs
and at the end.
`),
    code(
      "warmup-peaks",
      "The cosine schedule with and without warmup at peaks 0.1, 0.3 and 0.5",
      warmupPeaks,
    ),
    prose((results) =>
      warmupPeakClaims(
        sweepOf(results, "warmup-peaks", WARMUP_COSINE),
        sweepOf(results, "warmup-peaks", COSINE),
      )
    ),
    prose(md`
Nothing ties warmup to the cosine: in our library \`warmup(schedule, { steps, beginLr, kind })\`
puts a ramp in front of any schedule. [Gotmare et al. (2019)](cite:gotmare2019) set out to explain why warmup (and
the [restarts](sgdr.html) of cosine schedules) work, by following how the representations learned by each
layer change during training (canonical correlation analysis) and how solutions connect (mode
connectivity). Their finding for warmup concerns the deeper layers, those near the output: its
effect is to keep those layers from making training unstable in its first phase. A plausible
reading, ours rather than theirs: the layers furthest from the input are fed features that are
themselves still random at the start, so large early steps there mostly chase noise.
`),
  ],
};

export default chapter;
