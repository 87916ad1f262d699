/**
 * Chapter "plateau": reduce the rate when a held-out metric stops improving.
 *
 * Not in the seed. Its summary advises lowering the rate whenever progress stalls, and the
 * multi-factor chapter does so at epochs chosen in advance; this chapter lets the library's
 * plateau scheduler (`lib/schedules/plateau.ts`) choose them while the network trains. The rule
 * is shown on a made-up loss first (`plateau-rule`); then LeNet trains under it over three
 * seeds (`plateau-run`), the scheduler deciding after every epoch from the loss of 6,000
 * training images held out for it (`lib/train/plateau.ts`), and its decisions are read back
 * from the runs (`plateau-state`). The comparisons: against the constant rate on the same
 * 54,000 images (`vs-same-data`), so that only the schedule differs, and against the toy
 * problem's baseline on all 60,000 (`vs-baseline`), which also says what the held-out images
 * cost.
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
  region,
  type SeedRuns,
} from "../lib/book/types.ts";
import { divergedNote } from "../lib/book/peaks.ts";
import { groupOf, groupScope, seedsText } from "../lib/book/seeds.ts";
import { formatMeanSd, spreadOf } from "../lib/book/spread.ts";
import { compareGroupWith } from "../lib/book/spread_table.ts";
import {
  compareGroups,
  comparisonSentence,
  countWord,
  decidePaired,
  signedPlusMinus,
} from "../lib/book/verdict.ts";
import {
  constant,
  plateau,
  type PlateauOptions,
  plateauSchedule,
  restorePlateau,
  updatePlateau,
} from "../lib/schedules/mod.ts";
import type { PlateauEpoch, RunResult, TrainRequest } from "../lib/train/types.ts";
import { BASELINE_LR, baselineRequest, constantRequest } from "./toy-problem.ts";

// #region plateau-rule
/** The scheduler of this chapter: from the baseline's 0.3, halved after 3 epochs without progress. */
export const PLATEAU_OPTIONS = {
  baseLr: BASELINE_LR,
  factor: 0.5,
  patience: 2,
} satisfies PlateauOptions;

/** A made-up held-out loss: it improves, stalls, improves once, stalls for three epochs, improves. */
export const MADE_UP_LOSSES = [0.52, 0.41, 0.37, 0.372, 0.368, 0.371, 0.369, 0.37, 0.352, 0.353];

/** Feed the scheduler those losses one by one, and show its state after each. */
function plateauRule(): Output[] {
  let state = plateau(PLATEAU_OPTIONS); // a plain record: { kind, config, lr, best, ... }
  const rows = MADE_UP_LOSSES.map((loss, i) => {
    const before = state;
    state = updatePlateau(state, loss); // a new record; `before` is unchanged
    const cut = state.lr < before.lr ? `cut the rate to ${state.lr}` : "";
    return [i + 1, before.lr, loss, state.best!, state.numBadEpochs, cut];
  });
  return [
    {
      kind: "table",
      columns: ["epoch", "rate", "held-out loss", "best so far", "bad epochs", "then"],
      rows,
    },
    curve(
      "reduce on plateau, fed the losses above",
      "epoch",
      plateauSchedule(PLATEAU_OPTIONS, MADE_UP_LOSSES),
      MADE_UP_LOSSES.length + 1,
    ),
  ];
}
// #endregion plateau-rule

// #region plateau-run
/** The last tenth of the training images, which the scheduler watches and no run trains on. */
export const HOLD_OUT = 6_000;

/** The seeds of this chapter's experiments. */
export const PLATEAU_SEEDS: readonly number[] = [0, 1, 2];

/** The plateau run: from 0.3, halved whenever the held-out loss fails to improve 3 epochs running. */
export function plateauRequest(): TrainRequest {
  return {
    name: "reduce on plateau 0.3",
    schedule: constant({ baseLr: PLATEAU_OPTIONS.baseLr }), // the rate until the first cut
    stepsPer: "epoch",
    epochs: 30,
    trainSize: 60_000 - HOLD_OUT,
    plateau: { options: PLATEAU_OPTIONS, metric: "loss", holdOut: HOLD_OUT },
  };
}

/** Train it over seeds 0–2. */
async function runPlateau(ctx: CellContext): Promise<Output[]> {
  return [await ctx.trainSeeds(plateauRequest(), PLATEAU_SEEDS)];
}
// #endregion plateau-run

// #region plateau-state
/** What the scheduler did in each run: its rates as curves, seed 0's state epoch by epoch. */
function plateauState(ctx: CellContext): Output[] {
  const group = groupOf(ctx.results, "plateau-run");
  const rates = group.runs.map((run) =>
    curve(`seed ${run.config.seed}`, "epoch", (t) => run.history[t].lr, run.history.length)
  );
  const [first] = group.runs;
  const rows = first.history.map((e, i) => {
    const p = e.plateau;
    if (p === undefined) return [e.epoch, e.lr, "–", "–", "–", "diverged"];
    return [e.epoch, e.lr, p.heldOutLoss, p.best, p.numBadEpochs, decision(p, i, first)];
  });
  const measured = first.history.some((e) => e.plateau !== undefined);
  const state = !measured ? [] : [{
    kind: "text" as const,
    text: `seed ${first.config.seed}, the scheduler's state after the last epoch, as saved:\n` +
      JSON.stringify(finalState(first)),
  }];
  return [
    ...rates,
    {
      kind: "table",
      columns: ["epoch", "rate", "held-out loss", "best so far", "bad epochs", "then"],
      rows,
    },
    ...state,
  ];
}

/** What the scheduler did after epoch `i` (0-based) of `run`, in a few words. */
function decision(p: PlateauEpoch, i: number, run: RunResult): string {
  const before = i === 0 ? run.config.plateau!.options.baseLr : run.history[i - 1].plateau!.lr;
  return p.lr < before ? `cut the rate to ${p.lr}` : p.best === p.heldOutLoss ? "improved" : "";
}
// #endregion plateau-state

/**
 * The scheduler's state after the last epoch of a plateau run, rebuilt from the run's record
 * and checked by the library (`restorePlateau`), as one would save it to resume the run.
 *
 * @param run A plateau run with at least one epoch that did not diverge.
 * @returns The state.
 */
export function finalState(run: RunResult): ReturnType<typeof restorePlateau> {
  const done = run.history.filter((e) => e.plateau !== undefined);
  const { lr, best, numBadEpochs, cooldownCounter } = done.at(-1)!.plateau!;
  return restorePlateau({
    kind: "plateau",
    config: run.config.plateau!.options,
    lr,
    best,
    numBadEpochs,
    cooldownCounter,
    epochs: done.length,
  });
}

// #region vs-same-data
/** The constant rate of 0.3 on the same 54,000 images: only the schedule differs. */
export function sameDataRequest(): TrainRequest {
  return {
    ...constantRequest(BASELINE_LR),
    name: `constant ${BASELINE_LR}, ${(60_000 - HOLD_OUT).toLocaleString("en-US")} images`,
    trainSize: 60_000 - HOLD_OUT,
  };
}

/** Train it over the same seeds and compare. */
function vsSameData(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "plateau-run", sameDataRequest());
}
// #endregion vs-same-data

// #region vs-baseline
/** The toy problem's constant rate on all 60,000 images, seeds 0–2 (its stored runs). */
function vsBaseline(ctx: CellContext): Promise<Output[]> {
  return compareGroupWith(ctx, "plateau-run", baselineRequest());
}
// #endregion vs-baseline

/** The epochs after which a run's scheduler cut the rate, with the rate it cut to. */
export function cutsOf(run: RunResult): { after: number; to: number }[] {
  const cuts: { after: number; to: number }[] = [];
  let lr = run.config.plateau?.options.baseLr ?? Infinity;
  for (const e of run.history) {
    if (e.plateau === undefined) continue;
    if (e.plateau.lr < lr) cuts.push({ after: e.epoch, to: e.plateau.lr });
    lr = e.plateau.lr;
  }
  return cuts;
}

/** Numbers as a list in prose: "1", "1 and 2", "1, 2 and 3". */
function listed(items: readonly (string | number)[]): string {
  return items.length === 1
    ? String(items[0])
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * What the scheduler did, seed by seed: when it cut the rate and to what, or that it never did.
 *
 * @param group The plateau runs over seeds.
 * @returns One or two sentences.
 */
export function cutsSentence(group: SeedRuns): string {
  const runs = [...group.runs].sort((a, b) => a.config.seed - b.config.seed);
  const cuts = runs.map(cutsOf);
  const n = runs.length, k = cuts.filter((c) => c.length > 0).length;
  const broke = divergedNote([group]);
  if (k === 0 && broke !== "") return `The scheduler never cut the rate.${broke}`;
  if (k === 0) {
    return `In ${n === 1 ? "this run" : `none of the ${countWord(n)} seeds`} did the held-out ` +
      `loss go ${PLATEAU_OPTIONS.patience + 1} epochs in a row without improving, so the ` +
      `scheduler never cut the rate: ${n === 1 ? "it" : "they"} trained at a constant ` +
      `${PLATEAU_OPTIONS.baseLr}.`;
  }
  const each = runs.map((run, i) => {
    const c = cuts[i];
    return c.length === 0
      ? `seed ${run.config.seed} never`
      : `seed ${run.config.seed} after epoch${c.length === 1 ? "" : "s"} ${
        listed(c.map((x) => x.after))
      } (down to ${c.at(-1)!.to})`;
  });
  const where = n === 1 ? "" : k === n ? " in every seed" : ` in ${countWord(k)} of the ` +
    `${countWord(n)} seeds`;
  const when = cuts.map((c) => c.map((x) => x.after).join());
  const alike = n === 1
    ? ""
    : new Set(when).size === 1
    ? " Every seed was cut at the same epochs."
    : " Each seed's own held-out loss decided, so the seeds were cut at different epochs.";
  return `The scheduler cut the rate${where}: ${listed(each)}.${alike}${broke}`;
}

/** A count of images, as the prose writes it: "54,000". */
function images(n: number): string {
  return n.toLocaleString("en-US");
}

/** A sentence's first letter in lower case, to follow other words. */
function lowerFirst(text: string): string {
  return text[0].toLowerCase() + text.slice(1);
}

/**
 * The held-out images against the test set after the last epoch: per seed, the held-out
 * accuracy minus the test accuracy, by the rule. `""` when no run measured its last epoch.
 *
 * @param group The plateau runs over seeds.
 * @returns A sentence (with a leading space), or `""`.
 */
export function heldOutAgainstTest(group: SeedRuns): string {
  const ends = group.runs.flatMap((r) => {
    const last = r.history.at(-1);
    return last?.plateau ? [last.plateau.heldOutAcc - last.testAcc] : [];
  });
  if (ends.length === 0) return "";
  const d = decidePaired(ends);
  const by = `${signedPlusMinus(d.difference, d.se, "points")} (${
    ends.length === 1 ? "one seed" : "mean over the seeds ± its standard error"
  })`;
  const lead = ` After the last epoch, the held-out images' accuracy minus the test accuracy ` +
    `was ${by}`;
  return d.verdict === "no measurable difference"
    ? `${lead}, within twice the standard error: the held-out images judged the network as ` +
      `the test set did, so the scheduler watched a fair stand-in for unseen data.`
    : d.verdict === "higher"
    ? `${lead}, beyond twice the standard error: the held-out images rated the network higher ` +
      `than the test set did.`
    : d.verdict === "lower"
    ? `${lead}, beyond twice the standard error: the held-out images rated the network lower ` +
      `than the test set did.`
    : `${lead}; one seed cannot say whether they judge alike.`;
}

/**
 * The advice checked: lowering the rate when the held-out loss stalls, against the constant
 * rate on the same images; what holding images out cost the constant rate; and the plateau
 * runs against the toy problem's baseline on all the images. Every branch of the rule reads
 * for itself.
 *
 * @param group The plateau runs over seeds.
 * @param same The constant rate on the same images, over the same seeds.
 * @param all The constant rate on all the images, over the same seeds.
 * @returns Markdown.
 */
export function plateauClaims(group: SeedRuns, same: SeedRuns, all: SeedRuns): string {
  const fewer = same.runs[0].config.trainSize, more = all.runs[0].config.trainSize;
  const names = {
    plateau: "reduce on plateau",
    same: `the constant rate on the same ${images(fewer)} images`,
    all: `the constant rate on ${more === 60_000 ? "all 60,000" : images(more)} images`,
  };
  const c = compareGroups(group, same);
  const versus = comparisonSentence(c, { a: names.plateau, b: names.same });
  const advice = c.verdict === "higher"
    ? `**Here lowering the rate when progress stalled helped.** ${versus}`
    : c.verdict === "lower"
    ? `**Here lowering the rate when progress stalled did worse.** ${versus}`
    : c.verdict === "no measurable difference"
    ? `**Here lowering the rate when progress stalled made no measurable difference.** ` +
      `${versus}`
    : `**No verdict on the advice.** ${versus}`;

  const cost = compareGroups(same, all);
  const costText = lowerFirst(comparisonSentence(cost, { a: names.same, b: names.all }));
  const held = `Holding ${images(more - fewer)} images out`;
  const price = fewer === more
    ? `Both constant rates trained on the same ${images(fewer)} images here, so these runs ` +
      `cannot show what holding images out costs.`
    : cost.verdict === "lower"
    ? `${held} has a price: ${costText}`
    : cost.verdict === "higher"
    ? `${held} did not cost the constant rate accuracy; on fewer images it even came out ` +
      `ahead: ${costText}`
    : cost.verdict === "no measurable difference"
    ? `${held} cost the constant rate nothing that ${
      countWord(same.runs.length)
    } seeds can measure: ${costText}`
    : `What holding images out cost: ${costText}`;

  const net = compareGroups(group, all);
  const netText = lowerFirst(comparisonSentence(net, { a: names.plateau, b: names.all }));
  const bottom = net.verdict === "higher"
    ? `Against [the toy problem](toy-problem.html)'s baseline, reduce on plateau came out ahead${
      fewer < more ? `, on ${images(more - fewer)} images fewer` : ""
    }: ${netText}`
    : net.verdict === "lower"
    ? `Against [the toy problem](toy-problem.html)'s baseline, reduce on plateau ended below${
      fewer < more ? `, with ${images(more - fewer)} images fewer to learn from` : ""
    }: ${netText}`
    : net.verdict === "no measurable difference"
    ? `Against [the toy problem](toy-problem.html)'s baseline, reduce on plateau came out level as far as the ` +
      `seeds can tell: ${netText}`
    : `Against [the toy problem](toy-problem.html)'s baseline: ${netText}`;

  return md`${groupScope(group)}

${cutsSentence(group)}${heldOutAgainstTest(group)}

- ${advice}
- ${price}
- ${bottom}${divergedNote([same, all])}
`;
}

/**
 * When the held-out loss was lowest and the held-out accuracy highest, seed by seed, and
 * whether the accuracy's best came later, by the rule on the per-seed differences.
 *
 * @param group The plateau runs over seeds.
 * @returns Markdown (empty when no epoch was measured).
 */
export function lossTurn(group: SeedRuns): string {
  const pairs = group.runs.flatMap((r) => {
    const done = r.history.filter((e) => e.plateau !== undefined);
    if (done.length === 0) return [];
    const low = done.reduce((a, e) => (e.plateau!.heldOutLoss < a.plateau!.heldOutLoss ? e : a));
    const high = done.reduce((a, e) => (e.plateau!.heldOutAcc > a.plateau!.heldOutAcc ? e : a));
    return [{ loss: low.epoch, acc: high.epoch }];
  });
  if (pairs.length === 0) return "";
  const gaps = decidePaired(pairs.map((p) => p.acc - p.loss));
  const at = (f: (p: { loss: number; acc: number }) => number) =>
    formatMeanSd(spreadOf(pairs.map(f)), "epoch");
  const by = `${signedPlusMinus(gaps.difference, gaps.se, "epoch")} epochs (mean per-seed ` +
    `difference${gaps.se === null ? "" : " ± its standard error"})`;
  const lead = `In these runs the held-out loss was lowest after epoch ${at((p) => p.loss)} and ` +
    `the held-out accuracy highest after epoch ${at((p) => p.acc)} (mean ± sd over the seeds).`;
  const reading = gaps.verdict === "higher"
    ? ` The accuracy's best came later, by ${by}, beyond twice the standard error: the loss ` +
      `turned upward while the accuracy was still creeping up (the loss also punishes ` +
      `confident mistakes, which the accuracy does not count), and a scheduler watching the ` +
      `loss reacts to that earlier turn.`
    : gaps.verdict === "lower"
    ? ` The accuracy's best came earlier, by ${by}, beyond twice the standard error: here the ` +
      `loss went on improving after the accuracy had peaked.`
    : gaps.verdict === "no measurable difference"
    ? ` The two bests differ by ${by}, within twice the standard error: as far as these ` +
      `seeds can tell, the loss and the accuracy turned at the same time.`
    : ` They differ by ${by}; one seed gives no verdict on which came first.`;
  return lead + reading;
}

/**
 * The walk through the made-up losses of the first cell, computed by the rule: where an
 * improvement reset the count, and where the count passed the patience.
 *
 * @returns Markdown.
 */
export function ruleWalkthrough(): string {
  let state = plateau(PLATEAU_OPTIONS);
  const steps = MADE_UP_LOSSES.map((loss, i) => {
    const before = state;
    state = updatePlateau(state, loss);
    return { epoch: i + 1, before, after: state };
  });
  const reset = steps.find((s) =>
    s.before.numBadEpochs > 0 && s.after.numBadEpochs === 0 &&
    s.after.lr === s.before.lr
  );
  const cut = steps.find((s) => s.after.lr < s.before.lr);
  const parts: string[] = [];
  if (reset) {
    parts.push(
      `In epoch ${reset.epoch} the loss, ${
        MADE_UP_LOSSES[reset.epoch - 1]
      }, beats the best so far and the count of bad epochs drops back to zero.`,
    );
  }
  if (cut) {
    const bad = Array.from(
      { length: PLATEAU_OPTIONS.patience + 1 },
      (_, i) => cut.epoch - PLATEAU_OPTIONS.patience + i,
    );
    parts.push(
      `Epochs ${listed(bad)} all fail to beat ${cut.after.best}, the count passes ` +
        `${PLATEAU_OPTIONS.patience}, and epoch ${cut.epoch + 1} trains at ${cut.after.lr}.`,
    );
  }
  return parts.join(" ");
}

const chapter: Chapter = {
  slug: "plateau",
  title: "Reduce on Plateau",
  source: import.meta.url,
  // The plateau runs and the constant rate on the same images over three seeds, and the toy
  // problem's baseline over the same three (its stored runs).
  trainingRuns: 3 * PLATEAU_SEEDS.length,
  cells: [
    prose(md`
# Reduce on Plateau

The summary at the end of the original chapter advises lowering the rate whenever progress
stalls. The [multi-factor schedule](multifactor.html) follows that advice with dates fixed
before training starts: it halves the rate after epoch 15 whether or not anything has stalled
by then. A plateau scheduler makes the same move from evidence instead. After every epoch it is
shown one number, usually the loss on data the network does not train on; it remembers the best
value so far, counts the epochs since the last real improvement, and once that count passes its
*patience* it multiplies the rate by a *factor* below one and starts counting again. This is
what people did by hand for years: [Krizhevsky et al. (2012)](cite:krizhevsky2012) divided their
rate by ten whenever the validation error stopped falling, three times in all, and
[He et al. (2016)](cite:he2016) trained their ImageNet ResNets the same way, dividing the rate by
ten whenever the error reached a plateau. PyTorch's \`ReduceLROnPlateau\`
and Keras's callback of the same name do it automatically.

Unlike every other schedule in this book, this one is not a function of the step: the rate of
epoch $e + 1$ depends on what epoch $e$ measured. Our library keeps the scheduler's memory in a
plain record, \`{ lr, best, numBadEpochs, cooldownCounter, ... }\`, and \`updatePlateau(state,
metric)\` returns the next record without touching the old one, so a state can be printed,
saved as JSON and restored. In the PyTorch rule, which the library follows by default, a metric
$m$ improves on the best $b$ if $m < b\,(1 - \tau)$ with the threshold $\tau = 10^{-4}$; a
non-improving epoch adds one to the count $n$, an improving one resets it to $0$, and when
$n$ exceeds the patience $p$ the rate becomes $\eta \cdot \gamma$ and $n$ returns to 0.
Keras cuts one epoch earlier, when $n$ *reaches* $p$ (\`style: "keras"\` in the library).
Here $\eta_0 = 0.3$ ([the toy problem](toy-problem.html)'s rate), $\gamma = 0.5$ and $p = 2$: after the third
epoch in a row without improvement, the rate is halved. The cell feeds the scheduler a made-up loss to show the rule at work.
`),
    code(
      "plateau-rule",
      "The plateau scheduler fed a made-up held-out loss, its state after each epoch",
      plateauRule,
    ),
    prose(() =>
      md`
${ruleWalkthrough()}

## What it watches {#held-out}

The scheduler needs a measurement taken on images the network does not train on. The easy
choice is the test set, but then the test set steers training and also grades it, and the
grade can flatter the schedule. So we hold out the last 6,000 of the 60,000 training
images: the runs train on the first 54,000, and after each epoch the engine measures the mean
loss on the 6,000 and hands it to the scheduler (\`lib/train/plateau.ts\`). That is a forward pass
over 6,000 images, roughly as much work as training on 2,000. We watch the loss rather than
the accuracy because it changes smoothly, while the accuracy of 6,000 images moves in steps of
1/6,000 and can sit still for an epoch that did improve the network.

Holding images out makes the plateau runs differ from [the toy problem](toy-problem.html)'s baseline in two ways:
their schedule, and 6,000 fewer images to learn from. So the fair comparison is with the constant
rate of 0.3 trained on the same 54,000 images. [The toy problem](toy-problem.html)'s baseline on all 60,000 comes in
as well, to show what the held-out images cost. Each experiment runs over
${seedsText(PLATEAU_SEEDS)}, with the rate set once per epoch.
`
    ),
    code(
      "plateau-run",
      "Train with reduce on plateau (0.3, halved after 3 epochs without progress), over seeds",
      runPlateau,
      [region(new URL("../lib/train/replica.ts", import.meta.url), "loop")],
    ),
    code(
      "plateau-state",
      "When each run's scheduler cut the rate, and seed 0's state epoch by epoch",
      plateauState,
    ),
    code(
      "vs-same-data",
      "Compare with the constant rate on the same 54,000 images, over the same seeds",
      vsSameData,
    ),
    code(
      "vs-baseline",
      "Compare with the toy problem's constant rate on all 60,000 images",
      vsBaseline,
    ),
    prose((results) =>
      plateauClaims(
        groupOf(results, "plateau-run"),
        groupOf(results, "vs-same-data"),
        groupOf(results, "vs-baseline"),
      )
    ),
    prose((results) =>
      md`
## What to take from it {#reading}

A plateau scheduler is only as good as the number it watches. ${
        lossTurn(groupOf(results, "plateau-run"))
      }

Patience and factor are hyperparameters like any other: a patience long compared with the run
never fires, and one too short reacts to the noise of a single epoch. The scheduler also gives
each seed a schedule of its own, decided by that seed's measurements, where a fixed schedule
gives every seed the same rates. Three seeds of one small network
are a small experiment, and the verdicts above hold for this problem only.
`
    ),
  ],
};

export default chapter;
