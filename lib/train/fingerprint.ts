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

let fingerprint: Promise<string> | null = null;

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
  data ??= {
    train: syntheticSplit(352, 1),
    test: syntheticSplit(600, 2),
    source: "synthetic",
    checksum: "synthetic",
  };
  // The probes run side by side: the cost is mostly starting the workers.
  const parts = await Promise.all(PROBES.map(async ({ workers, ...request }) => {
    const config = resolveConfig(request);
    const rates = ratesFor(request.schedule, config);
    const run = await runEngine(data!, config, rates, {
      workers,
      progress: silentProgress,
      weights: true,
    });
    const weights = run.weights === null
      ? null
      : await sha256Hex(new Uint8Array(run.weights.buffer));
    const history = run.history.map(({ seconds: _, ...metrics }) => metrics);
    return { history, divergedAt: run.divergedAt, weights };
  }));
  return hashKey(parts);
}
