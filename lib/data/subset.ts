/**
 * A class-balanced subset of Fashion-MNIST as bytes, packed small enough to
 * ship with the site, for the page that trains in the browser.
 *
 * The subset takes the first images of each class, in file order, and lays
 * them out class by class in turn (a T-shirt, a pair of trousers, ... an
 * ankle boot, then the next T-shirt), so every prefix of ten images or a
 * multiple of ten is exactly balanced: a page that trains on the first 2,000
 * training images trains on 200 of each class.
 *
 * Packed: a small header, the labels, then the images with PNG's Paeth filter
 * (each pixel as its difference from a prediction by its left, upper and
 * upper-left neighbours), all gzipped; about half the raw bytes. Unpacking
 * needs only `DecompressionStream`, which Deno and browsers have.
 *
 * @module
 */

import { IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES } from "./manifest.ts";
import { pixelValues } from "./idx.ts";
import type { Split } from "./split.ts";

/** A subset as bytes: pixels 0..255 and labels 0..9. */
export interface SubsetBytes {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/**
 * The rows of a balanced subset: the first `perClass` items of each class, in
 * file order, taken one class after another in turn.
 *
 * @param labels The split's labels.
 * @param perClass Items of each class.
 * @returns `perClass * 10` row indices.
 * @throws {RangeError} When a class has fewer than `perClass` items.
 *
 * @example Two of each of two classes (of ten)
 * ```ts
 * import assert from "node:assert/strict";
 * import { balancedRows } from "./subset.ts";
 * const labels = new Int32Array(40).map((_, i) => i % 10);
 * assert.deepEqual([...balancedRows(labels, 2)].slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
 * assert.throws(() => balancedRows(labels, 5), /class 0 has 4 items, fewer than 5/);
 * ```
 */
export function balancedRows(labels: ArrayLike<number>, perClass: number): Int32Array {
  const byClass: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass[labels[i]];
    if (rows.length < perClass) rows.push(i);
  }
  byClass.forEach((rows, c) => {
    if (rows.length < perClass) {
      throw new RangeError(`class ${c} has ${rows.length} items, fewer than ${perClass}`);
    }
  });
  const out = new Int32Array(perClass * NUM_CLASSES);
  for (let k = 0; k < perClass; k++) {
    for (let c = 0; c < NUM_CLASSES; c++) out[k * NUM_CLASSES + c] = byClass[c][k];
  }
  return out;
}

/** The rows of a split as bytes (the loader's floats are `byte / 255` exactly, so they round back). */
function rowsAsBytes(split: Split, rows: Int32Array) {
  const images = new Uint8Array(rows.length * IMAGE_PIXELS);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, k) => {
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      images[k * IMAGE_PIXELS + p] = Math.round(split.images[row * IMAGE_PIXELS + p] * 255);
    }
    labels[k] = split.labels[row];
  });
  return { images, labels };
}

/**
 * A balanced subset of a loaded dataset, as bytes.
 *
 * @param data The training and test splits.
 * @param trainPerClass Training images of each class.
 * @param testPerClass Test images of each class.
 * @returns The subset.
 */
export function balancedSubset(
  data: { train: Split; test: Split },
  trainPerClass: number,
  testPerClass: number,
): SubsetBytes {
  const train = rowsAsBytes(data.train, balancedRows(data.train.labels, trainPerClass));
  const test = rowsAsBytes(data.test, balancedRows(data.test.labels, testPerClass));
  return {
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
  };
}

/** The Paeth predictor of PNG: of left, up and upper-left, the one nearest `left + up - upperLeft`. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Each image's pixels as differences from their Paeth prediction (or back, `undo`), in place. */
function filter(images: Uint8Array, undo: boolean): void {
  const S = IMAGE_SIDE;
  for (let base = 0; base < images.length; base += IMAGE_PIXELS) {
    // Forward, pixels are predicted from their unfiltered neighbours: go backwards, so they are
    // still unfiltered; back, from neighbours already restored: go forwards.
    for (let k = 0; k < IMAGE_PIXELS; k++) {
      const i = undo ? k : IMAGE_PIXELS - 1 - k;
      const x = i % S, y = (i - x) / S, at = base + i;
      const left = x > 0 ? images[at - 1] : 0, up = y > 0 ? images[at - S] : 0;
      const corner = x > 0 && y > 0 ? images[at - S - 1] : 0;
      const predicted = paeth(left, up, corner);
      images[at] = undo ? (images[at] + predicted) & 255 : (images[at] - predicted) & 255;
    }
  }
}

const MAGIC = 0x4c52464d; // "LRFM"
const FORMAT = 1;
const HEADER = 16;

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  written.catch(() => {}); // the same failure surfaces on the readable side
  const out = new Uint8Array(await new Response(stream.readable).arrayBuffer());
  await written;
  return out;
}

/**
 * A subset packed: header, labels, Paeth-filtered images, gzipped.
 *
 * @param subset The subset.
 * @returns The packed bytes.
 */
export async function packSubset(subset: SubsetBytes): Promise<Uint8Array> {
  const train = subset.trainLabels.length, test = subset.testLabels.length;
  if (subset.trainImages.length !== train * IMAGE_PIXELS) {
    throw new RangeError(`${train} training labels but ${subset.trainImages.length} pixels`);
  }
  if (subset.testImages.length !== test * IMAGE_PIXELS) {
    throw new RangeError(`${test} test labels but ${subset.testImages.length} pixels`);
  }
  const raw = new Uint8Array(HEADER + (train + test) * (1 + IMAGE_PIXELS));
  const view = new DataView(raw.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, FORMAT);
  view.setUint32(8, train);
  view.setUint32(12, test);
  let at = HEADER;
  for (const part of [subset.trainLabels, subset.testLabels]) {
    raw.set(part, at);
    at += part.length;
  }
  const images = raw.subarray(at);
  images.set(subset.trainImages);
  images.set(subset.testImages, subset.trainImages.length);
  filter(images, false);
  return await through(raw, new CompressionStream("gzip"));
}

/**
 * The subset {@linkcode packSubset} packed.
 *
 * @param packed The packed bytes.
 * @returns The subset.
 * @throws {Error} When the bytes are not a packed subset (or are damaged: gzip checks them).
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { packSubset, unpackSubset } from "./subset.ts";
 * const subset = {
 *   trainImages: new Uint8Array(2 * 784).map((_, i) => (i * 7) % 256),
 *   trainLabels: new Uint8Array([3, 9]),
 *   testImages: new Uint8Array(784).fill(200),
 *   testLabels: new Uint8Array([1]),
 * };
 * assert.deepEqual(await unpackSubset(await packSubset(subset)), subset);
 * ```
 */
export async function unpackSubset(packed: Uint8Array): Promise<SubsetBytes> {
  const raw = await through(packed, new DecompressionStream("gzip"));
  const view = new DataView(raw.buffer);
  if (raw.length < HEADER || view.getUint32(0) !== MAGIC || view.getUint32(4) !== FORMAT) {
    throw new Error("not a packed Fashion-MNIST subset (format 1)");
  }
  const train = view.getUint32(8), test = view.getUint32(12);
  if (raw.length !== HEADER + (train + test) * (1 + IMAGE_PIXELS)) {
    throw new Error(`a packed subset of ${train} + ${test} images, but ${raw.length} bytes`);
  }
  const images = raw.subarray(HEADER + train + test);
  filter(images, true);
  return {
    trainLabels: raw.slice(HEADER, HEADER + train),
    testLabels: raw.slice(HEADER + train, HEADER + train + test),
    trainImages: images.slice(0, train * IMAGE_PIXELS),
    testImages: images.slice(train * IMAGE_PIXELS),
  };
}

/**
 * A subset as the splits the engine trains on: pixels as `byte / 255` in
 * float32, exactly as the loader reads the original files.
 *
 * @param subset The subset.
 * @returns Its training and test splits.
 */
export function subsetSplits(subset: SubsetBytes): { train: Split; test: Split } {
  const split = (images: Uint8Array, labels: Uint8Array): Split => ({
    count: labels.length,
    images: pixelValues(images),
    labels: Int32Array.from(labels),
  });
  return {
    train: split(subset.trainImages, subset.trainLabels),
    test: split(subset.testImages, subset.testLabels),
  };
}
