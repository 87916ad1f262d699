/**
 * The engine fingerprint: a hash of what the engine computes, not of its source.
 *
 * A run's numbers are decided by everything the engine runs: the compiled SIMD
 * kernels and the code that calls them, the weight
 * initialisation, the shuffling and data order, the augmentation, the
 * conversion of the IDX bytes to pixels. Hashing their sources misses some
 * and over-reacts to others (a comment). So instead a fixed, tiny training is
 * run and what it produced is hashed: the final weights and every metric of
 * every epoch, bit for bit. Every option a frozen run may use is exercised:
 * the classic and the wider net, with and without augmentation, rates set per
 * epoch and per update, one and two workers, a minibatch that does not fill
 * up, and an evaluation batch that does not either. A change that alters any
 * number changes the fingerprint; a refactor that keeps every number does not.
 * The loss of every update that a range test asks for (`updateLosses`) is not
 * hashed: it is made of the same losses as each epoch's mean, which is, and
 * `train_test.ts` checks that the two agree.
 *
 * A plateau run (./plateau.ts) also depends on code no other run uses: the
 * held-out images, the scheduler's decisions, the capped rates. That path has
 * a fingerprint of its own ({@linkcode plateauFingerprint}), which only a
 * plateau run's key holds, so every other key stays as it was.
 *
 * @module
 */

import {
  encodeIdxImages,
  encodeIdxLabels,
  type FashionMnist,
  parseIdxImages,
  parseIdxLabels,
  sha256Hex,
} from "../data/mod.ts";
import { hashKey } from "../util/hash_key.ts";
import { ratesFor, resolveConfig } from "./config.ts";
import { runEngine } from "./engine.ts";
import { silentProgress } from "./progress.ts";
import { mulberry32 } from "./rng.ts";
import type { TrainRequest } from "./types.ts";

/** Made-up images: random pixels with a class-dependent bright square, as IDX bytes. */
function syntheticSplit(count: number, seed: number) {
  const random = mulberry32(seed);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(random() * 10);
    labels[i] = label;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28), col = p % 28;
      const inSquare = Math.abs(row - 4 - 2 * label) < 4 && Math.abs(col - 14) < 6;
      pixels[i * 784 + p] = inSquare ? 200 + Math.floor(random() * 56) : Math.floor(random() * 90);
    }
  }
  // Through the loader's own decoding, so a change to it changes the fingerprint too.
  const images = parseIdxImages(encodeIdxImages(pixels), "fingerprint-images").images;
  const parsed = parseIdxLabels(encodeIdxLabels(labels), "fingerprint-labels").labels;
  return { count, images, labels: parsed };
}

let data: FashionMnist | null = null;

/** The probe runs: together they use every option a run of the book can set. */
export const PROBES: readonly (TrainRequest & { workers: number })[] = [
  {
    name: "classic, per epoch, 1 worker",
    schedule: (epoch) => 0.2 / (1 + epoch),
    stepsPer: "epoch",
    epochs: 2,
    trainSize: 352, // one full minibatch of 256 and one of 96, like the last of a real epoch
    testSize: 600, // one evaluation batch of 500 and one of 100
    seed: 7,
    workers: 1,
  },
  {
    name: "wider, augmented, per update, 2 workers",
    schedule: (update) => 0.05 + 0.02 * update,
    stepsPer: "update",
    epochs: 1,
    trainSize: 352,
    testSize: 600,
    seed: 11,
    width: 2,
    augment: true,
    workers: 2,
  },
];

/**
 * The probe of a plateau run (./plateau.ts), for {@linkcode plateauFingerprint}: the held-out
 * images, the scheduler's decisions and the capped rates, over replicas that must agree. Its
 * threshold is so high that no epoch improves on the first, so the rate is cut after every
 * later epoch; the schedule rises per update, so the cap binds in some updates and not others.
 */
export const PLATEAU_PROBE: TrainRequest & { workers: number } = {
  name: "plateau, per update, 2 workers",
  schedule: (update) => 0.05 + 0.01 * update,
  stepsPer: "update",
  epochs: 3,
  batchSize: 64, // 4 updates per epoch
  trainSize: 256,
  testSize: 600,
  seed: 13,
  plateau: {
    options: { baseLr: 0.1, factor: 0.3, patience: 0, threshold: 0.5 },
    metric: "loss",
    holdOut: 96, // the synthetic training split's last 96 of 352 images
  },
  workers: 2,
};

let fingerprint: Promise<string> | null = null;
let plateauPrint: Promise<string> | null = null;

/**
 * The engine fingerprint (64 hex digits), computed once per process by
 * training the {@linkcode PROBES} on made-up data (about a second) and hashing
 * their weights and metrics. Wall-clock times are left out.
 *
 * @returns The fingerprint.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { engineFingerprint } from "./fingerprint.ts";
 * const a = await engineFingerprint();
 * assert.match(a, /^[0-9a-f]{64}$/);
 * assert.equal(await engineFingerprint(), a); // once per process
 * ```
 */
export function engineFingerprint(): Promise<string> {
  fingerprint ??= computeFingerprint();
  return fingerprint;
}

/** Train the probes and hash what they produced (uncached: see {@linkcode engineFingerprint}). */
export async function computeFingerprint(): Promise<string> {
  // The probes run side by side: the cost is mostly starting the workers.
  const runs = await Promise.all(PROBES.map(probe));
  return hashKey(runs.map((r) => r.part));
}

/** The made-up data of the probes, made once. */
function probeData(): FashionMnist {
  data ??= {
    train: syntheticSplit(352, 1),
    test: syntheticSplit(600, 2),
    source: "synthetic",
    checksum: "synthetic",
  };
  return data;
}

/** Train one probe: what it produced (wall-clock times left out), and the rates it ran at. */
async function probe({ workers, ...request }: TrainRequest & { workers: number }) {
  const config = resolveConfig(request);
  const rates = ratesFor(request.schedule, config);
  const run = await runEngine(probeData(), config, rates, {
    workers,
    progress: silentProgress,
    weights: true,
  });
  const weights = run.weights === null ? null : await sha256Hex(new Uint8Array(run.weights.buffer));
  const history = run.history.map(({ seconds: _, ...metrics }) => metrics);
  return { part: { history, divergedAt: run.divergedAt, weights }, rates: run.rates };
}

/**
 * The fingerprint of the plateau path (64 hex digits), computed once per process by training
 * {@linkcode PLATEAU_PROBE}: its weights, metrics, held-out numbers, the scheduler's record of
 * every epoch and the rates it let run. A plateau run's key adds it to
 * {@linkcode engineFingerprint}, so a change to that path alone changes the key of every
 * plateau run and of no other run.
 *
 * @returns The fingerprint.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { plateauFingerprint } from "./fingerprint.ts";
 * assert.match(await plateauFingerprint(), /^[0-9a-f]{64}$/);
 * ```
 */
export function plateauFingerprint(): Promise<string> {
  plateauPrint ??= probe(PLATEAU_PROBE).then(({ part, rates }) =>
    hashKey({ ...part, rates: Array.from(rates) })
  );
  return plateauPrint;
}
