/**
 * Chapter "sgdr": cosine annealing with warm restarts (Loshchilov & Hutter), the paper the
 * cosine schedule comes from.
 *
 * Not in the seed, which stops at one cosine. The schedule and its three knobs (`sgdr-plot`,
 * `sgdr-shapes`: T₀, T_mult, the peak's decay per restart), stepped per epoch like the cosine
 * run it is compared with (`sgdr-steps` says what per-update stepping, the paper's, would
 * change); trained over three seeds (`sgdr-run`) against the cosine run and the constant rate
 * over the same seeds (`vs-cosine`, `vs-baseline`, the runs those chapters train), with three
 * measured claims: a usable network at the end of the first cycle, the cost of the restart, and
 * the end of the run.
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
import { divergedSeeds, groupOf, groupScope } from "../lib/book/seeds.ts";
import { compareGroupWith } from "../lib/book/spread_table.ts";
import {
  changeSentence,
  compareGroups,
  comparisonSentence,
  countWord,
  type Metric,
} from "../lib/book/verdict.ts";
import { type Schedule, sgdr, type SgdrOptions } from "../lib/schedules/mod.ts";
import type { ScheduleSpec } from "../lib/preview/recipe.ts";
import { resolveConfig } from "../lib/train/train.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { COSINE_SPEC, cosineRequest, cosineSchedule } from "./cosine.ts";
import { baselineRequest } from "./toy-problem.ts";

/** The seeds of this chapter's experiment: three, from 0 (the runs it compares with have them). */
export const SGDR_SEEDS: readonly number[] = Object.freeze([0, 1, 2]);

// #region sgdr-plot
/**
 * From η_max = 0.3 (the toy problem's rate) down to η_min = 0.01 (the cosine chapter's floor)
 * over a first cycle of T₀ = 10 epochs, then a restart and a cycle twice as long (T_mult = 2):
 * 10 + 20 epochs, the 30 of a run.
 */
export const SGDR_OPTIONS = {
  baseLr: 0.3,
  finalLr: 0.01,
  t0: 10,
  tMult: 2,
} satisfies SgdrOptions;

/** The schedule. A fresh one per call. */
export function sgdrSchedule(): Schedule {
  return sgdr(SGDR_OPTIONS);
}

/** It and the cosine schedule of the earlier chapter over the 30 epochs of a run. */
function plotSgdr(): Output[] {
  return [
    curve("SGDR: T₀ = 10, T_mult = 2", "epoch", sgdrSchedule(), 30),
    curve("cosine: 0.3 → 0.01, T = 20", "epoch", cosineSchedule(), 30),
  ];
}
// #endregion sgdr-plot

/** The schedule as the library describes it, for the playground panel. */
export const SGDR_SPEC = { kind: "sgdr", options: SGDR_OPTIONS } satisfies ScheduleSpec;

// #region sgdr-shapes
/** Three more settings of the same family, to see what each knob does over 30 epochs. */
export const SHAPES: readonly { label: string; options: SgdrOptions }[] = [
  { label: "T₀ = 10, T_mult = 1", options: { ...SGDR_OPTIONS, tMult: 1 } },
  { label: "T₀ = 2, T_mult = 2", options: { ...SGDR_OPTIONS, t0: 2 } },
  {
    label: "T₀ = 5, T_mult = 1, peak × 0.6 per restart",
    options: { ...SGDR_OPTIONS, t0: 5, tMult: 1, peakDecay: 0.6 },
  },
];

/** Each of them over 30 epochs. */
function plotShapes(): Output[] {
  return SHAPES.map((s) => curve(s.label, "epoch", sgdr(s.options), 30));
}
// #endregion sgdr-shapes

// #region sgdr-steps
/** The updates in one epoch of the full data, at the engine's batch size. */
function updatesPerEpoch(): number {
  return resolveConfig({ name: "plan", schedule: () => 0, stepsPer: "update" }).updatesPerEpoch;
}

/**
 * The rates of the first cycle's last epoch (epoch 10) and the next one, set once per epoch as
 * here, and set before every update with T₀ counted in updates, as the paper does.
 */
function stepsTable(): Output[] {
  const u = updatesPerEpoch();
  const perEpoch = sgdrSchedule();
  const perUpdate = sgdr({ ...SGDR_OPTIONS, t0: SGDR_OPTIONS.t0 * u });
  const row = (epoch: number) => [
    epoch,
    perEpoch(epoch - 1),
    perUpdate((epoch - 1) * u),
    perUpdate(epoch * u - 1),
  ];
  return [{
    kind: "table",
    columns: ["epoch", "per epoch", "per update: first update", "per update: last update"],
    rows: [row(1), row(5), row(10), row(11)],
  }];
}
// #endregion sgdr-steps

// #region sgdr-run
/** The SGDR run: a fresh schedule, the rate set once per epoch. */
export function sgdrRequest(): TrainRequest {
  return {
    name: `SGDR ${SGDR_OPTIONS.baseLr} → ${SGDR_OPTIONS.finalLr}, T₀ = ${SGDR_OPTIONS.t0}, ` +
      `T_mult = ${SGDR_OPTIONS.tMult}`,
    schedule: sgdrSchedule(),
    stepsPer: "epoch",
    epochs: 30,
  };
}

/** Train it over seeds 0–2. */
async function runSgdr(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(sgdrRequest(), SGDR_SEEDS)];
}
// #endregion sgdr-run

// #region vs-cosine
/** The cosine run of the cosine chapter over the same seeds (its stored runs). */
function vsCosine(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "sgdr-run", cosineRequest());
}
// #endregion vs-cosine

// #region vs-baseline
/** The toy problem's constant rate over the same seeds (its stored runs). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "sgdr-run", baselineRequest());
}
// #endregion vs-baseline

/** The last epoch (1-based) of the first cycle. */
export const FIRST_CYCLE_END = SGDR_OPTIONS.t0;

/**
 * The test accuracy after one epoch (1-based), as a measure.
 *
 * @param epoch The epoch.
 * @returns The metric (`null` for a run that has not reached it).
 */
export function testAccAfter(epoch: number): Metric {
  return {
    name: `test accuracy after epoch ${epoch}`,
    scale: "accuracy",
    value: (run) => (run.history.length >= epoch ? run.history[epoch - 1].testAcc : null),
    needs: `it needs ${epoch} epochs`,
  };
}

/** How the sentences name the three. */
const NAMES = { sgdr: "SGDR", cosine: "the single cosine", constant: "the constant rate" };

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/** The epochs (1-based) at which the schedule restarts within `epochs`: where the rate rises. */
export function restartEpochs(schedule: Schedule, epochs: number): number[] {
  const out: number[] = [];
  for (let t = 1; t < epochs; t++) if (schedule(t) > schedule(t - 1)) out.push(t + 1);
  return out;
}

/**
 * What the restart did: per seed, the test accuracy after the first epoch of the second cycle
 * minus that after the last epoch of the first, by the rule; `null` for runs too short for it.
 *
 * @param group SGDR over seeds.
 * @returns The change in words and its decision, or `null`.
 */
export function restartEffect(group: SeedRuns): ReturnType<typeof changeSentence> | null {
  const end = FIRST_CYCLE_END;
  if (group.runs.some((r) => r.history.length < end + 1)) return null;
  const changes = group.runs.map((r) => r.history[end].testAcc - r.history[end - 1].testAcc);
  return changeSentence(changes, "points", {
    what: "the test accuracy",
    when: `from epoch ${end}, the end of the first cycle, to epoch ${end + 1}, the first at the ` +
      `restored peak`,
  });
}

/**
 * The chapter's measured claims: the paper's case for restarts, a good network at the end of
 * every cycle (here the first, against the single cosine and the constant rate at the same
 * epoch); the price of a restart (the accuracy right after it); and the end of the run.
 *
 * @param group SGDR over seeds.
 * @param cosine The cosine schedule over the same seeds.
 * @param constant The constant rate over the same seeds.
 * @returns Markdown.
 */
export function sgdrClaims(group: SeedRuns, cosine: SeedRuns, constant: SeedRuns): string {
  const early = testAccAfter(FIRST_CYCLE_END);
  const c = compareGroups(group, cosine, early);
  const k = compareGroups(group, constant, early);
  const names = { a: NAMES.sgdr, b: NAMES.cosine };
  const anytime = c.verdict === "higher"
    ? `**A usable network by the end of the first cycle: confirmed.** `
    : c.verdict === "undecided"
    ? `**A usable network by the end of the first cycle: no verdict.** `
    : `**A usable network by the end of the first cycle: not confirmed.** `;
  const atRate = c.verdict === "higher"
    ? ` At that epoch SGDR's rate has come down to ${
      sgdrSchedule()(FIRST_CYCLE_END - 1).toFixed(4)
    } while the single cosine's is still ${
      cosineSchedule()(FIRST_CYCLE_END - 1).toFixed(3)
    }; a likely reading is that SGDR is simply the first to have annealed.`
    : "";
  const against = `Against the constant rate at the same epoch: ${
    lowerFirst(comparisonSentence(k, { a: NAMES.sgdr, b: NAMES.constant }))
  }`;
  const effect = restartEffect(group);
  const broke = group.runs.filter((r) => r.divergedAt !== null);
  const restart = effect === null
    ? broke.length > 0
      ? `**The restart's cost: no verdict.** ${
        broke.length === group.runs.length
          ? "Every seed"
          : `${upperFirst(countWord(broke.length))} of the seeds`
      } diverged before the restart could be seen (it needs ${FIRST_CYCLE_END + 1} epochs).`
      : `**The restart's cost: no verdict.** The runs are too short to see the restart (it ` +
        `needs ${FIRST_CYCLE_END + 1} epochs).`
    : effect.decision.verdict === "lower"
    ? `**The restart costs accuracy at first: confirmed.** ${upperFirst(effect.text)}.`
    : effect.decision.verdict === "undecided"
    ? `**The restart's cost: no verdict.** ${upperFirst(effect.text)}.`
    : effect.decision.verdict === "higher"
    ? `**The restart costs accuracy at first: not confirmed.** ${upperFirst(effect.text)}: ` +
      `raising the rate again did not undo the first cycle's gains.`
    : `**The restart costs accuracy at first: not confirmed.** ${upperFirst(effect.text)}.`;
  const endCosine = compareGroups(group, cosine);
  const endWords = endCosine.verdict === "higher"
    ? "**At the end, SGDR is ahead of the single cosine.**"
    : endCosine.verdict === "lower"
    ? "**At the end, SGDR is behind the single cosine.**"
    : endCosine.verdict === "no measurable difference"
    ? "**At the end, no measurable difference from the single cosine.**"
    : "**At the end: no verdict.**";
  const endConstant = comparisonSentence(compareGroups(group, constant), {
    a: NAMES.sgdr,
    b: NAMES.constant,
  });
  const diverged = divergedSeeds([group, cosine, constant]);
  const note = diverged.length ? `\n\nDiverged: ${diverged.join("; ")}.` : "";
  return md`${groupScope(group)}

- ${anytime}${comparisonSentence(c, names)}${atRate} ${against}
- ${restart}
- ${endWords} ${comparisonSentence(endCosine, names)} Against the constant rate: ${
    lowerFirst(endConstant)
  }${note}
`;
}

/** A sentence's first letter in upper case. */
function upperFirst(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/**
 * What the per-epoch and per-update settings of the schedule do in the first cycle's last
 * epoch, from {@linkcode stepsTable}'s rows.
 *
 * @param rows The table's rows: epoch, per epoch, per update first and last.
 * @returns Markdown.
 */
export function stepsProse(rows: readonly (string | number)[][]): string {
  const at = (epoch: number) => rows.find((r) => r[0] === epoch)!;
  const end = at(FIRST_CYCLE_END), next = at(FIRST_CYCLE_END + 1);
  const f = (x: string | number) => Number(x).toFixed(4);
  return md`
Set per epoch, epoch ${FIRST_CYCLE_END}, the last of the first cycle, trains at ${
    f(end[1])
  } throughout: the cosine is read at $T_{cur} = ${
    FIRST_CYCLE_END - 1
  }$ and never reaches $\eta_{min} = ${SGDR_OPTIONS.finalLr}$ before the
restart puts epoch ${FIRST_CYCLE_END + 1} back at ${f(next[1])}. Set per update, the same epoch
starts at ${f(end[2])} and ends at ${f(end[3])}, a hair above $\eta_{min}$, and the rate falls a
little within every epoch. Our runs set it per epoch, as the cosine run they are compared with
does: the two schedules then differ in their shape only, not in how they are stepped.
`;
}

const chapter: Chapter = {
  slug: "sgdr",
  title: "Warm Restarts (SGDR)",
  source: import.meta.url,
  // SGDR over three seeds, and the cosine and constant runs over the same three (the cosine
  // and toy-problem chapters train those, so only SGDR's three are new).
  trainingRuns: 3 * SGDR_SEEDS.length,
  playground: {
    after: "sgdr-plot",
    schedules: [SGDR_SPEC, COSINE_SPEC],
    fullRun: sgdrRequest,
  },
  cells: [
    prose(md`
# Warm Restarts (SGDR)

The cosine schedule of [the last chapter](cosine.html) comes from a larger scheme.
[Loshchilov & Hutter (2017)](cite:loshchilov2017) proposed *stochastic gradient descent with
warm restarts* (SGDR): anneal the rate along a half cosine, then raise it at once to its
starting value and anneal again, keeping the weights; the cosine schedule is its first cycle
alone. Restarting is an old device
in optimisation without gradients, where a search that has settled in one basin of a function
with many minima is started afresh; here the restart is *warm*, since the network is not
reinitialised, only the rate. Their aim was anytime performance: a network that is good at the
end of every cycle, not only at the end of the run, so that training can be stopped early or
extended without planning the schedule again. With it they reported error rates of 3.14% on
CIFAR-10 and 16.21% on CIFAR-100, the best published at the time.

Within cycle $i$, which lasts $T_i$ epochs, with $T_{cur}$ the epochs since the last restart,

$$\eta_t = \eta_{min} + \frac{\eta_{max} - \eta_{min}}{2}\left(1 + \cos\left(\frac{\pi\, T_{cur}}{T_i}\right)\right), \qquad T_i = T_0\, T_{mult}^{\,i}.$$

$T_0$ is the length of the first cycle and $T_{mult} \ge 1$ stretches each cycle relative to the
one before: with $T_{mult} = 1$ the restarts come at a fixed period, with $T_{mult} = 2$ each
cycle is twice the last, so the restarts thin out as training goes on. Our run takes
$\eta_{max} = 0.3$, the rate of [the toy problem](toy-problem.html), and $\eta_{min} = 0.01$, the
cosine schedule's floor, with $T_0 = 10$ and $T_{mult} = 2$: a cycle of 10 epochs and one of 20
fill the 30 epochs of a run exactly, so it ends near the bottom of a cycle. The library writes it
\`sgdr({ baseLr: 0.3, finalLr: 0.01, t0: 10, tMult: 2 })\`.
`),
    code(
      "sgdr-plot",
      "Plot SGDR (T₀ = 10, T_mult = 2) and the cosine schedule over 30 epochs",
      plotSgdr,
    ),
    prose((results) => {
      const restarts = restartEpochs(sgdrSchedule(), 30);
      const curves = (results.get("sgdr-plot") ?? []).filter((o) => o.kind === "schedule");
      return md`
The single cosine of [the last chapter](cosine.html) spends 20 epochs coming down and holds $0.01$ for the
last 10; SGDR comes down twice as fast, restarts in epoch ${restarts.join(", ")}, and takes the
remaining 20 epochs for its second descent. Over the ${
        curves.length ? curves[0].steps.length : 30
      } epochs the two share their peak and their floor, so what differs is when the rate is high
and how often it returns there.

The original paper keeps $\eta_{max}$ and $\eta_{min}$ the same in every cycle, to have fewer
settings to choose, and remarks that lowering them from cycle to cycle could be worth trying.
Libraries since offer it: Keras's \`CosineDecayRestarts\` multiplies the peak by \`m_mul\` at each
restart and timm's scheduler by \`cycle_decay\`, while PyTorch's \`CosineAnnealingWarmRestarts\`
has no such option. Our library calls it \`peakDecay\`: cycle $i$ starts at
$\eta_{max} \cdot \text{peakDecay}^{\,i}$; without it, ours gives PyTorch's rates step for step, at
this chapter's settings too, as [the frameworks chapter](frameworks.html) checks. [The cell below](fig:sgdr-shapes) draws the three knobs
at work.
`;
    }),
    code(
      "sgdr-shapes",
      "Plot SGDR with other T₀, T_mult and peak decays over 30 epochs",
      plotShapes,
    ),
    prose(md`
## Per epoch or per update {#stepping}

The paper counts $T_{cur}$ in epochs but updates it after every minibatch, so it takes
fractional values and the rate falls smoothly inside each epoch; PyTorch's scheduler does the
same when it is stepped with a fractional epoch after every batch. The cell compares both
settings of our schedule for a few epochs of the first cycle and the first of the second.
`),
    code("sgdr-steps", "The rate per epoch and per update around the first restart", stepsTable),
    prose((results) => {
      const table = (results.get("sgdr-steps") ?? []).find((o) => o.kind === "table");
      return table?.kind === "table" ? stepsProse(table.rows) : "";
    }),
    prose(md`
## On LeNet {#runs}

We train SGDR over seeds 0, 1 and 2 and set it against two runs over the same seeds: the
single cosine of [the cosine chapter](cosine.html), which shares its peak, its floor and its
stepping, and the constant rate of 0.3 of [the toy problem](toy-problem.html). Those runs are the
ones their own chapters made, read back from the stored results; only SGDR is trained here.
`),
    code("sgdr-run", "Train SGDR (per epoch) over seeds 0–2", runSgdr),
    code("vs-cosine", "Compare with the single cosine, over the same seeds", vsCosine),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem, over the same seeds",
      vsBaseline,
    ),
    prose((results) =>
      sgdrClaims(
        groupOf(results, "sgdr-run"),
        groupOf(results, "vs-cosine"),
        groupOf(results, "vs-baseline"),
      )
    ),
    prose(md`
Three seeds are enough to see a large difference and too few to see a small one, so a "no
measurable difference" above is no proof that there is none. Nor do our runs test what the
paper valued most, results at many possible stopping points: a run stopped at epoch 10 finds
SGDR at its floor and the single cosine about half way down, and one stopped at epoch 12 finds
SGDR just after its restart, back near its peak rate. And the usual story of why restarts help,
that a high rate lets the weights leave one basin for a better one, is a story:
[Gotmare et al. (2019)](cite:gotmare2019), who looked inside training with other tools than
accuracy curves, found that the reasons commonly given for the success of cosine annealing were
not supported by their experiments.
`),
  ],
};

export default chapter;
