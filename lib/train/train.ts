/**
 * `train()`: LeNet on Fashion-MNIST with a learning-rate schedule, on all cores.
 *
 * The run is split over worker threads (./replica.ts): each computes the
 * gradient of its share of every minibatch, the shares are added, and every
 * worker applies the same SGD update. Finished runs are cached under a hash of
 * everything that decides their numbers.
 *
 * @module
 */

import { type FashionMnist, loadFashionMnist } from "../data/mod.ts";
import type { Schedule } from "../schedules/types.ts";
import { lenetParameterCount } from "./architecture.ts";
import { hashKey } from "../util/hash_key.ts";
import { fileCache, type RunCache } from "./cache.ts";
import { type ProgressSink, silentProgress, terminalProgress } from "./progress.ts";
import type { EpochStats, ReplicaConfig, ReplicaMessage, SharedRun } from "./replica.ts";
import type { EpochRecord, RunConfig, RunResult, StepUnit, TrainRequest } from "./types.ts";
import type { WorkerStart } from "./worker.ts";

/** How to run (not what to run: that is the {@linkcode TrainRequest}). */
export interface TrainOptions {
  /** The dataset, if already loaded; else it is loaded (and found) on first use. */
  data?: FashionMnist;
  /** Where to look for the dataset first (the `--data` flag). */
  dataDir?: string;
  /** Worker threads (default: 2, or 1 on a single core). Results agree to float tolerance. */
  workers?: number;
  /** Where finished runs are kept (default `data/runs/`); `null` for none. */
  cache?: RunCache | null;
  /** Train even if the cache has the run (the result is cached anew). */
  fresh?: boolean;
  /** Progress display: a terminal bar/lines on stderr (default), none, or your own. */
  progress?: "terminal" | "silent" | ProgressSink;
}

const TRAIN_MAX = 60_000, TEST_MAX = 10_000;
const DEFAULTS = { epochs: 30, batchSize: 256, seed: 0 };

/** The source files whose code decides a run's numbers (part of the cache key). */
const TRAINING_SOURCES = [
  "backend.ts",
  "kernels.ts",
  "gradients.ts",
  "lenet.ts",
  "replica.ts",
  "rng.ts",
];

function integer(name: string, value: unknown, min: number, max: number): number {
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
 * import { resolveConfig } from "./train.ts";
 * const config = resolveConfig({ name: "c", schedule: () => 0.1, stepsPer: "epoch" });
 * assert(config.epochs === 30 && config.updatesPerEpoch === 235);
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
  const updatesPerEpoch = Math.ceil(trainSize / batchSize);
  return {
    epochs,
    batchSize,
    seed,
    trainSize,
    testSize,
    stepsPer: request.stepsPer,
    updatesPerEpoch,
    width,
    augment,
  };
}

/**
 * The learning rate of every update of a run: `rates[u]` for update `u`
 * (0-based, over the whole run). Per epoch, all updates of epoch `e`
 * (0-based) use `schedule(e)`; per update, update `u` uses `schedule(u)`.
 *
 * @param schedule The schedule.
 * @param config The resolved settings.
 * @returns One rate per update.
 * @throws {RangeError} if the schedule gives a negative or non-finite rate.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { ratesFor, resolveConfig } from "./train.ts";
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

let defaultData: Promise<FashionMnist> | null = null;
const sharedByData = new WeakMap<FashionMnist, Map<string, SharedRun>>();

function sharedCopy(
  source: ArrayLike<number>,
  count: number,
  Kind: Float32ArrayConstructor | Int32ArrayConstructor,
) {
  const buffer = new SharedArrayBuffer(count * Kind.BYTES_PER_ELEMENT);
  new Kind(buffer as unknown as ArrayBuffer).set((source as Float32Array).subarray(0, count));
  return buffer;
}

/** The first `trainSize` / `testSize` examples of `data` in shared memory (made once). */
function sharedData(
  data: FashionMnist,
  config: RunConfig,
  workers: number,
  paramCount: number,
): SharedRun {
  const byData = sharedByData.get(data) ?? new Map<string, SharedRun>();
  sharedByData.set(data, byData);
  const id = `${config.trainSize}/${config.testSize}`;
  let base = byData.get(id);
  if (base === undefined) {
    base = {
      trainImages: sharedCopy(data.train.images, config.trainSize * 784, Float32Array),
      trainLabels: sharedCopy(data.train.labels, config.trainSize, Int32Array),
      testImages: sharedCopy(data.test.images, config.testSize * 784, Float32Array),
      testLabels: sharedCopy(data.test.labels, config.testSize, Int32Array),
      slots: new SharedArrayBuffer(0),
      barrier: new SharedArrayBuffer(0),
    };
    byData.set(id, base);
  }
  return {
    ...base,
    slots: new SharedArrayBuffer(workers * (paramCount + 2) * 4),
    barrier: new SharedArrayBuffer(3 * 4),
  };
}

let sourceHash: Promise<string> | null = null;

/** Hash of the training code and the pinned tfjs packages: runs of other code are other runs. */
function trainingCodeHash(): Promise<string> {
  sourceHash ??= (async () => {
    const read = (path: string) => Deno.readTextFile(new URL(path, import.meta.url));
    const texts = await Promise.all(TRAINING_SOURCES.map((file) => read(`./${file}`)));
    const imports: Record<string, string> = JSON.parse(await read("../../deno.json")).imports;
    const tfjs = Object.entries(imports).filter(([name]) => name.startsWith("@tensorflow/"));
    return hashKey({ texts, tfjs });
  })();
  return sourceHash;
}

function defaultWorkers(): number {
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency ?? 1));
}

/** Run the replicas in worker threads until the run ends; returns per-epoch stats. */
function runWorkers(
  shared: SharedRun,
  config: RunConfig,
  rates: Float64Array,
  workers: number,
  progress: ProgressSink,
  onEpoch: (stats: EpochStats) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const threads: Worker[] = [];
    const stop = () => threads.forEach((t) => t.terminate());
    for (let replica = 0; replica < workers; replica++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
      threads.push(worker);
      worker.onmessage = ({ data }: MessageEvent<ReplicaMessage>) => {
        if (data.type === "progress") progress.update(data.epoch, data.update, data.loss, data.lr);
        else if (data.type === "epoch") onEpoch(data.stats);
        else if (data.type === "done") {
          stop();
          resolve();
        } else if (data.type === "error") {
          stop();
          reject(new Error(`training worker ${replica} failed: ${data.message}`));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        stop();
        reject(new Error(`training worker ${replica} failed: ${event.message}`));
      };
      const replicaConfig: ReplicaConfig = { ...config, replica, replicas: workers, rates };
      worker.postMessage({ shared, config: replicaConfig } satisfies WorkerStart);
    }
  });
}

/**
 * Train LeNet on Fashion-MNIST with `request.schedule`, or return the cached
 * result of the very same run.
 *
 * The loop owns the step count: per epoch, every update of epoch `e` uses
 * `schedule(e)`; per update, update `u` uses `schedule(u)` (both 0-based). A
 * NaN or infinite minibatch loss ends the run, with `divergedAt` set to that
 * epoch; that is a result, not an error.
 *
 * @param request What to run (schedule, epochs, sizes, seed).
 * @param options How to run it (data, workers, cache, progress).
 * @returns The per-epoch history and the settings used.
 */
export async function train(request: TrainRequest, options: TrainOptions = {}): Promise<RunResult> {
  const config = resolveConfig(request);
  const rates = ratesFor(request.schedule, config);
  const workers = integer("workers", options.workers ?? defaultWorkers(), 1, 64);
  let data = options.data;
  if (data === undefined) {
    defaultData ??= loadFashionMnist({ dir: options.dataDir });
    data = await defaultData;
  }
  const key = await hashKey({
    version: 1,
    config,
    rates: Array.from(rates),
    code: await trainingCodeHash(),
    data: data.checksum,
  });
  const cache = options.cache === undefined
    ? fileCache(new URL("../../data/runs", import.meta.url).pathname)
    : options.cache;
  if (cache && !options.fresh) {
    const hit = await cache.get(key);
    if (hit) return { ...hit, name: request.name, cached: true };
  }
  const progress = options.progress === "silent"
    ? silentProgress
    : options.progress === undefined || options.progress === "terminal"
    ? terminalProgress(request.name, config.epochs, config.updatesPerEpoch)
    : options.progress;
  const history: EpochRecord[] = [];
  let divergedAt: number | null = null;
  const shared = sharedData(data, config, workers, lenetParameterCount(config.width));
  try {
    await runWorkers(shared, config, rates, workers, progress, (stats) => {
      const first = (stats.epoch - 1) * config.updatesPerEpoch;
      const record: EpochRecord = {
        epoch: stats.epoch,
        lr: rates[first],
        lrLast: rates[first + config.updatesPerEpoch - 1],
        trainLoss: stats.trainLoss,
        trainAcc: stats.trainAcc,
        testAcc: stats.testAcc,
        seconds: stats.seconds,
      };
      history.push(record);
      if (stats.diverged) divergedAt = stats.epoch;
      progress.epochDone(
        stats.diverged
          ? `epoch ${stats.epoch}/${config.epochs}: diverged (loss is not finite), run stopped`
          : `epoch ${stats.epoch}/${config.epochs}  loss ${
            record.trainLoss.toFixed(4)
          }  train acc ` +
            `${record.trainAcc.toFixed(4)}  test acc ${record.testAcc.toFixed(4)}  ${
              record.seconds.toFixed(1)
            }s`,
      );
    });
  } finally {
    progress.close();
  }
  const result: RunResult = { name: request.name, config, history, divergedAt, key, cached: false };
  if (cache) await cache.put(key, result);
  return result;
}

/** Re-exported for callers that only need the unit names. */
export type { StepUnit };
