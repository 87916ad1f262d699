/**
 * Reduce-on-plateau in the training loop: a run's {@linkcode PlateauControl} checked, and the
 * rates of each next epoch decided from the metric the last one ended with.
 *
 * Every other run's rates are known before it starts (./config.ts `ratesFor`). A plateau run's
 * are not: after epoch `e` the loop measures the held-out images, feeds the watched metric to
 * the library's plateau scheduler (`lib/schedules/plateau.ts`, whose state is a plain record),
 * and caps the rates of epoch `e + 1` at the rate the scheduler then has in force. Each replica
 * (./replica.ts) does this itself, on the same summed numbers, so all of them decide alike;
 * the engine (./engine.ts) and the book's made-up trainer (`lib/book/_testing.ts`) apply the
 * same two functions, so the rates they record are the rates that ran.
 *
 * @module
 */

import { plateau, type PlateauState, updatePlateau } from "../schedules/plateau.ts";
import type { PlateauEpoch, PlateauSettings } from "./types.ts";

const KEYS = ["options", "metric", "holdOut"];

/** A value in an error message: strings quoted, numbers as JavaScript prints them. */
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A request's `plateau` field checked, with every option of the scheduler filled in.
 *
 * @param control The request's `plateau` field.
 * @param trainSize The images the run trains on (the first ones of the training file).
 * @param trainImages The images of the training file (60,000 for Fashion-MNIST).
 * @returns The settings the run trains with.
 * @throws {TypeError} For a field that is missing, unknown or of the wrong type, naming it.
 * @throws {RangeError} For a metric other than `"loss"` or `"accuracy"`, a `mode` that does not
 *   suit it, a `holdOut` that is not an integer >= 1 or leaves too few images to train on, and
 *   whatever `lib/schedules/plateau.ts` refuses in the options (`train: plateau.options:
 *   plateau: factor (2) must be in (0, 1)`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePlateau } from "./plateau.ts";
 * const settings = resolvePlateau({ options: { baseLr: 0.3 }, metric: "loss", holdOut: 6000 }, 54_000, 60_000);
 * assert.equal(settings.options.patience, 10); // the scheduler's default
 * assert.throws(
 *   () => resolvePlateau({ options: { baseLr: 0.3 }, metric: "loss", holdOut: 6001 }, 54_000, 60_000),
 *   /trainSize \(54000\) \+ plateau\.holdOut \(6001\) must be at most the 60000 training images/,
 * );
 * ```
 */
export function resolvePlateau(
  control: unknown,
  trainSize: number,
  trainImages: number,
): PlateauSettings {
  if (typeof control !== "object" || control === null || Array.isArray(control)) {
    throw new TypeError(
      `train: plateau (${shown(control)}) must be { options, metric, holdOut }`,
    );
  }
  for (const key of Object.keys(control)) {
    if (!KEYS.includes(key)) throw new TypeError(`train: unknown option plateau.${key}`);
  }
  const { options, metric, holdOut } = control as Record<string, unknown>;
  if (metric !== "loss" && metric !== "accuracy") {
    throw new RangeError(`train: plateau.metric (${shown(metric)}) must be "loss" or "accuracy"`);
  }
  if (typeof holdOut !== "number" || !Number.isInteger(holdOut) || holdOut < 1) {
    throw new RangeError(`train: plateau.holdOut (${shown(holdOut)}) must be an integer >= 1`);
  }
  if (trainSize + holdOut > trainImages) {
    throw new RangeError(
      `train: trainSize (${trainSize}) + plateau.holdOut (${holdOut}) must be at most the ` +
        `${trainImages} training images, so that no held-out image is trained on`,
    );
  }
  const config = plateauConfig(options);
  const mode = metric === "loss" ? "min" : "max";
  if (config.mode !== mode) {
    throw new RangeError(
      `train: plateau.options.mode (${shown(config.mode)}) must be "${mode}" to watch the ` +
        `held-out ${metric} (${metric === "loss" ? "lower" : "higher"} is better)`,
    );
  }
  return { options: config, metric, holdOut };
}

/** The scheduler's options checked by the library, its message said on behalf of the request. */
function plateauConfig(options: unknown): PlateauSettings["options"] {
  try {
    return plateau(options as Parameters<typeof plateau>[0]).config;
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    const Kind = error instanceof TypeError ? TypeError : RangeError;
    throw new Kind(`train: plateau.options: ${error.message}`, { cause: error });
  }
}

/**
 * The scheduler's state before the first epoch: rate `options.baseLr`, no best metric yet.
 *
 * @param settings The run's settings.
 * @returns The initial state.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePlateau, startPlateau } from "./plateau.ts";
 * const settings = resolvePlateau({ options: { baseLr: 0.3 }, metric: "loss", holdOut: 10 }, 90, 100);
 * const state = startPlateau(settings);
 * assert.deepEqual([state.lr, state.best, state.numBadEpochs, state.epochs], [0.3, null, 0, 0]);
 * ```
 */
export function startPlateau(settings: PlateauSettings): PlateauState {
  return plateau(settings.options);
}

/**
 * Feed the scheduler the metric it watches, after an epoch.
 *
 * @param settings The run's settings.
 * @param state The scheduler's state before this epoch's metric.
 * @param heldOut The held-out images' mean loss and accuracy after the epoch (finite).
 * @returns The next state, and what the epoch's record keeps of it.
 *
 * @example The loss stalls, patience 0: the rate halves
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauStep, resolvePlateau, startPlateau } from "./plateau.ts";
 * const settings = resolvePlateau(
 *   { options: { baseLr: 0.2, factor: 0.5, patience: 0 }, metric: "loss", holdOut: 100 },
 *   900,
 *   1000,
 * );
 * let state = startPlateau(settings);
 * ({ state } = plateauStep(settings, state, { loss: 0.5, acc: 0.8 }));
 * const { state: next, epoch } = plateauStep(settings, state, { loss: 0.6, acc: 0.81 });
 * assert.equal(next.lr, 0.1);
 * assert.deepEqual(epoch, {
 *   heldOutLoss: 0.6, heldOutAcc: 0.81, lr: 0.1, best: 0.5, numBadEpochs: 0, cooldownCounter: 0,
 * });
 * ```
 */
export function plateauStep(
  settings: PlateauSettings,
  state: PlateauState,
  heldOut: { loss: number; acc: number },
): { state: PlateauState; epoch: PlateauEpoch } {
  const next = updatePlateau(state, settings.metric === "loss" ? heldOut.loss : heldOut.acc);
  return {
    state: next,
    epoch: {
      heldOutLoss: heldOut.loss,
      heldOutAcc: heldOut.acc,
      lr: next.lr,
      best: next.best!, // a state fed one metric or more has a best
      numBadEpochs: next.numBadEpochs,
      cooldownCounter: next.cooldownCounter,
    },
  };
}

/**
 * Cap the rates of one epoch at the scheduler's rate, in place: `rates[u] = min(rates[u], cap)`
 * for every update `u` of epoch `epoch` (0-based). Nothing past the end of `rates` changes.
 *
 * @param rates One rate per update of the run.
 * @param epoch The epoch (0-based).
 * @param updatesPerEpoch Updates per epoch.
 * @param cap The scheduler's rate.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { capEpoch } from "./plateau.ts";
 * const rates = new Float64Array([0.3, 0.3, 0.3, 0.1]);
 * capEpoch(rates, 1, 2, 0.15);
 * assert.deepEqual(Array.from(rates), [0.3, 0.3, 0.15, 0.1]);
 * ```
 */
export function capEpoch(
  rates: Float64Array,
  epoch: number,
  updatesPerEpoch: number,
  cap: number,
): void {
  const end = Math.min(rates.length, (epoch + 1) * updatesPerEpoch);
  for (let u = epoch * updatesPerEpoch; u < end; u++) rates[u] = Math.min(rates[u], cap);
}
