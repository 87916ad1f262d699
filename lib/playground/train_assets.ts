/**
 * What the site's build makes for the training panel (./trainer.ts): two
 * scripts, loaded by the page only when the reader first trains, and the
 * panel's data.
 *
 * - The engine, `assets/train.js`: the worker (./train_worker.ts and the
 *   engine it runs, lib/train, bundled by esbuild into a classic script) and
 *   lib/train/simd/kernels.wasm, as text.
 * - The data, `assets/train-data.js`: a class-balanced subset of the real
 *   Fashion-MNIST files ({@linkcode SUBSET}, lib/data/subset.ts), packed and
 *   written as ASCII text (lib/util/ascii_bytes.ts). It is made once from the
 *   data files and kept in `data/subset/` (never committed), so a build
 *   reads it rather than the whole dataset.
 * - The panel's data: the chapter's full-size run, if the frozen results
 *   hold it, to draw beside the run in the page.
 *
 * @module
 */

import {
  DataNotFoundError,
  FASHION_MNIST_CHECKSUM,
  type FashionMnist,
  loadFashionMnist,
} from "../data/mod.ts";
import { balancedSubset, packSubset } from "../data/subset.ts";
import type { FileCache } from "../train/cache.ts";
import { kernelBytes } from "../train/simd/mod.ts";
import { keyOf, requestOf } from "../train/train.ts";
import type { TrainRequest } from "../train/types.ts";
import { asciiLiteral, bytesToAscii } from "../util/ascii_bytes.ts";
import { hashKey } from "../util/hash_key.ts";
import { writeAtomic } from "../util/write_atomic.ts";
import { bundleScript } from "./bundle.ts";
import {
  DATA_GLOBAL,
  ENGINE_GLOBAL,
  type FullRun,
  SUBSET,
  type TrainerData,
} from "./train_protocol.ts";

/** The worker's entry point. */
export const TRAIN_WORKER_ENTRY = new URL("./train_worker.ts", import.meta.url);

/** The modules the data script is made with (their sources are part of its cache key). */
export const TRAIN_DATA_CODE = [
  new URL("../data/subset.ts", import.meta.url),
  new URL("../util/ascii_bytes.ts", import.meta.url),
];

/** Where the data script is kept once made (git-ignored). */
export const SUBSET_CACHE_DIR = new URL("../../data/subset/", import.meta.url).pathname;

const encoder = new TextEncoder();

/**
 * The engine's script: the worker, bundled, and the kernels.
 *
 * @param key A hash of the worker's sources (the bundle is memoised under it).
 * @returns The script's bytes.
 */
export async function trainEngineScript(key: string): Promise<Uint8Array> {
  const worker = new TextDecoder().decode(
    await bundleScript(
      TRAIN_WORKER_ENTRY,
      "/* The book's training engine for the page: lib/playground/train_worker.ts with " +
        "lib/train, bundled by esbuild at build time. */",
      key,
    ),
  );
  const kernels = bytesToAscii(await kernelBytes());
  return encoder.encode(
    `/* The training panel's engine: the worker's code (lib/train, bundled) and ` +
      `lib/train/simd/kernels.wasm as ASCII text (lib/util/ascii_bytes.ts). */\n` +
      `globalThis.${ENGINE_GLOBAL}={worker:${JSON.stringify(worker)},kernels:${
        asciiLiteral(kernels)
      }};\n`,
  );
}

/** How to make the data script. */
export interface TrainDataOptions {
  /** A hash of {@linkcode TRAIN_DATA_CODE}'s sources: a made script is kept under it. */
  key: string;
  /** Where the dataset is, if given (the `--data` flag). */
  dataDir?: string;
  /** The dataset, if loaded already (tests). */
  data?: FashionMnist;
  /** Where made scripts are kept (default {@linkcode SUBSET_CACHE_DIR}); `null`: nowhere. */
  cacheDir?: string | null;
}

/**
 * The data script: the subset, packed, as a script that sets {@linkcode DATA_GLOBAL}.
 *
 * @param options The key, and where the data is.
 * @returns The script's bytes, or `null` when Fashion-MNIST is not on this machine (it is not
 *   downloaded for this: the page then says the build has no training data).
 * @throws {DataError} When the data is there but not the official files.
 */
export async function trainDataScript(options: TrainDataOptions): Promise<Uint8Array | null> {
  const name = await hashKey({
    format: 1,
    key: options.key,
    subset: SUBSET,
    data: options.data?.checksum ?? FASHION_MNIST_CHECKSUM,
  });
  const cacheDir = options.cacheDir === undefined ? SUBSET_CACHE_DIR : options.cacheDir;
  const file = cacheDir === null ? null : `${cacheDir.replace(/\/$/, "")}/${name}.js`;
  if (file !== null) {
    const kept = await Deno.readFile(file).catch(() => null);
    if (kept !== null) return kept;
  }
  let data = options.data;
  if (data === undefined) {
    try {
      data = await loadFashionMnist({ dir: options.dataDir, download: false });
    } catch (error) {
      if (error instanceof DataNotFoundError) return null;
      throw error;
    }
  }
  const subset = balancedSubset(data, SUBSET.train / 10, SUBSET.test / 10);
  const packed = await packSubset(subset);
  const script = encoder.encode(
    `/* Fashion-MNIST for training in the page: a class-balanced subset of the original files ` +
      `(the first ${SUBSET.train / 10} training and ${SUBSET.test / 10} test images of each ` +
      `class), packed by lib/data/subset.ts, as ASCII text (lib/util/ascii_bytes.ts). ` +
      `Fashion-MNIST is Zalando Research's, MIT licence. */\n` +
      `globalThis.${DATA_GLOBAL}={train:${SUBSET.train},test:${SUBSET.test},packed:${
        asciiLiteral(bytesToAscii(packed))
      }};\n`,
  );
  if (file !== null) await writeAtomic(file, script);
  return script;
}

/** The frozen results, as far as the panel reads them. */
export type FrozenStore = Pick<FileCache, "list" | "get">;

/**
 * The panel's data: the chapter's full-size run from the frozen results, or a sentence saying
 * why none is drawn.
 *
 * @param request The chapter's full-size run of the panel's schedule, or `null` if it has none.
 * @param frozen The frozen results.
 * @param scripts Where the engine's and the data's scripts are, relative to the page.
 * @returns The data.
 */
export async function trainerData(
  request: TrainRequest | null,
  frozen: FrozenStore,
  scripts: TrainerData["scripts"],
): Promise<TrainerData> {
  if (request === null) {
    return {
      full: null,
      fullNote: "This chapter trains no full-size run of its own, so none is drawn beside the " +
        "run in the page.",
      scripts,
    };
  }
  const { records } = await frozen.list();
  const { request: hash } = await requestOf(request);
  const same = records.filter((r) => r.request === hash);
  // Only now the key, which needs the engine fingerprint (a small training).
  const record = same.length ? await frozen.get((await keyOf(request)).key) : null;
  if (record === null) {
    return {
      full: null,
      fullNote: `The chapter's full-size run, "${request.name}", is not in the frozen results ` +
        (same.length
          ? "for this engine yet (the record there was trained by another one)"
          : "yet") +
        ": `deno task freeze` trains it. Until then there is nothing to draw beside the run " +
        "in the page.",
      scripts,
    };
  }
  const { config } = record;
  const full: FullRun = {
    name: request.name,
    epochs: config.epochs,
    trainSize: config.trainSize,
    testSize: config.testSize,
    batchSize: config.batchSize,
    seed: config.seed,
    stepsPer: config.stepsPer,
    history: record.history.map((e) => ({
      epoch: e.epoch,
      lr: e.lr,
      lrLast: e.lrLast,
      trainLoss: Number.isFinite(e.trainLoss) ? e.trainLoss : null,
      trainAcc: e.trainAcc,
      testAcc: e.testAcc,
    })),
    divergedAt: record.divergedAt,
  };
  return { full, fullNote: null, scripts };
}
