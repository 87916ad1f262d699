/**
 * Chapter "decay": decay to zero, and warmup–stable–decay (WSD), against cosine at the same
 * budget.
 *
 * Not in the seed. Three schedules share everything but the shape of their decay: the peak
 * 0.3, a budget of 30 epochs, a one-epoch linear warmup from 0, and a rate that reaches 0 at
 * the end of the budget; all three are set before every update. Cosine decays along half a
 * cosine, linear decay along a straight line, and WSD holds the peak until the last fifth of
 * the run and then falls linearly (`decay-plot`). Each is built from the library's parts
 * (`warmup`, `cosine`, `linear`, `join`, `constant`) and trained over three seeds
 * (`decay-run`); the measured prose compares linear decay and WSD with cosine, follows WSD's
 * gap to cosine through its decay, and sets all three against the toy problem's constant
 * rate (`vs-constant`).
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
import { sampledCurve } from "../lib/exercises/common.ts";
import { divergedNote } from "../lib/book/peaks.ts";
import { groupOf, groupScope, seedsText } from "../lib/book/seeds.ts";
import { spreadTable, verdictTable } from "../lib/book/spread_table.ts";
import {
  changeSentence,
  compareGroups,
  comparisonSentence,
  countWord,
  type Metric,
  signedPlusMinus,
  verdictWords,
} from "../lib/book/verdict.ts";
import { constant, cosine, join, linear, type Schedule, warmup } from "../lib/schedules/mod.ts";
import { resolveConfig } from "../lib/train/config.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest } from "./toy-problem.ts";

// #region decay-plot
/** The budget, the peak, and how the schedules spend them. */
export const DECAY = {
  /** Epochs of every run. */
  epochs: 30,
  /** The rate at the top, the toy problem's 0.3. */
  peak: BASELINE_LR,
  /** Epochs of linear warmup from 0, counted inside the budget. */
  warmupEpochs: 1,
  /** WSD's final decay, in epochs: the last fifth of the run. */
  decayEpochs: 6,
} as const;

/** The three schedules for a run of `u` updates per epoch, stepped per update, each to 0. */
export function decaySchedules(u: number): { name: string; schedule: Schedule }[] {
  const { epochs, peak, warmupEpochs, decayEpochs } = DECAY;
  const w = warmupEpochs * u, rest = (epochs - warmupEpochs) * u; // rest: after the warmup
  const ramp = (s: Schedule) => warmup(s, { steps: w }); // 0 → peak over w updates, then s
  return [
    { name: "cosine to 0", schedule: ramp(cosine({ baseLr: peak, finalLr: 0, maxUpdate: rest })) },
    {
      name: "linear to 0",
      schedule: ramp(linear({ startLr: peak, endLr: 0, maxUpdate: rest })),
    },
    {
      name: `WSD, last ${decayEpochs} epochs to 0`,
      schedule: ramp(join([
        constant({ baseLr: peak }), // stable: the peak until the decay begins
        linear({ startLr: peak, endLr: 0, maxUpdate: decayEpochs * u }), // then down to 0
      ], [rest - decayEpochs * u])),
    },
  ];
}

/** The updates per epoch of this run's data (235 on all 60,000 images). */
function updatesPerEpoch(ctx: CellContext): number {
  return ctx.configOf({ name: "plan", schedule: () => 0, stepsPer: "update" }).updatesPerEpoch;
}

/** The three over the 30 epochs of a run, every update (the figure samples 200 of them). */
function plotDecay(ctx: CellContext): Output[] {
  const u = updatesPerEpoch(ctx);
  return decaySchedules(u).map((s) => sampledCurve(s.name, s.schedule, DECAY.epochs * u));
}
// #endregion decay-plot

// #region decay-run
/** The seeds of this chapter's experiments. */
export const DECAY_SEEDS: readonly number[] = [0, 1, 2];

/** The three as requests: fresh schedules, the rate set before every update. */
export function decayRequests(u: number): TrainRequest[] {
  return decaySchedules(u).map(({ name, schedule }) => ({
    name,
    schedule,
    stepsPer: "update",
    epochs: DECAY.epochs,
  }));
}

/** Train each over seeds 0–2; tabulate them side by side and against cosine. */
async function runDecay(ctx: CellContext): Promise<Output[]> {
  const groups = [];
  for (const request of decayRequests(updatesPerEpoch(ctx))) {
    groups.push(await ctx.trainSeeds(request, DECAY_SEEDS));
  }
  const [cos] = groups;
  return [spreadTable(groups), verdictTable(groups, cos), ...groups];
}
// #endregion decay-run

// #region vs-constant
/** The toy problem's constant rate over the same seeds (its stored runs), against all three. */
async function vsConstant(ctx: CellContext): Promise<Output[]> {
  const names = decaySchedules(1).map((s) => s.name); // the same for any updates per epoch
  const [cos, lin, wsd] = names.map((name) => groupOf(ctx.results, "decay-run", name));
  const base = await ctx.trainSeeds(baselineRequest(), DECAY_SEEDS);
  return [verdictTable([base, cos, lin, wsd], base), { ...base, reference: true }];
}
// #endregion vs-constant

/** Updates per epoch on all 60,000 images, at the engine's batch size. */
const FULL_UPDATES = resolveConfig({ name: "plan", schedule: () => 0, stepsPer: "update" })
  .updatesPerEpoch;

/** A whole number in TeX with thin thousands separators: `7{,}050`. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "{,}");
}

/** The last epoch before WSD's decay: its stable stretch ends here. */
export const STABLE_END = DECAY.epochs - DECAY.decayEpochs;

/**
 * The test accuracy after one epoch (1-based), for comparisons at that point of the runs.
 *
 * @param epoch The epoch.
 * @returns The metric (no value for a run that did not reach the epoch).
 */
export function testAccAfter(epoch: number): Metric {
  return {
    name: `test accuracy after epoch ${epoch}`,
    scale: "accuracy",
    value: (
      run: RunResult,
    ) => (run.history.length >= epoch ? run.history[epoch - 1].testAcc : null),
    needs: `it needs epoch ${epoch}`,
  };
}

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * One schedule against cosine at the end of the runs, its verdict in bold, worded per outcome.
 *
 * @param group The schedule over seeds.
 * @param cos Cosine to 0 over the same seeds.
 * @param name How to name the schedule: `"linear decay"`.
 * @returns One paragraph of Markdown.
 */
export function againstCosine(group: SeedRuns, cos: SeedRuns, name: string): string {
  const c = compareGroups(group, cos);
  const sentence = comparisonSentence(c, { a: name, b: "cosine" });
  const Name = name[0].toUpperCase() + name.slice(1);
  return c.verdict === "higher"
    ? `**${Name} beat cosine here.** ${sentence}`
    : c.verdict === "lower"
    ? `**Cosine beat ${name} here.** ${sentence}`
    : c.verdict === "no measurable difference"
    ? `**${Name} and cosine ended level.** ${sentence}`
    : `**No verdict on ${name} against cosine.** ${sentence}`;
}

/**
 * WSD's course against cosine: the gap at the end of its stable stretch, and how its decay
 * changed that gap, seed by seed, by the rule; `""` for runs too short to reach the decay.
 *
 * @param wsd WSD over seeds.
 * @param cos Cosine to 0 over the same seeds.
 * @returns Markdown.
 */
export function wsdCourse(wsd: SeedRuns, cos: SeedRuns): string {
  const at = compareGroups(wsd, cos, testAccAfter(STABLE_END));
  const before = comparisonSentence(at, { a: "WSD", b: "cosine" });
  if (at.undecided === "unmeasurable") {
    return `Before its decay: ${lowerFirst(before)}`;
  }
  const bySeed = (g: SeedRuns) => new Map(g.runs.map((r) => [r.config.seed, r]));
  const w = bySeed(wsd), c = bySeed(cos);
  const seeds = [...w.keys()].filter((s) => c.has(s)).sort((a, b) => a - b);
  const gap = (s: number, e: number) =>
    w.get(s)!.history[e - 1].testAcc - c.get(s)!.history[e - 1].testAcc;
  const last = Math.min(
    ...seeds.flatMap((s) => [w.get(s)!.history.length, c.get(s)!.history.length]),
  );
  if (seeds.length === 0 || last <= STABLE_END) return `Before its decay: ${lowerFirst(before)}`;
  const change = changeSentence(seeds.map((s) => gap(s, last) - gap(s, STABLE_END)), "points", {
    what: "WSD's difference from cosine",
    when: `from epoch ${STABLE_END} to epoch ${last}`,
  });
  const trailed = at.verdict === "lower";
  const reading = change.decision.verdict === "higher"
    ? trailed
      ? " While its rate stayed at the peak, WSD trailed; its decay made up ground, the " +
        "pattern reported for language models trained this way."
      : " Its decay gained ground on cosine."
    : change.decision.verdict === "lower"
    ? " Its decay lost ground against cosine's."
    : change.decision.verdict === "no measurable difference"
    ? " Its decay changed nothing measurable in its standing against cosine."
    : "";
  return `Before its decay: ${lowerFirst(before)} Then ${change.text}.${reading}`;
}

/**
 * The three against the toy problem's constant rate, in one sentence: each one's difference in
 * final test accuracy and its verdict.
 *
 * @param groups Cosine, linear decay and WSD over seeds.
 * @param base The constant rate over the same seeds.
 * @returns One sentence.
 */
export function againstConstant(groups: readonly SeedRuns[], base: SeedRuns): string {
  const parts = groups.map((g) => {
    const c = compareGroups(g, base);
    return `**${g.label}**, ${signedPlusMinus(c.difference, c.se, "accuracy")} (${
      verdictWords(c)
    })`;
  });
  return `Against [the toy problem](toy-problem.html)'s constant rate of ${BASELINE_LR}, over ${
    seedsText(base.runs.map((r) => r.config.seed))
  }, the difference in final test accuracy (mean paired difference ± its standard error, ` +
    `and the verdict) was: ${parts.join("; ")}.`;
}

/**
 * What the runs say: linear decay and WSD against cosine, WSD's course, and all three against
 * the constant rate.
 *
 * @param cos Cosine to 0 over seeds.
 * @param lin Linear decay to 0 over the same seeds.
 * @param wsd WSD over the same seeds.
 * @param base The constant rate over the same seeds.
 * @returns Markdown.
 */
export function decayClaims(cos: SeedRuns, lin: SeedRuns, wsd: SeedRuns, base: SeedRuns): string {
  return md`${groupScope(cos)}

- ${againstCosine(lin, cos, "linear decay")}
- ${againstCosine(wsd, cos, "WSD")} ${wsdCourse(wsd, cos)}
- ${againstConstant([cos, lin, wsd], base)}${divergedNote([cos, lin, wsd, base])}
`;
}

const chapter: Chapter = {
  slug: "decay",
  title: "Decay to Zero, and Warmup–Stable–Decay",
  source: import.meta.url,
  // Three schedules over three seeds, and the toy problem's baseline over the same seeds (its
  // stored runs).
  trainingRuns: 4 * DECAY_SEEDS.length,
  cells: [
    prose(md`
# Decay to Zero, and Warmup–Stable–Decay

The [cosine chapter](cosine.html)'s schedule stops at a floor: it reaches $0.01$ at epoch 20
and stays there for the last ten. Many recipes of the last few years instead let the rate fall
all the way to zero, and exactly at the end of the budget. The plainest way to do that is a
straight line, from the peak $\eta_0$ at $t = 0$ to 0 at $t = T$:

$$\eta_t = \eta_0 \left(1 - \frac{t}{T}\right).$$

[Defazio et al. (2023)](cite:defazio2023) argue for it from theory: for the last iterate of SGD
their worst-case analysis makes this linear decay the best schedule, and across the many
problems they tried it did better overall than the cosine schedule, which people reach for by
default.

Both shapes have a drawback in practice: the decay starts at once, so the whole curve depends on
$T$, and a run cannot be extended once it has begun without changing the rates it already used.
*Warmup–stable–decay* (WSD), named by [Hu et al. (2024)](cite:hu2024) for their MiniCPM models,
holds the peak for most of the run and decays only at the end:

$$\eta_t = \begin{cases} \eta_0\, t / w & t < w \\ \eta_0 & w \le t < T - d \\ \eta_0\, (T - t) / d & T - d \le t \le T, \end{cases}$$

with a warmup of $w$ steps and a decay of the last $d$ (papers differ in the decay's shape; ours
is a straight line). The long stable stretch does not depend
on $T$: a run can go on at the peak as long as one likes and branch off into a decay whenever a
finished model is wanted. [Hägele et al. (2024)](cite:hagele2024) found that a constant rate
followed by such a cooldown trains language models about as well as cosine and scales as
predictably, which lets one long run stand in for many runs of different lengths.

Here all three get the same budget, 30 epochs, the same peak, 0.3 ([the toy problem](toy-problem.html)'s rate), and
the same one-epoch linear warmup from 0, so that only the shape of the decay differs; WSD
decays over the last 6 epochs, a fifth of the run. Each is composed from the library's parts,
never written out by hand: \`warmup(...)\` in front, and behind it \`cosine\`, \`linear\`, or
\`join\` of a \`constant\` and a \`linear\`. The rate is set before every update, all
$${DECAY.epochs} \times ${FULL_UPDATES} = ${thousands(DECAY.epochs * FULL_UPDATES)}$ of them on
the full data: a decay over ${DECAY.decayEpochs} epochs, set once per epoch, would be a staircase
of ${countWord(DECAY.decayEpochs)} steps, and the papers above set their rates per update too.
`),
    code(
      "decay-plot",
      "Plot cosine, linear decay and WSD, each from 0.3 to 0 over 30 epochs",
      plotDecay,
    ),
    prose(md`
Why not compare with [the cosine chapter](cosine.html)'s own runs, which are already trained? They differ from
these in three ways besides their shape: they are set once per epoch, they have no warmup, and
they decay over 20 epochs to 0.01 and then stay there, so that a third of the budget passes at a
small constant rate. Against them a difference could come from any of the four. So cosine is
trained again here, to 0 over the same 30 epochs, per update and with the same warmup, over
${seedsText(DECAY_SEEDS)}, as are the other two.
`),
    code("decay-run", "Train cosine, linear decay and WSD (per update), over seeds", runDecay),
    code(
      "vs-constant",
      "Compare all three with the toy problem's constant rate, over the same seeds",
      vsConstant,
    ),
    prose((results) => {
      const [cos, lin, wsd] = decayRequests(1).map((r) => groupOf(results, "decay-run", r.name));
      return decayClaims(cos, lin, wsd, groupOf(results, "vs-constant"));
    }),
    prose(md`
These are three seeds of a small network on a small dataset, trained for one budget; the papers
above are mostly about language models many thousands of times larger. What carries over without
any experiment is the bookkeeping: WSD's stable stretch is the same whatever the budget, so a
run can be lengthened, or branched into several decays, without retraining the part already
done; cosine and linear decay fix $T$ at the first step.
`),
  ],
};

export default chapter;
