/**
 * Finding the four Fashion-MNIST files on disk, in a fixed order of places.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEBIAN_DATA_DIR, FASHION_MNIST_FILES, type FilePaths, type FileSpec } from "./manifest.ts";

/** Where to look; every field is optional. */
export interface FindOptions {
  /** An explicit directory, e.g. from a `--data DIR` flag; looked at first. */
  dir?: string;
  /**
   * The value of `FASHION_MNIST_DIR`. Omitted: read from the environment (unset when env
   * access is not permitted); `null`: skip this place.
   */
  env?: string | null;
  /** The project's data directory. Omitted: {@link projectDataDir}; `null`: skip. */
  projectDir?: string | null;
  /** The system-wide directory. Omitted: {@link DEBIAN_DATA_DIR}; `null`: skip. */
  systemDir?: string | null;
}

/** A place that was looked at and did not have all four files. */
export interface TriedPlace {
  /** Where the place came from, e.g. `"--data"` or `"FASHION_MNIST_DIR"`. */
  origin: string;
  /** The directory, or `null` when the origin gave none (an unset variable). */
  dir: string | null;
  /** Why it did not do, e.g. `"no such directory"` or `"missing t10k-labels-idx1-ubyte[.gz]"`. */
  problem: string;
}

/** A directory holding all four files. */
export interface FoundPlace {
  /** Where the place came from, as in {@link TriedPlace}. */
  origin: string;
  /** The directory. */
  dir: string;
  /** The path of each file (raw or `.gz`). */
  paths: FilePaths;
}

/** The outcome of a search. */
export interface FindResult {
  /** The first place holding all four files, or `null`. */
  found: FoundPlace | null;
  /** The places looked at before it (all of them when nothing was found). */
  tried: TriedPlace[];
}

/** Which files of a directory are there. */
export interface LocatedFiles {
  /** Paths of the files found (the raw file is preferred over `.gz` when both exist). */
  paths: Partial<FilePaths>;
  /** Names (without `.gz`) of the files not found. */
  missing: string[];
}

/**
 * The project's own data directory, `data/fashion-mnist` under the project root, located from
 * this module's URL (not the working directory).
 *
 * @returns The absolute path, or `null` when this module was not loaded from a local file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectDataDir } from "./find.ts";
 *
 * assert.match(projectDataDir() ?? "", /data[\\/]fashion-mnist$/);
 * ```
 */
export function projectDataDir(): string | null {
  const url = new URL("../../data/fashion-mnist", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw err;
  }
}

/**
 * See which of the files are in a directory, each as `<name>` or `<name>.gz`.
 *
 * @param dir The directory to look in.
 * @param files The files to look for (default: the four Fashion-MNIST files).
 * @returns The paths found and the names missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { locateFiles } from "./find.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte.gz`, new Uint8Array());
 * const { paths, missing } = await locateFiles(dir);
 * assert.equal(paths.testLabels, `${dir}/t10k-labels-idx1-ubyte.gz`);
 * assert.equal(missing.length, 3);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function locateFiles(
  dir: string,
  files: readonly FileSpec[] = FASHION_MNIST_FILES,
): Promise<LocatedFiles> {
  const paths: Partial<FilePaths> = {};
  const missing: string[] = [];
  for (const spec of files) {
    const raw = join(dir, spec.name);
    const gz = `${raw}.gz`;
    if (await isFile(raw)) paths[spec.key] = raw;
    else if (await isFile(gz)) paths[spec.key] = gz;
    else missing.push(spec.name);
  }
  return { paths, missing };
}

function readEnv(): string | null {
  try {
    return Deno.env.get("FASHION_MNIST_DIR") ?? null;
  } catch {
    return null; // no --allow-env: treat as unset
  }
}

async function examine(origin: string, dir: string): Promise<FoundPlace | TriedPlace> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { origin, dir, problem: "no such directory" };
    const why = err instanceof Error ? err.message : String(err);
    return { origin, dir, problem: `cannot be read (${why})` };
  }
  if (!info.isDirectory) return { origin, dir, problem: "not a directory" };
  try {
    const { paths, missing } = await locateFiles(dir);
    if (missing.length > 0) {
      return { origin, dir, problem: `missing ${missing.map((m) => `${m}[.gz]`).join(", ")}` };
    }
    return { origin, dir, paths: paths as FilePaths };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { origin, dir, problem: `cannot be read (${why})` };
  }
}

/**
 * Look for a directory holding all four Fashion-MNIST files (each raw or `.gz`), in order:
 * `options.dir` (the `--data` flag), `FASHION_MNIST_DIR`, the project's `data/fashion-mnist/`,
 * then Debian's `/usr/share/datasets/fashion-mnist/`. Relative paths are resolved against the
 * working directory. Only the presence of the files is checked here; their content is validated
 * when they are read. An incomplete place is reported and passed over, whatever its origin;
 * `loadFashionMnist` is stricter: a folder named by `--data` or `FASHION_MNIST_DIR` without the
 * files is an error there, not a reason to look elsewhere.
 *
 * @param options The places to look (see {@link FindOptions}).
 * @returns The first complete place, if any, and every place looked at before it.
 *
 * @example Nothing in an empty directory
 * ```ts
 * import assert from "node:assert/strict";
 * import { findFashionMnist } from "./find.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const { found, tried } = await findFashionMnist({
 *   dir,
 *   env: null,
 *   projectDir: null,
 *   systemDir: null,
 * });
 * assert.equal(found, null);
 * assert.equal(tried[0].origin, "--data");
 * assert.match(tried[0].problem, /^missing train-images-idx3-ubyte\[\.gz\]/);
 * await Deno.remove(dir);
 * ```
 */
export async function findFashionMnist(options: FindOptions = {}): Promise<FindResult> {
  const places: { origin: string; dir: string | null }[] = [];
  if (options.dir !== undefined) places.push({ origin: "--data", dir: options.dir });
  if (options.env !== null) {
    const env = options.env === undefined ? readEnv() : options.env;
    places.push({ origin: "FASHION_MNIST_DIR", dir: env === "" ? null : env });
  }
  const project = options.projectDir === undefined ? projectDataDir() : options.projectDir;
  if (project !== null) places.push({ origin: "project data directory", dir: project });
  const system = options.systemDir === undefined ? DEBIAN_DATA_DIR : options.systemDir;
  if (system !== null) places.push({ origin: "Debian dataset-fashion-mnist", dir: system });

  const tried: TriedPlace[] = [];
  for (const { origin, dir } of places) {
    if (dir === null) {
      tried.push({ origin, dir, problem: "not set" });
      continue;
    }
    const result = await examine(origin, resolve(dir));
    if ("paths" in result) return { found: result, tried };
    tried.push(result);
  }
  return { found: null, tried };
}
