/**
 * Training in the page: what the page ships, what a reader may ask for, and
 * the messages between the page and its worker. Shared by the panel's script
 * (./trainer.ts), the worker (./train_worker.ts), the site's build and the
 * tests, so that a request made in the page is the request Deno runs.
 *
 * A run in the page is a run of the book's engine (lib/train/replica.ts, the
 * very loop the chapters train with) in one worker thread (two where the page
 * is cross-origin isolated: {@linkcode pageWorkers}), on the first
 * `trainSize` images of a class-balanced subset of Fashion-MNIST
 * ({@linkcode SUBSET}) and its 1,000 test images, in minibatches of 256.
 *
 * @module
 */

import type { Schedule } from "../schedules/types.ts";
import { ratesFor, resolveConfig } from "../train/config.ts";
import type { ReplicaConfig, ReplicaMessage } from "../train/replica.ts";
import type { RunConfig, StepUnit, TrainRequest } from "../train/types.ts";

/** The subset the site ships: 400 training and 100 test images of each class. */
export const SUBSET = { train: 4000, test: 1000 } as const;

/** The minibatch of every run in the page: the book's. */
export const PAGE_BATCH = 256;

/** What a reader may choose, and within which bounds. */
export const LIMITS = {
  epochs: { min: 1, max: 50 },
  trainSize: { min: PAGE_BATCH, max: SUBSET.train },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

/** A run the reader asks for (the schedule aside). */
export interface PageSettings {
  epochs: number;
  /** Training images: the first ones of the subset. */
  trainSize: number;
  seed: number;
  /** When the schedule's step advances. */
  stepsPer: StepUnit;
}

/** The fields of {@linkcode PageSettings} a reader types. */
export type SettingName = "epochs" | "trainSize" | "seed";

/** What each field is called on the page. */
export const SETTING_LABELS: Record<SettingName, string> = {
  epochs: "Epochs",
  trainSize: "Training images",
  seed: "Seed",
};

/**
 * A typed setting, checked: the whole number it holds, or what is wrong with it.
 *
 * @param name The field.
 * @param text What the reader typed.
 * @returns The value, or a message that says what the field takes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSetting } from "./train_protocol.ts";
 * assert.deepEqual(readSetting("epochs", " 12 "), { value: 12 });
 * assert.deepEqual(readSetting("epochs", "0"), {
 *   error: "Epochs must be a whole number from 1 to 50 (got 0).",
 * });
 * assert.deepEqual(readSetting("trainSize", ""), {
 *   error: "Training images must be a whole number from 256 to 4000 (got nothing).",
 * });
 * ```
 */
export function readSetting(
  name: SettingName,
  text: string,
): { value: number } | { error: string } {
  const { min, max } = LIMITS[name];
  const trimmed = text.trim();
  const value = /^[0-9]+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return { value };
  const got = trimmed === "" ? "nothing" : JSON.stringify(trimmed).slice(1, -1);
  return {
    error: `${SETTING_LABELS[name]} must be a whole number from ${min} to ${max} (got ${got}).`,
  };
}

/**
 * The request a page's run makes of the engine: the subset's first `trainSize` images and all
 * its test images, minibatches of {@linkcode PAGE_BATCH}.
 *
 * @param settings What the reader chose.
 * @param schedule The schedule.
 * @returns The request, as `lib/train` takes it.
 */
export function pageRequest(settings: PageSettings, schedule: Schedule): TrainRequest {
  return {
    name: "in the page",
    schedule,
    stepsPer: settings.stepsPer,
    epochs: settings.epochs,
    batchSize: PAGE_BATCH,
    seed: settings.seed,
    trainSize: settings.trainSize,
    testSize: SUBSET.test,
  };
}

/**
 * A page's run, resolved as the engine resolves every run: its settings and one rate per update.
 *
 * @param settings What the reader chose.
 * @param schedule The schedule.
 * @returns The settings and the rates.
 * @throws {RangeError} When the schedule gives a rate that is negative or not finite.
 *
 * @example Per update: 16 updates an epoch on 4,000 images
 * ```ts
 * import assert from "node:assert/strict";
 * import { planPageRun } from "./train_protocol.ts";
 * const { config, rates } = planPageRun(
 *   { epochs: 2, trainSize: 4000, seed: 0, stepsPer: "update" },
 *   (t) => 0.1 / (t + 1),
 * );
 * assert.equal(config.updatesPerEpoch, 16);
 * assert.equal(rates.length, 32);
 * assert.equal(rates[31], 0.1 / 32);
 * ```
 */
export function planPageRun(
  settings: PageSettings,
  schedule: Schedule,
): { config: RunConfig; rates: Float64Array } {
  const config = resolveConfig(pageRequest(settings, schedule));
  return { config, rates: ratesFor(schedule, config) };
}

/**
 * How many workers a page's run takes: two (`lib/train`'s two replicas, each minibatch split
 * between them) where the page is cross-origin isolated, as `deno task serve` serves it, and so
 * has the shared memory their gradients meet in, and the machine has two cores; one otherwise
 * (a page from `file://`, say).
 *
 * @param isolated The page's `crossOriginIsolated`.
 * @param cores The browser's `navigator.hardwareConcurrency` (`undefined` if it does not say).
 * @returns 1 or 2.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageWorkers } from "./train_protocol.ts";
 * assert.equal(pageWorkers(true, 8), 2);
 * assert.equal(pageWorkers(false, 8), 1); // no SharedArrayBuffer without isolation
 * assert.equal(pageWorkers(true, 1), 1);
 * ```
 */
export function pageWorkers(isolated: boolean, cores: number | undefined): 1 | 2 {
  return isolated && (cores ?? 2) >= 2 ? 2 : 1;
}

/**
 * What a worker runs: replica `replica` of `replicas` of a resolved run.
 *
 * @param config The run's settings.
 * @param rates One rate per update.
 * @param replica This worker's replica (default 0).
 * @param replicas How many workers share the run (default 1).
 * @returns The replica's settings.
 * @throws {RangeError} When `replica` is not one of `0 .. replicas - 1`.
 */
export function replicaConfigOf(
  config: RunConfig,
  rates: Float64Array,
  replica = 0,
  replicas = 1,
): ReplicaConfig {
  if (!Number.isInteger(replica) || replica < 0 || replica >= replicas) {
    throw new RangeError(
      `replicaConfigOf: replica must be a whole number from 0 to ${replicas - 1} (got ${replica})`,
    );
  }
  return { ...config, replica, replicas, rates, sendWeights: false };
}

/**
 * The memory the replicas of one run share (`lib/train/replica.ts`'s slots and barrier): made by
 * the page, sent to every worker. Each worker unpacks its own copy of the data, which no replica
 * writes.
 *
 * @param paramCount LeNet's parameter count.
 * @param replicas How many workers share the run.
 * @returns The slots (a gradient, a loss sum and a count per replica) and the barrier's words.
 */
export function sharedSlots(
  paramCount: number,
  replicas: number,
): { slots: SharedArrayBuffer; barrier: SharedArrayBuffer } {
  return {
    slots: new SharedArrayBuffer(replicas * (paramCount + 2) * 4),
    barrier: new SharedArrayBuffer(3 * 4),
  };
}

/** What the page tells its worker. */
export type ToWorker =
  | {
    type: "start";
    config: ReplicaConfig;
    /** The packed subset as the data script holds it (lib/util/ascii_bytes.ts text). */
    data: string;
    /** The kernels module as ASCII text, the same way. */
    kernels: string;
    /**
     * With more than one replica ({@linkcode pageWorkers}): the memory they share, the same
     * buffers for every worker. Without it, the worker makes plain buffers of its own.
     */
    shared?: { slots: SharedArrayBuffer; barrier: SharedArrayBuffer };
  }
  | { type: "stop" }
  | { type: "resume" };

/** What the worker tells the page: the replica's own messages, and one after every update. */
export type FromWorker =
  | ReplicaMessage
  | {
    type: "update";
    /** Updates done so far in the run. */
    done: number;
    /** Seconds spent training so far, not counting the time it was stopped. */
    busy: number;
  }
  | { type: "ready"; seconds: number }
  /** Stopped: the run holds after this many updates until it is resumed. */
  | { type: "held"; done: number };

/** One epoch of a frozen full-size run, as the panel draws it. */
export interface FullEpoch {
  epoch: number;
  lr: number;
  lrLast: number;
  /** `null` when the loss was not finite. */
  trainLoss: number | null;
  trainAcc: number;
  testAcc: number;
}

/** The chapter's full-size run, from the frozen results, drawn beside the page's run. */
export interface FullRun {
  name: string;
  epochs: number;
  trainSize: number;
  testSize: number;
  batchSize: number;
  seed: number;
  stepsPer: StepUnit;
  history: FullEpoch[];
  divergedAt: number | null;
}

/** What the page gives the training panel's script (as JSON in the panel). */
export interface TrainerData {
  /** The chapter's full-size run, or `null` (then `fullNote` says why there is none). */
  full: FullRun | null;
  /** Why no full-size run is drawn, as a sentence; `null` when there is one. */
  fullNote: string | null;
  /** The scripts to load when the reader first trains: the engine, the data. */
  scripts: { engine: string; data: string };
}

/** The global the engine's script sets: the worker's code and the kernels. */
export const ENGINE_GLOBAL = "lrBookTrainEngine";

/** The global the data script sets: the packed subset as ASCII text. */
export const DATA_GLOBAL = "lrBookTrainData";

/** What the engine's script holds. */
export interface EngineScript {
  /** The worker, a classic script (module workers do not start from blob URLs of `file://`). */
  worker: string;
  /** kernels.wasm as ASCII text (lib/util/ascii_bytes.ts). */
  kernels: string;
}

/** What the data script holds. */
export interface DataScript {
  /** Images in the subset: training, test. */
  train: number;
  test: number;
  /** The packed subset (lib/data/subset.ts) as ASCII text. */
  packed: string;
}
