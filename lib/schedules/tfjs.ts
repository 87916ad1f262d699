/**
 * Schedules for TensorFlow.js: set the rate of any tfjs optimizer, drive it
 * from `model.fit` per batch or per epoch, and save/resume the schedule's
 * position as a small JSON record.
 *
 * How tfjs 4.x optimizers hold their rate (read from
 * `tfjs-core/dist/optimizers/*.js`):
 *
 * - `SGDOptimizer` and `MomentumOptimizer` (a subclass) multiply by a cached
 *   scalar tensor `c = -learningRate`, built by `setLearningRate`; writing
 *   the `learningRate` field alone would change nothing. `setLearningRate`
 *   disposes the old tensor and keeps the new one.
 * - `AdamOptimizer`, `AdamaxOptimizer`, `RMSPropOptimizer`,
 *   `AdagradOptimizer` and `AdadeltaOptimizer` read the number field
 *   `learningRate` at every `applyGradients`, and have no setter. (Adamax
 *   additionally divides by `1 + decay * iterations`, its own decay, which
 *   stays on top of ours; use `decay = 0` with a schedule.)
 *
 * {@linkcode setLearningRate} uses the setter where there is one and the field
 * otherwise, so the next update uses the new rate in every case; the tests
 * check each optimizer's weight change.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type PlateauState, restorePlateau, updatePlateau } from "./plateau.ts";
import type { Schedule } from "./types.ts";
import { checkNumber, checkOptionNames, checkStep, quote, readChoice } from "./validate.ts";

/** The parts of a tfjs optimizer that hold its rate (protected in tfjs's typings). */
interface RateHolder {
  learningRate?: unknown;
  setLearningRate?: unknown;
  getConfig?: () => Record<string, unknown>;
}

function optimizerName(optimizer: unknown): string {
  const ctor = (optimizer as { constructor?: { name?: string } } | null)?.constructor;
  return ctor?.name ?? typeof optimizer;
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
export function getLearningRate(optimizer: tf.Optimizer): number {
  const rate = (optimizer as unknown as RateHolder | null)?.learningRate;
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
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  checkNumber("setLearningRate", "lr", lr, { min: 0 });
  const holder = optimizer as unknown as RateHolder | null;
  if (holder === null || typeof holder !== "object") {
    throw new TypeError(`setLearningRate: optimizer (${quote(optimizer)}) is not an optimizer`);
  }
  if (typeof holder.setLearningRate === "function") {
    // SGD and momentum: rebuilds the cached `-lr` scalar the update multiplies by.
    (holder.setLearningRate as (rate: number) => void).call(holder, lr);
  } else if (typeof holder.learningRate === "number") {
    // Adam, Adamax, RMSProp, Adagrad, Adadelta: the field is read at every update.
    holder.learningRate = lr;
  } else {
    throw new TypeError(
      `setLearningRate: optimizer (${optimizerName(optimizer)}) has no learning rate to set`,
    );
  }
}

/** When a {@linkcode LearningRateCallback} moves its schedule on. */
export type Per = "batch" | "epoch";

/**
 * The position of a {@linkcode LearningRateCallback}, as plain JSON: save it
 * with `JSON.stringify`, pass it back as `resume` to continue the same
 * sequence. The schedule itself (a function) is not saved: resume with the
 * same one; `nextRate` lets the callback check that you did.
 */
export interface LearningRateState {
  /** Marks the record's kind, for readers of saved JSON. */
  readonly kind: "learningRateCallback";
  /** The format's version. */
  readonly version: 1;
  /** Whether `step` counts batches or epochs. */
  readonly per: Per;
  /** Completed batches (or epochs) so far; the next one runs at `schedule(step)`. */
  readonly step: number;
  /** The reduce-on-plateau state, for a plateau callback; `null` otherwise. */
  readonly plateau: PlateauState | null;
  /** The rate the next batch (or epoch) will use. */
  readonly nextRate: number;
}

/** Options of {@linkcode LearningRateCallback}: exactly one of `schedule` and `plateau`. */
export interface LearningRateCallbackOptions {
  /** Whether the rate changes before every batch or before every epoch. */
  per: Per;
  /** The schedule; batch (or epoch) `t` of the run, from 0, uses `schedule(t)`. */
  schedule?: Schedule;
  /** Instead of a schedule: an initial reduce-on-plateau state, fed `monitor` at the end of each unit. */
  plateau?: PlateauState;
  /** The log entry a plateau callback watches. Default `"val_loss"` (`"loss"` when `per` is `"batch"`). */
  monitor?: string;
  /** The optimizer to drive. Default: the optimizer of the model being fitted. */
  optimizer?: tf.Optimizer;
  /** A saved {@linkcode LearningRateState} to continue from. */
  resume?: LearningRateState;
  /** Called with each rate as it is set, and the step it belongs to. */
  onRate?: (rate: number, step: number) => void;
}

type LogValue = number | tf.Scalar | undefined;

async function readMetric(logs: Record<string, unknown> | undefined, monitor: string) {
  const value = logs?.[monitor] as LogValue;
  if (value === undefined) {
    const available = Object.keys(logs ?? {}).join(", ") || "none";
    throw new Error(
      `LearningRateCallback: monitor "${monitor}" is not in the logs (available: ${available})`,
    );
  }
  return typeof value === "number" ? value : (await value.data())[0];
}

function sameConfig(a: PlateauState, b: PlateauState): boolean {
  return JSON.stringify(a.config) === JSON.stringify(b.config);
}

/**
 * A `model.fit` callback that sets the optimizer's learning rate from a
 * schedule (or a reduce-on-plateau state) before every batch or every epoch.
 *
 * With `per: "batch"`, batch `t` of the run (counted across epochs, from 0)
 * uses `schedule(t)`; with `per: "epoch"`, every batch of epoch `t` uses
 * `schedule(t)`. A plateau callback starts at the state's rate and feeds
 * `logs[monitor]` to {@linkcode updatePlateau} at the end of each batch (or
 * epoch). {@linkcode LearningRateCallback.state} gives a JSON record;
 * passing it back as `resume` continues the exact same sequence of rates.
 *
 * @example Cosine per batch in model.fit
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { cosine } from "./cosine.ts";
 * import { LearningRateCallback } from "./tfjs.ts";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(1), loss: "meanSquaredError" });
 * const rates: number[] = [];
 * const callback = new LearningRateCallback({
 *   per: "batch",
 *   schedule: cosine({ baseLr: 0.1, maxUpdate: 4 }),
 *   onRate: (rate) => rates.push(rate),
 * });
 * const x = tf.tensor2d([[1], [2], [3], [4]]);
 * await model.fit(x, x, { batchSize: 2, epochs: 2, verbose: 0, callbacks: [callback] });
 * assert.equal(rates.length, 4);
 * assert.equal(rates[0], 0.1);
 * assert.equal(callback.state().step, 4);
 * ```
 */
export class LearningRateCallback extends tf.Callback {
  readonly #per: Per;
  readonly #schedule: Schedule | null;
  readonly #monitor: string;
  readonly #optimizer: tf.Optimizer | null;
  readonly #onRate: ((rate: number, step: number) => void) | null;
  #plateau: PlateauState | null;
  #step: number;

  /**
   * Make the callback.
   *
   * @param options `{ per, schedule | plateau, monitor, optimizer, resume, onRate }`.
   * @throws {TypeError} For unknown or wrongly typed options, both or neither
   *   of `schedule` and `plateau`, or a malformed `resume`.
   * @throws {RangeError} For a bad `per`, or a `resume` state that does not
   *   belong to this schedule (different kind, unit or rate).
   */
  constructor(options: LearningRateCallbackOptions) {
    super();
    const name = "LearningRateCallback";
    const o = checkOptionNames(name, options, [
      "per",
      "schedule",
      "plateau",
      "monitor",
      "optimizer",
      "resume",
      "onRate",
    ]);
    this.#per = readChoice(name, o, "per", ["batch", "epoch"] as const);
    const schedule = o.schedule;
    const plateau = o.plateau;
    if ((schedule === undefined) === (plateau === undefined)) {
      throw new TypeError(`${name}: give exactly one of schedule and plateau`);
    }
    if (schedule !== undefined && typeof schedule !== "function") {
      throw new TypeError(`${name}: schedule (${quote(schedule)}) must be a schedule function`);
    }
    this.#schedule = (schedule as Schedule | undefined) ?? null;
    this.#plateau = plateau === undefined ? null : restorePlateau(plateau, `${name}: plateau`);
    const monitor = o.monitor ?? (this.#per === "batch" ? "loss" : "val_loss");
    if (typeof monitor !== "string") {
      throw new TypeError(`${name}: monitor (${quote(monitor)}) must be a log name`);
    }
    this.#monitor = monitor;
    const optimizer = o.optimizer;
    if (optimizer !== undefined && (typeof optimizer !== "object" || optimizer === null)) {
      throw new TypeError(`${name}: optimizer (${quote(optimizer)}) must be a tfjs optimizer`);
    }
    this.#optimizer = (optimizer as tf.Optimizer | undefined) ?? null;
    const onRate = o.onRate;
    if (onRate !== undefined && typeof onRate !== "function") {
      throw new TypeError(`${name}: onRate (${quote(onRate)}) must be a function`);
    }
    this.#onRate = (onRate as ((rate: number, step: number) => void) | undefined) ?? null;
    this.#step = 0;
    if (o.resume !== undefined) this.#resume(o.resume);
  }

  #resume(saved: unknown): void {
    const name = "LearningRateCallback: resume";
    const r = checkOptionNames(name, saved, [
      "kind",
      "version",
      "per",
      "step",
      "plateau",
      "nextRate",
    ]);
    if (r.kind !== "learningRateCallback" || r.version !== 1) {
      throw new TypeError(
        `${name}: kind (${quote(r.kind)}) and version (${
          quote(r.version)
        }) must be "learningRateCallback" and 1`,
      );
    }
    if (r.per !== this.#per) {
      throw new RangeError(`${name}: per (${quote(r.per)}) must match per ("${this.#per}")`);
    }
    const step = checkNumber(name, "step", r.step, { integer: true, min: 0 });
    const nextRate = checkNumber(name, "nextRate", r.nextRate, { min: 0 });
    if (this.#plateau !== null) {
      if (r.plateau === null || r.plateau === undefined) {
        throw new RangeError(`${name}: the saved state has no plateau state`);
      }
      const restored = restorePlateau(r.plateau, `${name}: plateau`);
      if (!sameConfig(restored, this.#plateau)) {
        throw new RangeError(`${name}: the saved plateau configuration differs from this one`);
      }
      this.#plateau = restored;
    } else {
      if (r.plateau !== null) {
        throw new RangeError(`${name}: the saved state is a plateau state, this is a schedule`);
      }
      const rate = this.#schedule!(checkStep(name, step));
      if (Math.abs(rate - nextRate) > 1e-12 * Math.max(Math.abs(rate), 1e-300)) {
        throw new RangeError(
          `${name}: nextRate (${nextRate}) differs from this schedule's rate at step ${step} ` +
            `(${rate}): was the state saved with another schedule?`,
        );
      }
    }
    this.#step = step;
  }

  /**
   * The rate the next batch (or epoch) will use.
   *
   * @returns `schedule(step)`, or the plateau state's rate.
   */
  rate(): number {
    return this.#schedule !== null ? this.#schedule(this.#step) : this.#plateau!.lr;
  }

  /**
   * The callback's position, as plain JSON.
   *
   * @returns A {@linkcode LearningRateState}; pass it as `resume` to continue.
   */
  state(): LearningRateState {
    return {
      kind: "learningRateCallback",
      version: 1,
      per: this.#per,
      step: this.#step,
      plateau: this.#plateau,
      nextRate: this.rate(),
    };
  }

  #target(): tf.Optimizer {
    const optimizer = this.#optimizer ?? (this.model as tf.LayersModel | null)?.optimizer;
    if (!optimizer) {
      throw new Error(
        "LearningRateCallback: no optimizer: pass `optimizer`, or use the callback in model.fit " +
          "after model.compile",
      );
    }
    return optimizer;
  }

  #apply(): void {
    const rate = this.rate();
    setLearningRate(this.#target(), rate);
    this.#onRate?.(rate, this.#step);
  }

  async #advance(logs: Record<string, unknown> | undefined): Promise<void> {
    if (this.#plateau !== null) {
      this.#plateau = updatePlateau(this.#plateau, await readMetric(logs, this.#monitor));
    }
    this.#step += 1;
  }

  /**
   * Set the epoch's rate (`per: "epoch"`).
   *
   * @param _epoch The epoch index tfjs passes (unused: the callback counts its own steps).
   */
  override onEpochBegin(_epoch: number): Promise<void> {
    if (this.#per === "epoch") this.#apply();
    return Promise.resolve();
  }

  /**
   * Set the batch's rate (`per: "batch"`).
   *
   * @param _batch The batch index tfjs passes (unused).
   */
  override onBatchBegin(_batch: number): Promise<void> {
    if (this.#per === "batch") this.#apply();
    return Promise.resolve();
  }

  /**
   * Count the batch, feeding the plateau state if there is one (`per: "batch"`).
   *
   * @param _batch The batch index tfjs passes (unused).
   * @param logs The batch's logs.
   */
  override async onBatchEnd(_batch: number, logs?: Record<string, unknown>): Promise<void> {
    if (this.#per === "batch") await this.#advance(logs);
  }

  /**
   * Count the epoch, feeding the plateau state if there is one (`per: "epoch"`).
   *
   * @param _epoch The epoch index tfjs passes (unused).
   * @param logs The epoch's logs.
   */
  override async onEpochEnd(_epoch: number, logs?: Record<string, unknown>): Promise<void> {
    if (this.#per === "epoch") await this.#advance(logs);
  }
}
