/**
 * Reduce-on-plateau (PyTorch's `ReduceLROnPlateau`) as an explicit state
 * record and a pure update: the one schedule that depends on what training
 * observed rather than on the step alone.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import {
  checkList,
  checkNumber,
  checkOptionNames,
  guarded,
  type OptionRecord,
  own,
  quote,
  readChoice,
  readNumber,
  readRate,
} from "./validate.ts";

/** Options of {@linkcode plateau}. */
export interface PlateauOptions {
  /** The starting rate; a finite number >= 0. */
  baseLr: number;
  /** `"min"` (default): lower metrics are better (a loss); `"max"`: higher are better (an accuracy). */
  mode?: "min" | "max";
  /** The rate is multiplied by `factor` on a plateau; in (0, 1). Default 0.1. */
  factor?: number;
  /**
   * Epochs without improvement tolerated; an integer >= 0. Default 10.
   * `"pytorch"` style reduces when the count of bad epochs exceeds
   * `patience`, `"keras"` style when it reaches it (see {@linkcode plateau}).
   */
  patience?: number;
  /**
   * How much better a metric must be to count as an improvement; a finite
   * number >= 0. Default 1e-4 (Keras's `min_delta` in `"keras"` style).
   */
  threshold?: number;
  /**
   * `"rel"`: relative to the best so far; `"abs"`: absolute. Default `"rel"`
   * in `"pytorch"` style; `"keras"` style takes only `"abs"` (its default).
   */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again; an integer in [0, 2^53 - 1]. Default 0. */
  cooldown?: number;
  /** The rate never goes below `minLr`; in [0, baseLr]. Default 0. */
  minLr?: number;
  /**
   * `"pytorch"` style: reductions of `eps` or less are skipped; a finite
   * number >= 0, default 1e-8. `"keras"` style has no such rule (it reduces
   * while the rate is above `minLr`): only 0, its default.
   */
  eps?: number;
  /**
   * Whose rule to follow, step for step: `"pytorch"` (default,
   * `torch.optim.lr_scheduler.ReduceLROnPlateau`) or `"keras"`
   * (`keras.callbacks.ReduceLROnPlateau`, which tfjs users know). See
   * {@linkcode plateau} for the two rules and how they differ.
   */
  style?: "pytorch" | "keras";
}

/** The full, validated configuration of a plateau schedule (every option filled in). */
export type PlateauConfig = Readonly<Required<PlateauOptions>>;

/**
 * The state of a plateau schedule: plain JSON (`JSON.parse(JSON.stringify(s))`
 * is an equal state), never mutated. `lr` is the rate in force now.
 */
export interface PlateauState {
  /** Marks the record's kind, for readers of saved JSON. */
  readonly kind: "plateau";
  /** The configuration the state evolves under. */
  readonly config: PlateauConfig;
  /** The rate in force for the next epoch. */
  readonly lr: number;
  /** The best metric seen so far, or `null` before the first one (PyTorch's `inf`/`-inf`). */
  readonly best: number | null;
  /** Consecutive metrics without improvement (PyTorch's `num_bad_epochs`, Keras's `wait`). */
  readonly numBadEpochs: number;
  /** Epochs of cooldown left (PyTorch's and Keras's `cooldown_counter`). */
  readonly cooldownCounter: number;
  /** How many metrics have been fed so far. */
  readonly epochs: number;
}

const OPTION_NAMES = [
  "baseLr",
  "mode",
  "factor",
  "patience",
  "threshold",
  "thresholdMode",
  "cooldown",
  "minLr",
  "eps",
  "style",
] as const;

/** A count of epochs: an integer the state's counters can hold exactly. */
const COUNT = { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER } as const;

function readConfig(factory: string, o: OptionRecord): PlateauConfig {
  const baseLr = readRate(factory, o, "baseLr");
  const style = readChoice(factory, o, "style", ["pytorch", "keras"] as const, "pytorch");
  const keras = style === "keras";
  const config: PlateauConfig = {
    baseLr,
    mode: readChoice(factory, o, "mode", ["min", "max"] as const, "min"),
    factor: readNumber(factory, o, "factor", { above: 0, below: 1 }, 0.1),
    patience: readNumber(factory, o, "patience", COUNT, 10),
    threshold: readNumber(factory, o, "threshold", { min: 0 }, 1e-4),
    thresholdMode: readChoice(
      factory,
      o,
      "thresholdMode",
      ["rel", "abs"] as const,
      keras ? "abs" : "rel",
    ),
    cooldown: readNumber(factory, o, "cooldown", COUNT, 0),
    minLr: readRate(factory, o, "minLr", 0),
    eps: readNumber(factory, o, "eps", keras ? { min: 0, max: 0 } : { min: 0 }, keras ? 0 : 1e-8),
    style,
  };
  if (config.minLr > baseLr) {
    throw new RangeError(`${factory}: minLr (${config.minLr}) must be <= baseLr (${baseLr})`);
  }
  if (keras && config.thresholdMode !== "abs") {
    throw new RangeError(
      `${factory}: thresholdMode ("${config.thresholdMode}") must be "abs" for style "keras" ` +
        `(Keras's min_delta is absolute)`,
    );
  }
  return Object.freeze(config);
}

/**
 * The initial state of a reduce-on-plateau schedule: rate `baseLr`, no best
 * metric yet.
 *
 * Feed it one metric per epoch with {@linkcode updatePlateau}. A metric `a`
 * improves on the best `b` when `a < b * (1 - threshold)` (mode min, rel),
 * `a < b - threshold` (min, abs), `a > b * (1 + threshold)` (max, rel) or
 * `a > b + threshold` (max, abs); the first metric always does. A metric
 * that does not improve is a bad epoch. Then, with `n` the count of bad
 * epochs and `c` the cooldown counter:
 *
 * - `style: "pytorch"` (PyTorch 1.13's `ReduceLROnPlateau`, step for step):
 *   count the metric (`n = 0` on an improvement, else `n + 1`); during a
 *   cooldown (`c > 0`) decrement `c` and hold `n` at 0; when `n > patience`,
 *   the rate becomes `max(lr * factor, minLr)` (skipped if that lowers it by
 *   `eps` or less), `n = 0` and `c = cooldown`.
 * - `style: "keras"` (Keras's `ReduceLROnPlateau`): during a cooldown first
 *   decrement `c` and set `n = 0`; then on an improvement `n = 0`, else, if
 *   no longer cooling down, `n + 1`, and when `n >= patience` and
 *   `lr > minLr`, the rate becomes `max(lr * factor, minLr)`, `n = 0` and
 *   `c = cooldown`. `threshold` is Keras's `min_delta` (absolute only).
 *
 * So without cooldown, Keras's `patience: p` is PyTorch's `patience: p - 1`
 * (for `p >= 1`, with an absolute threshold and `eps: 0`). With a cooldown
 * they differ: Keras already counts the cooldown's last epoch (a cooldown of
 * 1 changes nothing), PyTorch only the epoch after it. (Keras holds the rate
 * in float32; this computes in float64.)
 *
 * @param options `{ baseLr, mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel" ("abs" for keras), cooldown = 0, minLr = 0, eps = 1e-8 (0 for keras), style = "pytorch" }`.
 * @returns The initial state.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a non-finite or negative rate, `minLr > baseLr`,
 *   a `factor` outside (0, 1), non-integer or negative counts, a negative
 *   `threshold` or `eps`, an unknown `mode`, `thresholdMode` or `style`, or,
 *   in `"keras"` style, a relative threshold or an `eps` other than 0.
 *
 * @example Halve the rate after two epochs without progress
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateau, updatePlateau } from "./plateau.ts";
 * let state = plateau({ baseLr: 0.1, factor: 0.5, patience: 1 });
 * for (const loss of [1, 0.5, 0.5, 0.5]) state = updatePlateau(state, loss);
 * assert.equal(state.lr, 0.05);
 * assert.deepEqual(JSON.parse(JSON.stringify(state)), state); // plain JSON
 * ```
 *
 * @example Keras's patience: reduce when the wait reaches it
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauRates } from "./plateau.ts";
 * const losses = [1, 1, 1, 1];
 * assert.deepEqual(plateauRates({ baseLr: 1, factor: 0.5, patience: 2, style: "keras" }, losses), [1, 1, 1, 0.5]);
 * assert.deepEqual(plateauRates({ baseLr: 1, factor: 0.5, patience: 2 }, losses), [1, 1, 1, 1]);
 * assert.deepEqual(plateauRates({ baseLr: 1, factor: 0.5, patience: 1 }, losses), [1, 1, 1, 0.5]);
 * ```
 */
export function plateau(options: PlateauOptions): PlateauState {
  return initial("plateau", options);
}

/** The initial state, its options read on behalf of `name`. */
function initial(name: string, options: unknown): PlateauState {
  const o = checkOptionNames(name, options, OPTION_NAMES);
  const config = readConfig(name, o);
  return Object.freeze({
    kind: "plateau" as const,
    config,
    lr: config.baseLr,
    best: null,
    numBadEpochs: 0,
    cooldownCounter: 0,
    epochs: 0,
  });
}

function improves(config: PlateauConfig, metric: number, best: number | null): boolean {
  if (best === null) return true; // everything finite beats PyTorch's initial inf / -inf
  const { mode, thresholdMode, threshold } = config;
  if (mode === "min") {
    return thresholdMode === "rel" ? metric < best * (1 - threshold) : metric < best - threshold;
  }
  return thresholdMode === "rel" ? metric > best * (threshold + 1) : metric > best + threshold;
}

/**
 * Feed one metric (typically once per epoch) and get the next state; the
 * given state is not changed. See {@linkcode plateau} for the rule. The state
 * is checked as {@linkcode restorePlateau} checks one, so a hand-made or
 * corrupted state is refused by name rather than carried along.
 *
 * @param state The current state.
 * @param metric The observed metric; a finite number (a NaN or infinite
 *   metric is refused rather than silently counted as "no improvement").
 * @returns The next state; its `lr` is the rate for the next epoch.
 * @throws {TypeError} When `metric` is not a number, or `state` is not a
 *   plateau state.
 * @throws {RangeError} When `metric` is NaN or infinite, or a field of
 *   `state` is out of range or inconsistent with the others
 *   (`updatePlateau: state: lr (-1) must be in [minLr, baseLr] = [0, 0.1]`).
 *
 * @example Purity
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateau, updatePlateau } from "./plateau.ts";
 * const s0 = plateau({ baseLr: 0.1, patience: 0 });
 * const s1 = updatePlateau(s0, 1.0);
 * const s2 = updatePlateau(s1, 1.0); // no improvement, patience 0: reduce
 * assert.equal(s0.lr, 0.1);
 * assert.equal(s1.lr, 0.1);
 * assert.ok(Math.abs(s2.lr - 0.01) < 1e-15);
 * assert.deepEqual(updatePlateau(s1, 1.0), s2);
 * assert.throws(() => updatePlateau({ ...s1, lr: -1 }, 1.0), RangeError);
 * ```
 */
export function updatePlateau(state: PlateauState, metric: number): PlateauState {
  checkNumber("updatePlateau", "metric", metric, {});
  return advance(checkState(state, "updatePlateau: state"), metric);
}

/** The next state (of a state already checked). */
function advance(state: PlateauState, metric: number): PlateauState {
  const { config } = state;
  let best = state.best;
  let numBadEpochs = state.numBadEpochs;
  let cooldownCounter = state.cooldownCounter;
  let lr = state.lr;
  if (config.style === "keras") {
    if (cooldownCounter > 0) {
      cooldownCounter -= 1;
      numBadEpochs = 0;
    }
    if (improves(config, metric, best)) {
      best = metric;
      numBadEpochs = 0;
    } else if (cooldownCounter === 0) {
      numBadEpochs += 1;
      if (numBadEpochs >= config.patience && lr > config.minLr) {
        lr = Math.max(lr * config.factor, config.minLr);
        cooldownCounter = config.cooldown;
        numBadEpochs = 0;
      }
    }
  } else {
    if (improves(config, metric, best)) {
      best = metric;
      numBadEpochs = 0;
    } else {
      numBadEpochs += 1;
    }
    if (cooldownCounter > 0) {
      cooldownCounter -= 1;
      numBadEpochs = 0;
    }
    if (numBadEpochs > config.patience) {
      const reduced = Math.max(lr * config.factor, config.minLr);
      if (lr - reduced > config.eps) lr = reduced;
      cooldownCounter = config.cooldown;
      numBadEpochs = 0;
    }
  }
  return Object.freeze({
    kind: "plateau" as const,
    config,
    lr,
    best,
    numBadEpochs,
    cooldownCounter,
    epochs: state.epochs + 1,
  });
}

/**
 * The rates a plateau schedule uses while fed `metrics` in order: entry `i` is
 * the rate in force before metric `i` is fed (so entry 0 is the starting rate).
 *
 * @param start The initial state, or the options to make it.
 * @param metrics One metric per epoch.
 * @returns `metrics.length` rates.
 * @throws {TypeError} or {RangeError} For a bad state or options (checked
 *   as {@linkcode restorePlateau} or {@linkcode plateau} check them, in
 *   messages of `plateauRates`), or `metrics` that is not an array of finite
 *   numbers (holes included).
 *
 * @example A loss that stalls
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauRates } from "./plateau.ts";
 * const rates = plateauRates({ baseLr: 1, factor: 0.5, patience: 0 }, [3, 2, 2, 2]);
 * assert.deepEqual(rates, [1, 1, 1, 0.5]);
 * ```
 */
export function plateauRates(
  start: PlateauState | PlateauOptions,
  metrics: readonly number[],
): number[] {
  const name = "plateauRates";
  const isState = typeof start === "object" && start !== null && "kind" in start;
  let state = isState ? restorePlateau(start, `${name}: start`) : initial(name, start);
  const list = readMetrics(name, metrics);
  const rates: number[] = [];
  for (const metric of list) {
    rates.push(state.lr);
    state = advance(state, metric);
  }
  return rates;
}

function readMetrics(name: string, metrics: unknown): readonly number[] {
  if (!Array.isArray(metrics)) {
    throw new TypeError(`${name}: metrics (${quote(metrics)}) must be an array of numbers`);
  }
  return checkList(name, "metrics", metrics, (m, label) => checkNumber(name, label, m, {}));
}

/**
 * Check a plateau state read back from JSON (or anywhere else) and return it
 * as a frozen {@linkcode PlateauState}. Besides each field's own domain, the
 * fields must agree, as they do in every state {@linkcode updatePlateau} can
 * reach: before the first metric (`epochs: 0`) there is no best and the
 * counters are 0; the bad-epoch count is below the epochs fed and, in
 * `"pytorch"` style, at most `patience` (in `"keras"` style it reaches
 * `patience` only once the rate is down to `minLr`); the cooldown counter is
 * at most `cooldown`, and while it runs the bad-epoch count is 0; and a rate
 * below `baseLr`, or a running cooldown, needs the epochs a reduction takes.
 *
 * @param value A value such as `JSON.parse(saved)`.
 * @param name Who is asking, for messages. Default `"restorePlateau"`.
 * @returns The state, validated.
 * @throws {TypeError} or {RangeError} naming the first bad field.
 *
 * @example Save and restore
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateau, restorePlateau, updatePlateau } from "./plateau.ts";
 * const saved = JSON.stringify(updatePlateau(plateau({ baseLr: 0.1 }), 0.7));
 * const state = restorePlateau(JSON.parse(saved));
 * assert.equal(state.best, 0.7);
 * assert.throws(() => restorePlateau({ kind: "plateau" }), TypeError);
 * assert.throws(() => restorePlateau({ ...state, numBadEpochs: 11 }), {
 *   name: "RangeError",
 *   message: "restorePlateau: numBadEpochs (11) must be <= patience (10)",
 * });
 * ```
 */
export function restorePlateau(value: unknown, name = "restorePlateau"): PlateauState {
  return checkState(value, name);
}

function checkState(value: unknown, name: string): PlateauState {
  const o = checkOptionNames(name, value, [
    "kind",
    "config",
    "lr",
    "best",
    "numBadEpochs",
    "cooldownCounter",
    "epochs",
  ]);
  if (o.kind !== "plateau") {
    throw new TypeError(`${name}: kind (${quote(o.kind)}) must be "plateau"`);
  }
  const config = readConfig(
    `${name}: config`,
    checkOptionNames(`${name}: config`, o.config, OPTION_NAMES),
  );
  const lr = readRate(name, o, "lr");
  if (lr > config.baseLr || lr < config.minLr) {
    throw new RangeError(
      `${name}: lr (${lr}) must be in [minLr, baseLr] = [${config.minLr}, ${config.baseLr}]`,
    );
  }
  const bestValue = own(o, "best");
  if (bestValue === undefined) throw new TypeError(`${name}: best is required`);
  const best = bestValue === null ? null : checkNumber(name, "best", bestValue, {});
  const epochs = readNumber(name, o, "epochs", COUNT);
  const numBadEpochs = readNumber(name, o, "numBadEpochs", COUNT);
  const cooldownCounter = readNumber(name, o, "cooldownCounter", COUNT);
  const fail = (message: string) => {
    throw new RangeError(`${name}: ${message}`);
  };
  const { patience, cooldown, style } = config;
  if (style === "pytorch" && numBadEpochs > patience) {
    fail(`numBadEpochs (${numBadEpochs}) must be <= patience (${patience})`);
  }
  if (cooldownCounter > cooldown) {
    fail(`cooldownCounter (${cooldownCounter}) must be <= cooldown (${cooldown})`);
  }
  if ((epochs === 0) !== (best === null)) {
    fail(`best (${quote(best)}) must be null exactly when epochs (${epochs}) is 0`);
  }
  if (epochs === 0 && (lr !== config.baseLr || numBadEpochs !== 0 || cooldownCounter !== 0)) {
    fail(`before the first metric (epochs 0), lr must be baseLr and the counters 0`);
  }
  if (numBadEpochs > 0 && numBadEpochs >= epochs) {
    fail(`numBadEpochs (${numBadEpochs}) must be < epochs (${epochs}): the first metric improves`);
  }
  if (style === "keras" && numBadEpochs >= Math.max(patience, 1) && lr > config.minLr) {
    fail(
      `numBadEpochs (${numBadEpochs}) reaches patience (${patience}) only once lr is down to ` +
        `minLr (${config.minLr}), not at lr ${lr}`,
    );
  }
  if (cooldownCounter > 0 && numBadEpochs !== 0) {
    fail(
      `numBadEpochs (${numBadEpochs}) must be 0 while cooldownCounter (${cooldownCounter}) runs`,
    );
  }
  // A reduction needs a first metric and then enough bad epochs: patience + 1 (PyTorch),
  // max(patience, 1) (Keras).
  const reduction = 1 + (style === "pytorch" ? patience + 1 : Math.max(patience, 1));
  if ((lr < config.baseLr || cooldownCounter > 0) && epochs < reduction) {
    fail(
      `a reduction (lr ${lr} below baseLr ${config.baseLr}, or a cooldown) needs at least ` +
        `${reduction} epochs, not ${epochs}`,
    );
  }
  return Object.freeze({
    kind: "plateau" as const,
    config,
    lr,
    best,
    numBadEpochs,
    cooldownCounter,
    epochs,
  });
}

/**
 * A plateau schedule replayed over a recorded metric history, as a plain
 * schedule of the epoch: `lr(t)` is the rate in force before metric
 * `floor(t)` is fed, and from `t = metrics.length` on, the rate the last
 * metric left in force, held. It is what {@linkcode plateauRates} lists,
 * extended past the end, so it composes like any other schedule
 * (`warmup(plateauSchedule(...), { steps: 5 })`) and previews a plateau run
 * from its losses.
 *
 * @param options The options of {@linkcode plateau}.
 * @param metrics One metric per epoch, in order; finite numbers.
 * @returns The schedule.
 * @throws {TypeError} For bad options (as {@linkcode plateau}), or `metrics`
 *   that is not an array of numbers (or has a hole).
 * @throws {RangeError} For bad options, or a metric that is not finite
 *   (`plateauSchedule: metrics[2] (NaN) must be a finite number`).
 *
 * @example A loss that levels off
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauSchedule } from "./plateau.ts";
 * const lr = plateauSchedule({ baseLr: 1, factor: 0.5, patience: 0 }, [3, 2, 2, 2]);
 * assert.deepEqual([0, 1, 2, 3, 4, 10].map(lr), [1, 1, 1, 0.5, 0.25, 0.25]);
 * ```
 */
export function plateauSchedule(options: PlateauOptions, metrics: readonly number[]): Schedule {
  const name = "plateauSchedule";
  const list = readMetrics(name, metrics);
  let state = initial(name, options);
  const rates: number[] = [];
  for (const metric of list) {
    rates.push(state.lr);
    state = advance(state, metric);
  }
  rates.push(state.lr);
  const last = rates.length - 1;
  return guarded(name, (t) => rates[t >= last ? last : Math.floor(t)]);
}
