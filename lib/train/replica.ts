/**
 * One replica of the data-parallel training loop; each worker runs one.
 *
 * Every replica holds the same LeNet (same seed, so the same initial
 * weights) and walks the same shuffled minibatches. Replica `k` of `R` takes
 * the `k`-th slice of each minibatch, computes the gradient of its share of
 * the batch's mean loss, and writes it to slot `k` of a shared buffer. After a
 * barrier every replica adds the slots up in the same order and applies the
 * same update, so the weights stay identical everywhere without ever being
 * sent. With `R = 1` this is plain minibatch SGD.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { initWasm } from "./backend.ts";
import { alter, alteration } from "./augment.ts";
import { initLeNet, lenet, type LeNetParams } from "./lenet.ts";
import { mulberry32, permutation } from "./rng.ts";

/** Shared memory of a run: data, gradient slots, a barrier and counters. */
export interface SharedRun {
  /** Training images, `trainSize * 784` floats in [0, 1]. */
  trainImages: SharedArrayBuffer;
  /** Training labels, `trainSize` int32. */
  trainLabels: SharedArrayBuffer;
  testImages: SharedArrayBuffer;
  testLabels: SharedArrayBuffer;
  /** `replicas` slots of `paramCount + 2` floats (gradient, loss sum, correct count). */
  slots: SharedArrayBuffer;
  /** Int32 words: [arrived, generation, stop]. */
  barrier: SharedArrayBuffer;
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
  /** `rates[u]` is the learning rate of update `u` (counted over the whole run). */
  rates: Float64Array;
  /** Replica 0 sends the final weights, flattened in parameter order, before `done`. */
  sendWeights?: boolean;
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
 * Images `order[from..to)` as a batch tensor, with their labels; with
 * `augment`, each image altered as {@linkcode alteration} says for that epoch.
 */
function gather(
  images: Float32Array,
  labels: Int32Array,
  order: Int32Array | null,
  from: number,
  to: number,
  augment?: { seed: number; epoch: number },
): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const n = to - from;
  if (order === null) {
    return {
      x: tf.tensor4d(images.slice(from * PIXELS, to * PIXELS), [n, 28, 28, 1]),
      labels: tf.tensor1d(labels.slice(from, to), "int32"),
    };
  }
  const pixels = new Float32Array(n * PIXELS);
  const picked = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = order[from + i];
    const image = images.subarray(row * PIXELS, (row + 1) * PIXELS);
    if (augment) {
      alter(
        image,
        pixels.subarray(i * PIXELS, (i + 1) * PIXELS),
        alteration(augment.seed, augment.epoch, row),
      );
    } else pixels.set(image, i * PIXELS);
    picked[i] = labels[row];
  }
  return { x: tf.tensor4d(pixels, [n, 28, 28, 1]), labels: tf.tensor1d(picked, "int32") };
}

/** How many rows of `logits` have their argmax at the label (a float scalar). */
function correct(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32"));
}

/** The slice `[start, end)` of `size` rows that replica `k` of `r` takes. */
export function share(size: number, k: number, r: number): [number, number] {
  return [Math.floor((size * k) / r), Math.floor((size * (k + 1)) / r)];
}

/** Number of test images in `[from, to)` that `params` classifies right. */
function evaluate(
  params: LeNetParams,
  images: Float32Array,
  labels: Int32Array,
  from: number,
  to: number,
): number {
  let right = 0;
  for (let start = from; start < to; start += EVAL_BATCH) {
    const batch = gather(images, labels, null, start, Math.min(to, start + EVAL_BATCH));
    const count = tf.tidy(() => correct(lenet(params, batch.x), batch.labels));
    right += count.dataSync()[0];
    tf.dispose([batch.x, batch.labels, count]);
  }
  return right;
}

/**
 * Run the whole training loop as replica `config.replica`. Replica 0 reports
 * progress and per-epoch metrics through `send`. Returns when all epochs are
 * done or the loss diverged.
 */
export async function runReplica(
  shared: SharedRun,
  config: ReplicaConfig,
  send: (message: ReplicaMessage) => void,
): Promise<void> {
  await initWasm();
  const { replica, replicas, batchSize, trainSize, testSize, updatesPerEpoch, rates } = config;
  const trainImages = new Float32Array(shared.trainImages);
  const trainLabels = new Int32Array(shared.trainLabels);
  const testImages = new Float32Array(shared.testImages);
  const testLabels = new Int32Array(shared.testLabels);
  const barrier = new Int32Array(shared.barrier);

  const params = initLeNet(config.seed, config.width);
  const names = Object.keys(params);
  const sizes = names.map((name) => params[name].size);
  const paramCount = sizes.reduce((a, b) => a + b, 0);
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

  // #region loop
  const optimizer = tf.train.sgd(rates[0]);
  const shuffle = mulberry32(config.seed ^ 0x5eed);
  let update = 0; // the loop owns the step count
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const began = performance.now();
    const order = permutation(trainSize, shuffle);
    let lossSum = 0, rightSum = 0, diverged = false;
    for (let b = 0; b < updatesPerEpoch; b++, update++) {
      const start = b * batchSize, size = Math.min(batchSize, trainSize - start);
      const [from, to] = share(size, replica, replicas);
      const altered = config.augment ? { seed: config.seed, epoch } : undefined;
      const batch = gather(trainImages, trainLabels, order, start + from, start + to, altered);
      let right!: tf.Scalar;
      // This replica's share of the batch's mean loss: its losses summed / batch size.
      const { value, grads } = tf.variableGrads(() => {
        const logits = lenet(params, batch.x);
        right = tf.keep(correct(logits, batch.labels));
        const onehot = tf.oneHot(batch.labels, 10);
        const losses = tf.losses.softmaxCrossEntropy(
          onehot,
          logits,
          undefined,
          undefined,
          tf.Reduction.NONE,
        );
        return tf.div(tf.sum(losses), size) as tf.Scalar;
      });
      let offset = 0;
      for (let i = 0; i < names.length; i++) {
        mine.set(grads[names[i]].dataSync(), offset);
        offset += sizes[i];
      }
      mine[LOSS] = value.dataSync()[0] * size;
      mine[RIGHT] = right.dataSync()[0];
      tf.dispose([batch.x, batch.labels, value, right, grads]);
      reduce();
      const loss = total[LOSS] / size;
      if (!Number.isFinite(loss)) {
        diverged = true;
        break;
      }
      lossSum += total[LOSS];
      rightSum += total[RIGHT];
      const lr = rates[update];
      optimizer.setLearningRate(lr);
      const gradient: tf.NamedTensorMap = {};
      offset = 0;
      for (let i = 0; i < names.length; i++) {
        gradient[names[i]] = tf.tensor(
          total.subarray(offset, offset + sizes[i]),
          params[names[i]].shape,
        );
        offset += sizes[i];
      }
      optimizer.applyGradients(gradient);
      tf.dispose(Object.values(gradient));
      if (replica === 0 && (b % 4 === 0 || b === updatesPerEpoch - 1)) {
        send({ type: "progress", epoch, update: b + 1, loss, lr });
      }
    }
    const [from, to] = share(testSize, replica, replicas);
    mine[RIGHT] = diverged ? 0 : evaluate(params, testImages, testLabels, from, to);
    reduce();
    if (replica === 0) {
      const seen = Math.min(trainSize, updatesPerEpoch * batchSize);
      send({
        type: "epoch",
        stats: {
          epoch,
          trainLoss: diverged ? NaN : lossSum / seen,
          trainAcc: rightSum / seen,
          testAcc: total[RIGHT] / testSize,
          diverged,
          seconds: (performance.now() - began) / 1000,
        },
      });
    }
    if (diverged) break;
  }
  // #endregion loop
  if (replica === 0 && config.sendWeights) {
    const values = new Float32Array(paramCount);
    let offset = 0;
    for (let i = 0; i < names.length; i++) {
      values.set(params[names[i]].dataSync(), offset);
      offset += sizes[i];
    }
    send({ type: "weights", values });
  }
  tf.dispose([...Object.values(params)]);
  optimizer.dispose();
  if (replica === 0) send({ type: "done" });
}
