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
 * that the claim is also checked without the per-epoch ramp's wasted epoch.
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
  comparison,
  meanOver,
  percent,
  points,
  runOf,
  scope,
  summarize,
} from "../lib/book/measure.ts";
import { cosine, type Schedule } from "../lib/schedules/mod.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import {
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
/** The cosine schedule of the last chapter, with its first 5 of T = 20 epochs a linear ramp from 0. */
export function warmupSchedule(): Schedule {
  return cosine({ ...COSINE_OPTIONS, warmupSteps: WARMUP });
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
export function warmupRequest(): TrainRequest {
  return {
    name: "cosine, 5 warmup epochs",
    schedule: warmupSchedule(),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it. */
async function runWarmup(ctx: CellContext): Promise<Output[]> {
  return [{ kind: "run", run: await ctx.train(warmupRequest()) }];
}
// #endregion warmup-run

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

/** Train both, fresh schedules, and compare them. */
async function runPerUpdate(ctx: CellContext): Promise<Output[]> {
  const plan = ctx.configOf({ name: "plan", schedule: () => 0, stepsPer: "update", epochs: 30 });
  const runs: RunResult[] = [];
  for (const request of perUpdateRequests(plan.updatesPerEpoch)) {
    runs.push(await ctx.train(request));
  }
  return [comparison(runs), ...runs.map((run): Output => ({ kind: "run", run }))];
}
// #endregion per-update

// #region vs-cosine
/** The cosine run without warmup (from the run cache if that chapter has run), compared. */
function vsCosine(ctx: CellContext): Promise<Output[]> {
  return compareWith(ctx, "warmup-run", cosineRequest());
}
// #endregion vs-cosine

/** The seed's claim: with warmup the network converges better in the first 5 epochs. */
function warmupClaims(run: RunResult, plain: RunResult, lead = ""): string {
  const n = Math.min(WARMUP, run.history.length, plain.history.length);
  const early = meanOver(run, "testAcc", 1, n) ?? 0;
  const earlyPlain = meanOver(plain, "testAcc", 1, n) ?? 0;
  const epochs = n === 1 ? "epoch 1" : `epochs 1–${n}`;
  const claim = early > earlyPlain
    ? `${lead}**Confirmed.** Over ${epochs} the test accuracy averaged ${
      percent(early)
    } with warmup ` +
      `against ${percent(earlyPlain)} without (${points(early - earlyPlain, true)}).`
    : `${lead}**Not confirmed.** Over ${epochs} the test accuracy averaged ${
      percent(early)
    } with warmup ` +
      `against ${percent(earlyPlain)} without (${points(early - earlyPlain, true)}): without ` +
      `warmup the network got ahead faster` +
      (plain.divergedAt === null
        ? `, and starting at the full rate of 0.3 did not make it diverge, so in this problem ` +
          `there was nothing for a warmup to prevent.`
        : ".");
  const first = run.history[0];
  const zero = first && first.lr === 0 && first.lrLast === 0
    ? ` The first epoch of the warmup run trains at rate 0 and leaves the weights as they were: its ` +
      `test accuracy after epoch 1, ${percent(first.testAcc)}, is that of the untrained network.`
    : "";
  const diverged = [run, plain].filter((r) => r.divergedAt !== null).map((r) => r.name);
  const divergence = diverged.length
    ? ` Diverged: ${diverged.join(", ")}.`
    : ` Neither run diverged.`;
  const a = summarize(run), b = summarize(plain);
  const end = `By the end the two are at ${percent(a.finalTestAcc)} and ${
    percent(b.finalTestAcc)
  } test accuracy (${points(a.finalTestAcc - b.finalTestAcc, true)} with warmup).`;
  return md`${scope(run)}

${claim}${zero}${divergence} ${end}
`;
}

/** How the early difference between warmup and none changed from per-epoch to per-update stepping. */
function stepping(
  epochWarm: RunResult,
  epochPlain: RunResult,
  updateWarm: RunResult,
  updatePlain: RunResult,
): string {
  const runs = [epochWarm, epochPlain, updateWarm, updatePlain];
  const n = Math.min(WARMUP, ...runs.map((r) => r.history.length));
  const mean = (r: RunResult) => meanOver(r, "testAcc", 1, n) ?? 0;
  const perEpoch = mean(epochWarm) - mean(epochPlain);
  const perUpdate = mean(updateWarm) - mean(updatePlain);
  const epochs = n === 1 ? "epoch 1" : `epochs 1–${n}`;
  const share = perEpoch < 0 && perUpdate > perEpoch / 2
    ? " Stepping per update, which wastes no epoch at rate 0, removed more than half of that " +
      "deficit."
    : "";
  return `\n\nOver ${epochs}, the difference that warmup made to the mean test accuracy was ` +
    `${points(perEpoch, true)} with the rate set per epoch and ${
      points(perUpdate, true)
    } with it ` +
    `set per update.${share}\n`;
}

const chapter: Chapter = {
  slug: "warmup",
  title: "Warmup",
  original: d2l("Warmup"),
  source: import.meta.url,
  trainingRuns: 4,
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

and the cosine of [the last chapter](cosine.html) takes over at $t = w$, now spread over the remaining steps:

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
comparison with [the last chapter's run](cosine.html#cell-cosine-run) is like for like, and then try it per update.

The original chapter observes that, with warmup, the network converges better at first,
particularly during the first 5 epochs. Let us check.
`
    ),
    code(
      "warmup-run",
      "Train with the cosine schedule after 5 warmup epochs (per epoch)",
      runWarmup,
    ),
    code("vs-cosine", "Compare with the cosine run without warmup", vsCosine),
    prose((results) => warmupClaims(runOf(results, "warmup-run"), runOf(results, "vs-cosine"))),
    prose(md`
That verdict leans on the per-epoch setting, which spends the whole first epoch at rate 0. So we
run the comparison once more with the rate set before every update: the ramp now climbs over the
first five epochs' worth of updates (from 0 at the very first update), and the cosine without
warmup, stepped the same way, is its partner.
`),
    code(
      "per-update",
      "Train both schedules again, the rate set before every update",
      runPerUpdate,
    ),
    prose((results) => {
      const [warm, plain] = perUpdateRequests(1).map((r) => runOf(results, "per-update", r.name));
      return warmupClaims(warm, plain, "Stepped per update: ") +
        stepping(runOf(results, "warmup-run"), runOf(results, "vs-cosine"), warm, plain);
    }),
    prose(md`
Nothing ties warmup to the cosine: in our library \`warmup(schedule, { steps, beginLr, kind })\`
puts a ramp in front of any schedule. [Gotmare et al. (2019)](cite:gotmare2019) set out to explain why warmup (and
the restarts of cosine schedules) work, by following how the representations learned by each
layer change during training (canonical correlation analysis) and how solutions connect (mode
connectivity). Their finding for warmup concerns the deeper layers, those near the output: its
effect is to keep those layers from making training unstable in its first phase. A plausible
reading, ours rather than theirs: the layers furthest from the input are fed features that are
themselves still random at the start, so large early steps there mostly chase noise.
`),
  ],
};

export default chapter;
