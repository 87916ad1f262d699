/**
 * The engine proper: one run trained in worker threads, no cache and no key.
 *
 * The run is split over worker threads (./replica.ts): each computes the
 * gradient of its share of every minibatch, the shares are added, and every
 * worker applies the same SGD update. {@linkcode train} in ./train.ts wraps
 * this with the run cache; the engine fingerprint (./fingerprint.ts) calls it
 * directly on made-up data.
 *
 * @module
 */

import type { FashionMnist } from "../data/mod.ts";
import { lenetParameterCount } from "./architecture.ts";
import { capEpoch } from "./plateau.ts";
import type { ProgressSink } from "./progress.ts";
import type { EpochStats, ReplicaConfig, ReplicaMessage, SharedRun } from "./replica.ts";
import type { EpochRecord, RunConfig } from "./types.ts";
import type { WorkerStart } from "./worker.ts";

/** What one run of the engine gives back. */
export interface EngineRun {
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** The epoch (1-based) whose loss became NaN or infinite, or `null`. */
  divergedAt: number | null;
  /** The final weights, flattened in parameter order, when asked for. */
  weights: Float32Array | null;
  /**
   * The rate of every update: the rates given, or for a plateau run those rates as the
   * scheduler cut them (the epochs after a divergence held at the last rate it had in force).
   */
  rates: Float64Array;
  /**
   * With `config.updateLosses`: the mean minibatch loss of every update, in order, each computed
   * before its update (a diverged run's stops before the update whose loss was not finite);
   * `null` otherwise.
   */
  updateLosses: number[] | null;
}

/** How the engine runs: threads, progress, and whether to send the weights back. */
export interface EngineOptions {
  /** Worker threads (1 or more). */
  workers: number;
  /** Where progress goes. */
  progress: ProgressSink;
  /** Return the final weights (default false). */
  weights?: boolean;
}

const sharedByData = new WeakMap<FashionMnist, Map<string, SharedRun>>();

function sharedCopy(
  source: ArrayLike<number>,
  count: number,
  Kind: Float32ArrayConstructor | Int32ArrayConstructor,
  from = 0,
) {
  const buffer = new SharedArrayBuffer(count * Kind.BYTES_PER_ELEMENT);
  new Kind(buffer as unknown as ArrayBuffer).set(
    (source as Float32Array).subarray(from, from + count),
  );
  return buffer;
}

/** A plateau run's held-out images: the last `holdOut` of the training split. */
function heldOut(data: FashionMnist, holdOut: number, trainSize: number) {
  const count = data.train.labels.length, first = count - holdOut;
  if (first < trainSize) {
    throw new RangeError(
      `train: trainSize (${trainSize}) + plateau.holdOut (${holdOut}) must be at most the ` +
        `${count} training images of the data, so that no held-out image is trained on`,
    );
  }
  return {
    heldOutImages: sharedCopy(data.train.images, holdOut * 784, Float32Array, first * 784),
    heldOutLabels: sharedCopy(data.train.labels, holdOut, Int32Array, first),
  };
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
  const holdOut = config.plateau?.holdOut;
  const id = `${config.trainSize}/${config.testSize}${holdOut ? `/${holdOut}` : ""}`;
  let base = byData.get(id);
  if (base === undefined) {
    base = {
      trainImages: sharedCopy(data.train.images, config.trainSize * 784, Float32Array),
      trainLabels: sharedCopy(data.train.labels, config.trainSize, Int32Array),
      testImages: sharedCopy(data.test.images, config.testSize * 784, Float32Array),
      testLabels: sharedCopy(data.test.labels, config.testSize, Int32Array),
      ...(holdOut ? heldOut(data, holdOut, config.trainSize) : {}),
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

/**
 * Worker threads outlive a run by {@linkcode IDLE_MS}: the next run of the
 * process (the fingerprint's probes, then the runs of a chapter) reuses them,
 * with their modules loaded and their kernels compiled and warm. An idle
 * worker would keep the process alive, so the last ones are ended then.
 */
const IDLE_MS = 200;
const idle: Worker[] = [];
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function takeWorker(): Worker {
  clearTimeout(idleTimer);
  return idle.pop() ?? new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
}

function releaseWorkers(threads: Worker[]): void {
  for (const t of threads) {
    t.onmessage = null;
    t.onerror = null;
  }
  idle.push(...threads);
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => idle.splice(0).forEach((t) => t.terminate()), IDLE_MS);
}

/** Run the replicas in worker threads until the run ends. */
function runWorkers(
  shared: SharedRun,
  config: ReplicaConfig,
  workers: number,
  progress: ProgressSink,
  onEpoch: (stats: EpochStats) => void,
  onWeights: (values: Float32Array) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const threads: Worker[] = [];
    let finished = 0, failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      threads.forEach((t) => t.terminate()); // a failed run's workers are not reused
      reject(error);
    };
    for (let replica = 0; replica < workers; replica++) {
      const worker = takeWorker();
      threads.push(worker);
      worker.onmessage = ({ data }: MessageEvent<ReplicaMessage>) => {
        if (data.type === "progress") progress.update(data.epoch, data.update, data.loss, data.lr);
        else if (data.type === "epoch") onEpoch(data.stats);
        else if (data.type === "weights") onWeights(data.values);
        else if (data.type === "done") {
          if (++finished === workers && !failed) {
            releaseWorkers(threads);
            resolve();
          }
        } else if (data.type === "error") {
          fail(new Error(`training worker ${replica} failed: ${data.message}`));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        fail(new Error(`training worker ${replica} failed: ${event.message}`));
      };
      const start: WorkerStart = { shared, config: { ...config, replica, replicas: workers } };
      worker.postMessage(start);
    }
  });
}

/**
 * Train one run: LeNet on the first `config.trainSize` images of `data` with
 * the learning rate `rates[u]` at update `u`, in `options.workers` threads.
 * A NaN or infinite minibatch loss ends the run, with `divergedAt` set to that
 * epoch; that is a result, not an error. A plateau run (`config.plateau`) also
 * measures the last `holdOut` training images after each epoch and lowers the
 * next epoch's rates as the scheduler decides (./plateau.ts): a held-out loss
 * that is not finite ends it as diverged too.
 *
 * @param data The dataset.
 * @param config The resolved settings (./config.ts).
 * @param rates One rate per update of the whole run (for a plateau run, before any cut).
 * @param options Threads, progress, and whether to return the weights.
 * @returns The per-epoch history, where it diverged, the weights and the loss of every update
 *   if asked, and the rates used.
 */
export async function runEngine(
  data: FashionMnist,
  config: RunConfig,
  rates: Float64Array,
  options: EngineOptions,
): Promise<EngineRun> {
  const { progress, workers } = options;
  const history: EpochRecord[] = [];
  let divergedAt: number | null = null;
  let weights: Float32Array | null = null;
  const updateLosses: number[] | null = config.updateLosses ? [] : null;
  const shared = sharedData(data, config, workers, lenetParameterCount(config.width));
  const replicaConfig: ReplicaConfig = {
    ...config,
    replica: 0,
    replicas: workers,
    rates,
    sendWeights: options.weights ?? false,
    updateLosses: updateLosses !== null,
  };
  // The rates as they ran: a plateau run's are cut here as its replicas cut theirs.
  const used = config.plateau ? rates.slice() : rates;
  let cap = config.plateau?.options.baseLr ?? Infinity;
  if (config.plateau) capEpoch(used, 0, config.updatesPerEpoch, cap);
  const onEpoch = (stats: EpochStats) => {
    const first = (stats.epoch - 1) * config.updatesPerEpoch;
    const record: EpochRecord = {
      epoch: stats.epoch,
      lr: used[first],
      lrLast: used[first + config.updatesPerEpoch - 1],
      trainLoss: stats.trainLoss,
      trainAcc: stats.trainAcc,
      testAcc: stats.testAcc,
      seconds: stats.seconds,
    };
    if (stats.plateau) {
      record.plateau = stats.plateau;
      cap = stats.plateau.lr;
      capEpoch(used, stats.epoch, config.updatesPerEpoch, cap);
    }
    history.push(record);
    if (updateLosses !== null) updateLosses.push(...(stats.losses ?? []));
    if (stats.diverged) divergedAt = stats.epoch;
    progress.epochDone(
      stats.diverged
        ? `epoch ${stats.epoch}/${config.epochs}: diverged (loss is not finite), run stopped`
        : `epoch ${stats.epoch}/${config.epochs}  loss ${record.trainLoss.toFixed(4)}  ` +
          `train acc ${record.trainAcc.toFixed(4)}  test acc ${record.testAcc.toFixed(4)}  ` +
          `${record.seconds.toFixed(1)}s`,
    );
  };
  try {
    await runWorkers(shared, replicaConfig, workers, progress, onEpoch, (values) => {
      weights = values;
    });
  } finally {
    progress.close();
  }
  if (config.plateau) {
    // Epochs that never ran (after a divergence) at the rate the scheduler last had in force.
    for (let e = history.length; e < config.epochs; e++) {
      capEpoch(used, e, config.updatesPerEpoch, cap);
    }
  }
  return { history, divergedAt, weights, rates: used, updateLosses };
}
