/**
 * The one error type the data loader throws for problems with the data itself.
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
