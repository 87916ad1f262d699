/**
 * One split of the dataset (training or test): images and labels read from a pair of files.
 *
 * @module
 */

import { DataError } from "./errors.ts";
import { readMaybeGzip } from "./gzip.ts";
import { parseIdxImages, parseIdxLabels } from "./idx.ts";
import { sha256Hex } from "../util/sha256.ts";

/** The images and labels of one split, item `i` being image `i` with label `i`. */
export interface Split {
  /** Number of items. */
  count: number;
  /** `count * 784` pixels in [0, 1], image after image, each row-major 28 x 28. */
  images: Float32Array;
  /** `count` labels in 0..9. */
  labels: Int32Array;
}

/** What {@link readSplit} expects of the two files; every check is optional. */
export interface SplitExpectations {
  /** The number of items both files must hold. */
  count?: number;
  /** Hex SHA-256 the decompressed image file must have. */
  imagesSha256?: string;
  /** Hex SHA-256 the decompressed label file must have. */
  labelsSha256?: string;
}

async function checkHash(bytes: Uint8Array, expected: string | undefined, path: string) {
  if (expected === undefined) return;
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new DataError(
      `${path}: content differs from the official Fashion-MNIST file ` +
        `(SHA-256 of the decompressed data is ${actual}, expected ${expected})`,
    );
  }
}

/**
 * Read an image file and a label file (each gzipped or not), validate both, and check that
 * they hold the same number of items.
 *
 * The structure is checked first, so a damaged file gets the most specific message (a bad
 * label, a truncated file); the SHA-256, when expected, last.
 *
 * @param imagesPath Path of the IDX image file (`.gz` or raw; detected by content).
 * @param labelsPath Path of the IDX label file (`.gz` or raw; detected by content).
 * @param expect Optional item count and SHA-256s of the decompressed files.
 * @returns The split.
 * @throws {DataError} Naming the file and what is wrong.
 *
 * @example A split of two items, written to a temporary directory
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdxImages, encodeIdxLabels, readSplit } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/images`, encodeIdxImages(new Uint8Array(2 * 784).fill(255)));
 * await Deno.writeFile(`${dir}/labels`, encodeIdxLabels([0, 9]));
 * const split = await readSplit(`${dir}/images`, `${dir}/labels`, { count: 2 });
 * assert.equal(split.count, 2);
 * assert.equal(split.images[2 * 784 - 1], 1);
 * assert.deepEqual(split.labels, new Int32Array([0, 9]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readSplit(
  imagesPath: string,
  labelsPath: string,
  expect: SplitExpectations = {},
): Promise<Split> {
  const [imageBytes, labelBytes] = await Promise.all([
    readMaybeGzip(imagesPath),
    readMaybeGzip(labelsPath),
  ]);
  const { labels, count } = parseIdxLabels(labelBytes, labelsPath, { count: expect.count });
  const { images, count: imageCount } = parseIdxImages(imageBytes, imagesPath, {
    count: expect.count,
  });
  if (imageCount !== count) {
    throw new DataError(
      `${imagesPath}: holds ${imageCount} images but ${labelsPath} holds ${count} labels`,
    );
  }
  await checkHash(labelBytes, expect.labelsSha256, labelsPath);
  await checkHash(imageBytes, expect.imagesSha256, imagesPath);
  return { count, images, labels };
}
