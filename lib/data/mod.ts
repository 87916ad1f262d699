/**
 * The Fashion-MNIST loader: find, download, read and validate the four original IDX files.
 *
 * `loadFashionMnist({ dir })` returns `{ train, test, source, checksum }`, each split holding
 * `count` images as floats in [0, 1] (`count * 784`, row-major 28 x 28) and `count` labels
 * (0..9, see `FASHION_MNIST_CLASSES`). Problems with the data throw a `DataError` whose message
 * is meant to be printed as is; data that is not there at all throws its subclass
 * `DataNotFoundError`.
 *
 * @example The same parsing, on a tiny IDX pair built in memory
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   encodeIdxImages,
 *   encodeIdxLabels,
 *   FASHION_MNIST_CLASSES,
 *   parseIdxImages,
 *   parseIdxLabels,
 * } from "./mod.ts";
 *
 * const { images } = parseIdxImages(encodeIdxImages(new Uint8Array(784).fill(255)), "img");
 * const { labels } = parseIdxLabels(encodeIdxLabels([9]), "lbl");
 * assert.equal(images[783], 1);
 * assert.equal(FASHION_MNIST_CLASSES[labels[0]], "Ankle boot");
 * ```
 *
 * @module
 */

export { FASHION_MNIST_CLASSES } from "./classes.ts";
export { downloadFashionMnist, type DownloadOptions, type Fetch } from "./download.ts";
export { DataError, DataNotFoundError } from "./errors.ts";
export {
  findFashionMnist,
  type FindOptions,
  type FindResult,
  type FoundPlace,
  type LocatedFiles,
  locateFiles,
  projectDataDir,
  type TriedPlace,
} from "./find.ts";
export { gunzip, gzip, isGzip, maybeGunzip, readMaybeGzip } from "./gzip.ts";
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxImages,
  type IdxLabels,
  parseIdxImages,
  parseIdxLabels,
  type ParseOptions,
  pixelValues,
} from "./idx.ts";
export { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
export { type FashionMnist, loadFashionMnist, type LoadOptions } from "./load.ts";
export {
  DEBIAN_DATA_DIR,
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_CHECKSUM,
  FASHION_MNIST_FILES,
  type FileKey,
  type FilePaths,
  type FileSpec,
  IMAGE_PIXELS,
  IMAGE_SIDE,
  NUM_CLASSES,
} from "./manifest.ts";
export {
  createProgressReporter,
  type DownloadProgress,
  type ProgressReporterOptions,
} from "./progress.ts";
export { sha256Hex } from "../util/sha256.ts";
export { readSplit, type Split, type SplitExpectations } from "./split.ts";
