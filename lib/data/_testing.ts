/**
 * Helpers for the tests of `lib/data` and the tests that train on its data (not part of the
 * public API): Fashion-MNIST, skipped where it is not there and a failure whenever it is there
 * but wrong; and a temporary folder for each test.
 *
 * @module
 */

import { DataError, DataNotFoundError } from "./errors.ts";
import { type FashionMnist, loadFashionMnist, type LoadOptions } from "./load.ts";

/** The environment variable that turns missing data into a test failure (CI sets it to `1`). */
export const REQUIRE_DATA_VAR = "LR_REQUIRE_DATA";

/** Options of {@link loadTestData}: where to look, as for `loadFashionMnist`, and more. */
export interface TestDataOptions extends LoadOptions {
  /**
   * Whether missing data is a failure rather than a reason to skip. Default: whether
   * `LR_REQUIRE_DATA` is `1` (unset, empty or `0`: no; anything else is an error).
   */
  required?: boolean;
}

function requiredByEnvironment(): boolean {
  const value = Deno.env.get(REQUIRE_DATA_VAR) ?? "";
  if (value === "" || value === "0") return false;
  if (value === "1") return true;
  throw new TypeError(
    `${REQUIRE_DATA_VAR} (${JSON.stringify(value)}) must be "1" or "0", or unset`,
  );
}

/**
 * Load Fashion-MNIST for tests, as `loadFashionMnist` does (downloading it when no place has
 * it). Returns `null` only when the data is not there ({@link DataNotFoundError}), saying so on
 * stderr, so that the tests needing it can pass `ignore: data === null`; a corrupt file, a
 * checksum mismatch or any other error is rethrown, so those tests fail instead of vanishing.
 * With `LR_REQUIRE_DATA=1` (or `required: true`) missing data is a failure too.
 *
 * @param options Where to look (default: the usual places), and whether the data is required.
 * @returns The data, or `null` when it is not there and not required.
 * @throws {DataError} When the data is there but wrong, or required but not there.
 * @throws {TypeError} When `LR_REQUIRE_DATA` is neither unset, `""`, `"0"` nor `"1"`.
 *
 * @example Nothing in an empty folder: skip
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadTestData } from "./_testing.ts";
 *
 * const empty = await Deno.makeTempDir();
 * const data = await loadTestData({ dir: empty, required: false }); // says so on stderr
 * assert.equal(data, null); // a test file then passes `ignore: data === null`
 * await Deno.remove(empty);
 * ```
 */
export async function loadTestData(options: TestDataOptions = {}): Promise<FashionMnist | null> {
  const { required = requiredByEnvironment(), ...load } = options;
  try {
    return await loadFashionMnist(load);
  } catch (err) {
    if (!(err instanceof DataNotFoundError)) throw err;
    if (required) {
      throw new DataError(
        `${REQUIRE_DATA_VAR}=1, so missing data is a failure:\n${err.message}`,
        { cause: err },
      );
    }
    console.warn(
      `Fashion-MNIST is not there: the tests that train on it are skipped ` +
        `(set ${REQUIRE_DATA_VAR}=1 to make this a failure).\n${err.message}`,
    );
    return null;
  }
}

/**
 * Run `fn` with a new empty temporary folder, removed afterwards whatever `fn` does.
 *
 * @param fn What to do with the folder's path.
 * @returns What `fn` returns, once the folder is removed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withTempDir } from "./_testing.ts";
 *
 * const used = await withTempDir(async (dir) => {
 *   await Deno.writeTextFile(`${dir}/a.txt`, "a");
 *   return dir;
 * });
 * await assert.rejects(Deno.stat(used), Deno.errors.NotFound);
 * ```
 */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "lr-data-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
