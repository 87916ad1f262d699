/**
 * Training progress on stderr: a redrawn bar on a terminal, plain lines otherwise.
 *
 * @module
 */

import { bar, ProgressLine, type ProgressStream } from "../util/progress_line.ts";

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
  stream: ProgressStream = Deno.stderr,
): ProgressSink {
  const out = new ProgressLine(stream);
  const started = performance.now();
  return {
    update(epoch, update, loss, lr) {
      if (!out.terminal) return;
      const done = (epoch - 1) * updatesPerEpoch + update;
      const all = epochs * updatesPerEpoch;
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / done) * (all - done);
      out.draw(
        `${name}  epoch ${epoch}/${epochs} ${bar(update / updatesPerEpoch, 24)} ` +
          `${update}/${updatesPerEpoch}  loss ${loss.toFixed(4)}  lr ${lr.toPrecision(3)}  ` +
          `ETA ${duration(eta)}`,
      );
    },
    epochDone(line) {
      out.print(`${name}  ${line}`);
    },
    close() {
      out.clear();
    },
  };
}
