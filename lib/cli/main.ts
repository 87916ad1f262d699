/**
 * Running a command's main function: exit codes and one-line errors.
 *
 * @module
 */

import { writeAllSync } from "../util/write_all.ts";
import { UsageError } from "./usage_error.ts";

/** A class of errors (`DataError`, say). */
// deno-lint-ignore no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/** How {@linkcode runMain} reports what went wrong. */
export interface MainOptions {
  /** Where messages go (default: the process's stderr, every byte). */
  err?: (text: string) => void;
  /**
   * More errors that are the user's to fix, reported like a {@linkcode UsageError}
   * (one line, exit code 2): for instance the data loader's `DataError`.
   */
  userErrors?: readonly ErrorClass[];
  /** A line to print after a usage error's, e.g. ``run `deno task lr --help` for usage``. */
  usageHint?: string;
  /**
   * Report any other error as one line too, with exit code 1 (default: let it
   * through, stack trace and all, since it is a bug to fix).
   */
  reportOthers?: boolean;
}

/**
 * Run `main` and return its exit code. A {@linkcode UsageError} (or one of
 * `options.userErrors`) becomes `name: message` on stderr and exit code 2,
 * never a stack trace.
 *
 * @param name The command's name, before each message: `chapter`, `build`, `lr`.
 * @param main The command: returns its exit code.
 * @param options Where messages go and which errors are reported how.
 * @returns The exit code, for `Deno.exit`.
 *
 * @example A usage error
 * ```ts
 * import assert from "node:assert/strict";
 * import { runMain } from "./main.ts";
 * import { UsageError } from "./usage_error.ts";
 * let err = "";
 * const code = await runMain("demo", () => {
 *   throw new UsageError('unexpected argument "x"');
 * }, { err: (text) => void (err += text) });
 * assert.equal(code, 2);
 * assert.equal(err, 'demo: unexpected argument "x"\n');
 * ```
 */
export async function runMain(
  name: string,
  main: () => number | Promise<number>,
  options: MainOptions = {},
): Promise<number> {
  const err = options.err ?? ((text: string) => writeAllSync(Deno.stderr, text));
  try {
    return await main();
  } catch (error) {
    const userError = error instanceof UsageError ||
      (options.userErrors ?? []).some((type) => error instanceof type);
    if (userError) {
      const hint = error instanceof UsageError && options.usageHint ? `${options.usageHint}\n` : "";
      err(`${name}: ${(error as Error).message}\n${hint}`);
      return 2;
    }
    if (!options.reportOthers) throw error;
    err(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
