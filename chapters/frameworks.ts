/**
 * Chapter "frameworks": the book's schedules as PyTorch, Keras and optax write
 * them, and the off-by-ones between them.
 *
 * Not in the seed. Every row of the chapter's table is backed by a cell that
 * runs our library and checks it against sequences read from PyTorch 1.13
 * itself: `lib/schedules/testdata/torch_lr_schedules.json` (18 schedulers,
 * made by `torch_reference.py`) and `torch_pitfalls.json` (stepping order,
 * resuming, one-cycle's end, made by `torch_pitfalls.py`); both scripts are
 * re-run by tests where torch is installed, and the cells need no Python.
 * What the chapter says of Keras, optax and MXNet comes from their source
 * code; where a cell uses one of their rules, it is a transcription, and says so.
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
  type TableOutput,
} from "../lib/book/types.ts";
import {
  cosine,
  exponential,
  multifactor,
  onecycle,
  plateauRates,
  type Schedule,
  sgdr,
  step,
  warmup,
} from "../lib/schedules/mod.ts";
import { tableRowsOf } from "../lib/book/measure.ts";
import reference from "../lib/schedules/testdata/torch_lr_schedules.json" with { type: "json" };
import pitfalls from "../lib/schedules/testdata/torch_pitfalls.json" with { type: "json" };
import { warmupSchedule } from "./warmup.ts";

// #region step-row
/** A sequence read from PyTorch 1.13: `lrs[t]` is the optimizer's rate after t calls to `scheduler.step()`. */
export function torchSequence(label: string): { cls: string; lrs: number[]; metrics?: number[] } {
  const entry = reference.torch_schedulers.find((e) => e.label === label);
  if (entry === undefined) throw new Error(`no PyTorch reference sequence "${label}"`);
  return entry as { cls: string; lrs: number[]; metrics?: number[] };
}

/** The largest relative difference between `ours` and `theirs` (absolute where theirs is 0). */
export function largestDifference(ours: readonly number[], theirs: readonly number[]): number {
  if (ours.length !== theirs.length) {
    throw new Error(`${ours.length} rates against ${theirs.length}`);
  }
  return Math.max(...ours.map((x, t) => Math.abs(x - theirs[t]) / (Math.abs(theirs[t]) || 1)));
}

/**
 * Our schedule against PyTorch's sequence `label`, step for step: a row saying
 * how far apart they are and a curve of ours. Throws if they differ by more
 * than 1e-12 relative.
 */
export function againstTorch(
  label: string,
  torchCall: string,
  ours: string,
  lr: Schedule,
): Output[] {
  const theirs = torchSequence(label).lrs;
  const rates = theirs.map((_x, t) => lr(t));
  const worst = largestDifference(rates, theirs);
  if (!(worst <= 1e-12)) throw new Error(`${ours} differs from PyTorch's ${torchCall} by ${worst}`);
  return [
    {
      kind: "table",
      columns: ["PyTorch", "ours", "steps compared", "largest relative difference"],
      rows: [[torchCall, ours, theirs.length, worst]],
    },
    curve(ours, "epoch", lr, theirs.length),
  ];
}

/** StepLR: the rate times γ every `step_size` steps. */
function stepRow(): Output[] {
  return againstTorch(
    "StepLR_s10_g0.5",
    "StepLR(opt, step_size=10, gamma=0.5), lr 0.1",
    "step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 })",
    step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 }),
  );
}
// #endregion step-row

// #region multistep-row
/** MultiStepLR: the rate times γ at each milestone. */
function multistepRow(): Output[] {
  return againstTorch(
    "MultiStepLR_10_25_40_g0.1",
    "MultiStepLR(opt, milestones=[10, 25, 40], gamma=0.1), lr 0.1",
    "multifactor({ baseLr: 0.1, milestones: [10, 25, 40], factor: 0.1 })",
    multifactor({ baseLr: 0.1, milestones: [10, 25, 40], factor: 0.1 }),
  );
}
// #endregion multistep-row

// #region exponential-row
/** ExponentialLR: the rate times γ at every step. */
function exponentialRow(): Output[] {
  return againstTorch(
    "ExponentialLR_0.9",
    "ExponentialLR(opt, gamma=0.9), lr 0.1",
    "exponential({ baseLr: 0.1, gamma: 0.9 })",
    exponential({ baseLr: 0.1, gamma: 0.9 }),
  );
}
// #endregion exponential-row

// #region cosine-row
/** CosineAnnealingLR, stepped to its T_max and, in the second case, past it. */
function cosineRow(): Output[] {
  return [
    ...againstTorch(
      "CosineAnnealingLR_T60_min0",
      "CosineAnnealingLR(opt, T_max=60), lr 0.1",
      "cosine({ baseLr: 0.1, maxUpdate: 60 })",
      cosine({ baseLr: 0.1, maxUpdate: 60 }),
    ),
    ...againstTorch(
      "CosineAnnealingLR_T20_min0.01",
      "CosineAnnealingLR(opt, T_max=20, eta_min=0.01), lr 0.3",
      "cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: true })",
      cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: true }),
    ),
  ];
}
// #endregion cosine-row

// #region sgdr-row
/**
 * CosineAnnealingWarmRestarts: restarts every T_0 steps, and with T_mult = 2
 * and eta_min = 0.01 from 0.3, the settings the SGDR chapter trains with.
 */
function sgdrRow(): Output[] {
  return [
    ...againstTorch(
      "CAWR_T0_10_Tmult1",
      "CosineAnnealingWarmRestarts(opt, T_0=10), lr 0.1",
      "sgdr({ baseLr: 0.1, t0: 10 })",
      sgdr({ baseLr: 0.1, t0: 10 }),
    ),
    ...againstTorch(
      "CAWR_T0_10_Tmult2_min0.01",
      "CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=2, eta_min=0.01), lr 0.3",
      "sgdr({ baseLr: 0.3, finalLr: 0.01, t0: 10, tMult: 2 })",
      sgdr({ baseLr: 0.3, finalLr: 0.01, t0: 10, tMult: 2 }),
    ),
  ];
}
// #endregion sgdr-row

// #region warmup-row
/** A linear warmup joined to a cosine: SequentialLR([LinearLR, CosineAnnealingLR], milestones=[5]). */
function warmupRow(): Output[] {
  return againstTorch(
    "SequentialLR_linear5_cosine55",
    "SequentialLR(opt, [LinearLR(start_factor=0.1, total_iters=5), " +
      "CosineAnnealingLR(T_max=55, eta_min=0.001)], milestones=[5]), lr 0.1",
    "warmup(cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }), { steps: 5, beginLr: 0.01 })",
    warmup(cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }), { steps: 5, beginLr: 0.01 }),
  );
}
// #endregion warmup-row

// #region onecycle-row
/** OneCycleLR: up to max_lr over the first 30% of total_steps, then down (cosine). */
function onecycleRow(): Output[] {
  return [
    ...againstTorch(
      "OneCycleLR_cos",
      "OneCycleLR(opt, max_lr=0.5, total_steps=60)",
      "onecycle({ maxLr: 0.5, totalSteps: 60 })",
      onecycle({ maxLr: 0.5, totalSteps: 60 }),
    ),
    { kind: "text", text: `PyTorch, stepped past total_steps: ${pitfalls.onecycle_error}` },
  ];
}
// #endregion onecycle-row

// #region plateau-row
/**
 * Keras's ReduceLROnPlateau callback, transcribed from its source
 * (keras/src/callbacks/reduce_lr_on_plateau.py) for mode "min" and no
 * cooldown: a metric counts as better only if it beats the best by
 * `minDelta` (absolute), and the rate drops once `wait` reaches `patience`.
 * Entry i is the rate in force before metric i is reported.
 */
export function kerasPlateau(
  metrics: readonly number[],
  o: { lr: number; factor: number; patience: number; minDelta: number; minLr: number },
): number[] {
  let lr = o.lr, best = Infinity, wait = 0;
  const rates: number[] = [];
  for (const current of metrics) {
    rates.push(lr);
    if (current < best - o.minDelta) {
      best = current;
      wait = 0;
    } else if (++wait >= o.patience && lr > o.minLr) {
      lr = Math.max(lr * o.factor, o.minLr);
      wait = 0;
    }
  }
  return rates;
}

/** ReduceLROnPlateau fed the reference's metric sequence, and Keras's rule on the same metrics. */
function plateauRow(): Output[] {
  const torch = torchSequence("ReduceLROnPlateau_default_p3");
  const metrics = torch.metrics!;
  const options = { baseLr: 0.1, factor: 0.5, patience: 3, threshold: 1e-4, minLr: 0.001 };
  const ours = plateauRates({ ...options, mode: "min", thresholdMode: "rel" }, metrics);
  const worst = largestDifference(ours, torch.lrs);
  if (!(worst <= 1e-12)) throw new Error(`plateau differs from PyTorch by ${worst}`);
  const keras = kerasPlateau(metrics, {
    lr: 0.1,
    factor: 0.5,
    patience: 3,
    minDelta: 1e-4,
    minLr: 0.001,
  });
  // Keras's patience p is ours (and PyTorch's) with patience p − 1 and an absolute threshold.
  const likeKeras = plateauRates({ ...options, patience: 2, thresholdMode: "abs" }, metrics);
  if (largestDifference(likeKeras, keras) !== 0) {
    throw new Error("Keras's rule is not patience − 1");
  }
  const first = (rates: number[]) => rates.findIndex((r) => r < 0.1);
  return [
    {
      kind: "table",
      columns: [
        "rule",
        "steps compared",
        "largest relative difference",
        "first step at a lower rate",
      ],
      rows: [
        [
          "PyTorch ReduceLROnPlateau(patience=3), from the reference",
          torch.lrs.length,
          0,
          first(torch.lrs),
        ],
        ["ours: plateauRates({ ..., patience: 3 }, metrics)", ours.length, worst, first(ours)],
        ["Keras ReduceLROnPlateau(patience=3), transcribed", keras.length, "–", first(keras)],
      ],
    },
    curve("plateau, patience 3 (= PyTorch)", "epoch", (t) => ours[t], ours.length),
    curve("Keras's rule, patience 3", "epoch", (t) => keras[t], keras.length),
  ];
}
// #endregion plateau-row

// #region milestones
/**
 * Where each library's piecewise-constant schedule drops, for the multi-factor
 * chapter's milestones 15 and 30 (rate 0.5, halved). Keras's and optax's rules
 * are transcribed from their source: Keras's `PiecewiseConstantDecay` gives
 * `values[i]` while `step <= boundaries[i]`; optax's `piecewise_constant_schedule`
 * scales once `count` reaches a boundary (`jnp.sign(b - count)` is 0 there).
 */
function milestones(): Output[] {
  const torch = torchSequence("MultiStepLR_chapter").lrs;
  const ours = multifactor({ baseLr: 0.5, milestones: [15, 30], factor: 0.5 });
  const keras = (boundaries: number[]) => (t: number) =>
    [0.5, 0.25, 0.125][boundaries.filter((b) => t > b).length];
  const optax = (t: number) => 0.5 * 0.5 ** [15, 30].filter((b) => t >= b).length;
  const columns = [
    "t",
    "PyTorch MultiStepLR",
    "ours",
    "optax {15, 30}",
    "Keras [15, 30]",
    "Keras [14, 29]",
  ];
  const rules = [ours, optax, keras([15, 30]), keras([14, 29])];
  const rows = [13, 14, 15, 16, 29, 30, 31].map((t) => [t, torch[t], ...rules.map((r) => r(t))]);
  const same = (r: Schedule) => torch.every((x, t) => r(t) === x);
  if (!same(ours) || !same(optax) || !same(keras([14, 29])) || same(keras([15, 30]))) {
    throw new Error("the milestones do not fall where this cell says");
  }
  return [{ kind: "table", columns, rows }];
}
// #endregion milestones

// #region order
/**
 * PyTorch's StepLR(step_size=3, gamma=0.5) from 0.1: the rate each
 * optimizer.step() used with the two orders of calls, read from torch, next
 * to our schedule at t and at t + 1.
 */
function order(): Output[] {
  const lr = step({ baseLr: 0.1, stepSize: 3, gamma: 0.5 });
  const { right, reversed } = pitfalls.order;
  if (!right.every((x, t) => x === lr(t)) || !reversed.every((x, t) => x === lr(t + 1))) {
    throw new Error("PyTorch's two orders are not lr(t) and lr(t + 1)");
  }
  const rows = right.map((x, t) => [t, x, reversed[t], lr(t), lr(t + 1)]);
  return [
    {
      kind: "table",
      columns: ["update t", "optimizer, then scheduler", "scheduler first", "lr(t)", "lr(t + 1)"],
      rows,
    },
    { kind: "text", text: `PyTorch's warning for the second loop:\n${pitfalls.order.warning}` },
  ];
}
// #endregion order

// #region resume
/**
 * Resuming StepLR(step_size=10, gamma=0.5) from 0.1 at epoch 15, read from
 * torch: from saved state, and from a new optimizer with last_epoch=14;
 * next to one uninterrupted run and to our schedule.
 */
function resume(): Output[] {
  const lr = step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 });
  const r = pitfalls.resume;
  const epochs = r.state_dict.map((_x, i) => 15 + i);
  const ok = epochs.every((e, i) => r.continuous[e] === lr(e) && r.state_dict[i] === lr(e));
  if (!ok) throw new Error("resuming from state is not the uninterrupted run");
  const rows = epochs.map((e, i) => [e, r.continuous[e], r.state_dict[i], r.last_epoch[i], lr(e)]);
  return [
    {
      kind: "table",
      columns: ["epoch", "uninterrupted", "load_state_dict", "last_epoch=14", "lr(epoch)"],
      rows,
    },
    {
      kind: "text",
      text: `StepLR(..., last_epoch=14) without 'initial_lr': ${r.last_epoch_error}`,
    },
  ];
}
// #endregion resume

// #region after-epoch
/**
 * The rate of each epoch (from 1) under the PyTorch edition of the original
 * chapter, whose loop sets `lr = scheduler(epoch)` after epoch `epoch`
 * (counted from 0) has trained, so that epoch 1 runs at the optimizer's own
 * rate; and under ours, which sets `lr(t)` before epoch t + 1. The schedule is
 * the warmup chapter's; the optimizer starts at 0.3, the toy problem's rate.
 */
function afterEpoch(): Output[] {
  const schedule = warmupSchedule(), optimizerLr = 0.3;
  const original = (epoch: number) => (epoch === 1 ? optimizerLr : schedule(epoch - 2));
  const ours = (epoch: number) => schedule(epoch - 1);
  const rows = [1, 2, 3, 4, 5, 6, 7].map((e) => [e, original(e), ours(e)]);
  return [{
    kind: "table",
    columns: ["epoch", "set after each epoch (original)", "set before each epoch (ours)"],
    rows,
  }];
}
// #endregion after-epoch

// #region mxnet
/**
 * MXNet's MultiFactorScheduler, transcribed from python/mxnet/lr_scheduler.py:
 * the rate drops once `num_update` exceeds a step, and Gluon's Trainer calls it
 * with the count of updates so far (1 for the first). With the original
 * chapter's steps [15, 30], where do the drops land, in the engine's epochs?
 */
function mxnet(ctx: CellContext): Output[] {
  const { updatesPerEpoch } = ctx.configOf({
    name: "plan",
    schedule: () => 0,
    stepsPer: "update",
    epochs: 30,
  });
  const rows = [15, 30].map((s) => {
    const update = s + 1; // the first num_update > s
    return [s, update, Math.ceil(update / updatesPerEpoch), s + 1];
  });
  return [{
    kind: "table",
    columns: [
      "step s",
      "MXNet: first update at the lower rate",
      "in epoch",
      "ours per epoch: first epoch",
    ],
    rows,
  }, { kind: "text", text: `${updatesPerEpoch} updates per epoch` }];
}
// #endregion mxnet

const ROWS = [
  "step-row",
  "multistep-row",
  "exponential-row",
  "cosine-row",
  "sgdr-row",
  "warmup-row",
  "onecycle-row",
];

/** How closely the rows matched PyTorch. */
function matched(results: ReadonlyMap<string, readonly Output[]>): string {
  const tables = ROWS.flatMap((id) =>
    (results.get(id) ?? []).filter((o): o is TableOutput => o.kind === "table")
  );
  const steps = tables.reduce((n, t) => n + (t.rows[0][2] as number), 0);
  const worst = Math.max(...tables.map((t) => t.rows[0][3] as number));
  const plateau = tableRowsOf(results, "plateau-row");
  return md`
Across the ${tables.length} sequences above, ${steps} rates in all, the largest relative difference
between our library and PyTorch is ${worst === 0 ? "0: they are equal" : worst.toExponential(1)}.
Reduce-on-plateau matches too (${plateau[1][1]} rates, largest difference ${plateau[1][2]}), and
the cell shows a real difference between the frameworks: fed the same metrics with
the same \`patience=3\`, PyTorch first runs at a lower rate from step ${plateau[0][3]}, Keras's
rule from step ${plateau[2][3]}. PyTorch lowers the rate after *more than* \`patience\` epochs
without improvement, Keras once there have been \`patience\` of them, and Keras's \`min_delta\`
is absolute where PyTorch's default \`threshold\` is relative; the cell checks that Keras's rule
is ours with \`patience: 2\` and \`thresholdMode: "abs"\` on this sequence.
`;
}

/** What the milestone table shows. */
function milestoneProse(rows: (string | number)[][]): string {
  const at = (t: number) => rows.find((r) => r[0] === t)!;
  return md`
PyTorch's \`MultiStepLR\` counts calls to \`step()\`: after 15 calls, that is from epoch index 15
(the 16th epoch), the rate is already ${at(15)[1]}; at index 14 it is still ${at(14)[1]}. Ours and
optax's boundary 15 agree. Keras's \`PiecewiseConstantDecay\` with boundaries [15, 30] keeps
${at(15)[4]} at step 15 and drops only at step 16 (${at(16)[4]}): to match PyTorch, give it
[14, 29]. Note also that Keras takes the rates themselves (\`values\`), not factors.
`;
}

/** What the order table shows. */
function orderProse(rows: (string | number)[][]): string {
  const firstDrop = (col: number) =>
    rows.find((r) => (r[col] as number) < (rows[0][1] as number))![0];
  return md`
In the right order the first drop comes at update ${firstDrop(1)}, after ${firstDrop(1)} updates at
the starting rate, as \`step_size=3\` says. With \`scheduler.step()\` first it comes at update
${firstDrop(2)}: every update runs at the rate meant for the next one, $\eta_{t+1}$, and the
starting rate is used for one update too few. PyTorch warns, as above.
`;
}

/** What the resume table shows. */
function resumeProse(rows: (string | number)[][]): string {
  const first = rows[0], wrong = rows.filter((r) => r[3] !== r[1]).length;
  return md`
Loading both state dicts continues exactly where the run stopped (${first[2]} at epoch ${first[0]},
like the uninterrupted run). Passing \`last_epoch=14\` to a new scheduler does not: many of PyTorch
1.13's schedulers, \`StepLR\` among them, compute the next rate from the optimizer's *current* rate (\`StepLR\` multiplies it
by $\gamma$ at multiples of \`step_size\` and otherwise leaves it), so a new optimizer at 0.1 resumes
at ${
    first[3]
  }, and ${wrong} of these ${rows.length} epochs run at the wrong rate. Ours has no state to
lose: the rate of epoch $t$ is \`lr(t)\`, in this run or in any other.
`;
}

/** What the after-epoch table shows. */
function afterEpochProse(rows: (string | number)[][]): string {
  return md`
In the original loop, epoch 1 runs at ${rows[0][1]}, the optimizer's rate, although the warmup
schedule asks for ${rows[0][2]}; from then on every epoch runs at the rate meant for the epoch
before it (epoch 2 at ${rows[1][1]}, the schedule's value for epoch 1). A warmup driven this way
starts with an epoch at whatever rate the optimizer was created with, and the whole schedule
arrives one epoch late. Keras's
\`LearningRateScheduler\` does not have this problem: it calls the schedule at the *start* of each
epoch, with the epoch's index from 0.
`;
}

/** What the MXNet table shows. */
function mxnetProse(rows: (string | number)[][], perEpoch: string): string {
  const [a, b] = rows;
  return md`
With ${perEpoch}, MXNet's drops at steps ${a[0]} and ${b[0]} come at updates ${a[1]} and ${b[1]},
both in epoch ${a[2] === b[2] ? a[2] : `${a[2]} and ${b[2]}`}; counted in epochs, as the
[multi-factor chapter](multifactor.html) counts them, they come at epochs ${a[3]} and ${
    b[3]
  }. The same numbers mean
updates in MXNet and, usually, epochs in a PyTorch loop that steps once per epoch.
`;
}

const chapter: Chapter = {
  slug: "frameworks",
  title: "Frameworks Side by Side",
  source: import.meta.url,
  trainingRuns: 0,
  cells: [
    prose(md`
# Frameworks Side by Side

The schedules of this book exist in every deep-learning framework, under different names, with
different arguments and, more treacherously, with different ideas of what a step is and when it
is counted. This chapter puts PyTorch (\`torch.optim.lr_scheduler\`), Keras
(\`keras.optimizers.schedules\` and the callbacks \`LearningRateScheduler\` and
\`ReduceLROnPlateau\`), optax (JAX) and our library side by side. Every row of the table below is
backed by a cell further down that runs our library and checks it, step for step, against the
rates PyTorch 1.13 itself produced; the sequences were read from torch by the scripts in
\`lib/schedules/\` and are committed, so the cells need no Python. What the table says about
Keras and optax is read from their source code.

| schedule | PyTorch | Keras | optax | ours |
| --- | --- | --- | --- | --- |
| step | \`StepLR(opt, step_size, gamma)\` | \`ExponentialDecay(lr, decay_steps, decay_rate, staircase=True)\` | \`exponential_decay(init_value, transition_steps, decay_rate, staircase=True)\` | \`step({ baseLr, stepSize, gamma })\` |
| multistep | \`MultiStepLR(opt, milestones, gamma)\` | \`PiecewiseConstantDecay(boundaries, values)\`: rates, not factors, and boundary $b$ acts one step later | \`piecewise_constant_schedule(init_value, {b: scale})\` | \`multifactor({ baseLr, milestones, factor })\` |
| exponential | \`ExponentialLR(opt, gamma)\` | \`ExponentialDecay(lr, decay_steps, decay_rate)\`: $\text{lr}\cdot\text{rate}^{t/\text{decay\_steps}}$ | \`exponential_decay(init_value, transition_steps, decay_rate)\` | \`exponential({ baseLr, gamma })\` |
| cosine | \`CosineAnnealingLR(opt, T_max, eta_min)\`: rises again past \`T_max\` | \`CosineDecay(lr, decay_steps, alpha)\`: the floor is \`alpha\` times \`lr\`, held after | \`cosine_decay_schedule(init_value, decay_steps, alpha)\`: held after | \`cosine({ baseLr, finalLr, maxUpdate })\`, held after; \`periodic: true\` for PyTorch's |
| warm restarts | \`CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min)\`: integer \`T_mult\`, every peak at the base rate | \`CosineDecayRestarts(lr, first_decay_steps, t_mul, m_mul, alpha)\`: \`m_mul\` scales each restart's peak | \`sgdr_schedule(cosine_kwargs)\`: one \`warmup_cosine_decay_schedule\` per cycle, each spelled out | \`sgdr({ baseLr, finalLr, t0, tMult, peakDecay, cycles })\` |
| warmup | \`LinearLR\` then the schedule, in \`SequentialLR(opt, [warm, main], milestones)\` | \`CosineDecay(..., warmup_target, warmup_steps)\`, or a schedule of your own | \`warmup_cosine_decay_schedule(...)\` (its \`decay_steps\` includes the warmup), \`join_schedules\` | \`warmup(schedule, { steps, beginLr })\`, \`join([a, b], [m])\` |
| one-cycle | \`OneCycleLR(opt, max_lr, total_steps)\`, per batch; an error past \`total_steps\` | none built in | \`cosine_onecycle_schedule(transition_steps, peak_value)\` | \`onecycle({ maxLr, totalSteps })\` |
| plateau | \`ReduceLROnPlateau(opt, mode, factor, patience, threshold, ...)\`, \`step(metric)\` | callback \`ReduceLROnPlateau(monitor, factor, patience, min_delta, ...)\` | \`contrib.reduce_on_plateau(factor, patience, rtol, atol, ...)\`, which scales the updates, fed \`value=loss\` | \`plateau(...)\` and \`updatePlateau(state, metric)\`, or \`plateauRates\` |

Table: The schedules of PyTorch, Keras and optax, and ours: what each calls them and where they differ. {#schedules}

And what a step is, in what order things happen, and how to resume:

| | PyTorch | Keras | optax | ours |
| --- | --- | --- | --- | --- |
| one step is | one call of \`scheduler.step()\`: an epoch or a batch, whichever your loop does (\`OneCycleLR\` and \`CyclicLR\` are meant per batch) | an update for a \`LearningRateSchedule\` (it reads the optimizer's \`iterations\`); an epoch for the \`LearningRateScheduler\` and \`ReduceLROnPlateau\` callbacks | an update (the count in the optimizer's state) | whatever \`t\` you pass: \`stepsPer: "epoch" \| "update"\` in the engine, \`per: "batch" \| "epoch"\` in the tfjs callback |
| order | \`optimizer.step()\`, then \`scheduler.step()\`; the other way round warns and shifts the schedule | kept by \`fit\` | kept by \`update\` | none: the rate of step $t$ is \`lr(t)\`, set before it |
| resuming | load the optimizer's and the scheduler's \`state_dict\`; \`last_epoch\` alone needs \`initial_lr\` and continues from the optimizer's current rate | \`fit(..., initial_epoch=k)\` hands the callbacks epoch indices from $k$; schedules continue from \`iterations\`, if the optimizer's state was restored | restore the optimizer state, count included | call \`lr(t)\` from the saved step count; the tfjs callback's \`resume\` record |

Table: What a step is, in what order the rate is set, and how to resume, in each framework. {#steps}

The cells that follow take the rows in turn. Each checks our schedule against the whole of
PyTorch's sequence for the same settings, and draws ours; a cell throws if the two differ by
more than $10^{-12}$ relative, so a page that builds is a page whose claims held. The steps are
drawn as epochs, the way PyTorch's documentation steps these schedulers; stepped per update, the
rates are the same, only more finely spread.
`),
    code("step-row", "step: ours against PyTorch's StepLR", stepRow),
    code("multistep-row", "multistep: ours against PyTorch's MultiStepLR", multistepRow),
    code("exponential-row", "exponential: ours against PyTorch's ExponentialLR", exponentialRow),
    code("cosine-row", "cosine: ours against PyTorch's CosineAnnealingLR", cosineRow),
    code("sgdr-row", "warm restarts: ours against PyTorch's CosineAnnealingWarmRestarts", sgdrRow),
    code("warmup-row", "warmup: ours against PyTorch's LinearLR + CosineAnnealingLR", warmupRow),
    code("onecycle-row", "one-cycle: ours against PyTorch's OneCycleLR", onecycleRow),
    code(
      "plateau-row",
      "plateau: ours against PyTorch's ReduceLROnPlateau, and Keras's rule",
      plateauRow,
    ),
    prose((results) => matched(results)),
    prose(md`
## Off by one

Most of the trouble with schedules is not in their formulas but in the counting. Four cases,
each checked by a cell.

**Milestones.** When does a milestone at 15 take effect: for the step numbered 15, or the one
after it?
`),
    code(
      "milestones",
      "Where the milestones 15 and 30 drop the rate, library by library",
      milestones,
    ),
    prose((results) => milestoneProse(tableRowsOf(results, "milestones"))),
    prose(md`
**The order of the calls.** Since PyTorch 1.1 a training loop must call \`optimizer.step()\` before
\`scheduler.step()\`. The cell shows what happens when it does not, with the rates torch recorded
for both loops.
`),
    code("order", "PyTorch's two orders of calls, against lr(t) and lr(t + 1)", order),
    prose((results) => orderProse(tableRowsOf(results, "order"))),
    prose(md`
**Resuming.** A run stopped after 15 epochs and resumed in a new process: what rate does epoch 15
get?
`),
    code("resume", "Resuming StepLR at epoch 15, three ways, against lr(epoch)", resume),
    prose((results) => resumeProse(tableRowsOf(results, "resume"))),
    prose(md`
**Setting the rate after the epoch.** The PyTorch edition of the original chapter drives its own
schedulers (not PyTorch's) by writing \`scheduler(epoch)\` into the optimizer at the end of each
epoch. Our chapters set the rate before each epoch instead; here is the difference for the
[warmup chapter](warmup.html)'s schedule, with an optimizer created at [the toy problem](toy-problem.html)'s rate.
`),
    code("after-epoch", "The warmup schedule set after each epoch, and before it", afterEpoch),
    prose((results) => afterEpochProse(tableRowsOf(results, "after-epoch"))),
    prose(md`
**Updates, not epochs.** In the MXNet edition, the scheduler object goes to Gluon's \`Trainer\`,
which calls it once per *update*. [The multi-factor chapter](multifactor.html)'s steps 15 and 30 are
then counted in updates.
`),
    code("mxnet", "Where MXNet's per-update milestones fall, in epochs", mxnet),
    prose((results) => {
      const text = (results.get("mxnet") ?? []).find((o) => o.kind === "text");
      return mxnetProse(tableRowsOf(results, "mxnet"), text?.kind === "text" ? text.text : "");
    }),
    prose(md`
The cure for all four is the same, and it is the reason this book's schedules are pure functions:
decide once what $t$ counts (updates or epochs), compute the rate of step $t$ from $t$ alone, set
it *before* the step, and keep $t$ in the checkpoint. Then plotting, logging, resuming and
switching frameworks cannot move the schedule by a step.
`),
  ],
};

export default chapter;
