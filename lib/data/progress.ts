/**
 * Download progress: the event type and a reporter that draws it on stderr.
 *
 * @module
 */

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
  /** Where text goes (default: written synchronously to stderr). */
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

function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
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
  const encoder = new TextEncoder();
  const write = options.write ?? ((text: string) => {
    const bytes = encoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
  });
  const terminal = options.isTerminal ?? stderrIsTerminal();
  const width = options.width ?? 30;
  let lastLine = "";
  let started = new Set<string>();

  return (p: DownloadProgress) => {
    if (!terminal) {
      if (!started.has(p.url)) {
        started.add(p.url);
        write(`downloading ${p.url}${p.total === null ? "" : ` (${size(p.total)})`}\n`);
      }
      if (p.done) write(`  ${p.file}: ${size(p.received)} received\n`);
      return;
    }
    let line: string;
    if (p.total !== null && p.total > 0) {
      const fraction = Math.min(1, p.received / p.total);
      const filled = Math.round(fraction * width);
      const bar = "#".repeat(filled) + "-".repeat(width - filled);
      const percent = String(Math.floor(fraction * 100)).padStart(3);
      const [scale, unit] = unitFor(p.total);
      const amount = `${(p.received / scale).toFixed(1)}/${(p.total / scale).toFixed(1)} ${unit}`;
      line = `${p.file} [${bar}] ${percent}% ${amount}`;
    } else {
      line = `${p.file} ${size(p.received)}`;
    }
    if (line !== lastLine) {
      write(`\r\x1b[2K${line}`);
      lastLine = line;
    }
    if (p.done) {
      write("\n");
      lastLine = "";
      started = new Set();
    }
  };
}
