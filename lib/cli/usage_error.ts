/**
 * The error of a command line that cannot be run as typed.
 *
 * @module
 */

/**
 * A problem with the command line: an unknown flag, a missing or bad value,
 * a stray argument. The message says what is wrong and quotes what was
 * typed; {@linkcode runMain} (`./main.ts`) prints it as one line, never a
 * stack trace, and exits with code 2.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./usage_error.ts";
 * const error = new UsageError('--epochs must be a whole number from 1 to 10,000, got "x"');
 * assert(error instanceof Error);
 * assert.equal(error.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /**
   * Make the error.
   *
   * @param message What is wrong, naming the flag or argument and its value.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
