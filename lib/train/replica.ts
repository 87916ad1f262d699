/**
 * One replica of the data-parallel training loop; each worker runs one.
 *
 * The network is ./net.ts: LeNet on the SIMD kernels, in a memory of the
 * worker's own. Every replica holds the same LeNet (same seed, so the same initial
 * weights) and walks the same shuffled minibatches. Replica `k` of `R` takes
 * the `k`-th slice of each minibatch, computes the gradient of its share of
 * the batch's mean loss, and writes it to slot `k` of a shared buffer. After a
 * barrier every replica adds the slots up in the same order and applies the
 * same update, so the weights stay identical everywhere without ever being
 * sent. With `R = 1` this is plain minibatch SGD.
 *
 * @module
 */

import { alter, alteration } from "./augment.ts";
import { initialWeights } from "./init.ts";
import { type BatchCount, createNet, type Net } from "./net.ts";
import { capEpoch, plateauStep, startPlateau } from "./plateau.ts";
import { mulberry32, permutation } from "./rng.ts";
import type { PlateauEpoch, PlateauSettings } from "./types.ts";

/**
 * A buffer of a run: shared memory when replicas run in several threads; with one replica
 * (a page without cross-origin isolation has no shared memory) a plain buffer will do.
 */
export type RunBuffer = SharedArrayBuffer | ArrayBuffer;

/** Shared memory of a run: data, gradient slots, a barrier and counters. */
export interface SharedRun {
  /** Training images, `trainSize * 784` floats in [0, 1]. */
  trainImages: RunBuffer;
  /** Training labels, `trainSize` int32. */
  trainLabels: RunBuffer;
  testImages: RunBuffer;
  testLabels: RunBuffer;
  /** Plateau runs only: the held-out images (`holdOut * 784` floats) and their labels. */
  heldOutImages?: RunBuffer;
  heldOutLabels?: RunBuffer;
  /** `replicas` slots of `paramCount + 2` floats (gradient, loss sum, correct count). */
  slots: RunBuffer;
  /** Int32 words: [arrived, generation, stop]. */
  barrier: RunBuffer;
}

/** What a replica needs to know besides the shared memory. */
export interface ReplicaConfig {
  replica: number;
  replicas: number;
  seed: number;
  batchSize: number;
  trainSize: number;
  testSize: number;
  epochs: number;
  updatesPerEpoch: number;
  /** Channel and unit multiplier of LeNet. */
  width: number;
  /** Alter every training example (random flip and shift) each epoch. */
  augment: boolean;
  /**
   * `rates[u]` is the learning rate of update `u` (counted over the whole run); for a plateau
   * run, the rate before any cut (the replica caps a copy of it epoch by epoch).
   */
  rates: Float64Array;
  /** Reduce-on-plateau on the held-out images (./plateau.ts), for a plateau run. */
  plateau?: PlateauSettings;
  /** Replica 0 sends the final weights, flattened in parameter order, before `done`. */
  sendWeights?: boolean;
  /** Replica 0 sends the loss of every update with each epoch's stats ({@linkcode EpochStats.losses}). */
  updateLosses?: boolean;
}

/** The metrics of one epoch, as counted by the replicas together. */
export interface EpochStats {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
  /** True if a minibatch loss was NaN or infinite in this epoch. */
  diverged: boolean;
  /** Wall-clock seconds of the epoch, training and evaluation. */
  seconds: number;
  /** Plateau runs, unless the epoch diverged: what the scheduler saw and decided. */
  plateau?: PlateauEpoch;
  /**
   * With {@linkcode ReplicaConfig.updateLosses}: the mean minibatch loss of each of the epoch's
   * updates, in order, each computed before its update; a diverged epoch's list stops before the
   * update whose loss was not finite.
   */
  losses?: number[];
}

/** What a caller may add to a replica's run; Deno's workers add nothing. */
export interface ReplicaHooks {
  /** The kernels module's bytes (default: kernels.wasm, read from disk; a page passes them). */
  kernels?: Uint8Array<ArrayBuffer>;
  /**
   * Called after each update with the number of updates done so far in the run; the loop waits
   * for the promise it returns before the next update. A page's worker yields to its events
   * here (a Stop, a Resume) and holds the run while it is stopped. The numbers do not change.
   */
  afterUpdate?: (done: number) => void | Promise<void>;
}

/** Messages a replica sends while it runs. */
export type ReplicaMessage =
  | { type: "progress"; epoch: number; update: number; loss: number; lr: number }
  | { type: "epoch"; stats: EpochStats }
  | { type: "weights"; values: Float32Array }
  | { type: "done" }
  | { type: "error"; message: string };

const PIXELS = 28 * 28;
const EVAL_BATCH = 500;

/** Wait until all `replicas` replicas have arrived (a reusable barrier). */
function arrive(words: Int32Array, replicas: number): void {
  if (replicas === 1) return;
  const generation = Atomics.load(words, 1);
  if (Atomics.add(words, 0, 1) === replicas - 1) {
    Atomics.store(words, 0, 0);
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
  } else {
    while (Atomics.load(words, 1) === generation) Atomics.wait(words, 1, generation);
  }
}

/**
 * Copy images `order[from..to)` into `pixels` (in that order), each altered as
 * {@linkcode alteration} says for that epoch when `augment` is given, and
 * return their labels.
 */
function gather(
  { images, labels }: { images: Float32Array; labels: Int32Array },
  order: Int32Array,
  from: number,
  to: number,
  pixels: Float32Array,
  augment?: { seed: number; epoch: number },
): Int32Array {
  const picked = new Int32Array(to - from);
  for (let i = 0; i < to - from; i++) {
    const row = order[from + i];
    const image = images.subarray(row * PIXELS, (row + 1) * PIXELS);
    const target = pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
    if (augment) alter(image, target, alteration(augment.seed, augment.epoch, row));
    else target.set(image);
    picked[i] = labels[row];
  }
  return picked;
}

/** The slice `[start, end)` of `size` rows that replica `k` of `r` takes. */
export function share(size: number, k: number, r: number): [number, number] {
  return [Math.floor((size * k) / r), Math.floor((size * (k + 1)) / r)];
}

const nets = new Map<string, Promise<Net>>();

/** A network of this worker's for `width` and `maxBatch`, made once and reused by later runs. */
function netFor(width: number, maxBatch: number, source?: Uint8Array<ArrayBuffer>): Promise<Net> {
  const id = `${width}/${maxBatch}`;
  let net = nets.get(id);
  if (net === undefined) nets.set(id, net = createNet(width, maxBatch, { source }));
  return net;
}

/** Number of test images in `[from, to)` that `net` classifies right. */
function evaluate(
  net: Net,
  images: Float32Array,
  labels: Int32Array,
  from: number,
  to: number,
): number {
  let right = 0;
  for (let start = from; start < to; start += EVAL_BATCH) {
    const end = Math.min(to, start + EVAL_BATCH);
    net.input.set(images.subarray(start * PIXELS, end * PIXELS));
    right += net.countRight(end - start, labels.subarray(start, end));
  }
  return right;
}

/** The summed losses and the number right of held-out images `[from, to)`, forward only. */
function countHeldOut(
  net: Net,
  images: Float32Array,
  labels: Int32Array,
  from: number,
  to: number,
): BatchCount {
  let lossSum = 0, right = 0;
  for (let start = from; start < to; start += EVAL_BATCH) {
    const end = Math.min(to, start + EVAL_BATCH);
    net.input.set(images.subarray(start * PIXELS, end * PIXELS));
    const counted = net.count(end - start, labels.subarray(start, end));
    lossSum += counted.lossSum;
    right += counted.right;
  }
  return { lossSum, right };
}

/**
 * Run the whole training loop as replica `config.replica`. Replica 0 reports
 * progress and per-epoch metrics through `send`. Returns when all epochs are
 * done or the loss diverged. `hooks` are for a page's worker: the kernels'
 * bytes, and a call between updates.
 */
export async function runReplica(
  shared: SharedRun,
  config: ReplicaConfig,
  send: (message: ReplicaMessage) => void,
  hooks: ReplicaHooks = {},
): Promise<void> {
  const { replica, replicas, batchSize, trainSize, testSize, updatesPerEpoch } = config;
  // A plateau run lowers its rates as it goes: in a copy of its own.
  const rates = config.plateau ? config.rates.slice() : config.rates;
  const train = {
    images: new Float32Array(shared.trainImages),
    labels: new Int32Array(shared.trainLabels),
  };
  const testImages = new Float32Array(shared.testImages);
  const testLabels = new Int32Array(shared.testLabels);
  const barrier = new Int32Array(shared.barrier);

  const maxBatch = Math.max(EVAL_BATCH, Math.ceil(batchSize / replicas));
  const net = await netFor(config.width, maxBatch, hooks.kernels);
  net.params.set(initialWeights(config.seed, config.width));
  const paramCount = net.params.length;
  // A slot: the gradient, then the loss sum and the number right.
  const width = paramCount + 2, LOSS = paramCount, RIGHT = paramCount + 1;
  const slots = new Float32Array(shared.slots);
  const mine = slots.subarray(replica * width, (replica + 1) * width);
  const total = new Float32Array(width);
  /** Wait for every replica's slot, then add them up (in the same order everywhere). */
  const reduce = () => {
    arrive(barrier, replicas);
    total.set(slots.subarray(0, width));
    for (let r = 1; r < replicas; r++) {
      const other = slots.subarray(r * width, (r + 1) * width);
      for (let i = 0; i < width; i++) total[i] += other[i];
    }
    arrive(barrier, replicas); // nobody writes its slot again before all have read
  };
  if (config.plateau && !(shared.heldOutImages && shared.heldOutLabels)) {
    throw new TypeError("a plateau run needs its held-out images in the shared memory");
  }
  const watch = config.plateau === undefined ? null : {
    settings: config.plateau,
    images: new Float32Array(shared.heldOutImages!),
    labels: new Int32Array(shared.heldOutLabels!),
    state: startPlateau(config.plateau),
  };
  if (watch) capEpoch(rates, 0, updatesPerEpoch, watch.state.lr); // the first epoch: baseLr

  // #region loop
  const shuffle = mulberry32(config.seed ^ 0x5eed);
  let update = 0; // the loop owns the step count
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const began = performance.now();
    const order = permutation(trainSize, shuffle);
    let lossSum = 0, rightSum = 0, diverged = false;
    const losses = replica === 0 && config.updateLosses ? [] as number[] : undefined;
    for (let b = 0; b < updatesPerEpoch; b++, update++) {
      const start = b * batchSize, size = Math.min(batchSize, trainSize - start);
      const [from, to] = share(size, replica, replicas);
      const altered = config.augment ? { seed: config.seed, epoch } : undefined;
      const labels = gather(train, order, start + from, start + to, net.input, altered);
      // This replica's share of the gradient of the batch's mean loss: its losses summed / size.
      const counted = net.gradient(to - from, labels, size);
      mine.set(net.grads);
      mine[LOSS] = counted.lossSum;
      mine[RIGHT] = counted.right;
      reduce();
      const loss = total[LOSS] / size;
      if (!Number.isFinite(loss)) {
        diverged = true;
        break;
      }
      lossSum += total[LOSS];
      rightSum += total[RIGHT];
      losses?.push(loss); // only when asked for: a range test's loss of every update
      const lr = rates[update];
      net.sgd(total.subarray(0, paramCount), lr); // the same update in every replica
      if (replica === 0 && (b % 4 === 0 || b === updatesPerEpoch - 1)) {
        send({ type: "progress", epoch, update: b + 1, loss, lr });
      }
      if (hooks.afterUpdate) await hooks.afterUpdate(update + 1);
    }
    const [from, to] = share(testSize, replica, replicas);
    mine[RIGHT] = diverged ? 0 : evaluate(net, testImages, testLabels, from, to);
    reduce();
    const testAcc = total[RIGHT] / testSize;
    let decided: PlateauEpoch | undefined;
    if (watch && !diverged) {
      // Reduce on plateau: every replica measures its share of the held-out images, and all
      // feed the same sums to the scheduler, which caps the next epoch's rates.
      const n = watch.settings.holdOut;
      const [start, end] = share(n, replica, replicas);
      const counted = countHeldOut(net, watch.images, watch.labels, start, end);
      mine[LOSS] = counted.lossSum;
      mine[RIGHT] = counted.right;
      reduce();
      const heldOut = { loss: total[LOSS] / n, acc: total[RIGHT] / n };
      if (!Number.isFinite(heldOut.loss)) diverged = true;
      else {
        const step = plateauStep(watch.settings, watch.state, heldOut);
        watch.state = step.state;
        decided = step.epoch;
        capEpoch(rates, epoch, updatesPerEpoch, step.state.lr); // epoch `epoch` counted from 0
      }
    }
    if (replica === 0) {
      const seen = Math.min(trainSize, updatesPerEpoch * batchSize);
      const stats: EpochStats = {
        epoch,
        trainLoss: diverged ? NaN : lossSum / seen,
        trainAcc: rightSum / seen,
        testAcc,
        diverged,
        seconds: (performance.now() - began) / 1000,
      };
      if (decided) stats.plateau = decided;
      if (losses) stats.losses = losses;
      send({ type: "epoch", stats });
    }
    if (diverged) break;
  }
  // #endregion loop
  if (replica === 0 && config.sendWeights) send({ type: "weights", values: net.params.slice() });
  send({ type: "done" });
}
