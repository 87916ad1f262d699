/**
 * Schedules for TensorFlow.js: set the learning rate (and the momentum, or
 * any other hyperparameter an optimizer reads) of any tfjs optimizer, drive
 * them from `model.fit` per batch or per epoch, and save and resume the
 * position as a small JSON record.
 *
 * This module imports nothing from tfjs. The callback is made with the tfjs
 * you hand it (`scheduleCallback(tf, options)`), so it is a `tf.Callback` of
 * the very copy your model trains with, even where an app (or a bundler)
 * loads a second copy; the optimizers are reached through the fields and
 * methods they have, whichever copy made them. Tested with tfjs 4.22.
 *
 * How tfjs 4.x optimizers hold what they use (read from
 * `tfjs-core/dist/optimizers/*.js`):
 *
 * - `SGDOptimizer` and `MomentumOptimizer` (a subclass) multiply by a cached
 *   scalar tensor `c = -learningRate`, built by `setLearningRate`; writing
 *   the `learningRate` field alone would change nothing. `MomentumOptimizer`
 *   also caches its momentum, as the tensor `m`, and its `setMomentum` only
 *   writes the field: the update goes on using the old momentum.
 *   {@linkcode setHyperparameter} replaces `m` too.
 * - `AdamOptimizer`, `AdamaxOptimizer`, `RMSPropOptimizer`,
 *   `AdagradOptimizer` and `AdadeltaOptimizer` read their number fields
 *   (`learningRate`, `beta1`, `beta2`, `epsilon`, `decay`, `momentum`, `rho`)
 *   at every `applyGradients`. (Adamax additionally divides the rate by
 *   `1 + decay * iterations`, its own decay, which stays on top of ours; use
 *   `decay = 0` with a schedule. Adam and Adamax correct their bias with the
 *   running product of the `beta1` they used, where PyTorch raises the
 *   current `beta1` to the step count: the two agree while `beta1` is fixed.)
 *
 * {@linkcode setLearningRate} and {@linkcode setHyperparameter} write
 * wherever the next update reads, so it uses the new value in every case;
 * the tests check each optimizer's weight change.
 *
 * @module
 */

import { checkNumber, checkOptionNames, checkStep, type NumberRule, quote } from "./validate.ts";
import { nearest } from "./nearest.ts";
import { type PlateauState, restorePlateau, updatePlateau } from "./plateau.ts";
import type { Schedule } from "./types.ts";

/** The parts of a tfjs optimizer this module reads and writes (protected in tfjs's typings). */
interface OptimizerFields {
  learningRate?: unknown;
  setLearningRate?: unknown;
  m?: unknown;
  [field: string]: unknown;
}

function optimizerName(optimizer: unknown): string {
  const ctor = (optimizer as { constructor?: { name?: string } } | null)?.constructor;
  return ctor?.name ?? typeof optimizer;
}

function fieldsOf(name: string, optimizer: unknown): OptimizerFields {
  if (typeof optimizer !== "object" || optimizer === null) {
    throw new TypeError(`${name}: optimizer (${quote(optimizer)}) is not an optimizer`);
  }
  return optimizer as OptimizerFields;
}

/**
 * The learning rate a tfjs optimizer will use for its next update.
 *
 * @param optimizer Any tfjs optimizer with a learning rate.
 * @returns Its current rate.
 * @throws {TypeError} When the optimizer has no numeric learning rate.
 *
 * @example Reading a rate
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { getLearningRate } from "./tfjs.ts";
 * assert.equal(getLearningRate(tf.train.adam(0.003)), 0.003);
 * ```
 */
export function getLearningRate(optimizer: object): number {
  const rate = fieldsOf("getLearningRate", optimizer).learningRate;
  if (typeof rate !== "number") {
    throw new TypeError(
      `getLearningRate: optimizer (${optimizerName(optimizer)}) has no numeric learningRate`,
    );
  }
  return rate;
}

/**
 * Set the learning rate of any tfjs optimizer (SGD, momentum, Adam, Adamax,
 * RMSProp, Adagrad, Adadelta) so that its next update uses it: through
 * `setLearningRate` where the optimizer caches the rate in a tensor (SGD,
 * momentum), through its `learningRate` field where it reads that at each
 * update (the others).
 *
 * @param optimizer The optimizer to change.
 * @param lr The new rate; a finite number >= 0.
 * @throws {TypeError} When `lr` is not a number, or the optimizer has no
 *   learning rate to set.
 * @throws {RangeError} When `lr` is NaN, infinite or negative.
 *
 * @example Momentum caches its rate in a tensor; this updates it
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { setLearningRate } from "./tfjs.ts";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.scalar(1));
 * const opt = tf.train.momentum(0.1, 0.9);
 * setLearningRate(opt, 0.5);
 * opt.applyGradients([{ name: w.name, tensor: tf.scalar(1) }]); // first step: w -= lr * g
 * assert.ok(Math.abs(w.dataSync()[0] - 0.5) < 1e-6);
 * ```
 */
export function setLearningRate(optimizer: object, lr: number): void {
  checkNumber("setLearningRate", "lr", lr, { min: 0 });
  const fields = fieldsOf("setLearningRate", optimizer);
  if (typeof fields.setLearningRate === "function") {
    // SGD and momentum: rebuilds the cached `-lr` scalar the update multiplies by.
    (fields.setLearningRate as (rate: number) => void).call(fields, lr);
  } else if (typeof fields.learningRate === "number") {
    // Adam, Adamax, RMSProp, Adagrad, Adadelta: the field is read at every update.
    fields.learningRate = lr;
  } else {
    throw new TypeError(
      `setLearningRate: optimizer (${optimizerName(optimizer)}) has no learning rate to set`,
    );
  }
}

/** The hyperparameters besides the rate that tfjs optimizers read at every update, and their domains. */
const HYPERPARAMETERS: Readonly<Record<string, NumberRule>> = {
  momentum: { min: 0, max: 1 }, // MomentumOptimizer, RMSPropOptimizer
  beta1: { min: 0, below: 1 }, // AdamOptimizer, AdamaxOptimizer
  beta2: { min: 0, below: 1 }, // AdamOptimizer, AdamaxOptimizer
  epsilon: { above: 0 }, // Adam, Adamax, RMSProp, Adadelta
  decay: { min: 0 }, // RMSPropOptimizer (its rho), AdamaxOptimizer (a rate decay)
  rho: { min: 0, max: 1 }, // AdadeltaOptimizer
};

/** The names {@linkcode setHyperparameter} takes: tfjs's own field names. */
export type Hyperparameter = "momentum" | "beta1" | "beta2" | "epsilon" | "decay" | "rho";

/** The hyperparameter names, in the order messages list them. */
const NAMES = Object.keys(HYPERPARAMETERS) as Hyperparameter[];

function hyperparameterOf(name: string, which: unknown): Hyperparameter {
  if (typeof which !== "string" || !Object.hasOwn(HYPERPARAMETERS, which)) {
    const hint = typeof which === "string" ? nearest(which, NAMES) : undefined;
    const suggestion = hint === undefined ? "" : ` (did you mean "${hint}"?)`;
    throw new TypeError(
      `${name}: hyperparameter ${quote(which)}${suggestion} is not one of ${NAMES.join(", ")}`,
    );
  }
  return which as Hyperparameter;
}

function heldBy(name: string, fields: OptimizerFields, which: Hyperparameter): void {
  if (typeof fields[which] === "number") return;
  const has = NAMES.filter((n) => typeof fields[n] === "number");
  const adam = which === "momentum" && typeof fields.beta1 === "number"
    ? "; its beta1 plays that part (PyTorch's OneCycleLR cycles Adam's beta1)"
    : "";
  throw new TypeError(
    `${name}: optimizer (${optimizerName(fields)}) has no ${which} (it has ${
      has.join(", ") || "none of them"
    })${adam}`,
  );
}

/**
 * A hyperparameter of a tfjs optimizer, as its next update will use it.
 *
 * @param optimizer Any tfjs optimizer.
 * @param which One of `momentum`, `beta1`, `beta2`, `epsilon`, `decay`, `rho`.
 * @returns Its value.
 * @throws {TypeError} For an unknown name, or one the optimizer does not have.
 *
 * @example Reading a momentum
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { getHyperparameter } from "./tfjs.ts";
 * assert.equal(getHyperparameter(tf.train.momentum(0.1, 0.9), "momentum"), 0.9);
 * assert.equal(getHyperparameter(tf.train.adam(0.1, 0.8), "beta1"), 0.8);
 * ```
 */
export function getHyperparameter(optimizer: object, which: Hyperparameter): number {
  const name = "getHyperparameter";
  const fields = fieldsOf(name, optimizer);
  const key = hyperparameterOf(name, which);
  heldBy(name, fields, key);
  return fields[key] as number;
}

/**
 * Set a hyperparameter of a tfjs optimizer so that its next update uses it:
 * the momentum of `tf.train.momentum` (whose update reads a cached tensor,
 * which this replaces: tfjs's own `setMomentum` leaves it) and of
 * `tf.train.rmsprop`; `beta1` and `beta2` of Adam and Adamax (`beta1` is
 * what PyTorch's OneCycleLR cycles as Adam's momentum); `epsilon`; `decay`
 * (RMSProp's rho, Adamax's rate decay); Adadelta's `rho`. Together with
 * {@linkcode setLearningRate} this is optax's `inject_hyperparams`: any of
 * them can follow a schedule ({@linkcode ScheduleCallbackOptions.hyperparameters}).
 * tfjs's optimizers have no weight decay to schedule.
 *
 * @param optimizer The optimizer to change.
 * @param which One of `momentum`, `beta1`, `beta2`, `epsilon`, `decay`, `rho`.
 * @param value The new value: momentum and rho in [0, 1], the betas in
 *   [0, 1), epsilon > 0, decay >= 0.
 * @throws {TypeError} For an unknown name, one the optimizer does not have,
 *   or a value that is not a number.
 * @throws {RangeError} For a value outside the hyperparameter's domain.
 *
 * @example A new momentum is the one the next update uses
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { setHyperparameter } from "./tfjs.ts";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.scalar(0));
 * const opt = tf.train.momentum(1, 0.9);
 * const step = () => opt.applyGradients([{ name: w.name, tensor: tf.scalar(1) }]);
 * step(); // accumulation 1, w = -1
 * setHyperparameter(opt, "momentum", 0.5);
 * step(); // accumulation 0.5 * 1 + 1 = 1.5, w = -2.5
 * assert.equal(w.dataSync()[0], -2.5);
 * ```
 */
export function setHyperparameter(optimizer: object, which: Hyperparameter, value: number): void {
  const name = "setHyperparameter";
  const fields = fieldsOf(name, optimizer);
  const key = hyperparameterOf(name, which);
  checkNumber(name, key, value, HYPERPARAMETERS[key]);
  heldBy(name, fields, key);
  fields[key] = value;
  if (key === "momentum" && isTensor(fields.m)) {
    // MomentumOptimizer multiplies by the scalar tensor `m`, made once from the field.
    const next = scalarOf(fields, value);
    fields.m.dispose();
    fields.m = next;
  }
}

interface TensorLike {
  dispose(): void;
  dataSync(): ArrayLike<number>;
}

function isTensor(value: unknown): value is TensorLike {
  return typeof value === "object" && value !== null &&
    typeof (value as TensorLike).dispose === "function" &&
    typeof (value as TensorLike).dataSync === "function";
}

/**
 * A kept scalar tensor holding `value`, made by the optimizer's own tfjs (this
 * module has no tfjs of its own): `MomentumOptimizer` inherits SGD's
 * `setLearningRate`, which builds `keep(scalar(-rate))`; called on a
 * scratch object with `-value`, it builds `keep(scalar(value))`.
 */
function scalarOf(fields: OptimizerFields, value: number): TensorLike {
  const scratch: OptimizerFields = { c: null, learningRate: 0 };
  if (typeof fields.setLearningRate === "function") {
    (fields.setLearningRate as (rate: number) => void).call(scratch, -value);
  }
  if (!isTensor(scratch.c) || scratch.c.dataSync()[0] !== Math.fround(value)) {
    throw new Error(
      `setHyperparameter: cannot make the momentum tensor of optimizer (${
        optimizerName(fields)
      }): its setLearningRate no longer builds one`,
    );
  }
  return scratch.c;
}

/** When a {@linkcode ScheduleCallback} moves its schedules on. */
export type Per = "batch" | "epoch";

/**
 * The position of a {@linkcode ScheduleCallback}, as plain JSON: save it
 * with `JSON.stringify`, pass it back as `resume` to continue the same
 * sequence. The schedules themselves (functions) are not saved: resume with
 * the same ones; `nextRate` lets the callback check that you did.
 */
export interface ScheduleCallbackState {
  /** Marks the record's kind, for readers of saved JSON. */
  readonly kind: "scheduleCallback";
  /** The format's version. */
  readonly version: 1;
  /** Whether `step` counts batches or epochs. */
  readonly per: Per;
  /** Completed batches (or epochs) so far; the next one runs at step `step`. */
  readonly step: number;
  /** The reduce-on-plateau state, for a callback with a plateau; `null` otherwise. */
  readonly plateau: PlateauState | null;
  /** The rate the next batch (or epoch) will use. */
  readonly nextRate: number;
}

/**
 * Options of {@linkcode scheduleCallback}: a `schedule`, a `plateau`, or
 * both with `plateauFrom` (the schedule first, then the plateau).
 */
export interface ScheduleCallbackOptions {
  /** Whether the values change before every batch or before every epoch. */
  per: Per;
  /** The learning-rate schedule; batch (or epoch) `t` of the run, from 0, uses `schedule(t)`. */
  schedule?: Schedule;
  /**
   * A reduce-on-plateau state (`plateau({ ... })`), fed `logs[monitor]` at
   * the end of each batch (or epoch) it is in charge of: instead of
   * `schedule`, or after it, from step `plateauFrom` on.
   */
  plateau?: PlateauState;
  /**
   * With both `schedule` and `plateau`: the first step the plateau is in
   * charge of (a warmup of `plateauFrom` steps, then the plateau from its own
   * `baseLr`); an integer >= 0.
   */
  plateauFrom?: number;
  /**
   * Other hyperparameters to schedule, by tfjs's name (see
   * {@linkcode setHyperparameter}): `{ momentum: onecycleMomentum(options) }`
   * for SGD with momentum, `{ beta1: ... }` for Adam. Each is set, like the
   * rate, before every batch (or epoch), from the same step.
   */
  hyperparameters?: Readonly<Partial<Record<Hyperparameter, Schedule>>>;
  /** The log entry a plateau watches. Default `"val_loss"` (`"loss"` when `per` is `"batch"`). */
  monitor?: string;
  /** The optimizer to drive. Default: the optimizer of the model being fitted. */
  optimizer?: object;
  /** A saved {@linkcode ScheduleCallbackState} to continue from. */
  resume?: ScheduleCallbackState;
  /** Called with each rate as it is set, and the step it belongs to. */
  onRate?: (rate: number, step: number) => void;
}

/** The tfjs a callback is made with: anything with tfjs's `Callback` class, such as `import * as tf from "@tensorflow/tfjs"`. */
export interface Tfjs<C extends object> {
  /** tfjs's `tf.Callback`, the base class `model.fit` recognises. */
  readonly Callback: abstract new () => C;
}

/** The logs tfjs hands a callback: numbers, or scalar tensors not yet read. */
export type Logs = Readonly<Record<string, unknown>>;

/**
 * What {@linkcode scheduleCallback} adds to a `tf.Callback`: the hooks
 * `model.fit` calls, and the callback's own position.
 */
export interface ScheduleCallback {
  /**
   * The rate the next batch (or epoch) will use.
   *
   * @returns `schedule(step)`, or the plateau state's rate.
   */
  rate(): number;
  /**
   * The callback's position, as plain JSON.
   *
   * @returns A {@linkcode ScheduleCallbackState}; pass it as `resume` to continue.
   */
  state(): ScheduleCallbackState;
  /** Takes the model whose optimizer to drive (tfjs calls it). */
  setModel(model: unknown): void;
  /** Takes `fit`'s parameters: its batches per epoch, for `initialEpoch` (tfjs calls it). */
  setParams(params: unknown): void;
  /** Marks the start of a `fit` (tfjs calls it). */
  onTrainBegin(logs?: Logs): Promise<void>;
  /** Aligns the count with `fit`'s epoch (its `initialEpoch`), and sets the epoch's values (`per: "epoch"`). */
  onEpochBegin(epoch: number, logs?: Logs): Promise<void>;
  /** Sets the batch's values (`per: "batch"`). */
  onBatchBegin(batch: number, logs?: Logs): Promise<void>;
  /** Counts the batch, feeding the plateau if it is in charge (`per: "batch"`). */
  onBatchEnd(batch: number, logs?: Logs): Promise<void>;
  /** Counts the epoch, feeding the plateau if it is in charge (`per: "epoch"`). */
  onEpochEnd(epoch: number, logs?: Logs): Promise<void>;
  /** Does nothing. */
  onTrainEnd(logs?: Logs): Promise<void>;
}

const CLASSES = new WeakMap<object, new (core: Core) => object>();

/**
 * A `model.fit` callback that sets the optimizer's learning rate (and any
 * other hyperparameters) from schedules, or from a reduce-on-plateau state,
 * before every batch or every epoch.
 *
 * With `per: "batch"`, batch `t` of the run (counted across epochs, from 0)
 * uses `schedule(t)`; with `per: "epoch"`, every batch of epoch `t` uses
 * `schedule(t)`. The count follows `fit`'s: a `fit` with `initialEpoch: k`
 * starts at step `k` (`k` times the batches per epoch, per batch), as
 * Keras's callbacks do; a `fit` from epoch 0 goes on from where the callback
 * is (a fresh one, or one passed `resume`). A plateau feeds `logs[monitor]`
 * to {@linkcode updatePlateau} at the end of each batch (or epoch) it is in
 * charge of; with `schedule` and `plateauFrom`, the schedule runs steps
 * `0 .. plateauFrom - 1` (a warmup, say) and the plateau the rest.
 * `state()` gives a JSON record; passing it back as `resume` continues the
 * exact same sequence of rates.
 *
 * The callback is an instance of the `tf.Callback` you hand in, so pass the
 * tfjs your model is built with. Should tfjs not recognise it (a model from
 * another copy of tfjs), it wraps it and calls its hooks all the same, but
 * hands it neither the model nor `fit`'s parameters: pass `optimizer` then.
 *
 * @param tf Your tfjs (`import * as tf from "@tensorflow/tfjs"`), or anything with its `Callback`.
 * @param options `{ per, schedule, plateau, plateauFrom, hyperparameters, monitor, optimizer, resume, onRate }`.
 * @returns The callback, for `model.fit(x, y, { callbacks: [callback] })`.
 * @throws {TypeError} For a `tf` without `Callback`, unknown or wrongly typed
 *   options, neither `schedule` nor `plateau`, both without `plateauFrom`,
 *   an unknown hyperparameter, or a malformed `resume`.
 * @throws {RangeError} For a bad `per` or `plateauFrom`, or a `resume` state
 *   that does not belong to this callback (another unit, rate or plateau);
 *   and, while fitting, when a schedule gives a value outside its domain or
 *   `fit`'s `initialEpoch` disagrees with a resumed position.
 *
 * @example Cosine per batch in model.fit
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { cosine } from "./cosine.ts";
 * import { scheduleCallback } from "./tfjs.ts";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(1), loss: "meanSquaredError" });
 * const rates: number[] = [];
 * const callback = scheduleCallback(tf, {
 *   per: "batch",
 *   schedule: cosine({ baseLr: 0.1, maxUpdate: 4 }),
 *   onRate: (rate) => rates.push(rate),
 * });
 * const x = tf.tensor2d([[1], [2], [3], [4]]);
 * await model.fit(x, x, { batchSize: 2, epochs: 2, verbose: 0, callbacks: [callback] });
 * assert.equal(rates.length, 4);
 * assert.equal(rates[0], 0.1);
 * assert.equal(callback.state().step, 4);
 * assert.ok(callback instanceof tf.Callback);
 * ```
 *
 * @example One-cycle with its momentum, as PyTorch's OneCycleLR
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { onecycle, onecycleMomentum } from "./onecycle.ts";
 * import { getHyperparameter, scheduleCallback } from "./tfjs.ts";
 * await tf.setBackend("cpu");
 * const options = { maxLr: 0.1, totalSteps: 8 };
 * const optimizer = tf.train.momentum(0.1, 0.9);
 * const callback = scheduleCallback(tf, {
 *   per: "batch",
 *   schedule: onecycle(options),
 *   hyperparameters: { momentum: onecycleMomentum(options) },
 *   optimizer,
 * });
 * await callback.onBatchBegin(0);
 * assert.equal(getHyperparameter(optimizer, "momentum"), 0.95);
 * ```
 */
export function scheduleCallback<C extends object>(
  tf: Tfjs<C>,
  options: ScheduleCallbackOptions,
): C & ScheduleCallback {
  const name = "scheduleCallback";
  const Base = (tf as { Callback?: unknown } | null)?.Callback;
  if (typeof Base !== "function") {
    throw new TypeError(
      `${name}: tf (${quote(tf)}) must be your TensorFlow.js, with its Callback class ` +
        `(import * as tf from "@tensorflow/tfjs")`,
    );
  }
  const core = makeCore(name, options);
  let Class = CLASSES.get(Base);
  if (Class === undefined) {
    Class = callbackClass(Base as abstract new () => object);
    CLASSES.set(Base, Class);
  }
  return new Class(core) as C & ScheduleCallback;
}

/** The callback's settings and position, shared by its hooks (which never rely on `this`). */
interface Core {
  per: Per;
  schedule: Schedule | null;
  plateau: PlateauState | null;
  plateauFrom: number;
  hyperparameters: readonly [Hyperparameter, Schedule][];
  monitor: string;
  optimizer: object | null;
  onRate: ((rate: number, step: number) => void) | null;
  step: number;
  resumed: boolean;
  model: unknown;
  params: unknown;
  fitBegins: boolean;
  checked: object | null;
}

function makeCore(name: string, options: ScheduleCallbackOptions): Core {
  const o = checkOptionNames(name, options, [
    "per",
    "schedule",
    "plateau",
    "plateauFrom",
    "hyperparameters",
    "monitor",
    "optimizer",
    "resume",
    "onRate",
  ]);
  const per = o.per;
  if (per === undefined) throw new TypeError(`${name}: per is required`);
  if (typeof per !== "string") {
    throw new TypeError(`${name}: per (${quote(per)}) must be one of "batch", "epoch"`);
  }
  if (per !== "batch" && per !== "epoch") {
    throw new RangeError(`${name}: per (${quote(per)}) must be one of "batch", "epoch"`);
  }
  const schedule = o.schedule;
  const plateauGiven = o.plateau;
  if (schedule === undefined && plateauGiven === undefined) {
    throw new TypeError(`${name}: give a schedule, a plateau, or both (with plateauFrom)`);
  }
  if (schedule !== undefined && typeof schedule !== "function") {
    throw new TypeError(`${name}: schedule (${quote(schedule)}) must be a schedule function`);
  }
  const plateau = plateauGiven === undefined
    ? null
    : restorePlateau(plateauGiven, `${name}: plateau`);
  let plateauFrom = schedule === undefined ? 0 : Infinity;
  if (schedule !== undefined && plateau !== null) {
    if (o.plateauFrom === undefined) {
      throw new TypeError(
        `${name}: with both schedule and plateau, plateauFrom (the step the plateau takes ` +
          `over) is required`,
      );
    }
    plateauFrom = checkNumber(name, "plateauFrom", o.plateauFrom, { integer: true, min: 0 });
  } else if (o.plateauFrom !== undefined) {
    throw new TypeError(
      `${name}: plateauFrom (${quote(o.plateauFrom)}) needs both schedule and plateau`,
    );
  }
  const monitor = o.monitor ?? (per === "batch" ? "loss" : "val_loss");
  if (typeof monitor !== "string") {
    throw new TypeError(`${name}: monitor (${quote(monitor)}) must be a log name`);
  }
  const optimizer = o.optimizer;
  if (optimizer !== undefined && (typeof optimizer !== "object" || optimizer === null)) {
    throw new TypeError(`${name}: optimizer (${quote(optimizer)}) must be a tfjs optimizer`);
  }
  const onRate = o.onRate;
  if (onRate !== undefined && typeof onRate !== "function") {
    throw new TypeError(`${name}: onRate (${quote(onRate)}) must be a function`);
  }
  const core: Core = {
    per,
    schedule: (schedule as Schedule | undefined) ?? null,
    plateau,
    plateauFrom,
    hyperparameters: readHyperparameters(name, o.hyperparameters),
    monitor,
    optimizer: (optimizer as object | undefined) ?? null,
    onRate: (onRate as Core["onRate"] | undefined) ?? null,
    step: 0,
    resumed: false,
    model: null,
    params: null,
    fitBegins: false,
    checked: null,
  };
  if (o.resume !== undefined) resume(core, o.resume);
  return core;
}

function readHyperparameters(name: string, value: unknown): Core["hyperparameters"] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${name}: hyperparameters (${quote(value)}) must be an object of schedules by name`,
    );
  }
  return Object.entries(value).map(([key, schedule]) => {
    const which = hyperparameterOf(`${name}: hyperparameters`, key);
    if (typeof schedule !== "function") {
      throw new TypeError(
        `${name}: hyperparameters.${which} (${quote(schedule)}) must be a schedule function`,
      );
    }
    return [which, schedule as Schedule];
  });
}

function plateauInCharge(core: Core, step: number): boolean {
  return core.plateau !== null && step >= core.plateauFrom;
}

function rateAt(core: Core, step: number): number {
  if (plateauInCharge(core, step)) return core.plateau!.lr;
  const rate = core.schedule!(step);
  return checkNumber("scheduleCallback", `schedule(${step})`, rate, { min: 0 });
}

function resume(core: Core, saved: unknown): void {
  const name = "scheduleCallback: resume";
  const r = checkOptionNames(name, saved, [
    "kind",
    "version",
    "per",
    "step",
    "plateau",
    "nextRate",
  ]);
  if (r.kind !== "scheduleCallback" || r.version !== 1) {
    throw new TypeError(
      `${name}: kind (${quote(r.kind)}) and version (${
        quote(r.version)
      }) must be "scheduleCallback" and 1`,
    );
  }
  if (r.per !== core.per) {
    throw new RangeError(`${name}: per (${quote(r.per)}) must match per ("${core.per}")`);
  }
  const step = checkNumber(name, "step", r.step, { integer: true, min: 0 });
  const nextRate = checkNumber(name, "nextRate", r.nextRate, { min: 0 });
  if (core.plateau !== null) {
    if (r.plateau === null || r.plateau === undefined) {
      throw new RangeError(`${name}: the saved state has no plateau state`);
    }
    const restored = restorePlateau(r.plateau, `${name}: plateau`);
    if (JSON.stringify(restored.config) !== JSON.stringify(core.plateau.config)) {
      throw new RangeError(`${name}: the saved plateau configuration differs from this one`);
    }
    core.plateau = restored;
  } else if (r.plateau !== null) {
    throw new RangeError(`${name}: the saved state is a plateau state, this is a schedule`);
  }
  const rate = rateAt(core, checkStep(name, step));
  if (Math.abs(rate - nextRate) > 1e-12 * Math.max(Math.abs(rate), 1e-300)) {
    throw new RangeError(
      `${name}: nextRate (${nextRate}) differs from this callback's rate at step ${step} ` +
        `(${rate}): was the state saved with another schedule?`,
    );
  }
  core.step = step;
  core.resumed = true;
}

function state(core: Core): ScheduleCallbackState {
  return {
    kind: "scheduleCallback",
    version: 1,
    per: core.per,
    step: core.step,
    plateau: core.plateau,
    nextRate: rateAt(core, core.step),
  };
}

function target(core: Core): object {
  const optimizer = core.optimizer ??
    (core.model as { optimizer?: object } | null)?.optimizer ?? null;
  if (optimizer === null) {
    throw new Error(
      "scheduleCallback: no optimizer: pass `optimizer`, or use the callback in model.fit " +
        "after model.compile (a model of another copy of tfjs than the one the callback was " +
        "made with does not hand the callback its optimizer: pass `optimizer` then)",
    );
  }
  if (core.checked !== optimizer) {
    fieldsOf("scheduleCallback", optimizer);
    for (const [which] of core.hyperparameters) {
      heldBy("scheduleCallback: hyperparameters", optimizer as OptimizerFields, which);
    }
    core.checked = optimizer;
  }
  return optimizer;
}

function apply(core: Core): void {
  const optimizer = target(core);
  const t = core.step;
  const rate = rateAt(core, t);
  setLearningRate(optimizer, rate);
  for (const [which, schedule] of core.hyperparameters) {
    const value = schedule(t);
    checkNumber(
      "scheduleCallback",
      `hyperparameters.${which}(${t})`,
      value,
      HYPERPARAMETERS[which],
    );
    setHyperparameter(optimizer, which, value);
  }
  core.onRate?.(rate, t);
}

async function readMetric(core: Core, logs: Logs | undefined): Promise<number> {
  const value = logs?.[core.monitor];
  if (value === undefined) {
    const available = Object.keys(logs ?? {}).join(", ") || "none";
    throw new Error(
      `scheduleCallback: monitor "${core.monitor}" is not in the logs (available: ${available})`,
    );
  }
  if (typeof value === "number") return value;
  const data = (value as { data?: () => Promise<ArrayLike<number>> }).data;
  if (typeof data !== "function") {
    throw new TypeError(
      `scheduleCallback: logs.${core.monitor} (${quote(value)}) is neither a number nor a scalar`,
    );
  }
  return (await data.call(value))[0];
}

async function advance(core: Core, logs: Logs | undefined): Promise<void> {
  if (plateauInCharge(core, core.step)) {
    core.plateau = updatePlateau(core.plateau!, await readMetric(core, logs));
  }
  core.step += 1;
}

/** Batches per epoch, from `fit`'s parameters; `null` when they do not say. */
function batchesPerEpoch(params: unknown): number | null {
  const p = (params ?? {}) as { steps?: unknown; samples?: unknown; batchSize?: unknown };
  if (typeof p.steps === "number" && p.steps > 0) return p.steps;
  if (typeof p.samples === "number" && typeof p.batchSize === "number" && p.batchSize > 0) {
    return Math.ceil(p.samples / p.batchSize);
  }
  return null;
}

/** At the first epoch of a `fit`: follow its `initialEpoch`. */
function align(core: Core, epoch: number): void {
  if (!(epoch > 0)) return; // a fit from epoch 0 goes on from where the callback is
  const name = "scheduleCallback";
  let expected = epoch;
  if (core.per === "batch") {
    const batches = batchesPerEpoch(core.params);
    if (batches === null) {
      if (core.resumed || core.step > 0) return; // the count says where it is
      throw new Error(
        `${name}: fit starts at epoch ${epoch} (its initialEpoch), and the callback cannot ` +
          `tell how many batches an epoch has (tfjs did not hand it fit's parameters): ` +
          `pass resume`,
      );
    }
    expected = epoch * batches;
  }
  if (core.step === expected) return;
  if (core.step === 0 && !core.resumed) {
    core.step = expected;
    return;
  }
  throw new RangeError(
    `${name}: fit's initialEpoch (${epoch}) is step ${expected} of this ${core.per} count, ` +
      `but the callback is at step ${core.step}`,
  );
}

/** Run `work` and report how it went as a promise, as tfjs awaits a hook: its error a rejection. */
function settle(work: () => void): Promise<void> {
  try {
    work();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

function callbackClass(Base: abstract new () => object): new (core: Core) => object {
  // Every hook is an own function over `core`, so it works whatever `this` is: tfjs calls
  // the hooks of a callback it does not recognise (one of another copy of tfjs) through a
  // wrapper of its own, with the wrapper as `this`.
  class ScheduleCallbackImpl extends (Base as abstract new () => object)
    implements ScheduleCallback {
    readonly rate: () => number;
    readonly state: () => ScheduleCallbackState;
    readonly setModel: (model: unknown) => void;
    readonly setParams: (params: unknown) => void;
    readonly onTrainBegin: (logs?: Logs) => Promise<void>;
    readonly onEpochBegin: (epoch: number, logs?: Logs) => Promise<void>;
    readonly onBatchBegin: (batch: number, logs?: Logs) => Promise<void>;
    readonly onBatchEnd: (batch: number, logs?: Logs) => Promise<void>;
    readonly onEpochEnd: (epoch: number, logs?: Logs) => Promise<void>;
    readonly onTrainEnd: (logs?: Logs) => Promise<void>;
    constructor(core: Core) {
      super();
      this.rate = () => rateAt(core, core.step);
      this.state = () => state(core);
      this.setModel = (model) => {
        core.model = model;
        (this as { model?: unknown }).model = model; // as tf.Callback keeps it
      };
      this.setParams = (params) => {
        core.params = params;
        (this as { params?: unknown }).params = params;
      };
      this.onTrainBegin = () =>
        settle(() => {
          core.fitBegins = true;
        });
      this.onEpochBegin = (epoch) =>
        settle(() => {
          if (core.fitBegins) {
            core.fitBegins = false;
            align(core, epoch);
          }
          if (core.per === "epoch") apply(core);
        });
      this.onBatchBegin = () =>
        settle(() => {
          if (core.per === "batch") apply(core);
        });
      this.onBatchEnd = async (_batch, logs) => {
        if (core.per === "batch") await advance(core, logs);
      };
      this.onEpochEnd = async (_epoch, logs) => {
        if (core.per === "epoch") await advance(core, logs);
      };
      this.onTrainEnd = () => Promise.resolve();
    }
  }
  return ScheduleCallbackImpl;
}
