/**
 * The one progress display of the project's command lines (downloads and
 * training): on a terminal, a line redrawn in place; elsewhere, plain lines
 * only, so logs stay readable.
 *
 * @module
 */

import { writeAllSync } from "./write_all.ts";

/** Where progress is written: `Deno.stderr` by default; tests pass their own. */
export interface ProgressStream {
  /** Write some of `p`; returns how many bytes were written (maybe fewer than given). */
  writeSync(p: Uint8Array): number;
  /** Whether the stream is a terminal (where a line can be redrawn in place). */
  isTerminal(): boolean;
}

/** Back to the start of the line, and erase it. */
const ERASE = "\r\x1b[2K";

/**
 * A bar of `width` characters, the share `fraction` of them filled:
 * `[#####-----]`.
 *
 * @param fraction How much is done, from 0 to 1 (clamped).
 * @param width The characters between the brackets.
 * @returns The bar.
 *
 * @example Half done
 * ```ts
 * import assert from "node:assert/strict";
 * import { bar } from "./progress_line.ts";
 * assert.equal(bar(0.5, 10), "[#####-----]");
 * assert.equal(bar(2, 4), "[####]");
 * ```
 */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/**
 * A line of progress. On a terminal, {@linkcode ProgressLine.draw} redraws it
 * in place and {@linkcode ProgressLine.print} puts a lasting line in its
 * stead; elsewhere only printed lines appear. Every write is complete:
 * `writeSync` may take fewer bytes than it is given, so the rest is written
 * until none is left.
 *
 * @example A download on a terminal
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProgressLine } from "./progress_line.ts";
 * let text = "";
 * const stream = {
 *   writeSync: (p: Uint8Array) => (text += new TextDecoder().decode(p), p.length),
 *   isTerminal: () => true,
 * };
 * const line = new ProgressLine(stream);
 * line.draw("a.gz 10%");
 * line.draw("a.gz 10%"); // unchanged: not drawn again
 * line.draw("a.gz 100%");
 * line.print("a.gz: done");
 * assert.equal(text, "\r\x1b[2Ka.gz 10%\r\x1b[2Ka.gz 100%\r\x1b[2Ka.gz: done\n");
 * ```
 */
export class ProgressLine {
  /** Whether lines are redrawn in place (the stream is a terminal). */
  readonly terminal: boolean;
  readonly #stream: ProgressStream;
  /** The text on screen, or `null` when no line is drawn. */
  #shown: string | null = null;

  /**
   * A progress line on `stream`.
   *
   * @param stream Where to write (default: stderr).
   * @param terminal Whether to redraw in place (default: whether `stream` is a terminal).
   */
  constructor(stream: ProgressStream = Deno.stderr, terminal?: boolean) {
    this.#stream = stream;
    this.terminal = terminal ?? isTerminal(stream);
  }

  /**
   * Show `text` in place of the drawn line (on a terminal; elsewhere nothing).
   *
   * @param text One line, without a newline.
   */
  draw(text: string): void {
    if (!this.terminal || text === this.#shown) return;
    this.#write(ERASE + text);
    this.#shown = text;
  }

  /**
   * Print `text` as a lasting line, in place of the drawn line if there is one.
   *
   * @param text One line, without a newline.
   */
  print(text: string): void {
    this.#write(`${this.#shown === null ? "" : ERASE}${text}\n`);
    this.#shown = null;
  }

  /** Keep the drawn line as it is: end it, so the next one starts below. */
  keep(): void {
    if (this.#shown === null) return;
    this.#write("\n");
    this.#shown = null;
  }

  /** Erase the drawn line, if there is one. */
  clear(): void {
    if (this.#shown === null) return;
    this.#write(ERASE);
    this.#shown = null;
  }

  #write(text: string): void {
    writeAllSync(this.#stream, text);
  }
}

function isTerminal(stream: ProgressStream): boolean {
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}
