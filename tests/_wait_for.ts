/**
 * Waiting on a condition with a deadline, for the browser tests: a test that
 * has made something happen in a page reads the page until the condition
 * holds, rather than sleeping for a time a fast machine happens to need. The
 * deadline only says when to give up, so it is generous; when it passes, the
 * error says what was awaited and the last value seen.
 *
 * @module
 */

/** What a wait is for, and how long it may take. */
export interface WaitOptions {
  /** What is awaited, in words, for the error on timeout: "the hover label shows values". */
  what: string;
  /** Milliseconds before giving up (default 30 s: a loaded machine is slow, never wrong). */
  deadline?: number;
  /** Milliseconds between reads (default 50). */
  interval?: number;
}

/** The longest excerpt of the last value an error quotes. */
const QUOTE = 600;

/** A value as the timeout error quotes it: JSON, cut to {@linkcode QUOTE} characters. */
function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text;
}

/**
 * Read a value until `ok` accepts it, and return that value.
 *
 * @param read Reads the value, typically by evaluating an expression in the page.
 * @param ok Whether the value is the one awaited.
 * @param options What is awaited (for the error) and the deadline.
 * @returns The first value `ok` accepted.
 * @throws {Error} When the deadline passes first: it names what was awaited and the last value
 * read. An error `read` throws is passed on as it is.
 *
 * @example A value that changes on its own becomes what was awaited
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitFor } from "./_wait_for.ts";
 *
 * let reads = 0;
 * const value = await waitFor(() => Promise.resolve(++reads), (n) => n >= 3, {
 *   what: "the third read",
 * });
 * assert.equal(value, 3);
 * ```
 *
 * @example A condition that never holds fails with what was awaited and seen
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitFor } from "./_wait_for.ts";
 *
 * await assert.rejects(
 *   waitFor(() => Promise.resolve("light"), (theme) => theme === "dark", {
 *     what: "the dark theme",
 *     deadline: 200,
 *   }),
 *   /timed out after 0\.2 s waiting for the dark theme; last seen: "light"/,
 * );
 * ```
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  options: WaitOptions,
): Promise<T> {
  const { what, deadline = 30_000, interval = 50 } = options;
  const end = Date.now() + deadline;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() >= end) {
      throw new Error(
        `timed out after ${deadline / 1000} s waiting for ${what}; last seen: ${quote(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
    value = await read();
  }
  return value;
}
