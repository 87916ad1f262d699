/**
 * LeNet on the SIMD kernels: forward pass, gradient and SGD update, in a
 * WebAssembly memory of its own.
 *
 * The network computes what the TensorFlow.js model of ./lenet.ts computes
 * (the tests hold the two to float tolerance on tfjs's CPU backend), but the
 * whole pass runs in ./simd/kernels.wasm: parameters, gradients and every
 * activation live in one memory laid out once, and a minibatch is a few dozen
 * kernel calls per chunk of {@linkcode CHUNK} images, with no tensors, no tape
 * and no copies between layers.
 *
 * @module
 */

import { lenetLayers, lenetParameterCount } from "./architecture.ts";
import { loadSimdKernels, type SimdKernels } from "./simd/mod.ts";

export type { SimdKernels };

/** The classes of Fashion-MNIST, and the pixels of one image. */
const CLASSES = 10, PIXELS = 28 * 28;

/**
 * Images per pass through the layers: a batch is taken this many at a time
 * (the chunks' gradients added in order), so that one chunk's activations
 * stay in a core's cache (measured: about 1.3x faster per image than 128).
 */
export const CHUNK = 32;

/** What a gradient pass counted over its images. */
export interface BatchCount {
  /** The sum of the images' cross-entropy losses (not divided by anything). */
  lossSum: number;
  /** How many images the network classified right (argmax of the logits, first on ties). */
  right: number;
}

/** LeNet laid out in a kernels memory; make one with {@linkcode createNet}. */
export interface Net {
  /** The channel and unit multiplier. */
  readonly width: number;
  /** The largest number of images one call takes. */
  readonly maxBatch: number;
  /** The parameters, flattened in parameter order (a view of the memory). */
  readonly params: Float32Array;
  /** The gradient of the last {@linkcode Net.gradient} call, in parameter order. */
  readonly grads: Float32Array;
  /** Room for `maxBatch` images of 28 x 28 pixels: a call reads its images from here. */
  readonly input: Float32Array;
  /** The logits of the first `m` images of `input` (a view, valid until the next call). */
  forward(m: number): Float32Array;
  /**
   * Forward and backward on the first `m` images of `input`: `grads` becomes
   * the gradient of `(sum of their losses) / divisor` (zero when `m` is 0).
   */
  gradient(m: number, labels: ArrayLike<number>, divisor: number): BatchCount;
  /** How many of the first `m` images of `input` the network classifies right. */
  countRight(m: number, labels: ArrayLike<number>): number;
  /**
   * Forward only, on the first `m` images of `input`: the sum of their losses and how many are
   * right, as {@linkcode Net.gradient} counts them, without touching the gradient.
   */
  count(m: number, labels: ArrayLike<number>): BatchCount;
  /** One SGD step: `params -= lr * gradient` in float32. */
  sgd(gradient: Float32Array, lr: number): void;
}

/** How to make a {@linkcode Net}. */
export interface NetOptions {
  /** The kernels module's bytes (default: kernels.wasm, read from disk). */
  source?: Uint8Array<ArrayBuffer>;
  /** Wrap the kernels before use, e.g. to time each call (the profile of `deno task bench`). */
  instrument?: (kernels: SimdKernels) => SimdKernels;
}

/** A bump allocator of float-sized slots in a memory, aligned to 16 bytes. */
function layout() {
  // The first 64 KiB are left alone: address 0 is the null pointer ("none"),
  // and they are where clang would put a C stack (kernels.c uses none).
  let end = 65536;
  const regions: [string, number, number][] = [];
  return {
    take(name: string, floats: number): number {
      const at = end;
      end += Math.ceil(floats / 4) * 16;
      regions.push([name, at, floats]);
      return at;
    },
    get bytes() {
      return end;
    },
  };
}

/**
 * Lay out LeNet at `width` for batches of up to `maxBatch` images in a fresh
 * memory and instantiate the kernels on it. The parameters start at zero: set
 * them with `net.params.set(...)`.
 *
 * @param width The channel and unit multiplier (1 is the classic net).
 * @param maxBatch The largest batch a call takes.
 * @param options Where the kernels come from, and a wrapper for profiling.
 * @returns The network.
 */
export async function createNet(
  width: number,
  maxBatch: number,
  options: NetOptions = {},
): Promise<Net> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a whole number >= 1, got ${maxBatch}`);
  }
  const [[, s1], [, s2], [, s3], [, s4], [, s5]] = lenetLayers(width);
  const c1 = s1[3], c2 = s2[3], d1 = s3[1], d2 = s4[1], features = s3[0];
  const count = lenetParameterCount(width);
  const m = CHUNK;
  const l = layout();
  const P = l.take("params", count), G = l.take("gradient", count);
  const chunkGrad = l.take("one chunk's gradient", count);
  // Parameter offsets inside P (and the gradients): weight, then bias, layer by layer.
  const offsets: number[] = [];
  let at = 0;
  for (const shape of [s1, s2, s3, s4, s5]) {
    const size = shape.reduce((a, b) => a * b, 1);
    offsets.push(at, at + size);
    at += size + shape[shape.length - 1];
  }
  const [w1, b1, w2, b2, w3, b3, w4, b4, w5, b5] = offsets.map((o) => o * 4);
  const input = l.take("input", maxBatch * PIXELS);
  const z = l.take("logits", maxBatch * CLASSES), dz = l.take("logits grad", maxBatch * CLASSES);
  // Activations of one chunk of up to CHUNK images.
  const xpad = l.take("padded input", m * 32 * 32);
  const y1 = l.take("conv1", m * 28 * 28 * c1);
  const p1 = l.take("pool1", m * 14 * 14 * c1), at1 = l.take("pool1 argmax", m * 14 * 14 * c1);
  const y2 = l.take("conv2", m * 10 * 10 * c2);
  const p2 = l.take("pool2", m * features), at2 = l.take("pool2 argmax", m * features);
  const h1 = l.take("dense1", m * d1), h2 = l.take("dense2", m * d2);
  const dh2 = l.take("dense2 grad", m * d2), dh1 = l.take("dense1 grad", m * d1);
  const dp2 = l.take("pool2 grad", m * features), dy2 = l.take("conv2 grad", m * 10 * 10 * c2);
  const dp1 = l.take("pool1 grad", m * 14 * 14 * c1), dy1 = l.take("conv1 grad", m * 28 * 28 * c1);
  const packed = l.take("packed rows", (m + 3) * Math.max(features, d1, d2, CLASSES));
  const plane = l.take("planar conv1 grad", 28 * 28 * c1);
  // The weights transposed, for the input gradients (made once per gradient call).
  const wt3 = l.take("dense1 weights transposed", features * d1);
  const wt4 = l.take("dense2 weights transposed", d1 * d2);
  const wt5 = l.take("dense3 weights transposed", d2 * CLASSES);
  const rows = l.take("conv2 rows", 5 * c2 * Math.ceil((5 * c1) / 32) * 32);

  const memory = new WebAssembly.Memory({ initial: Math.ceil(l.bytes / 65536) });
  const loaded = await loadSimdKernels(memory, options.source);
  const k: SimdKernels = options.instrument ? options.instrument(loaded) : loaded;
  const f32 = (address: number, floats: number) => new Float32Array(memory.buffer, address, floats);
  const params = f32(P, count), grads = f32(G, count);
  const logits = f32(z, maxBatch * CLASSES), logitsGrad = f32(dz, maxBatch * CLASSES);
  const p = (offset: number) => P + offset, g = (offset: number) => chunkGrad + offset;

  const check = (n: number) => {
    if (!Number.isInteger(n) || n < 0 || n > maxBatch) {
      throw new RangeError(`a batch must hold 0 to ${maxBatch} images, got ${n}`);
    }
  };
  /** out = act(a b + bias) for a [rows, inner]: a packed first, then the product. */
  const mm = (
    a: number,
    b: number,
    bias: number,
    out: number,
    rows: number,
    inner: number,
    cols: number,
    relu: number,
  ) => {
    k.pack4(a, packed, rows, inner);
    k.gemm(packed, b, bias, out, rows, inner, cols, relu);
  };
  /** The forward pass of images [from, from + n) of the input (n <= CHUNK). */
  const forwardChunk = (from: number, n: number) => {
    k.pad(input + from * PIXELS * 4, xpad, n, 28, 28, 1, 2, 2, 2, 2);
    k.conv_c1_forward(xpad, p(w1), p(b1), y1, n, 32, 32, c1, 5, 5, 1);
    k.maxpool_forward(y1, p1, at1, n, 28, 28, c1);
    k.conv_forward(p1, p(w2), p(b2), y2, n, 14, 14, c1, c2, 5, 5, 1);
    k.maxpool_forward(y2, p2, at2, n, 10, 10, c2);
    mm(p2, p(w3), p(b3), h1, n, features, d1, 1);
    mm(h1, p(w4), p(b4), h2, n, d1, d2, 1);
    mm(h2, p(w5), p(b5), z + from * CLASSES * 4, n, d2, CLASSES, 0);
  };
  /** Through a dense layer backwards: its weight and bias gradients, and the input's. */
  const denseBack = (
    x: number,
    dy: number,
    w: number,
    wt: number,
    n: number,
    inputs: number,
    units: number,
    dx: number,
  ) => {
    k.gemm_tn(x, dy, g(w), n, inputs, units);
    k.sum_rows(dy, g(w + inputs * units * 4), n, units);
    mm(dy, wt, 0, dx, n, units, inputs, 0);
  };
  /** The backward pass of the chunk forwardChunk(from, n) computed: its gradient in chunkGrad. */
  const backwardChunk = (from: number, n: number) => {
    denseBack(h2, dz + from * CLASSES * 4, w5, wt5, n, d2, CLASSES, dh2);
    k.relu_grad(dh2, h2, n * d2);
    denseBack(h1, dh2, w4, wt4, n, d1, d2, dh1);
    k.relu_grad(dh1, h1, n * d1);
    denseBack(p2, dh1, w3, wt3, n, features, d1, dp2);
    k.maxpool_backward(dp2, p2, at2, dy2, n, 10, 10, c2);
    k.conv_filter_grad(p1, dy2, g(w2), n, 14, 14, c1, c2, 5, 5);
    k.sum_rows(dy2, g(b2), n * 100, c2);
    k.conv_input_grad(dy2, rows, dp1, n, 10, 10, 5, 5, c1, c2);
    k.maxpool_backward(dp1, p1, at1, dy1, n, 28, 28, c1);
    k.conv_c1_filter_grad(xpad, dy1, g(w1), g(b1), plane, n, 28, 28, 5, 5, c1);
  };
  const forward = (n: number) => {
    check(n);
    for (let from = 0; from < n; from += CHUNK) forwardChunk(from, Math.min(CHUNK, n - from));
    return logits.subarray(0, n * CLASSES);
  };
  return {
    width,
    maxBatch,
    params,
    grads,
    input: f32(input, maxBatch * PIXELS),
    forward,
    gradient(n, labels, divisor) {
      check(n);
      if (n === 0) { // a share with no images adds nothing
        grads.fill(0);
        return { lossSum: 0, right: 0 };
      }
      k.transpose(p(w3), wt3, features, d1);
      k.transpose(p(w4), wt4, d1, d2);
      k.transpose(p(w5), wt5, d2, CLASSES);
      k.transpose_rows(p(w2), rows, 5, 5, c1, c2);
      let lossSum = 0, right = 0;
      for (let from = 0; from < n; from += CHUNK) {
        const size = Math.min(CHUNK, n - from);
        forwardChunk(from, size);
        const counted = softmaxCrossEntropy(logits, labels, from, size, 1 / divisor, logitsGrad);
        lossSum += counted.lossSum;
        right += counted.right;
        backwardChunk(from, size);
        k.accumulate(G, chunkGrad, count, from === 0 ? 1 : 0);
      }
      return { lossSum, right };
    },
    countRight(n, labels) {
      const out = forward(n);
      let right = 0;
      for (let r = 0; r < n; r++) if (argmax(out, r * CLASSES) === labels[r]) right++;
      return right;
    },
    count(n, labels) {
      const out = forward(n);
      let lossSum = 0, right = 0;
      for (let r = 0; r < n; r++) {
        const from = r * CLASSES, label = labels[r];
        const top = argmax(out, from), max = out[from + top];
        if (top === label) right++;
        let sum = 0;
        for (let c = 0; c < CLASSES; c++) sum += Math.exp(out[from + c] - max);
        lossSum += Math.log(sum) - (out[from + label] - max);
      }
      return { lossSum, right };
    },
    sgd(gradient, lr) {
      if (gradient.length !== count) {
        throw new RangeError(`a gradient must have ${count} entries, got ${gradient.length}`);
      }
      if (gradient !== grads) grads.set(gradient);
      k.sgd(P, G, lr, count);
    },
  };
}

/** The index of the first largest of the ten logits from `from`. */
function argmax(z: Float32Array, from: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (z[from + c] > z[from + best]) best = c;
  return best;
}

/**
 * Cross-entropy of softmax over rows `first .. first + n - 1` of `z` against `labels`, in double
 * precision: the loss is `log(sum_c exp(z_c - max)) - (z_label - max)`, and
 * `dz = (softmax(z) - onehot(label)) * scale`, the gradient of the losses
 * times `scale`, rounded to float32.
 */
function softmaxCrossEntropy(
  z: Float32Array,
  labels: ArrayLike<number>,
  first: number,
  n: number,
  scale: number,
  dz: Float32Array,
): BatchCount {
  let lossSum = 0, right = 0;
  for (let r = first; r < first + n; r++) {
    const from = r * CLASSES, label = labels[r];
    const top = argmax(z, from), max = z[from + top];
    if (top === label) right++;
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += Math.exp(z[from + c] - max);
    lossSum += Math.log(sum) - (z[from + label] - max);
    for (let c = 0; c < CLASSES; c++) {
      dz[from + c] = (Math.exp(z[from + c] - max) / sum - (c === label ? 1 : 0)) * scale;
    }
  }
  return { lossSum, right };
}
