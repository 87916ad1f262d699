/**
 * Writing all of a text to a stream that may take only part of it.
 *
 * @module
 */

/** A stream written synchronously, like `Deno.stdout` and `Deno.stderr`. */
export interface SyncWriter {
  /** Write some of `p`; returns how many bytes were written (maybe fewer than given). */
  writeSync(p: Uint8Array): number;
}

const encoder = new TextEncoder();

/**
 * Write every byte of `data` to `stream`: `writeSync` may write fewer bytes
 * than it is given (a pipe that is full, a terminal), so the rest is written
 * until none is left.
 *
 * @param stream Where to write.
 * @param data Text (written as UTF-8) or bytes.
 *
 * @example A stream that takes two bytes at a time
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAllSync } from "./write_all.ts";
 * const got: number[] = [];
 * const stream = { writeSync: (p: Uint8Array) => (got.push(...p.subarray(0, 2)), Math.min(2, p.length)) };
 * writeAllSync(stream, "hello");
 * assert.equal(new TextDecoder().decode(new Uint8Array(got)), "hello");
 * ```
 */
export function writeAllSync(stream: SyncWriter, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let written = 0;
  while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
}
