/**
 * Loading Fashion-MNIST: find the files (or download them), read, validate and verify them.
 *
 * @module
 */

import { downloadFashionMnist, type Fetch } from "./download.ts";
import { DataError, DataNotFoundError } from "./errors.ts";
import { findFashionMnist, type FindOptions, projectDataDir, type TriedPlace } from "./find.ts";
import {
  DEBIAN_DATA_DIR,
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_CHECKSUM,
  FASHION_MNIST_FILES,
  type FileKey,
  type FilePaths,
} from "./manifest.ts";
import { createProgressReporter, type DownloadProgress } from "./progress.ts";
import { readSplit, type Split } from "./split.ts";

/** Options of {@link loadFashionMnist}: where to look, and how to download when needed. */
export interface LoadOptions extends FindOptions {
  /** The fetch function for a download (default: the global `fetch`). */
  fetch?: Fetch;
  /** Download progress (default: a bar on stderr, or plain lines when it is not a terminal). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Cancels a download. */
  signal?: AbortSignal;
  /** Download when no place has the files (default `true`). */
  download?: boolean;
  /** Where to download (default: the project's `data/fashion-mnist/`). */
  downloadDir?: string;
}

/** The whole dataset. */
export interface FashionMnist {
  /** The 60,000 training items. */
  train: Split;
  /** The 10,000 test items. */
  test: Split;
  /** The directory the files were read from. */
  source: string;
  /**
   * A stable checksum of the data ({@link FASHION_MNIST_CHECKSUM}); every file's SHA-256 was
   * checked against the official one, so it always describes what was loaded.
   */
  checksum: string;
}

const TRAIN_COUNT = 60_000;
const TEST_COUNT = 10_000;

function spec(key: FileKey) {
  return FASHION_MNIST_FILES.find((f) => f.key === key)!;
}

// The places a user names, which must hold the files (no quiet fallback elsewhere), and how to
// ask for the usual search instead.
const NAMED_PLACES: Record<string, string> = {
  "--data": "leave out --data",
  FASHION_MNIST_DIR: "unset FASHION_MNIST_DIR",
};

function notFoundMessage(
  tried: TriedPlace[],
  target: string | null,
  downloadError: unknown,
): string {
  const lines = [
    downloadError === null
      ? "Fashion-MNIST not found (and downloading is turned off)."
      : "Fashion-MNIST not found, and downloading it failed.",
    "Looked in:",
  ];
  for (const t of tried) {
    lines.push(`  ${t.origin}${t.dir === null ? "" : ` ${t.dir}`}: ${t.problem}`);
  }
  if (downloadError !== null) {
    const why = downloadError instanceof Error ? downloadError.message : String(downloadError);
    lines.push(`Download into ${target}: ${why}`);
  }
  const names = FASHION_MNIST_FILES.map((f) => `${f.name}.gz`);
  const into = target ?? "data/fashion-mnist/";
  lines.push(
    "Get the data in one of two ways:",
    `  1. Install Debian's package: apt-get install dataset-fashion-mnist (files go to ${DEBIAN_DATA_DIR}/).`,
    `  2. Download ${names.slice(0, 3).join(", ")} and ${names[3]}`,
    `     from ${FASHION_MNIST_BASE_URL} into ${into},`,
    "     or into any directory named by FASHION_MNIST_DIR or --data DIR.",
  );
  return lines.join("\n");
}

/**
 * Load Fashion-MNIST: 60,000 training and 10,000 test images as floats in [0, 1], with their
 * labels.
 *
 * The files are looked for as {@link findFashionMnist} does (`dir`, `FASHION_MNIST_DIR`, the
 * project's `data/fashion-mnist/`, Debian's `/usr/share/datasets/fashion-mnist/`); when none
 * has all four, the official files are downloaded into the project's `data/fashion-mnist/`. A
 * folder named by `dir` (`--data`) or by `FASHION_MNIST_DIR` must hold all four: one that does
 * not is an error naming it and what is missing, never a quiet fallback to the other places.
 * Every file is validated (magic number, 28 x 28, item counts, exact length, labels 0..9) and
 * its decompressed SHA-256 checked against the official one (about 60 ms of a ~0.5 s load).
 *
 * @param options Where to look and how to download (see {@link LoadOptions}).
 * @returns The training and test splits, the directory used, and the dataset checksum.
 * @throws {DataNotFoundError} When the data is not there: a folder named by `dir` or
 *   `FASHION_MNIST_DIR` without the four files (naming it and what is missing), or no place with
 *   them and no download (turned off, or the files could not be fetched), with one message
 *   listing every place tried and how to get the data.
 * @throws {DataError} For a corrupt file (naming it and what is wrong), or a download that
 *   brought wrong or incomplete bytes.
 *
 * @example Without the data, the error says where it looked and what to do
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataNotFoundError, loadFashionMnist } from "./mod.ts";
 *
 * const empty = await Deno.makeTempDir();
 * await assert.rejects(
 *   loadFashionMnist({ dir: empty, env: null, projectDir: null, systemDir: null, download: false }),
 *   (err) => err instanceof DataNotFoundError && err.message.includes(`--data ${empty}: missing`),
 * );
 * await Deno.remove(empty);
 * ```
 *
 * @example A wrong file is a DataError, but not a DataNotFoundError
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError, DataNotFoundError, FASHION_MNIST_FILES, loadFashionMnist } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * for (const f of FASHION_MNIST_FILES) await Deno.writeTextFile(`${dir}/${f.name}`, "junk");
 * await assert.rejects(
 *   loadFashionMnist({ dir }),
 *   (err) => err instanceof DataError && !(err instanceof DataNotFoundError),
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadFashionMnist(options: LoadOptions = {}): Promise<FashionMnist> {
  const { found, tried } = await findFashionMnist(options);
  // A directory the user named (--data, FASHION_MNIST_DIR) must hold the files.
  const named = tried.find((place) => place.dir !== null && place.origin in NAMED_PLACES);
  if (named !== undefined) {
    throw new DataNotFoundError(
      `${named.origin} ${named.dir}: ${named.problem}; put the four Fashion-MNIST files there, ` +
        `or ${NAMED_PLACES[named.origin]} to search the usual places`,
    );
  }
  let paths: FilePaths;
  let source: string;
  if (found !== null) {
    paths = found.paths;
    source = found.dir;
  } else {
    const target = options.downloadDir ??
      (typeof options.projectDir === "string" ? options.projectDir : projectDataDir());
    if (options.download === false || target === null) {
      throw new DataNotFoundError(notFoundMessage(tried, target, null));
    }
    try {
      paths = await downloadFashionMnist({
        dir: target,
        fetch: options.fetch,
        onProgress: options.onProgress ?? createProgressReporter(),
        signal: options.signal,
      }) as FilePaths;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      // Files that could not be fetched leave the data not found; wrong bytes are an error.
      const Class = err instanceof DataNotFoundError ? DataNotFoundError : DataError;
      throw new Class(notFoundMessage(tried, target, err), { cause: err });
    }
    source = target;
  }
  const expect = (images: FileKey, labels: FileKey, count: number) => ({
    count,
    imagesSha256: spec(images).sha256,
    labelsSha256: spec(labels).sha256,
  });
  const [train, test] = await Promise.all([
    readSplit(
      paths.trainImages,
      paths.trainLabels,
      expect("trainImages", "trainLabels", TRAIN_COUNT),
    ),
    readSplit(paths.testImages, paths.testLabels, expect("testImages", "testLabels", TEST_COUNT)),
  ]);
  return { train, test, source, checksum: FASHION_MNIST_CHECKSUM };
}
