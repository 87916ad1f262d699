/**
 * What the four official Fashion-MNIST files are: names, sizes, SHA-256 and where they live.
 *
 * @module
 */

/** Which of the four files: training or test set, images or labels. */
export type FileKey = "trainImages" | "trainLabels" | "testImages" | "testLabels";

/** One IDX file of the dataset, described by its decompressed content. */
export interface FileSpec {
  /** Which file this is. */
  key: FileKey;
  /** The file name without `.gz`, e.g. `"train-images-idx3-ubyte"`. */
  name: string;
  /** Lower-case hex SHA-256 of the decompressed (raw IDX) content. */
  sha256: string;
  /** Length in bytes of the decompressed content. */
  bytes: number;
}

/** A path for each of the four files. */
export type FilePaths = Record<FileKey, string>;

/**
 * The four official files, training set first. The hashes are of the decompressed IDX content,
 * which is the same for the official `.gz` files and Debian's re-compressed copies.
 *
 * @example Look up the test labels
 * ```ts
 * import assert from "node:assert/strict";
 * import { FASHION_MNIST_FILES } from "./manifest.ts";
 *
 * const spec = FASHION_MNIST_FILES.find((f) => f.key === "testLabels")!;
 * assert.equal(spec.name, "t10k-labels-idx1-ubyte");
 * assert.equal(spec.bytes, 8 + 10_000);
 * ```
 */
export const FASHION_MNIST_FILES: readonly Readonly<FileSpec>[] = Object.freeze(
  ([
    {
      key: "trainImages",
      name: "train-images-idx3-ubyte",
      sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      bytes: 47_040_016,
    },
    {
      key: "trainLabels",
      name: "train-labels-idx1-ubyte",
      sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      bytes: 60_008,
    },
    {
      key: "testImages",
      name: "t10k-images-idx3-ubyte",
      sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      bytes: 7_840_016,
    },
    {
      key: "testLabels",
      name: "t10k-labels-idx1-ubyte",
      sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
      bytes: 10_008,
    },
  ] satisfies FileSpec[]).map((spec) => Object.freeze(spec)),
);

/**
 * A checksum of the whole dataset: the SHA-256 of the four lines `<sha256>  <name>\n` (the
 * `sha256sum` format) of {@link FASHION_MNIST_FILES}, in that order. Stable, so the training
 * engine can put it in its cache keys.
 *
 * @example Recompute it from the manifest
 * ```ts
 * import assert from "node:assert/strict";
 * import { FASHION_MNIST_CHECKSUM, FASHION_MNIST_FILES } from "./manifest.ts";
 *
 * const text = FASHION_MNIST_FILES.map((f) => `${f.sha256}  ${f.name}\n`).join("");
 * const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
 * const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
 * assert.equal(hex, FASHION_MNIST_CHECKSUM);
 * ```
 */
export const FASHION_MNIST_CHECKSUM =
  "5cf0562c46b89a77940b86f40a9a4325e7bed59d53ec555c4d14f0bed41ca53a";

/**
 * Where the official files are served, as used by the zalandoresearch/fashion-mnist README
 * (an S3 website endpoint, which speaks plain HTTP only; the SHA-256 check makes that safe).
 * A file's URL is this base followed by `<name>.gz`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FASHION_MNIST_BASE_URL } from "./manifest.ts";
 *
 * assert.ok(new URL("train-images-idx3-ubyte.gz", FASHION_MNIST_BASE_URL).href.endsWith(".gz"));
 * ```
 */
export const FASHION_MNIST_BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

/**
 * Where Debian's `dataset-fashion-mnist` package installs the four `.gz` files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEBIAN_DATA_DIR } from "./manifest.ts";
 *
 * assert.equal(DEBIAN_DATA_DIR, "/usr/share/datasets/fashion-mnist");
 * ```
 */
export const DEBIAN_DATA_DIR = "/usr/share/datasets/fashion-mnist";

/**
 * Side of an image in pixels (the images are square).
 *
 * @example Pixel (row, col) of image i in a split's `images`
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMAGE_PIXELS, IMAGE_SIDE } from "./manifest.ts";
 *
 * const index = (i: number, row: number, col: number) => i * IMAGE_PIXELS + row * IMAGE_SIDE + col;
 * assert.equal(index(1, 0, 27), 811);
 * ```
 */
export const IMAGE_SIDE = 28;

/**
 * Pixels per image: 28 x 28 = 784.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMAGE_PIXELS } from "./manifest.ts";
 *
 * assert.equal(IMAGE_PIXELS, 784);
 * ```
 */
export const IMAGE_PIXELS: number = IMAGE_SIDE * IMAGE_SIDE;

/**
 * Number of classes (labels are 0..9).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FASHION_MNIST_CLASSES, NUM_CLASSES } from "./mod.ts";
 *
 * assert.equal(NUM_CLASSES, FASHION_MNIST_CLASSES.length);
 * ```
 */
export const NUM_CLASSES = 10;
