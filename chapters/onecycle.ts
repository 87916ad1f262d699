/**
 * Chapter "onecycle": the learning-rate range test and the one-cycle policy (Smith; Smith &
 * Topin).
 *
 * Not in the seed. A range test (`range-plot`, `range-test`: a rate rising tenfold every 50
 * updates over most of one epoch, the loss of every update recorded), a documented rule that
 * reads a peak off it (`suggest-peak`, `lib/book/range_test.ts`), then one-cycle at that peak,
 * the rate set before every update (`onecycle-plot`, `onecycle-run`), against the toy problem's
 * constant rate (`vs-baseline`) and the constant rate at the same peak (`vs-peak`), which
 * separates what the peak did from what the shape did. Everything over seeds 0–2.
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
  type ScheduleOutput,
  type SeedRuns,
} from "../lib/book/types.ts";
import { type RangeTestReading, readRangeTest } from "../lib/book/range_test.ts";
import { divergedSeeds, groupOf, groupScope, seedsOf, seedsText } from "../lib/book/seeds.ts";
import { FULL_TRAIN_SIZE, settingsText } from "../lib/book/measure.ts";
import { compareGroupWith } from "../lib/book/spread_table.ts";
import { compareGroups, comparisonSentence } from "../lib/book/verdict.ts";
import { exponential, onecycle, type Schedule } from "../lib/schedules/mod.ts";
import type { RunConfig, RunResult, TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest, constantRequest } from "./toy-problem.ts";

/** The seeds of this chapter's experiments: three, from 0 (the baseline has them). */
export const SEEDS: readonly number[] = Object.freeze([0, 1, 2]);

// #region range-plot
/**
 * The range test's sweep: from 10⁻³ to 10 (four decades) over the first 200 updates of one
 * epoch, so the rate grows tenfold every 50 updates; the epoch's remaining updates run at 10
 * and are not read.
 */
export const SWEEP = { from: 1e-3, to: 10, updates: 200 } as const;

/** The updates a sweep spans in a run of `config` (fewer in a quick run's shorter epoch). */
export function sweepUpdates(config: RunConfig): number {
  return Math.min(SWEEP.updates, config.epochs * config.updatesPerEpoch);
}

/** The sweep over `n` updates: rate(u) = from · (to / from)^(u / n), held at `to` from u = n. */
export function sweepSchedule(n: number): Schedule {
  return exponential({
    baseLr: SWEEP.from,
    gamma: (SWEEP.to / SWEEP.from) ** (1 / n),
    maxLr: SWEEP.to,
  });
}

/** The range test: one epoch, the rate set before every update, the loss of every update kept. */
export function rangeTestRequest(n: number = SWEEP.updates): TrainRequest {
  return {
    name: `range test ${SWEEP.from} → ${SWEEP.to}`,
    schedule: sweepSchedule(n),
    stepsPer: "update",
    epochs: 1,
    updateLosses: true,
  };
}

/** The updates the sweep spans under this chapter's options. */
function planned(ctx: CellContext): number {
  return sweepUpdates(ctx.configOf(rangeTestRequest()));
}

/** The sweep's rate at each of its updates (log scale). */
function plotSweep(ctx: CellContext): Output[] {
  const n = planned(ctx), lr = sweepSchedule(n);
  const steps = Array.from({ length: n }, (_, u) => u);
  return [{
    kind: "schedule",
    label: "range test",
    unit: "update",
    steps,
    lrs: steps.map(lr),
    log: "y",
  }];
}
// #endregion range-plot

// #region range-test
/** The running median's half-width and the slope's half-span: a fifth and a tenth of a decade. */
export function smoothingFor(n: number): { window: number; span: number } {
  const perDecade = n / Math.log10(SWEEP.to / SWEEP.from);
  return { window: Math.round(perDecade / 5), span: Math.max(1, Math.round(perDecade / 10)) };
}

/** A run's range test read by the rule (`lib/book/range_test.ts`), over the sweep's updates. */
export function readRun(run: RunResult, n: number): RangeTestReading {
  if (run.updateLosses === undefined) {
    throw new Error(`the range test "${run.name}" has no loss per update (its trainer kept none)`);
  }
  const rates = Array.from({ length: n }, (_, u) => sweepSchedule(n)(u));
  return readRangeTest(rates, run.updateLosses.slice(0, n), smoothingFor(n));
}

/** The loss against the rate, seed by seed: as recorded, and as the rule smooths it. */
function curvesOf(group: SeedRuns, n: number): ScheduleOutput[] {
  const readings = group.runs.map((r) => ({ seed: r.config.seed, reading: readRun(r, n) }));
  const curve = (
    seed: number,
    x: number[],
    y: number[],
    quantity: string,
    log: "x" | "xy",
  ): ScheduleOutput => ({
    kind: "schedule",
    label: `seed ${seed}`,
    unit: "update",
    steps: x,
    lrs: y,
    quantity,
    xQuantity: "learning rate",
    log,
  });
  return [
    ...readings.map(({ seed, reading }) =>
      curve(seed, reading.rates, reading.smoothed, "training loss, running median", "x")
    ),
    ...readings.map(({ seed, reading }) =>
      curve(seed, reading.rates, reading.losses, "training loss of each update", "xy")
    ),
  ];
}

/** Train the range test over seeds 0–2 and draw its loss against its rate. */
async function runRangeTest(ctx: CellContext): Promise<Output[]> {
  const n = planned(ctx);
  const group = await ctx.trainSeeds(rangeTestRequest(n), SEEDS);
  return [...curvesOf(group, n), { ...group, reference: true }];
}
// #endregion range-test

// #region suggest-peak
/** Each seed's reading, in the order of the group. */
export function readingsOf(group: SeedRuns, n: number): RangeTestReading[] {
  return group.runs.map((r) => readRun(r, n));
}

/** The rule over seeds: the median of the seeds' suggested peaks (the lower middle one of an even count). */
export function medianPeak(readings: readonly RangeTestReading[]): number {
  const peaks = readings.map((r) => r.peak).sort((a, b) => a - b);
  return peaks[(peaks.length - 1) >> 1];
}

/** The peak the range test of cell `range-test` suggests. */
export function suggestedPeak(ctx: CellContext): number {
  return medianPeak(readingsOf(groupOf(ctx.results, "range-test"), planned(ctx)));
}

/** Each seed's lowest point, steepest descent and suggestion, and the median. */
function suggestPeak(ctx: CellContext): Output[] {
  const group = groupOf(ctx.results, "range-test"), n = planned(ctx);
  const f = (x: number) => Number(x.toPrecision(3));
  const rows = readingsOf(group, n).map((r, i) => [
    group.runs[i].config.seed,
    f(r.lowest.rate),
    f(r.lowest.loss),
    r.steepest === null ? "–" : f(r.steepest.rate),
    r.steepest === null ? "–" : f(r.steepest.slope),
    r.peak,
  ]);
  rows.push(["median", "", "", "", "", suggestedPeak(ctx)]);
  const columns = [
    "seed",
    "rate at the lowest smoothed loss",
    "that loss",
    "rate of steepest descent",
    "its slope (loss per decade)",
    "suggested peak",
  ];
  return [{ kind: "table", columns, rows }];
}
// #endregion suggest-peak

// #region onecycle-plot
/** The updates of a 30-epoch run under this chapter's options (at least 4, one-cycle's least). */
function runUpdates(ctx: CellContext): number {
  const plan = ctx.configOf({ name: "plan", schedule: () => 0, stepsPer: "update", epochs: 30 });
  return Math.max(4, plan.epochs * plan.updatesPerEpoch);
}

/** One-cycle over `total` updates with PyTorch's defaults: from peak/25 up for 30%, then down. */
export function onecycleSchedule(peak: number, total: number): Schedule {
  return onecycle({ maxLr: peak, totalSteps: total });
}

/** The schedule at the suggested peak, every 47th update (five points an epoch on all the data). */
function plotOnecycle(ctx: CellContext): Output[] {
  const total = runUpdates(ctx), lr = onecycleSchedule(suggestedPeak(ctx), total);
  const steps = Array.from({ length: total }, (_, u) => u).filter((u) =>
    u % 47 === 0 || u === total - 1
  );
  return [{
    kind: "schedule",
    label: `one-cycle, peak ${suggestedPeak(ctx)}`,
    unit: "update",
    steps,
    lrs: steps.map(lr),
  }];
}
// #endregion onecycle-plot

// #region onecycle-run
/** The one-cycle run at `peak`: a fresh schedule over all `total` updates, set before each. */
export function onecycleRequest(peak: number, total: number): TrainRequest {
  return {
    name: `one-cycle, peak ${peak}`,
    schedule: onecycleSchedule(peak, total),
    stepsPer: "update",
    epochs: 30,
  };
}

/** Train it at the suggested peak over seeds 0–2. */
async function runOnecycle(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(onecycleRequest(suggestedPeak(ctx), runUpdates(ctx)), SEEDS)];
}
// #endregion onecycle-run

// #region vs-baseline
/** The toy problem's constant rate over the same seeds (its stored runs). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "onecycle-run", baselineRequest());
}
// #endregion vs-baseline

// #region vs-peak
/** The constant rate at the suggested peak, over the same seeds: the peak without the cycle. */
function vsPeak(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "onecycle-run", constantRequest(suggestedPeak(ctx)));
}
// #endregion vs-peak

/** The updates the sweep spanned, from the curve of cell `range-plot` (for prose). */
function sweptIn(results: ReadonlyMap<string, readonly Output[]>): number {
  const c = results.get("range-plot")?.[0];
  return c?.kind === "schedule" ? c.steps.length : SWEEP.updates;
}

/** ln 10: the loss of a network that gives each of the ten classes the same probability. */
const CHANCE_LOSS = Math.log(10);

/** Numbers for prose: three significant digits. */
function n3(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** A list in words: "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * What the range test shows and what the rule made of it: each seed's suggestion and the
 * median, how far apart the seeds were, how the steepest-descent reading compares, where the
 * peak sits against the toy problem's rate, and what the loss did past the lowest point.
 *
 * @param group The range test over seeds.
 * @param readings Each seed's reading (`readingsOf`), in the group's order.
 * @param swept The updates the sweep spanned (`sweepUpdates`).
 * @returns Markdown.
 */
export function rangeClaims(
  group: SeedRuns,
  readings: readonly RangeTestReading[],
  swept: number,
): string {
  if (readings.length === 0) throw new RangeError("rangeClaims: no readings");
  const seeds = group.runs.map((r) => r.config.seed);
  const peak = medianPeak(readings);
  const each = readings.map((r, i) =>
    `${r.peak} for seed ${seeds[i]} (where it was ${n3(r.lowest.loss)})`
  );
  const peaks = readings.map((r) => r.peak);
  const spread = readings.length === 1
    ? "With one seed there is no spread to see."
    : Math.max(...peaks) === Math.min(...peaks)
    ? "Every seed gave the same suggestion."
    : `The largest suggestion is ${
      n3(Math.max(...peaks) / Math.min(...peaks))
    } times the smallest: ` +
      `on this problem the reading of one run is only good to that factor.`;
  const steep = readings.flatMap((r) => (r.steepest === null ? [] : [r.steepest.rate]));
  const middle = [...steep].sort((a, b) => a - b)[(steep.length - 1) >> 1];
  const ratio = peak / middle;
  const steepText = steep.length === 0
    ? "No seed's curve fell before its lowest point, so there is no steepest descent to compare."
    : `Read at its steepest descent instead, as some tools do, the ${
      steep.length === 1 ? "curve" : "curves"
    } would suggest ${list(steep.map(n3))}, ${
      // The steepest point comes at or before the lowest, so its rate is never the higher.
      ratio >= 2
        ? `${n3(ratio)} times lower at the median: the rule decides as much of the answer as ` +
          `the test does.`
        : `within a factor of two of the rule's at the median: here the two readings roughly ` +
          `agree.`}`;
  const versus = peak > BASELINE_LR
    ? `above [the toy problem](toy-problem.html)'s constant rate of ${BASELINE_LR}`
    : peak < BASELINE_LR
    ? `below [the toy problem](toy-problem.html)'s constant rate of ${BASELINE_LR}`
    : `[the toy problem](toy-problem.html)'s constant rate of ${BASELINE_LR} itself`;
  return md`${rangeScope(group, swept)}

The smoothed loss was lowest at ${list(each)}; the median of these, **${peak}**, is the peak
we train one-cycle at, ${versus}. ${spread} ${steepText}

${afterLowest(group, readings, swept)}
`;
}

/**
 * What the range test was, in words, for the top of its prose: its seeds and settings, and for
 * a quick run (fewer images, or a sweep of fewer updates than 200), a warning.
 *
 * @param group The range test over seeds.
 * @param swept The updates its sweep spanned.
 * @returns One or two sentences of Markdown, in italics.
 */
export function rangeScope(group: SeedRuns, swept: number): string {
  const [first] = group.runs;
  const n = group.runs.length;
  const seeds = `${n} seed${n === 1 ? "" : "s"} (${seedsText(seedsOf(group))})`;
  const one = n === 1 ? " One seed gives no spread." : "";
  return first.config.trainSize === FULL_TRAIN_SIZE && swept === SWEEP.updates
    ? `*Measured over ${seeds} of the range test: ${settingsText(first)}, the first ` +
      `${SWEEP.updates} updates swept.${one}*`
    : `*These numbers come from a quick range test over ${seeds}: ${settingsText(first)}, ` +
      `${swept} update${swept === 1 ? "" : "s"} swept instead of ${SWEEP.updates}; the readings ` +
      `below are about the full test, and a quick one is too short to settle them.${one}*`;
}

/**
 * What the loss did past its lowest point, seed by seed, over the last tenth of the sweep: it
 * diverged (no longer finite), was still falling (so the rule took the largest rate swept), or
 * rose, perhaps to the ln 10 of a network that has stopped learning.
 *
 * @param group The range test over seeds.
 * @param readings Each seed's reading, in the group's order.
 * @param swept The updates the sweep spanned.
 * @returns One or more sentences.
 */
export function afterLowest(
  group: SeedRuns,
  readings: readonly RangeTestReading[],
  swept: number,
): string {
  const seeds = group.runs.map((r) => r.config.seed);
  const diverged: string[] = [], falling: number[] = [];
  const rose: { seed: number; low: number; end: number }[] = [];
  readings.forEach((r, i) => {
    if (group.runs[i].divergedAt !== null && r.losses.length < swept) {
      diverged.push(`seed ${seeds[i]} at rate ${n3(sweepSchedule(swept)(r.losses.length))}`);
    } else if (r.lowest.update === r.smoothed.length - 1) {
      falling.push(seeds[i]);
    } else {
      const tail = r.smoothed.slice(-Math.max(1, Math.round(r.smoothed.length / 10)));
      rose.push({
        seed: seeds[i],
        low: r.lowest.loss,
        end: tail.reduce((a, b) => a + b, 0) / tail.length,
      });
    }
  });
  const parts: string[] = [];
  if (rose.length) {
    const chance = rose.filter((x) => Math.abs(x.end - CHANCE_LOSS) < 0.05);
    const which = rose.length === readings.length && rose.length > 1
      ? "every seed"
      : seedsText(rose.map((x) => x.seed));
    parts.push(
      `Past its lowest point the smoothed loss of ${which} climbed again, from ${
        list(rose.map((x) => n3(x.low)))
      } to ${list(rose.map((x) => n3(x.end)))} over the last tenth of the sweep.` +
        (chance.length === 0
          ? ""
          : ` ${
            chance.length === rose.length
              ? rose.length === 1 ? "That is" : "Each is"
              : `For ${seedsText(chance.map((x) => x.seed))} that is`
          } about ln 10 = ${n3(CHANCE_LOSS)}, the loss of a network that gives all ten classes ` +
            `the same probability: at the top of the sweep the network had stopped learning altogether.`),
    );
  }
  if (falling.length) {
    parts.push(
      `The smoothed loss of ${seedsText(falling)} was lowest at the very end of the sweep, so ` +
        `the rule could only take the largest rate swept.`,
    );
  }
  if (diverged.length) {
    parts.push(`Diverged, the loss no longer finite: ${list(diverged)}.`);
  }
  return parts.join(" ");
}

/**
 * The chapter's verdicts: one-cycle at the suggested peak against the toy problem's constant
 * rate; and, to tell the peak from the shape, the constant rate at that peak against both.
 *
 * @param cycle One-cycle at the suggested peak, over seeds.
 * @param baseline The constant rate of 0.3, over the same seeds.
 * @param atPeak The constant rate at the suggested peak, over the same seeds.
 * @param peak The suggested peak.
 * @returns Markdown.
 */
export function onecycleClaims(
  cycle: SeedRuns,
  baseline: SeedRuns,
  atPeak: SeedRuns,
  peak: number,
): string {
  const main = compareGroups(cycle, baseline);
  const head = main.verdict === "higher"
    ? "**The range test and one-cycle beat the constant rate.**"
    : main.verdict === "lower"
    ? "**The range test and one-cycle did worse than the constant rate.**"
    : main.verdict === "no measurable difference"
    ? "**The range test and one-cycle made no measurable difference.**"
    : "**One-cycle against the constant rate: no verdict.**";
  const names = { a: "one-cycle", b: `the constant rate of ${BASELINE_LR}` };
  const shape = comparisonSentence(compareGroups(cycle, atPeak), {
    a: "one-cycle",
    b: `the constant rate of ${peak}`,
  });
  const alone = peak === BASELINE_LR
    ? `The range test's peak is [the toy problem](toy-problem.html)'s own rate, so the constant run at that peak is the baseline itself.`
    : `The peak alone: ${
      lowerFirst(comparisonSentence(compareGroups(atPeak, baseline), {
        a: `the constant rate of ${peak}`,
        b: `that of ${BASELINE_LR}`,
      }))
    }`;
  const diverged = divergedSeeds([cycle, atPeak, baseline]);
  const note = diverged.length ? ` Diverged: ${diverged.join("; ")}.` : "";
  return md`${groupScope(cycle)}

${head} ${comparisonSentence(main, names)}

The shape alone, at the same peak: ${lowerFirst(shape)} ${alone}${note}
`;
}

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

const chapter: Chapter = {
  slug: "onecycle",
  title: "One-Cycle and the Range Test",
  source: import.meta.url,
  // The range test over three seeds (one epoch each); one-cycle over three; the constant rate
  // at 0.3 (the toy problem's runs) and at the suggested peak over the same three.
  trainingRuns: 4 * SEEDS.length,
  trainingEpochs: SEEDS.length * 1 + 3 * SEEDS.length * 30,
  cells: [
    prose(md`
# One-Cycle and the Range Test

Every schedule in this book starts from a peak rate, and so far the peak was handed down: 0.3,
the rate of the original chapter. [Smith (2017)](cite:smith2017) proposed to measure it instead,
with one short run whose rate grows steadily from far too small to far too large, watching how
the network responds. At first nothing happens; then the loss starts to fall, faster as the rate
grows; then the rate becomes too large for the network to follow, and the loss turns and climbs.
Where it stops falling marks, roughly, the largest rate the network can use at that stage. His version raised the rate
linearly over a few epochs and read the accuracy; the form that caught on, as in fastai's
\`lr_find\`, raises it exponentially, so that every decade of rates gets the same number of
updates, and reads the training loss of each update.

Ours sweeps four decades, from $10^{-3}$ to $10$, over the first 200 of the 235 updates of one
epoch: the rate is multiplied by $10^{1/50}$ before each update, tenfold every 50. The
network starts fresh, as for a real run, and the engine records the loss of every update's
minibatch (\`updateLosses: true\`), computed just before that update changes the weights. The
library's \`exponential({ baseLr, gamma, maxLr })\` is the sweep; the last 35 updates of the epoch
run at the cap and are not read.
`),
    code("range-plot", "The range test's rate at each of its updates", plotSweep),
    prose(md`
We run it over the three seeds the rest of the chapter uses. [The first figure](fig:range-test)
is the rule's input, the second the loss of every update as recorded, on a log scale because
a single update that goes wrong can be far worse than all the others.
`),
    code(
      "range-test",
      "Train the range test over seeds 0–2: the loss of every update against its rate",
      runRangeTest,
    ),
    prose(md`
## A rule for the peak {#rule}

The curve has to be read by a rule, or the peak is a matter of taste. Ours, in
\`lib/book/range_test.ts\`: smooth the losses with a running median over 21 updates (a fifth of a
decade either way), which a single wild minibatch cannot move, unlike a mean; take the rate at
which the smoothed loss is lowest, the largest rate at which it was still coming down; round it
to two significant digits. Each seed gives one such rate, and we train at their median. Smith
and Topin read the test in the same spirit, taking for the cycle's peak a large rate at which
the test still made progress. Other tools read the curve elsewhere, for instance at its
steepest descent, or a factor of ten below its lowest point, for safety; the cell computes the
steepest descent too, for comparison.
`),
    code("suggest-peak", "Read each seed's curve by the rule; the median is the peak", suggestPeak),
    prose((results) =>
      rangeClaims(
        groupOf(results, "range-test"),
        readingsOf(groupOf(results, "range-test"), sweptIn(results)),
        sweptIn(results),
      )
    ),
    prose(md`
## One cycle {#onecycle}

[Smith & Topin (2019)](cite:smith2019) found that some networks train an order of magnitude
faster than usual when the rate makes a single large cycle: up from a modest start to a peak
far above the usual rate, then down to almost nothing. They called it super-convergence; the
policy became known as one-cycle. Our library's \`onecycle\` is PyTorch's \`OneCycleLR\`: with its
defaults the rate starts at a 25th of the peak, rises along a half cosine for the first 30% of
the updates, and falls along another to a 10,000th of its start by the last update. It is
stepped once per update, as PyTorch's is, over all $30 \times 235$ updates of a run. Smith also
cycles the momentum against the rate, low when the rate is high; our engine's SGD has no
momentum, so only the rate cycles here.
`),
    code(
      "onecycle-plot",
      "Plot one-cycle at the suggested peak over the updates of a run",
      plotOnecycle,
    ),
    prose(md`
We train it over seeds 0–2 and compare it with two constant rates over the same seeds:
[the toy problem](toy-problem.html)'s 0.3, and the suggested peak itself. The first comparison
asks whether the recipe as a whole, range test and cycle, beat the baseline; the second separates
the two parts, since the constant rate at the suggested peak has the peak and not the cycle.
`),
    code(
      "onecycle-run",
      "Train one-cycle at the suggested peak (per update) over seeds 0–2",
      runOnecycle,
    ),
    code(
      "vs-baseline",
      "Compare with the constant rate of the toy problem, over the same seeds",
      vsBaseline,
    ),
    code(
      "vs-peak",
      "Compare with the constant rate at the suggested peak, over the same seeds",
      vsPeak,
    ),
    prose((results) =>
      onecycleClaims(
        groupOf(results, "onecycle-run"),
        groupOf(results, "vs-baseline"),
        groupOf(results, "vs-peak"),
        medianPeak(readingsOf(groupOf(results, "range-test"), sweptIn(results))),
      )
    ),
    prose(md`
The range test measures a fresh network in its first epoch, and a network changes as it
trains: one that has learnt something may take a larger rate than it could at the start. That
is one reason one-cycle climbs to its peak gradually rather than starting there, and one reason
a peak read off a range test is a starting point for a choice, not the end of one.
`),
  ],
};

export default chapter;
