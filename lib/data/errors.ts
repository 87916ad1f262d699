/**
 * The error types the data loader throws for problems with the data itself: `DataError`, and
 * its subclass `DataNotFoundError` for data that is not there at all.
 *
 * @module
 */

/**
 * A problem with the Fashion-MNIST files: missing, corrupt, truncated, or a failed download.
 *
 * The message is complete and meant for people: it names the file and what is wrong, so a
 * command-line tool can print `err.message` alone, without a stack trace. Programming errors
 * (wrong argument types and the like) are not `DataError`s.
 *
 * @example Print one line for data problems, rethrow anything else
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError } from "./errors.ts";
 *
 * const err: unknown = new DataError("t10k-labels-idx1-ubyte.gz: label 12 at index 57 is outside 0..9");
 * assert.ok(err instanceof DataError);
 * assert.equal(err.name, "DataError");
 * assert.match(err.message, /label 12 at index 57/);
 * ```
 */
export class DataError extends Error {
  /**
   * Make a data error.
   *
   * @param message What is wrong, naming the file or place concerned.
   * @param options Standard error options; `cause` keeps the underlying error, if any.
   * @returns A new `DataError`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DataError";
  }
}

/**
 * The Fashion-MNIST files are not there: a folder named by `--data` or `FASHION_MNIST_DIR`
 * lacks some of them, or no usual place has all four and they could not be fetched (downloading
 * turned off, no network, an HTTP error).
 *
 * Everything else that can go wrong with data that is there (a corrupt or truncated file, a
 * checksum mismatch, a download that breaks off or brings the wrong bytes) is a plain
 * {@link DataError}. So a program can tell "the data is missing" (tests skip, a tool says how to
 * get it) from "the data is wrong" (always a failure).
 *
 * @example Missing data is a DataError too
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError, DataNotFoundError } from "./errors.ts";
 *
 * const err: unknown = new DataNotFoundError("--data /tmp/x: no such directory");
 * assert.ok(err instanceof DataNotFoundError);
 * assert.ok(err instanceof DataError);
 * assert.equal(err.name, "DataNotFoundError");
 * assert.ok(!(new DataError("checksum mismatch") instanceof DataNotFoundError));
 * ```
 */
export class DataNotFoundError extends DataError {
  /**
   * Make a not-found error.
   *
   * @param message Where the data was looked for and why it was not there.
   * @param options Standard error options; `cause` keeps the underlying error, if any.
   * @returns A new `DataNotFoundError`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DataNotFoundError";
  }
}
