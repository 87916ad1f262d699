/**
 * Training progress on stderr: a redrawn bar on a terminal, plain lines otherwise.
 *
 * @module
 */

/** Where progress goes. */
export interface ProgressSink {
  /** Called often during an epoch. */
  update(epoch: number, update: number, loss: number, lr: number): void;
  /** Called once an epoch is complete. */
  epochDone(line: string): void;
  /** Called when the run ends. */
  close(): void;
}

/** A sink that shows nothing. */
export const silentProgress: ProgressSink = { update() {}, epochDone() {}, close() {} };

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--";
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * A progress display for a run of `epochs` epochs of `updatesPerEpoch`
 * updates, on `stream` (stderr by default).
 *
 * @param name Run name shown at the start of each line.
 * @param epochs Total epochs.
 * @param updatesPerEpoch Updates in each epoch.
 * @param stream Where to write; a terminal gets a bar redrawn in place.
 * @returns The sink to feed.
 */
export function terminalProgress(
  name: string,
  epochs: number,
  updatesPerEpoch: number,
  stream: { writeSync(p: Uint8Array): number; isTerminal(): boolean } = Deno.stderr,
): ProgressSink {
  const encoder = new TextEncoder();
  const tty = stream.isTerminal();
  const started = performance.now();
  const write = (text: string) => stream.writeSync(encoder.encode(text));
  let drawn = false;
  return {
    update(epoch, update, loss, lr) {
      if (!tty) return;
      const done = (epoch - 1) * updatesPerEpoch + update;
      const all = epochs * updatesPerEpoch;
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / done) * (all - done);
      const width = 24, filled = Math.round((update / updatesPerEpoch) * width);
      const bar = "=".repeat(filled) + " ".repeat(width - filled);
      write(
        `\r\x1b[K${name}  epoch ${epoch}/${epochs} [${bar}] ${update}/${updatesPerEpoch}` +
          `  loss ${loss.toFixed(4)}  lr ${lr.toPrecision(3)}  ETA ${duration(eta)}`,
      );
      drawn = true;
    },
    epochDone(line) {
      write(`${tty && drawn ? "\r\x1b[K" : ""}${name}  ${line}\n`);
      drawn = false;
    },
    close() {
      if (tty && drawn) write("\r\x1b[K");
    },
  };
}
