import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { constant } from "./constant.ts";
import { cosine } from "./cosine.ts";
import { join } from "./join.ts";
import { plateau, plateauRates } from "./plateau.ts";
import { step } from "./step.ts";
import {
  getLearningRate,
  LearningRateCallback,
  type LearningRateState,
  setLearningRate,
} from "./tfjs.ts";
import type { Schedule } from "./types.ts";
import { probeOption, R, T } from "./_testing.ts";

await tf.setBackend("cpu");
await tf.ready();

/** Every optimizer tfjs has, built with a starting rate. */
const optimizers: Record<string, (lr: number) => tf.Optimizer> = {
  sgd: (lr) => tf.train.sgd(lr),
  momentum: (lr) => tf.train.momentum(lr, 0.9),
  nesterov: (lr) => tf.train.momentum(lr, 0.9, true),
  adam: (lr) => tf.train.adam(lr, 0.9, 0.999, 1e-7),
  adamax: (lr) => tf.train.adamax(lr, 0.9, 0.999, 1e-7, 0),
  rmsprop: (lr) => tf.train.rmsprop(lr, 0.9, 0, 1e-7),
  rmspropMomentum: (lr) => tf.train.rmsprop(lr, 0.9, 0.5, 1e-7),
  adagrad: (lr) => tf.train.adagrad(lr, 0.1),
  adadelta: (lr) => tf.train.adadelta(lr, 0.95, 1e-6),
};

/** The first update each optimizer makes for gradient g from weight 0, at rate lr. */
const firstStep: Record<string, (lr: number, g: number) => number> = {
  sgd: (lr, g) => -lr * g,
  momentum: (lr, g) => -lr * g,
  nesterov: (lr, g) => -lr * (g + 0.9 * g),
  adam: (lr, g) => -lr * g / (Math.abs(g) + 1e-7),
  adamax: (lr, g) => -lr * g / (Math.abs(g) + 1e-7),
  rmsprop: (lr, g) => -lr * g / Math.sqrt(0.1 * g * g + 1e-7),
  rmspropMomentum: (lr, g) => -lr * g / Math.sqrt(0.1 * g * g + 1e-7),
  adagrad: (lr, g) => -lr * g / Math.sqrt(0.1 + g * g + 1e-7),
  // tfjs's Adadelta divides by the accumulator from BEFORE this gradient (0 at first),
  // so its first update is sqrt(eps) / sqrt(eps) * g.
  adadelta: (lr, g) => -lr * g,
};

function update(optimizer: tf.Optimizer, w: tf.Variable, g: number): number {
  const before = w.dataSync()[0];
  tf.tidy(() => optimizer.applyGradients([{ name: w.name, tensor: tf.scalar(g) }]));
  return w.dataSync()[0] - before;
}

for (const [name, make] of Object.entries(optimizers)) {
  Deno.test(`tfjs: ${name}: the first update after setLearningRate uses the new rate`, () => {
    const w = tf.variable(tf.scalar(0));
    const optimizer = make(0.001);
    setLearningRate(optimizer, 0.25);
    assert.equal(getLearningRate(optimizer), 0.25);
    const delta = update(optimizer, w, 2);
    const expected = firstStep[name](0.25, 2);
    assert.ok(
      Math.abs(delta - expected) <= 1e-5 * Math.abs(expected),
      `${name}: weight moved ${delta}, expected ${expected}`,
    );
    optimizer.dispose();
    w.dispose();
  });

  Deno.test(`tfjs: ${name}: a rate change mid-run scales the very next update`, () => {
    // Twin runs with identical history at rate 0.01; then one switches to 0.05.
    // For a constant gradient every one of these optimizers' next update is
    // proportional to the rate in force (RMSProp with momentum is not: its
    // moment carries earlier rates along, so it is checked against its formula).
    const a = make(0.01);
    const b = make(0.01);
    const wa = tf.variable(tf.scalar(0));
    const wb = tf.variable(tf.scalar(0));
    for (let i = 0; i < 3; i++) {
      update(a, wa, 0.5);
      update(b, wb, 0.5);
    }
    setLearningRate(a, 0.05);
    setLearningRate(b, 0.01);
    const da = update(a, wa, 0.5);
    const db = update(b, wb, 0.5);
    if (name === "rmspropMomentum") {
      // moment' = 0.5 * moment + lr * g / sqrt(ms' + eps): the difference is the new term only
      const term = (lr: number) => lr * 0.5 / Math.sqrt((1 - 0.9 ** 4) * 0.25 + 1e-7);
      assert.ok(Math.abs((da - db) - -(term(0.05) - term(0.01))) < 1e-5 * Math.abs(da - db));
    } else {
      assert.ok(Math.abs(da / db - 5) < 1e-4, `${name}: ratio ${da / db}, expected 5`);
    }
    for (const x of [a, b, wa, wb]) x.dispose();
  });
}

Deno.test("tfjs: setLearningRate keeps no stray tensors and refuses bad rates", () => {
  const optimizer = tf.train.momentum(0.1, 0.9);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) setLearningRate(optimizer, 0.01 * i);
  assert.equal(tf.memory().numTensors, before);
  for (const bad of [NaN, Infinity, -1]) {
    assert.throws(() => setLearningRate(optimizer, bad), {
      name: "RangeError",
      message: new RegExp(`^setLearningRate: lr \\(${bad}\\)`),
    });
  }
  assert.throws(() => setLearningRate(optimizer, "0.1" as unknown as number), TypeError);
  assert.throws(() => setLearningRate({} as tf.Optimizer, 0.1), {
    name: "TypeError",
    message: "setLearningRate: optimizer (Object) has no learning rate to set",
  });
  assert.throws(() => getLearningRate({} as tf.Optimizer), TypeError);
  optimizer.dispose();
});

// ---------------------------------------------------------------- model.fit

const xs = [[1], [2], [3], [4], [5], [6], [7], [8]];
const ys = xs.map(([x]) => [2 * x - 1]);

function makeModel(lr = 0.01): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({
      units: 1,
      inputShape: [1],
      kernelInitializer: "zeros",
      biasInitializer: "zeros",
    })],
  });
  model.compile({ optimizer: tf.train.sgd(lr), loss: "meanSquaredError" });
  return model;
}

/** Fit `epochs` epochs of 4 batches; record the rate the optimizer holds at every batch. */
async function fit(
  model: tf.Sequential,
  callback: LearningRateCallback,
  epochs: number,
  validation = false,
): Promise<{ rates: number[]; losses: number[] }> {
  const rates: number[] = [];
  const probe = new tf.CustomCallback({
    onBatchBegin: () => {
      rates.push(getLearningRate(model.optimizer));
    },
  });
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys);
  const history = await model.fit(x, y, {
    batchSize: 2,
    epochs,
    shuffle: false,
    verbose: 0,
    validationData: validation ? [x, y] : undefined,
    callbacks: [callback, probe],
  });
  x.dispose();
  y.dispose();
  return { rates, losses: history.history[validation ? "val_loss" : "loss"] as number[] };
}

const weights = (model: tf.Sequential) => model.getWeights().map((w) => Array.from(w.dataSync()));

Deno.test("tfjs: callback per batch sets schedule(t) before batch t, across epochs", async () => {
  const schedule = step({ baseLr: 0.02, stepSize: 3, gamma: 0.5 });
  const seen: Array<[number, number]> = [];
  const callback = new LearningRateCallback({
    per: "batch",
    schedule,
    onRate: (rate, t) => seen.push([rate, t]),
  });
  const { rates } = await fit(makeModel(), callback, 3);
  const expected = Array.from({ length: 12 }, (_, t) => schedule(t));
  assert.deepEqual(rates, expected);
  assert.deepEqual(seen, expected.map((rate, t) => [rate, t]));
  assert.equal(callback.state().step, 12);
});

Deno.test("tfjs: callback per epoch keeps schedule(epoch) for all of its batches", async () => {
  const schedule = cosine({ baseLr: 0.02, finalLr: 0.001, maxUpdate: 3 });
  const callback = new LearningRateCallback({ per: "epoch", schedule });
  const { rates } = await fit(makeModel(), callback, 4);
  const expected = [0, 1, 2, 3].flatMap((e) => [0, 1, 2, 3].map(() => schedule(e)));
  assert.deepEqual(rates, expected);
});

Deno.test("tfjs: the rate set by the callback is the one fit's updates use", async () => {
  // rate 0 from batch 5 on: the weights must stop moving exactly there
  const schedule = join([constant({ baseLr: 0.01 }), constant({ baseLr: 0 })], [5]);
  const model = makeModel(0.5);
  const snapshots: number[][][] = [];
  const probe = new tf.CustomCallback({ onBatchEnd: () => void snapshots.push(weights(model)) });
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys);
  await model.fit(x, y, {
    batchSize: 2,
    epochs: 3,
    shuffle: false,
    verbose: 0,
    callbacks: [new LearningRateCallback({ per: "batch", schedule }), probe],
  });
  assert.notDeepEqual(snapshots[3], snapshots[4]); // batch 4 ran at 0.01
  for (let b = 5; b < 12; b++) assert.deepEqual(snapshots[b], snapshots[4], `batch ${b}`);
});

Deno.test("tfjs: plateau callback follows the metric it monitors", async () => {
  const options = { baseLr: 0.05, factor: 0.5, patience: 0, threshold: 0.5 };
  const callback = new LearningRateCallback({ per: "epoch", plateau: plateau(options) });
  const { rates, losses } = await fit(makeModel(), callback, 6, true);
  const expected = plateauRates(options, losses);
  assert.deepEqual(rates, expected.flatMap((r) => [r, r, r, r]));
  assert.ok(expected.at(-1)! < 0.05, "the plateau rule reduced the rate");
});

Deno.test("tfjs: a missing monitor is a clear error", async () => {
  const callback = new LearningRateCallback({ per: "epoch", plateau: plateau({ baseLr: 0.1 }) });
  await assert.rejects(() => fit(makeModel(), callback, 1), {
    message: 'LearningRateCallback: monitor "val_loss" is not in the logs (available: loss)',
  });
});

async function resumeCheck(
  make: (resume?: LearningRateState) => LearningRateCallback,
  validation: boolean,
): Promise<void> {
  const whole = makeModel();
  const all = await fit(whole, make(), 6, validation);

  const first = makeModel();
  const callback = make();
  const part1 = await fit(first, callback, 2, validation);
  const saved = JSON.stringify(callback.state());
  // a new process: a new model with the saved weights, a new callback from the saved JSON
  const second = makeModel();
  second.setWeights(first.getWeights());
  const part2 = await fit(second, make(JSON.parse(saved)), 4, validation);
  assert.deepEqual([...part1.rates, ...part2.rates], all.rates);
  const [w1, w2] = [weights(whole), weights(second)];
  w1.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - w2[i][j]) < 1e-6)));
}

Deno.test("tfjs: save and resume a schedule callback: the same sequence of rates", async () => {
  const schedule: Schedule = cosine({
    baseLr: 0.02,
    finalLr: 0.001,
    maxUpdate: 20,
    warmupSteps: 3,
  });
  await resumeCheck(
    (resume) => new LearningRateCallback({ per: "batch", schedule, resume }),
    false,
  );
});

Deno.test("tfjs: save and resume a plateau callback: the same sequence of rates", async () => {
  const options = { baseLr: 0.05, factor: 0.5, patience: 0, threshold: 0.3 };
  await resumeCheck(
    (resume) => new LearningRateCallback({ per: "epoch", plateau: plateau(options), resume }),
    true,
  );
});

Deno.test("tfjs: resume refuses a state from another schedule, unit or kind", () => {
  const schedule = step({ baseLr: 0.1, stepSize: 2 });
  const saved = new LearningRateCallback({ per: "batch", schedule }).state();
  const moved: LearningRateState = { ...saved, step: 5, nextRate: schedule(5) };
  assert.doesNotThrow(() => new LearningRateCallback({ per: "batch", schedule, resume: moved }));
  assert.throws(
    () =>
      new LearningRateCallback({
        per: "batch",
        schedule: step({ baseLr: 0.2, stepSize: 2 }),
        resume: moved,
      }),
    /nextRate \(0\.0010000000000000002\) differs from this schedule's rate at step 5/,
  );
  assert.throws(
    () => new LearningRateCallback({ per: "epoch", schedule, resume: moved }),
    /per \("batch"\) must match per \("epoch"\)/,
  );
  assert.throws(
    () =>
      new LearningRateCallback({ per: "batch", plateau: plateau({ baseLr: 0.1 }), resume: moved }),
    /no plateau state/,
  );
  assert.throws(
    () => new LearningRateCallback({ per: "batch", schedule, resume: { ...moved, step: -1 } }),
    RangeError,
  );
});

Deno.test("tfjs: callback options are validated", () => {
  const schedule = constant({ baseLr: 0.1 });
  assert.throws(() => new LearningRateCallback({ per: "step" as never, schedule }), {
    name: "RangeError",
    message: 'LearningRateCallback: per ("step") must be one of "batch", "epoch"',
  });
  assert.throws(
    () => new LearningRateCallback({ per: "batch" }),
    /exactly one of schedule and plateau/,
  );
  assert.throws(
    () => new LearningRateCallback({ per: "batch", schedule, plateau: plateau({ baseLr: 1 }) }),
    /exactly one/,
  );
  assert.throws(
    () => new LearningRateCallback({ per: "batch", schedule, sched: 1 } as never),
    /unknown option "sched" \(did you mean "schedule"\?\)/,
  );
  assert.throws(
    () => new LearningRateCallback({ per: "batch", schedule: 0.1 as never }),
    TypeError,
  );
});

Deno.test("tfjs: the callback can drive an optimizer outside model.fit", async () => {
  const optimizer = tf.train.adam(1);
  const schedule = step({ baseLr: 0.1, stepSize: 1, gamma: 0.5 });
  const callback = new LearningRateCallback({ per: "batch", schedule, optimizer });
  for (let t = 0; t < 4; t++) {
    await callback.onBatchBegin(t);
    assert.equal(getLearningRate(optimizer), schedule(t));
    await callback.onBatchEnd(t, {});
  }
  assert.throws(
    () => void new LearningRateCallback({ per: "batch", schedule }).onBatchBegin(0),
    /no optimizer/,
  );
});

Deno.test("tfjs: every probe value for setLearningRate and every callback option", () => {
  const optimizer = tf.train.sgd(0.1);
  probeOption(
    "setLearningRate",
    (o) => setLearningRate(optimizer, o.lr as number),
    {},
    "lr",
    [R, R, R, R, "ok", "ok", T],
  );
  assert.equal(getLearningRate(optimizer), 2.5);
  const make = (o: Record<string, unknown>) => new LearningRateCallback(o as never);
  const base = { per: "batch", schedule: constant({ baseLr: 0.1 }) };
  const cb = "LearningRateCallback";
  probeOption(cb, make, base, "per", [T, T, T, T, T, T, R]);
  probeOption(cb, make, base, "schedule", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "monitor", [T, T, T, T, T, T, "ok"]);
  probeOption(cb, make, base, "optimizer", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "onRate", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "resume", [T, T, T, T, T, T, T]);
  const plateauBase = { per: "epoch", plateau: plateau({ baseLr: 0.1 }) };
  probeOption(cb, make, plateauBase, "plateau", [T, T, T, T, T, T, T]);
  optimizer.dispose();
});
