import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { constant } from "./constant.ts";
import { cosine } from "./cosine.ts";
import { join } from "./join.ts";
import { linear } from "./linear.ts";
import { plateau, type PlateauOptions, plateauRates } from "./plateau.ts";
import { step } from "./step.ts";
import { onecycle, onecycleMomentum } from "./onecycle.ts";
import {
  getHyperparameter,
  getLearningRate,
  type Hyperparameter,
  scheduleCallback,
  type ScheduleCallbackOptions,
  type ScheduleCallbackState,
  setHyperparameter,
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
  assert.throws(() => setLearningRate({}, 0.1), {
    name: "TypeError",
    message: "setLearningRate: optimizer (Object) has no learning rate to set",
  });
  assert.throws(() => getLearningRate({}), TypeError);
  assert.throws(() => setLearningRate(null as unknown as object, 0.1), {
    name: "TypeError",
    message: "setLearningRate: optimizer (null) is not an optimizer",
  });
  optimizer.dispose();
});

// ---------------------------------------------------------------- hyperparameters

/** Which hyperparameters each optimizer has, and a value each can be set to. */
const held: Record<string, Partial<Record<Hyperparameter, number>>> = {
  sgd: {},
  momentum: { momentum: 0.5 },
  nesterov: { momentum: 0.5 },
  adam: { beta1: 0.5, beta2: 0.9, epsilon: 1e-3 },
  adamax: { beta1: 0.5, beta2: 0.9, epsilon: 1e-3, decay: 0.1 },
  rmsprop: { momentum: 0.5, decay: 0.5, epsilon: 1e-3 },
  rmspropMomentum: { momentum: 0.2, decay: 0.5, epsilon: 1e-3 },
  adagrad: {},
  adadelta: { rho: 0.5, epsilon: 1e-3 },
};

/** Optimizers made with a hyperparameter's value from the start, to compare with one set later. */
const madeWith: Record<string, (h: Partial<Record<Hyperparameter, number>>) => tf.Optimizer> = {
  momentum: (h) => tf.train.momentum(0.1, h.momentum ?? 0.9),
  nesterov: (h) => tf.train.momentum(0.1, h.momentum ?? 0.9, true),
  rmsprop: (h) => tf.train.rmsprop(0.1, h.decay ?? 0.9, h.momentum ?? 0, h.epsilon ?? 1e-7),
  rmspropMomentum: (h) =>
    tf.train.rmsprop(0.1, h.decay ?? 0.9, h.momentum ?? 0.5, h.epsilon ?? 1e-7),
  adadelta: (h) => tf.train.adadelta(0.1, h.rho ?? 0.95, h.epsilon ?? 1e-6),
  adam: (h) => tf.train.adam(0.1, 0.9, 0.999, h.epsilon ?? 1e-7),
  adamax: (h) => tf.train.adamax(0.1, 0.9, 0.999, h.epsilon ?? 1e-7, h.decay ?? 0),
};

for (const [name, values] of Object.entries(held)) {
  Deno.test(`tfjs: ${name}: its hyperparameters read back, and others are refused by name`, () => {
    const optimizer = optimizers[name](0.1);
    for (const [which, value] of Object.entries(values) as [Hyperparameter, number][]) {
      setHyperparameter(optimizer, which, value);
      assert.equal(getHyperparameter(optimizer, which), value);
    }
    const missing = (["momentum", "beta1", "rho"] as const).filter((h) => !(h in values));
    for (const which of missing) {
      assert.throws(() => setHyperparameter(optimizer, which, 0.5), {
        name: "TypeError",
        message: new RegExp(`^setHyperparameter: optimizer \\(\\w+\\) has no ${which} \\(it has `),
      });
    }
    optimizer.dispose();
  });
}

for (const [name, make] of Object.entries(madeWith)) {
  Deno.test(`tfjs: ${name}: a hyperparameter set before training is one it was made with`, () => {
    // Every update, over several steps, is the one of an optimizer made with those values.
    const values = { ...held[name] };
    if (name === "adam" || name === "adamax") delete values.beta1, delete values.beta2;
    const set = make({});
    for (const [which, value] of Object.entries(values) as [Hyperparameter, number][]) {
      setHyperparameter(set, which, value);
    }
    const fresh = make(values);
    const [ws, wf] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))];
    for (const g of [1, -0.5, 2, 0.25]) {
      const [a, b] = [update(set, ws, g), update(fresh, wf, g)];
      assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b), `${name}: ${a} vs ${b}`);
    }
    for (const x of [set, fresh, ws, wf]) x.dispose();
  });
}

Deno.test("tfjs: tfjs's own setMomentum leaves the cached momentum; setHyperparameter replaces it", () => {
  const run = (change: (o: tf.Optimizer) => void) => {
    const optimizer = tf.train.momentum(1, 0.9);
    const w = tf.variable(tf.scalar(0));
    update(optimizer, w, 1); // accumulation 1
    change(optimizer);
    const delta = update(optimizer, w, 1); // accumulation m * 1 + 1
    optimizer.dispose();
    w.dispose();
    return delta;
  };
  assert.equal(run(() => {}), -1.9000000953674316);
  assert.equal(run((o) => (o as tf.MomentumOptimizer).setMomentum(0.5)), -1.9000000953674316);
  assert.equal(run((o) => setHyperparameter(o, "momentum", 0.5)), -1.5);
  const before = tf.memory().numTensors;
  const optimizer = tf.train.momentum(1, 0.9);
  for (let i = 0; i < 20; i++) setHyperparameter(optimizer, "momentum", i / 20);
  assert.equal(tf.memory().numTensors, before + 2); // its c and m, nothing left behind
  optimizer.dispose();
});

Deno.test("tfjs: Adam's beta1 changed mid-run is the beta1 of the next update", () => {
  const optimizer = tf.train.adam(0.1, 0.9, 0.999, 1e-7);
  const w = tf.variable(tf.scalar(0));
  update(optimizer, w, 2); // m1 = 0.1 g, v1 = 0.001 g^2, accBeta1 0.9 -> 0.81
  setHyperparameter(optimizer, "beta1", 0.5);
  const delta = update(optimizer, w, 2);
  // m2 = 0.5 m1 + 0.5 g = 0.55 g, corrected by 1 - 0.81; v2 corrected to g^2
  const expected = -0.1 * (0.55 / 0.19) * 2 / (2 + 1e-7);
  assert.ok(Math.abs(delta - expected) < 1e-4 * Math.abs(expected), `${delta} vs ${expected}`); // float32
  optimizer.dispose();
  w.dispose();
});

Deno.test("tfjs: hyperparameter names and values are checked", () => {
  const optimizer = tf.train.momentum(0.1, 0.9);
  assert.throws(() => setHyperparameter(optimizer, "momentun" as Hyperparameter, 0.5), {
    name: "TypeError",
    message: 'setHyperparameter: hyperparameter "momentun" (did you mean "momentum"?) is not ' +
      "one of momentum, beta1, beta2, epsilon, decay, rho",
  });
  probeOption(
    "setHyperparameter",
    (o) => setHyperparameter(optimizer, "momentum", o.momentum as number),
    {},
    "momentum",
    [R, R, R, R, "ok", R, T],
  );
  assert.throws(() => setHyperparameter(tf.train.adam(0.1), "beta1", 1), {
    name: "RangeError",
    message: "setHyperparameter: beta1 (1) must be in [0, 1)",
  });
  assert.throws(() => setHyperparameter(tf.train.adam(0.1), "momentum", 0.9), {
    name: "TypeError",
    message: "setHyperparameter: optimizer (AdamOptimizer) has no momentum (it has beta1, " +
      "beta2, epsilon); its beta1 plays that part (PyTorch's OneCycleLR cycles Adam's beta1)",
  });
  assert.throws(() => getHyperparameter(tf.train.sgd(0.1), "momentum"), {
    name: "TypeError",
    message: "getHyperparameter: optimizer (SGDOptimizer) has no momentum (it has none of them)",
  });
  optimizer.dispose();
});

// ---------------------------------------------------------------- model.fit

const xs = [[1], [2], [3], [4], [5], [6], [7], [8]];
const ys = xs.map(([x]) => [2 * x - 1]);

function makeModel(lr = 0.01, optimizer: tf.Optimizer = tf.train.sgd(lr)): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({
      units: 1,
      inputShape: [1],
      kernelInitializer: "zeros",
      biasInitializer: "zeros",
    })],
  });
  model.compile({ optimizer, loss: "meanSquaredError" });
  return model;
}

const callbackOf = (options: ScheduleCallbackOptions) => scheduleCallback(tf, options);

/** Fit `epochs` epochs of 4 batches; record the rate the optimizer holds at every batch. */
async function fit(
  model: tf.Sequential,
  callback: object,
  epochs: number,
  options: { validation?: boolean; initialEpoch?: number; first?: boolean } = {},
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
    initialEpoch: options.initialEpoch,
    shuffle: false,
    verbose: 0,
    validationData: options.validation ? [x, y] : undefined,
    callbacks: (options.first === false ? [probe, callback] : [callback, probe]) as tf.Callback[],
  });
  x.dispose();
  y.dispose();
  return {
    rates,
    losses: history.history[options.validation ? "val_loss" : "loss"] as number[],
  };
}

const weights = (model: tf.Sequential) => model.getWeights().map((w) => Array.from(w.dataSync()));

Deno.test("tfjs: callback per batch sets schedule(t) before batch t, across epochs", async () => {
  const schedule = step({ baseLr: 0.02, stepSize: 3, gamma: 0.5 });
  const seen: Array<[number, number]> = [];
  const callback = callbackOf({
    per: "batch",
    schedule,
    onRate: (rate, t) => seen.push([rate, t]),
  });
  assert.ok(callback instanceof tf.Callback, "a tf.Callback of the tfjs handed in");
  const { rates } = await fit(makeModel(), callback, 3);
  const expected = Array.from({ length: 12 }, (_, t) => schedule(t));
  assert.deepEqual(rates, expected);
  assert.deepEqual(seen, expected.map((rate, t) => [rate, t]));
  assert.equal(callback.state().step, 12);
});

Deno.test("tfjs: callback per epoch keeps schedule(epoch) for all of its batches", async () => {
  const schedule = cosine({ baseLr: 0.02, finalLr: 0.001, maxUpdate: 3 });
  const callback = callbackOf({ per: "epoch", schedule });
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
    callbacks: [callbackOf({ per: "batch", schedule }), probe],
  });
  assert.notDeepEqual(snapshots[3], snapshots[4]); // batch 4 ran at 0.01
  for (let b = 5; b < 12; b++) assert.deepEqual(snapshots[b], snapshots[4], `batch ${b}`);
});

Deno.test("tfjs: one-cycle's momentum drives a momentum optimizer in fit, as PyTorch's", async () => {
  const options = { maxLr: 0.05, totalSteps: 12, pctStart: 0.25 };
  const optimizer = tf.train.momentum(0.05, 0.9);
  const model = makeModel(0.05, optimizer);
  const momenta: number[] = [];
  const probe = new tf.CustomCallback({
    onBatchBegin: () => void momenta.push(getHyperparameter(optimizer, "momentum")),
  });
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys);
  await model.fit(x, y, {
    batchSize: 2,
    epochs: 3,
    shuffle: false,
    verbose: 0,
    callbacks: [
      callbackOf({
        per: "batch",
        schedule: onecycle(options),
        hyperparameters: { momentum: onecycleMomentum(options) },
      }),
      probe,
    ],
  });
  const curve = onecycleMomentum(options);
  assert.deepEqual(momenta, Array.from({ length: 12 }, (_, t) => curve(t)));
  assert.equal(momenta[0], 0.95);
  assert.equal(momenta[2], 0.85); // the peak rate, at 0.25 * 12 - 1
});

Deno.test("tfjs: fit's initialEpoch is honoured, per epoch and per batch", async () => {
  const schedule = step({ baseLr: 0.08, stepSize: 1, gamma: 0.5 });
  const perEpoch = await fit(makeModel(), callbackOf({ per: "epoch", schedule }), 5, {
    initialEpoch: 2,
  });
  assert.deepEqual(perEpoch.rates, [2, 3, 4].flatMap((e) => [e, e, e, e].map(schedule)));
  const perBatch = await fit(makeModel(), callbackOf({ per: "batch", schedule }), 4, {
    initialEpoch: 3,
  });
  assert.deepEqual(perBatch.rates, [12, 13, 14, 15].map(schedule));
  // one callback over two fits, the second resuming at initialEpoch 2, as Keras's users do
  const callback = callbackOf({ per: "batch", schedule });
  const model = makeModel();
  const first = await fit(model, callback, 2);
  const second = await fit(model, callback, 4, { initialEpoch: 2 });
  assert.deepEqual(
    [...first.rates, ...second.rates],
    Array.from({ length: 16 }, (_, t) => schedule(t)),
  );
});

Deno.test("tfjs: initialEpoch against a resumed position: agree or refuse", async () => {
  const schedule = step({ baseLr: 0.08, stepSize: 1, gamma: 0.5 });
  const saved: ScheduleCallbackState = {
    kind: "scheduleCallback",
    version: 1,
    per: "epoch",
    step: 2,
    plateau: null,
    nextRate: schedule(2),
  };
  const agree = await fit(makeModel(), callbackOf({ per: "epoch", schedule, resume: saved }), 3, {
    initialEpoch: 2,
  });
  assert.deepEqual(agree.rates, [2, 2, 2, 2].map(schedule));
  const fromZero = await fit(makeModel(), callbackOf({ per: "epoch", schedule, resume: saved }), 1);
  assert.deepEqual(fromZero.rates, [2, 2, 2, 2].map(schedule)); // a fit from 0 goes on from the state
  await assert.rejects(
    () =>
      fit(makeModel(), callbackOf({ per: "epoch", schedule, resume: saved }), 4, {
        initialEpoch: 3,
      }),
    {
      name: "RangeError",
      message: "scheduleCallback: fit's initialEpoch (3) is step 3 of this epoch count, but the " +
        "callback is at step 2",
    },
  );
});

Deno.test("tfjs: plateau callback follows the metric it monitors", async () => {
  const options = { baseLr: 0.05, factor: 0.5, patience: 0, threshold: 0.5 };
  const callback = callbackOf({ per: "epoch", plateau: plateau(options) });
  const { rates, losses } = await fit(makeModel(), callback, 6, { validation: true });
  const expected = plateauRates(options, losses);
  assert.deepEqual(rates, expected.flatMap((r) => [r, r, r, r]));
  assert.ok(expected.at(-1)! < 0.05, "the plateau rule reduced the rate");
});

Deno.test("tfjs: a warmup, then a plateau (Keras's rule), in one callback", async () => {
  const plateauOptions: PlateauOptions = {
    baseLr: 0.04,
    factor: 0.5,
    patience: 1,
    threshold: 0.3, // Keras's min_delta
    style: "keras",
  };
  const warm = linear({ startLr: 0.01, endLr: 0.04, maxUpdate: 2 });
  const callback = callbackOf({
    per: "epoch",
    schedule: warm,
    plateau: plateau(plateauOptions),
    plateauFrom: 2,
  });
  const { rates, losses } = await fit(makeModel(), callback, 7, { validation: true });
  const tail = plateauRates(plateauOptions, losses.slice(2));
  const expected = [warm(0), warm(1), ...tail];
  assert.deepEqual(rates, expected.flatMap((r) => [r, r, r, r]));
  assert.ok(tail.at(-1)! < 0.04, "the plateau took over and reduced the rate");
  assert.equal(callback.state().plateau!.epochs, 5); // fed only the epochs it was in charge of
});

Deno.test("tfjs: a missing monitor is a clear error", async () => {
  const callback = callbackOf({ per: "epoch", plateau: plateau({ baseLr: 0.1 }) });
  await assert.rejects(() => fit(makeModel(), callback, 1), {
    message: 'scheduleCallback: monitor "val_loss" is not in the logs (available: loss)',
  });
});

async function resumeCheck(
  make: (resume?: ScheduleCallbackState) => object & { state(): ScheduleCallbackState },
  validation: boolean,
): Promise<void> {
  const whole = makeModel();
  const all = await fit(whole, make(), 6, { validation });

  const first = makeModel();
  const callback = make();
  const part1 = await fit(first, callback, 2, { validation });
  const saved = JSON.stringify(callback.state());
  // a new process: a new model with the saved weights, a new callback from the saved JSON
  const second = makeModel();
  second.setWeights(first.getWeights());
  const part2 = await fit(second, make(JSON.parse(saved)), 4, { validation });
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
  await resumeCheck((resume) => callbackOf({ per: "batch", schedule, resume }), false);
});

Deno.test("tfjs: save and resume a plateau callback: the same sequence of rates", async () => {
  const options = { baseLr: 0.05, factor: 0.5, patience: 0, threshold: 0.3 };
  await resumeCheck(
    (resume) => callbackOf({ per: "epoch", plateau: plateau(options), resume }),
    true,
  );
});

Deno.test("tfjs: resume refuses a state from another schedule, unit or kind", () => {
  const schedule = step({ baseLr: 0.1, stepSize: 2 });
  const saved = callbackOf({ per: "batch", schedule }).state();
  const moved: ScheduleCallbackState = { ...saved, step: 5, nextRate: schedule(5) };
  assert.doesNotThrow(() => callbackOf({ per: "batch", schedule, resume: moved }));
  assert.throws(
    () => callbackOf({ per: "batch", schedule: step({ baseLr: 0.2, stepSize: 2 }), resume: moved }),
    /nextRate \(0\.0010000000000000002\) differs from this callback's rate at step 5/,
  );
  assert.throws(
    () => callbackOf({ per: "epoch", schedule, resume: moved }),
    /per \("batch"\) must match per \("epoch"\)/,
  );
  assert.throws(
    () => callbackOf({ per: "batch", plateau: plateau({ baseLr: 0.1 }), resume: moved }),
    /no plateau state/,
  );
  assert.throws(
    () => callbackOf({ per: "batch", schedule, resume: { ...moved, step: -1 } }),
    RangeError,
  );
  assert.throws(
    () =>
      callbackOf({
        per: "batch",
        schedule,
        resume: { ...moved, kind: "learningRateCallback" } as never,
      }),
    /kind \("learningRateCallback"\) and version \(1\) must be "scheduleCallback" and 1/,
  );
});

Deno.test("tfjs: callback options are validated", () => {
  const schedule = constant({ baseLr: 0.1 });
  assert.throws(() => callbackOf({ per: "step" as never, schedule }), {
    name: "RangeError",
    message: 'scheduleCallback: per ("step") must be one of "batch", "epoch"',
  });
  assert.throws(() => callbackOf({ per: "batch" }), /give a schedule, a plateau, or both/);
  assert.throws(
    () => callbackOf({ per: "batch", schedule, plateau: plateau({ baseLr: 1 }) }),
    /with both schedule and plateau, plateauFrom .* is required/,
  );
  assert.throws(
    () => callbackOf({ per: "batch", schedule, plateauFrom: 3 }),
    {
      name: "TypeError",
      message: "scheduleCallback: plateauFrom (3) needs both schedule and plateau",
    },
  );
  assert.throws(
    () => callbackOf({ per: "batch", schedule, sched: 1 } as never),
    /unknown option "sched" \(did you mean "schedule"\?\)/,
  );
  assert.throws(() => callbackOf({ per: "batch", schedule: 0.1 as never }), TypeError);
  assert.throws(() => scheduleCallback({} as never, { per: "batch", schedule }), {
    name: "TypeError",
    message: "scheduleCallback: tf ({}) must be your TensorFlow.js, with its Callback class " +
      '(import * as tf from "@tensorflow/tfjs")',
  });
  assert.throws(
    () => callbackOf({ per: "batch", schedule, hyperparameters: { momentom: schedule } as never }),
    /hyperparameters: hyperparameter "momentom" \(did you mean "momentum"\?\) is not one of/,
  );
  assert.throws(
    () => callbackOf({ per: "batch", schedule, hyperparameters: { momentum: 0.9 } as never }),
    {
      name: "TypeError",
      message: "scheduleCallback: hyperparameters.momentum (0.9) must be a schedule function",
    },
  );
});

Deno.test("tfjs: the callback can drive an optimizer outside model.fit", async () => {
  const optimizer = tf.train.adam(1);
  const schedule = step({ baseLr: 0.1, stepSize: 1, gamma: 0.5 });
  const beta1 = linear({ startLr: 0.9, endLr: 0.8, maxUpdate: 4 });
  const callback = callbackOf({ per: "batch", schedule, optimizer, hyperparameters: { beta1 } });
  for (let t = 0; t < 4; t++) {
    await callback.onBatchBegin(t);
    assert.equal(getLearningRate(optimizer), schedule(t));
    assert.equal(getHyperparameter(optimizer, "beta1"), beta1(t));
    await callback.onBatchEnd(t, {});
  }
  await assert.rejects(
    () => callbackOf({ per: "batch", schedule }).onBatchBegin(0),
    /no optimizer: pass `optimizer`/,
  );
  const noMomentum = callbackOf({
    per: "batch",
    schedule,
    optimizer,
    hyperparameters: { momentum: beta1 },
  });
  await assert.rejects(() => noMomentum.onBatchBegin(0), {
    name: "TypeError",
    message: /^scheduleCallback: hyperparameters: optimizer \(AdamOptimizer\) has no momentum/,
  });
  const tooHigh = callbackOf({
    per: "batch",
    schedule,
    optimizer,
    hyperparameters: { beta1: constant({ baseLr: 1 }) },
  });
  await assert.rejects(() => tooHigh.onBatchBegin(0), {
    name: "RangeError",
    message: "scheduleCallback: hyperparameters.beta1(0) (1) must be in [0, 1)",
  });
  const negative = callbackOf({ per: "batch", schedule: () => -1, optimizer });
  await assert.rejects(() => negative.onBatchBegin(0), {
    name: "RangeError",
    message: "scheduleCallback: schedule(0) (-1) must be >= 0",
  });
});

Deno.test("tfjs: a callback tfjs does not recognise (another copy's) still works, through its wrapper", async () => {
  // What a second copy of tfjs looks like to model.fit: a Callback class that is not its own.
  // tfjs then wraps the callback in a CustomCallback and calls its hooks with the wrapper as
  // `this` (the old class's `#per` could not be read there), handing it no model.
  class OtherCopysCallback {
    validationData = null;
    setParams(_params: unknown) {}
    setModel(_model: unknown) {}
  }
  const other = { Callback: OtherCopysCallback };
  const schedule = step({ baseLr: 0.02, stepSize: 3, gamma: 0.5 });
  const expected = Array.from({ length: 8 }, (_, t) => schedule(t));

  // alone (tfjs wraps every callback of a list it does not recognise the first of, so the
  // rates are recorded by onRate, not by a CustomCallback beside it)
  const alone = async (options: Partial<ScheduleCallbackOptions>) => {
    const rates: number[] = [];
    const model = makeModel();
    const callback = scheduleCallback(other, {
      per: "batch",
      schedule,
      onRate: (rate) => void rates.push(rate),
      ...options,
      ...(options.optimizer === null ? { optimizer: undefined } : { optimizer: model.optimizer }),
    });
    assert.ok(!(callback instanceof tf.Callback));
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(ys);
    try {
      await model.fit(x, y, {
        batchSize: 2,
        epochs: 2,
        shuffle: false,
        verbose: 0,
        callbacks: [callback] as never,
      });
    } finally {
      x.dispose();
      y.dispose();
    }
    return rates;
  };
  assert.deepEqual(await alone({}), expected);
  await assert.rejects(() => alone({ optimizer: null as never }), /no optimizer: pass `optimizer`/);

  // after a callback tfjs does recognise, it is called as it is, and handed the model
  const rates: number[] = [];
  const after = scheduleCallback(other, {
    per: "batch",
    schedule,
    onRate: (rate) => void rates.push(rate),
  });
  const model = makeModel();
  await fit(model, after, 2, { first: false });
  assert.deepEqual(rates, expected);
  assert.equal(getLearningRate(model.optimizer), schedule(7));
});

Deno.test("tfjs: mixed with tfjs's own callbacks, first or last", async () => {
  const schedule = step({ baseLr: 0.02, stepSize: 3, gamma: 0.5 });
  const model = makeModel();
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys);
  const stop = tf.callbacks.earlyStopping({ monitor: "loss", patience: 100 });
  const history = await model.fit(x, y, {
    batchSize: 2,
    epochs: 2,
    shuffle: false,
    verbose: 0,
    callbacks: [callbackOf({ per: "epoch", schedule }), stop],
  });
  assert.equal(history.epoch.length, 2);
  assert.equal(getLearningRate(model.optimizer), schedule(1));
  x.dispose();
  y.dispose();
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
  const make = (o: Record<string, unknown>) => scheduleCallback(tf, o as never);
  const base = { per: "batch", schedule: constant({ baseLr: 0.1 }) };
  const cb = "scheduleCallback";
  probeOption(cb, make, base, "per", [T, T, T, T, T, T, R]);
  probeOption(cb, make, base, "schedule", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "monitor", [T, T, T, T, T, T, "ok"]);
  probeOption(cb, make, base, "optimizer", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "onRate", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "resume", [T, T, T, T, T, T, T]);
  probeOption(cb, make, base, "hyperparameters", [T, T, T, T, T, T, T]);
  const plateauBase = { per: "epoch", plateau: plateau({ baseLr: 0.1 }) };
  probeOption(cb, make, plateauBase, "plateau", [T, T, T, T, T, T, T]);
  const both = { ...base, plateau: plateau({ baseLr: 0.1 }) };
  probeOption(cb, make, both, "plateauFrom", [R, R, R, R, "ok", R, T]);
  optimizer.dispose();
});
