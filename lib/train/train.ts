/**
 * `train()`: LeNet on Fashion-MNIST with a learning-rate schedule, on all cores,
 * or the stored record of the very same run.
 *
 * A run's key hashes its request (settings, every rate, the dataset's
 * checksum) together with the engine fingerprint (./fingerprint.ts): what the
 * engine computes, not its source. A record whose request is asked for again
 * on the same engine is the same run, and is read back instead of trained.
 *
 * @module
 */

import {
  FASHION_MNIST_CHECKSUM,
  type FashionMnist,
  loadFashionMnist,
  sha256Hex,
} from "../data/mod.ts";
import { hashKey } from "../util/hash_key.ts";
import {
  encodeRates,
  fileCache,
  resultOf,
  type RunCache,
  type RunRecord,
  SCRATCH_DIR,
} from "./cache.ts";
import { integer, ratesFor, resolveConfig } from "./config.ts";
import { runEngine } from "./engine.ts";
import { engineFingerprint, plateauFingerprint } from "./fingerprint.ts";
import { type ProgressSink, silentProgress, terminalProgress } from "./progress.ts";
import { kernelBytes } from "./simd/mod.ts";
import type { RunConfig, RunResult, StepUnit, TrainRequest } from "./types.ts";

export { ratesFor, resolveConfig };

/** How to run (not what to run: that is the {@linkcode TrainRequest}). */
export interface TrainOptions {
  /** The dataset, if already loaded; else it is loaded (and found) when a run must train. */
  data?: FashionMnist;
  /** Where to look for the dataset first (the `--data` flag). */
  dataDir?: string;
  /**
   * Worker threads, each taking its share of every minibatch (default 2, even on one core).
   * The shares' gradients are added, so another number of workers rounds differently and
   * gives numbers that agree only to float tolerance: it is part of the run's key.
   */
  workers?: number;
  /** Where finished runs are kept (default: the scratch cache `data/runs/`); `null` for none. */
  cache?: RunCache | null;
  /** Train even if the store has the run (the result is stored anew). */
  fresh?: boolean;
  /** Progress display: a terminal bar/lines on stderr (default), none, or your own. */
  progress?: "terminal" | "silent" | ProgressSink;
}

/** A request, resolved and keyed, before any training. */
export interface KeyedRequest {
  /** The settings it runs with. */
  config: RunConfig;
  /** One rate per update (a plateau run's before any cut: its scheduler decides the rest). */
  rates: Float64Array;
  /** The hash of the request alone: settings, rates and the dataset's checksum. */
  request: string;
  /** The run's key: the request's hash and the engine fingerprint, hashed. */
  key: string;
}

/** The run's workers by default: two, so that a run gives the same numbers on any machine. */
export const DEFAULT_WORKERS = 2;

/**
 * Resolve a request and compute its key, without training or loading data.
 * The first call in a process computes the engine fingerprint (about a second).
 * A plateau run's key also holds the fingerprint of the plateau path
 * (./fingerprint.ts `plateauFingerprint`); every other key is made as it always was.
 *
 * @param request What to run.
 * @param how The worker count (default {@linkcode DEFAULT_WORKERS}) and the dataset's
 *   checksum (default: Fashion-MNIST's, which the loader checks).
 * @returns Settings, rates, request hash and key.
 * @throws {RangeError} naming the field, when a setting or a rate is out of range.
 */
export async function keyOf(
  request: TrainRequest,
  how: { workers?: number; dataChecksum?: string } = {},
): Promise<KeyedRequest> {
  const { config, rates, request: hash } = await requestOf(request, how);
  const engine = await engineFingerprint();
  const key = config.plateau === undefined
    ? await hashKey({ version: 2, request: hash, engine })
    : await hashKey({ version: 2, request: hash, engine, plateau: await plateauFingerprint() });
  return { config, rates, request: hash, key };
}

/**
 * Resolve a request and hash it, without the engine: what {@linkcode keyOf} does before it
 * adds the engine fingerprint (which takes a small training to compute), so a caller can see
 * whether a store holds any record of the request before paying for the key. The hash covers
 * the settings (a plateau run's with its scheduler's options, held-out images and metric) and
 * every rate the schedule gives.
 *
 * @param request What to run.
 * @param how The worker count and the dataset's checksum, as for {@linkcode keyOf}.
 * @returns Settings, rates and the request's hash.
 * @throws {RangeError} naming the field, when a setting or a rate is out of range.
 */
export async function requestOf(
  request: TrainRequest,
  how: { workers?: number; dataChecksum?: string } = {},
): Promise<Omit<KeyedRequest, "key">> {
  const workers = integer("workers", how.workers ?? DEFAULT_WORKERS, 1, 64);
  const config = resolveConfig(request);
  const rates = ratesFor(request.schedule, config);
  const hash = await hashKey({
    version: 2,
    config,
    rates: Array.from(rates),
    workers,
    data: how.dataChecksum ?? FASHION_MNIST_CHECKSUM,
  });
  return { config, rates, request: hash };
}

let defaultData: Promise<FashionMnist> | null = null;

let kernelsHash: Promise<string> | null = null;

/** The SHA-256 of the compiled kernels, hex. */
function kernels(): Promise<string> {
  kernelsHash ??= kernelBytes().then(sha256Hex);
  return kernelsHash;
}

/**
 * Train LeNet on Fashion-MNIST with `request.schedule`, or return the stored
 * record of the very same run.
 *
 * The loop owns the step count: per epoch, every update of epoch `e` uses
 * `schedule(e)`; per update, update `u` uses `schedule(u)` (both 0-based). A
 * plateau run (`request.plateau`) caps each epoch's rates at the rate its
 * scheduler decided after the epoch before, from the held-out images; the
 * result's epochs and the stored record hold the rates that ran. A
 * NaN or infinite minibatch loss ends the run, with `divergedAt` set to that
 * epoch; that is a result, not an error. The data is loaded only when a run
 * must be trained.
 *
 * @param request What to run (schedule, epochs, sizes, seed).
 * @param options How to run it (data, workers, store, progress).
 * @returns The per-epoch history (and, if the request asked, the loss of every update) and the
 *   settings used.
 */
export async function train(request: TrainRequest, options: TrainOptions = {}): Promise<RunResult> {
  const workers = integer("workers", options.workers ?? DEFAULT_WORKERS, 1, 64);
  const { config, rates, request: hash, key } = await keyOf(request, {
    workers,
    dataChecksum: options.data?.checksum,
  });
  const cache = options.cache === undefined ? fileCache(SCRATCH_DIR) : options.cache;
  if (cache && !options.fresh) {
    const hit = await cache.get(key);
    if (hit) return resultOf(hit, request.name);
  }
  let data = options.data;
  if (data === undefined) {
    defaultData ??= loadFashionMnist({ dir: options.dataDir });
    data = await defaultData;
  }
  const progress = options.progress === "silent"
    ? silentProgress
    : options.progress === undefined || options.progress === "terminal"
    ? terminalProgress(request.name, config.epochs, config.updatesPerEpoch)
    : options.progress;
  const run = await runEngine(data, config, rates, { workers, progress });
  const { history, divergedAt, updateLosses } = run;
  const record: RunRecord = {
    format: 1,
    key,
    request: hash,
    name: request.name,
    config,
    rates: encodeRates(run.rates), // the rates that ran: a plateau run's as its scheduler cut them
    history,
    divergedAt,
    ...(updateLosses !== null ? { updateLosses } : {}),
    producedBy: {
      engine: await engineFingerprint(),
      kernels: await kernels(),
      deno: Deno.version.deno,
      date: new Date().toISOString(),
      cores: navigator.hardwareConcurrency ?? 1,
      workers,
      seconds: Math.round(history.reduce((s, e) => s + e.seconds, 0) * 10) / 10,
    },
  };
  if (cache) await cache.put(record);
  return { ...resultOf(record, request.name), cached: false };
}

/** Re-exported for callers that only need the unit names. */
export type { StepUnit };
