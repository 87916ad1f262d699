/**
 * Parsing the IDX format of (Fashion-)MNIST: unsigned-byte images and labels.
 *
 * An image file is a 16-byte big-endian header (magic 2051, count, rows, columns) followed by
 * `count * rows * columns` pixels, row-major; a label file is an 8-byte header (magic 2049,
 * count) followed by `count` labels.
 *
 * @module
 */

import { DataError } from "./errors.ts";
import { IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES } from "./manifest.ts";

/**
 * Magic number of an IDX file of unsigned-byte 3-d data (images): bytes `00 00 08 03`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IDX_IMAGES_MAGIC } from "./idx.ts";
 *
 * assert.equal(IDX_IMAGES_MAGIC, 0x0803);
 * ```
 */
export const IDX_IMAGES_MAGIC = 2051;

/**
 * Magic number of an IDX file of unsigned-byte 1-d data (labels): bytes `00 00 08 01`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IDX_LABELS_MAGIC } from "./idx.ts";
 *
 * assert.equal(IDX_LABELS_MAGIC, 0x0801);
 * ```
 */
export const IDX_LABELS_MAGIC = 2049;

/** Images parsed from an IDX file. */
export interface IdxImages {
  /** Number of images. */
  count: number;
  /** `count * 784` pixels in [0, 1] (byte / 255), image after image, each row-major 28 x 28. */
  images: Float32Array;
}

/** Labels parsed from an IDX file. */
export interface IdxLabels {
  /** Number of labels. */
  count: number;
  /** `count` class indices in 0..9. */
  labels: Int32Array;
}

/** Options of {@link parseIdxImages} and {@link parseIdxLabels}. */
export interface ParseOptions {
  /** The number of items the file must hold; any count is accepted when omitted. */
  count?: number;
}

// byte -> byte / 255, computed once in double precision and rounded to float32.
const PIXEL_VALUE = new Float32Array(256).map((_, i) => i / 255);

/**
 * Pixel bytes as the network reads them: each byte `b` becomes `b / 255`, computed in double
 * precision and rounded to float32 (what {@linkcode parseIdxImages} gives, and what a page that
 * trains on bytes it was sent must give too).
 *
 * @param pixels Bytes 0..255.
 * @returns One float in [0, 1] per byte.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelValues } from "./idx.ts";
 * assert.deepEqual(pixelValues(new Uint8Array([0, 51, 255])), new Float32Array([0, 0.2, 1]));
 * ```
 */
export function pixelValues(pixels: Uint8Array): Float32Array {
  const values = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) values[i] = PIXEL_VALUE[pixels[i]];
  return values;
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return "an image file";
  if (magic === IDX_LABELS_MAGIC) return "a label file";
  if (magic >>> 16 === 0x1f8b) return "gzip data that was not decompressed";
  return "not an IDX file";
}

function checkMagic(view: DataView, expected: number, kind: string, name: string): void {
  const magic = view.getUint32(0);
  if (magic !== expected) {
    throw new DataError(
      `${name}: wrong magic number ${magic} (expected ${expected} for IDX ${kind}; ` +
        `this looks like ${describeMagic(magic)})`,
    );
  }
}

function checkCount(actual: number, expected: number | undefined, what: string, name: string) {
  if (expected !== undefined && actual !== expected) {
    throw new DataError(`${name}: holds ${actual} ${what}, expected ${expected}`);
  }
}

function checkLength(bytes: Uint8Array, expected: number, detail: string, name: string) {
  if (bytes.length !== expected) {
    const how = bytes.length < expected ? "truncated" : "has trailing bytes";
    throw new DataError(
      `${name}: ${how}: ${bytes.length} bytes, expected ${expected} (${detail})`,
    );
  }
}

// Check the magic number first (when there are 4 bytes), so a file of the wrong kind is called
// that rather than "truncated"; then that the whole header is there.
function header(bytes: Uint8Array, size: number, magic: number, kind: string, name: string) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 4) checkMagic(view, magic, kind, name);
  if (bytes.length < size) {
    throw new DataError(
      `${name}: truncated: ${bytes.length} bytes, too short for a ${size}-byte IDX header`,
    );
  }
  return view;
}

/**
 * Parse an uncompressed IDX image file of 28 x 28 images into floats in [0, 1].
 *
 * Checks the magic number (2051), the dimensions (28 x 28), the count (when
 * `options.count` is given) and that the length is exactly header plus pixels.
 *
 * @param bytes The raw (decompressed) file content.
 * @param name The file name or path, put at the start of every error message.
 * @param options `count`: the number of images the file must hold.
 * @returns The image count and the pixels, `count * 784` floats, row-major per image.
 * @throws {DataError} Naming the file and what is wrong.
 *
 * @example Two tiny images built in memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdxImages, parseIdxImages } from "./mod.ts";
 *
 * const pixels = new Uint8Array(2 * 784);
 * pixels[0] = 255; // first pixel of the first image
 * pixels[784 + 27] = 51; // top-right pixel of the second image
 * const { count, images } = parseIdxImages(encodeIdxImages(pixels), "tiny-images");
 * assert.equal(count, 2);
 * assert.equal(images[0], 1);
 * assert.equal(images[784 + 27], Math.fround(0.2));
 * assert.throws(() => parseIdxImages(encodeIdxImages(pixels), "tiny", { count: 3 }), /expected 3/);
 * ```
 */
export function parseIdxImages(
  bytes: Uint8Array,
  name: string,
  options: ParseOptions = {},
): IdxImages {
  const view = header(bytes, 16, IDX_IMAGES_MAGIC, "images", name);
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new DataError(
      `${name}: images are ${rows}x${cols}, expected ${IMAGE_SIDE}x${IMAGE_SIDE}`,
    );
  }
  checkCount(count, options.count, "images", name);
  checkLength(
    bytes,
    16 + count * IMAGE_PIXELS,
    `16-byte header + ${count} images of ${rows}x${cols}`,
    name,
  );
  const images = pixelValues(bytes.subarray(16, 16 + count * IMAGE_PIXELS));
  return { count, images };
}

/**
 * Parse an uncompressed IDX label file of class indices 0..9.
 *
 * Checks the magic number (2049), the count (when `options.count` is given), that the length
 * is exactly header plus labels, and that every label is in 0..9.
 *
 * @param bytes The raw (decompressed) file content.
 * @param name The file name or path, put at the start of every error message.
 * @param options `count`: the number of labels the file must hold.
 * @returns The label count and the labels.
 * @throws {DataError} Naming the file and what is wrong, e.g.
 *   `t10k-labels-idx1-ubyte.gz: label 12 at index 57 is outside 0..9`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdxLabels, parseIdxLabels } from "./mod.ts";
 *
 * const { count, labels } = parseIdxLabels(encodeIdxLabels([3, 1, 4]), "tiny-labels");
 * assert.equal(count, 3);
 * assert.deepEqual(labels, new Int32Array([3, 1, 4]));
 * assert.throws(
 *   () => parseIdxLabels(encodeIdxLabels([0, 12]), "bad-labels"),
 *   /bad-labels: label 12 at index 1 is outside 0\.\.9/,
 * );
 * ```
 */
export function parseIdxLabels(
  bytes: Uint8Array,
  name: string,
  options: ParseOptions = {},
): IdxLabels {
  const view = header(bytes, 8, IDX_LABELS_MAGIC, "labels", name);
  const count = view.getUint32(4);
  checkCount(count, options.count, "labels", name);
  checkLength(bytes, 8 + count, `8-byte header + ${count} labels`, name);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = bytes[8 + i];
    if (label >= NUM_CLASSES) {
      throw new DataError(`${name}: label ${label} at index ${i} is outside 0..${NUM_CLASSES - 1}`);
    }
    labels[i] = label;
  }
  return { count, labels };
}
