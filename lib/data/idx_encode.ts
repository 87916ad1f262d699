/**
 * Writing small IDX files in memory, for tests and examples.
 *
 * @module
 */

import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from "./idx.ts";
import { IMAGE_SIDE } from "./manifest.ts";

/**
 * Encode unsigned-byte images as an IDX image file (magic 2051).
 *
 * @param pixels The pixels, image after image, each `rows * cols` bytes row-major.
 * @param rows Rows per image (default 28).
 * @param cols Columns per image (default 28).
 * @returns The file content: 16-byte header, then the pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdxImages } from "./idx_encode.ts";
 *
 * const file = encodeIdxImages(new Uint8Array(784));
 * assert.equal(file.length, 16 + 784);
 * assert.deepEqual([...file.subarray(0, 4)], [0, 0, 8, 3]);
 * ```
 */
export function encodeIdxImages(
  pixels: Uint8Array,
  rows: number = IMAGE_SIDE,
  cols: number = IMAGE_SIDE,
): Uint8Array<ArrayBuffer> {
  const size = rows * cols;
  if (size <= 0 || pixels.length % size !== 0) {
    throw new RangeError(`${pixels.length} pixels is not a whole number of ${rows}x${cols} images`);
  }
  const out = new Uint8Array(16 + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC);
  view.setUint32(4, pixels.length / size);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  out.set(pixels, 16);
  return out;
}

/**
 * Encode labels as an IDX label file (magic 2049).
 *
 * @param labels The labels, each 0..255 (values are not checked against 0..9, so tests can
 *   write bad files).
 * @returns The file content: 8-byte header, then one byte per label.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdxLabels } from "./idx_encode.ts";
 *
 * assert.deepEqual([...encodeIdxLabels([7, 2])], [0, 0, 8, 1, 0, 0, 0, 2, 7, 2]);
 * ```
 */
export function encodeIdxLabels(labels: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC);
  view.setUint32(4, labels.length);
  out.set(Array.from(labels), 8);
  return out;
}
