/**
 * Reduce-on-plateau (PyTorch's `ReduceLROnPlateau`) as an explicit state
 * record and a pure update: the one schedule that depends on what training
 * observed rather than on the step alone.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import {
  checkNumber,
  checkOptionNames,
  guarded,
  type OptionRecord,
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
  /** Epochs without improvement tolerated before reducing; an integer >= 0. Default 10. */
  patience?: number;
  /** How much better a metric must be to count as an improvement; a finite number >= 0. Default 1e-4. */
  threshold?: number;
  /** `"rel"` (default): relative to the best so far; `"abs"`: absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again; an integer >= 0. Default 0. */
  cooldown?: number;
  /** The rate never goes below `minLr`; in [0, baseLr]. Default 0. */
  minLr?: number;
  /** Reductions smaller than `eps` are skipped; a finite number >= 0. Default 1e-8. */
  eps?: number;
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
  /** Consecutive metrics without improvement (PyTorch's `num_bad_epochs`). */
  readonly numBadEpochs: number;
  /** Epochs of cooldown left (PyTorch's `cooldown_counter`). */
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
] as const;

function readConfig(factory: string, o: OptionRecord): PlateauConfig {
  const baseLr = readRate(factory, o, "baseLr");
  const config: PlateauConfig = {
    baseLr,
    mode: readChoice(factory, o, "mode", ["min", "max"] as const, "min"),
    factor: readNumber(factory, o, "factor", { above: 0, below: 1 }, 0.1),
    patience: readNumber(factory, o, "patience", { integer: true, min: 0 }, 10),
    threshold: readNumber(factory, o, "threshold", { min: 0 }, 1e-4),
    thresholdMode: readChoice(factory, o, "thresholdMode", ["rel", "abs"] as const, "rel"),
    cooldown: readNumber(factory, o, "cooldown", { integer: true, min: 0 }, 0),
    minLr: readRate(factory, o, "minLr", 0),
    eps: readNumber(factory, o, "eps", { min: 0 }, 1e-8),
  };
  if (config.minLr > baseLr) {
    throw new RangeError(`${factory}: minLr (${config.minLr}) must be <= baseLr (${baseLr})`);
  }
  return Object.freeze(config);
}

/**
 * The initial state of a reduce-on-plateau schedule: rate `baseLr`, no best
 * metric yet.
 *
 * Feed it one metric per epoch with {@linkcode updatePlateau}. The rule is
 * PyTorch 1.13's, step for step: a metric `a` improves on the best `b` when
 * `a < b * (1 - threshold)` (mode min, rel), `a < b - threshold` (min, abs),
 * `a > b * (1 + threshold)` (max, rel) or `a > b + threshold` (max, abs). A
 * metric that does not improve is a bad epoch; during cooldown the bad-epoch
 * count is held at 0. When the count exceeds `patience`, the rate becomes
 * `max(lr * factor, minLr)` (skipped if that lowers it by `eps` or less), the
 * count resets and the cooldown starts.
 *
 * @param options `{ baseLr, mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel", cooldown = 0, minLr = 0, eps = 1e-8 }`.
 * @returns The initial state.
 * @throws {TypeError} For a missing or wrongly typed option, or an unknown option.
 * @throws {RangeError} For a non-finite or negative rate, `minLr > baseLr`,
 *   a `factor` outside (0, 1), non-integer or negative counts, a negative
 *   `threshold` or `eps`, or an unknown `mode` or `thresholdMode`.
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
 */
export function plateau(options: PlateauOptions): PlateauState {
  const o = checkOptionNames("plateau", options, OPTION_NAMES);
  const config = readConfig("plateau", o);
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
 * given state is not changed. See {@linkcode plateau} for the rule.
 *
 * @param state The current state.
 * @param metric The observed metric; a finite number (a NaN or infinite
 *   metric is refused rather than silently counted as "no improvement").
 * @returns The next state; its `lr` is the rate for the next epoch.
 * @throws {TypeError} When `metric` is not a number.
 * @throws {RangeError} When `metric` is NaN or infinite.
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
 * ```
 */
export function updatePlateau(state: PlateauState, metric: number): PlateauState {
  checkNumber("updatePlateau", "metric", metric, {});
  const { config } = state;
  let best = state.best;
  let numBadEpochs = state.numBadEpochs;
  let cooldownCounter = state.cooldownCounter;
  let lr = state.lr;
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
  let state = "kind" in start ? restorePlateau(start) : plateau(start);
  const rates: number[] = [];
  for (const metric of metrics) {
    rates.push(state.lr);
    state = updatePlateau(state, metric);
  }
  return rates;
}

/**
 * Check a plateau state read back from JSON (or anywhere else) and return it
 * as a frozen {@linkcode PlateauState}.
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
 * ```
 */
export function restorePlateau(value: unknown, name = "restorePlateau"): PlateauState {
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
  if (lr > config.baseLr || lr < Math.min(config.minLr, config.baseLr)) {
    throw new RangeError(`${name}: lr (${lr}) must be in [minLr, baseLr]`);
  }
  const best = o.best === null ? null : readNumber(name, o, "best", {});
  const count = { integer: true, min: 0 };
  return Object.freeze({
    kind: "plateau" as const,
    config,
    lr,
    best,
    numBadEpochs: readNumber(name, o, "numBadEpochs", count),
    cooldownCounter: readNumber(name, o, "cooldownCounter", count),
    epochs: readNumber(name, o, "epochs", count),
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
 *   that is not an array of numbers.
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
  if (!Array.isArray(metrics)) {
    throw new TypeError(`${name}: metrics (${quote(metrics)}) must be an array of numbers`);
  }
  metrics.forEach((m, i) => checkNumber(name, `metrics[${i}]`, m, {}));
  let state = plateau(options);
  const rates: number[] = [];
  for (const metric of metrics) {
    rates.push(state.lr);
    state = updatePlateau(state, metric);
  }
  rates.push(state.lr);
  const last = rates.length - 1;
  return guarded(name, (t) => rates[Math.min(Math.floor(t), last)]);
}
