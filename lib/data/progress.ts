/**
 * Download progress: the event type and a reporter that draws it on stderr.
 *
 * @module
 */

import { bar, ProgressLine, type ProgressStream } from "../util/progress_line.ts";

/** Progress of one file's download, reported when it starts, per chunk, and when done. */
export interface DownloadProgress {
  /** The file being fetched, e.g. `"train-images-idx3-ubyte.gz"`. */
  file: string;
  /** Its URL. */
  url: string;
  /** Bytes received so far. */
  received: number;
  /** Total bytes (from `Content-Length`), or `null` when the server did not say. */
  total: number | null;
  /** `true` on the last event of the file, once every byte has arrived. */
  done: boolean;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where text goes (default: written synchronously to stderr, every byte). */
  write?: (text: string) => void;
  /** Draw a redrawn bar (`true`) or print plain lines (`false`); default: is stderr a TTY. */
  isTerminal?: boolean;
  /** Width of the bar in characters (default 30). */
  width?: number;
}

// Sizes in MB, or kB below a megabyte (the label files are 5 and 29 kB).
function unitFor(bytes: number): [number, string] {
  return bytes < 1e6 ? [1e3, "kB"] : [1e6, "MB"];
}

function size(bytes: number): string {
  const [scale, unit] = unitFor(bytes);
  return `${(bytes / scale).toFixed(1)} ${unit}`;
}

/**
 * Make an `onProgress` callback that shows downloads: on a terminal, one bar per file, redrawn
 * in place (`\r`); otherwise two plain lines per file (start and end), so logs stay readable.
 *
 * @param options Where to write, whether to draw a bar, and its width.
 * @returns A callback for {@link DownloadProgress} events.
 *
 * @example Plain lines, collected in memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProgressReporter } from "./progress.ts";
 *
 * let text = "";
 * const report = createProgressReporter({ write: (s) => (text += s), isTerminal: false });
 * const event = { file: "a.gz", url: "http://example.com/a.gz", received: 0, total: 2e6 };
 * report({ ...event, done: false });
 * report({ ...event, received: 1e6, done: false });
 * report({ ...event, received: 2e6, done: true });
 * assert.equal(text, "downloading http://example.com/a.gz (2.0 MB)\n  a.gz: 2.0 MB received\n");
 * ```
 */
export function createProgressReporter(
  options: ProgressReporterOptions = {},
): (progress: DownloadProgress) => void {
  const decoder = new TextDecoder();
  const stream: ProgressStream | undefined = options.write && {
    writeSync: (bytes) => {
      options.write!(decoder.decode(bytes));
      return bytes.length;
    },
    isTerminal: () => Deno.stderr.isTerminal(),
  };
  const out = new ProgressLine(stream, options.isTerminal);
  const width = options.width ?? 30;
  let started = new Set<string>();

  return (p: DownloadProgress) => {
    if (!out.terminal) {
      if (!started.has(p.url)) {
        started.add(p.url);
        out.print(`downloading ${p.url}${p.total === null ? "" : ` (${size(p.total)})`}`);
      }
      if (p.done) out.print(`  ${p.file}: ${size(p.received)} received`);
      return;
    }
    if (p.total !== null && p.total > 0) {
      const fraction = Math.min(1, p.received / p.total);
      const percent = String(Math.floor(fraction * 100)).padStart(3);
      const [scale, unit] = unitFor(p.total);
      const amount = `${(p.received / scale).toFixed(1)}/${(p.total / scale).toFixed(1)} ${unit}`;
      out.draw(`${p.file} ${bar(fraction, width)} ${percent}% ${amount}`);
    } else {
      out.draw(`${p.file} ${size(p.received)}`);
    }
    if (p.done) {
      out.keep();
      started = new Set();
    }
  };
}
