/**
 * The settings of a run and the learning rate of each of its updates.
 *
 * @module
 */

import type { Schedule } from "../schedules/types.ts";
import { resolvePlateau } from "./plateau.ts";
import type { RunConfig, TrainRequest } from "./types.ts";

const TRAIN_MAX = 60_000, TEST_MAX = 10_000;
const DEFAULTS = { epochs: 30, batchSize: 256, seed: 0 };

/**
 * `value` if it is an integer from `min` to `max`, else a RangeError naming the option.
 *
 * @param name The option's name, for the message.
 * @param value The value given.
 * @param min The least allowed.
 * @param max The most allowed.
 * @returns `value`.
 * @throws {RangeError} naming the option and quoting the value.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { integer } from "./config.ts";
 * assert.equal(integer("workers", 2, 1, 64), 2);
 * assert.throws(() => integer("workers", 0, 1, 64), /workers \(0\) must be an integer from 1/);
 * ```
 */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    throw new RangeError(`train: ${name} (${shown}) must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * The settings a request runs with: defaults filled in, every field checked.
 *
 * @param request What to run.
 * @returns The resolved settings.
 * @throws {RangeError} naming the field and its value when one is out of range.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./config.ts";
 * const config = resolveConfig({ name: "c", schedule: () => 0.1, stepsPer: "epoch" });
 * assert(config.epochs === 30 && config.updatesPerEpoch === 235);
 * assert(!("updateLosses" in config)); // only a request that asks for it has it
 * ```
 */
export function resolveConfig(request: TrainRequest): RunConfig {
  const known = new Set([
    "name",
    "schedule",
    "stepsPer",
    "epochs",
    "batchSize",
    "seed",
    "trainSize",
    "testSize",
    "width",
    "augment",
    "plateau",
    "updateLosses",
  ]);
  for (const key of Object.keys(request)) {
    if (!known.has(key)) throw new TypeError(`train: unknown option ${JSON.stringify(key)}`);
  }
  if (typeof request.schedule !== "function") {
    throw new TypeError(
      `train: schedule must be a function (step) => rate, got ${typeof request.schedule}`,
    );
  }
  if (request.stepsPer !== "epoch" && request.stepsPer !== "update") {
    throw new RangeError(
      `train: stepsPer (${JSON.stringify(request.stepsPer)}) must be "epoch" or "update"`,
    );
  }
  const epochs = integer("epochs", request.epochs ?? DEFAULTS.epochs, 1, 10_000);
  const trainSize = integer("trainSize", request.trainSize ?? TRAIN_MAX, 1, TRAIN_MAX);
  const testSize = integer("testSize", request.testSize ?? TEST_MAX, 1, TEST_MAX);
  const batchSize = integer("batchSize", request.batchSize ?? DEFAULTS.batchSize, 1, trainSize);
  const seed = integer("seed", request.seed ?? DEFAULTS.seed, 0, 2 ** 31 - 1);
  const width = integer("width", request.width ?? 1, 1, 8);
  const augment = request.augment ?? false;
  if (typeof augment !== "boolean") {
    throw new TypeError(`train: augment (${JSON.stringify(augment)}) must be true or false`);
  }
  const updateLosses = request.updateLosses ?? false;
  if (typeof updateLosses !== "boolean") {
    throw new TypeError(
      `train: updateLosses (${JSON.stringify(updateLosses)}) must be true or false`,
    );
  }
  const updatesPerEpoch = Math.ceil(trainSize / batchSize);
  const config: RunConfig = {
    epochs,
    batchSize,
    seed,
    trainSize,
    testSize,
    stepsPer: request.stepsPer,
    updatesPerEpoch,
    width,
    augment,
    // Only when asked for: a request without it keeps the settings, and the key, it always had.
    ...(updateLosses ? { updateLosses } : {}),
  };
  // Only a plateau run has the field: every other config, and so its key, is as it always was.
  if (request.plateau !== undefined) {
    config.plateau = resolvePlateau(request.plateau, trainSize, TRAIN_MAX);
  }
  return config;
}

/**
 * The learning rate of every update of a run: `rates[u]` for update `u`
 * (0-based, over the whole run). Per epoch, all updates of epoch `e`
 * (0-based) use `schedule(e)`; per update, update `u` uses `schedule(u)`.
 * For a plateau run these are the rates before any cut: the loop lowers them
 * epoch by epoch as the scheduler decides (./plateau.ts).
 *
 * @param schedule The schedule.
 * @param config The resolved settings.
 * @returns One rate per update.
 * @throws {RangeError} if the schedule gives a negative or non-finite rate.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { ratesFor, resolveConfig } from "./config.ts";
 * const config = resolveConfig({ name: "s", schedule: (t) => 1 / (t + 1), stepsPer: "epoch", epochs: 2, trainSize: 512 });
 * const rates = ratesFor((t) => 1 / (t + 1), config); // 2 updates per epoch
 * assert(rates.join() === "1,1,0.5,0.5");
 * ```
 */
export function ratesFor(schedule: Schedule, config: RunConfig): Float64Array {
  const { epochs, updatesPerEpoch, stepsPer } = config;
  const rates = new Float64Array(epochs * updatesPerEpoch);
  for (let u = 0; u < rates.length; u++) {
    const step = stepsPer === "epoch" ? Math.floor(u / updatesPerEpoch) : u;
    const rate = stepsPer === "epoch" && u % updatesPerEpoch !== 0 ? rates[u - 1] : schedule(step);
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) {
      throw new RangeError(
        `train: schedule(${step}) returned ${rate}; a rate must be a finite number >= 0`,
      );
    }
    rates[u] = rate;
  }
  return rates;
}
