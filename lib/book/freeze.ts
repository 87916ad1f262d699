/**
 * Frozen results: which full-size runs the book needs, which of them the
 * store holds, and training the rest (`deno task freeze`).
 *
 * The book's runs are found by running every chapter at full size with a
 * trainer that trains nothing: it keys each request (./../train/train.ts
 * `keyOf`), returns the stored record when there is one, and otherwise notes
 * the request as missing and hands the chapter a made-up run so that the
 * cells after it go on. Records no chapter asks for are stale (the same
 * request, trained by another engine) or orphans (a request no chapter makes
 * any more).
 *
 * @module
 */

import { fakeTrainer } from "./_testing.ts";
import { runChapter } from "./run.ts";
import type { Chapter } from "./types.ts";
import { type FileCache, resultOf, type RunRecord } from "../train/cache.ts";
import { keyOf, train, type TrainOptions } from "../train/train.ts";
import type { RunConfig, RunResult, TrainRequest } from "../train/types.ts";

/** A full-size run some chapter asks for. */
export interface NeededRun {
  /** The first chapter that asks for it. */
  chapter: string;
  /** The run's name. */
  name: string;
  /** Its key (request and engine). */
  key: string;
  /** The hash of its request alone. */
  request: string;
  /** Its settings. */
  config: RunConfig;
  /** The request itself, to train it. */
  trainRequest: TrainRequest;
}

/** What the store holds against what the book needs. */
export interface FreezeStatus {
  /** Every run the book needs, in the order the chapters ask for them. */
  needed: NeededRun[];
  /** The needed runs the store has no valid record of. */
  missing: NeededRun[];
  /** Records of a needed request trained by another engine (or other packages). */
  stale: { record: RunRecord; run: NeededRun }[];
  /** Records whose request no chapter makes any more. */
  orphans: RunRecord[];
  /** Files in the store that are not valid records. */
  invalid: { file: string; problem: string }[];
}

/**
 * Run every chapter at full size, training nothing, and compare the runs they
 * ask for with the records in `store`.
 *
 * @param chapters The book's chapters.
 * @param store The frozen results.
 * @returns Needed, missing, stale, orphaned and invalid.
 */
export async function freezeStatus(
  chapters: readonly Chapter[],
  store: FileCache,
): Promise<FreezeStatus> {
  const { records, invalid } = await store.list();
  const byKey = new Map(records.map((r) => [r.key, r]));
  const needed = new Map<string, NeededRun>();
  const placeholder = fakeTrainer();
  for (const chapter of chapters) {
    const trainer = async (request: TrainRequest): Promise<RunResult> => {
      const { config, request: hash, key } = await keyOf(request);
      if (!needed.has(key)) {
        needed.set(key, {
          chapter: chapter.slug,
          name: request.name,
          key,
          request: hash,
          config,
          trainRequest: request,
        });
      }
      const record = byKey.get(key);
      return record ? resultOf(record, request.name) : placeholder(request, {});
    };
    await runChapter(chapter, { quiet: true }, {}, trainer);
  }
  const all = [...needed.values()];
  const missing = all.filter((run) => !byKey.has(run.key));
  const byRequest = new Map(all.map((run) => [run.request, run]));
  const stale: FreezeStatus["stale"] = [], orphans: RunRecord[] = [];
  for (const record of records) {
    if (needed.has(record.key)) continue;
    const run = byRequest.get(record.request);
    if (run) stale.push({ record, run });
    else orphans.push(record);
  }
  return { needed: all, missing, stale, orphans, invalid };
}

/**
 * Seconds of one full-data epoch of the classic LeNet on 2 cores, training and evaluation, when no
 * record says: `deno task bench` on an idle machine measured a median of 2.82 s (2026-12-02,
 * `bench/README.md`); a run also pays its start and a busier machine, hence 3.
 */
export const EPOCH_SECONDS = 3;

/**
 * The time a run is expected to take: its epochs, scaled by its share of the
 * data and the net's width, at the speed the stored full-data records of the
 * classic net were trained at (their median; {@linkcode EPOCH_SECONDS} when
 * there are none).
 *
 * @param config The run's settings.
 * @param records Stored records, to measure the speed from.
 * @returns Seconds.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { EPOCH_SECONDS, estimateSeconds } from "./freeze.ts";
 * import { resolveConfig } from "../train/config.ts";
 * const config = resolveConfig({ name: "c", schedule: () => 0.1, stepsPer: "epoch" });
 * assert.equal(estimateSeconds(config, []), 30 * EPOCH_SECONDS);
 * ```
 */
export function estimateSeconds(config: RunConfig, records: readonly RunRecord[]): number {
  const speeds = records
    .filter((r) => r.config.width === 1 && r.config.trainSize === 60_000 && r.history.length > 0)
    .map((r) => r.producedBy.seconds / r.history.length)
    .sort((a, b) => a - b);
  const epoch = speeds.length ? speeds[Math.floor(speeds.length / 2)] : EPOCH_SECONDS;
  // Convolutions dominate: their work grows a little faster than the width.
  const width = config.width ** 1.4;
  // An image evaluated costs about a third of one trained (forward only): the test images, and
  // a plateau run's held-out images.
  const evaluated = config.testSize + (config.plateau?.holdOut ?? 0);
  const share = (config.trainSize + evaluated / 3) / (60_000 + 10_000 / 3);
  return config.epochs * epoch * width * share;
}

/**
 * A duration for people: `"45 s"`, `"6 min"`, `"2 h 05 min"`.
 *
 * @param seconds The duration.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { duration } from "./freeze.ts";
 * assert.equal(duration(45), "45 s");
 * assert.equal(duration(7500), "2 h 05 min");
 * ```
 */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * The `--check` report: one line per missing, stale, orphaned or invalid
 * record, with the time to retrain each, and a total.
 *
 * @param status What {@linkcode freezeStatus} found.
 * @param records The valid records (to estimate times from).
 * @returns The lines; the first says whether all is well.
 */
export function checkReport(status: FreezeStatus, records: readonly RunRecord[]): string[] {
  const { needed, missing, stale, orphans, invalid } = status;
  const problems = missing.length + stale.length + orphans.length + invalid.length;
  const lines = [
    problems === 0
      ? `all ${needed.length} runs the book needs are frozen, and nothing else is`
      : `${needed.length - missing.length} of ${needed.length} runs the book needs are frozen`,
  ];
  const time = (config: RunConfig) => duration(estimateSeconds(config, records));
  for (const run of missing) {
    lines.push(
      `missing  ${run.chapter}: ${run.name}  (${run.key.slice(0, 12)}, ~${time(run.config)})`,
    );
  }
  for (const { record, run } of stale) {
    lines.push(
      `stale    ${run.chapter}: ${record.name}  (${record.key.slice(0, 12)}: trained by engine ` +
        `${record.producedBy.engine.slice(0, 12)}; retrain ~${time(run.config)})`,
    );
  }
  for (const record of orphans) {
    lines.push(`orphan   ${record.name}  (${record.key.slice(0, 12)}: no chapter asks for it)`);
  }
  for (const { file, problem } of invalid) lines.push(`invalid  ${file}: ${problem}`);
  // A stale record's run is either missing (and counted there) or frozen anew: never a run more.
  const todo = missing;
  if (todo.length) {
    const total = todo.reduce((s, run) => s + estimateSeconds(run.config, records), 0);
    lines.push(`to train: ${todo.length} run${todo.length > 1 ? "s" : ""}, ~${duration(total)}`);
  }
  if (orphans.length + invalid.length) {
    lines.push("deno task freeze --prune removes what no chapter needs");
  }
  return lines;
}

/** How `deno task freeze` trains. */
export interface FreezeOptions {
  /** Retrain every needed run, even those with a valid record. */
  fresh?: boolean;
  /** Engine options for each run (data, progress). */
  train?: Omit<TrainOptions, "cache" | "fresh">;
  /** Called before each run trains, with its place in the queue. */
  onRun?: (run: NeededRun, index: number, total: number) => void;
  /** The trainer (the engine by default; tests inject their own). */
  trainer?: typeof train;
}

/**
 * Train every needed run that has no valid record (all of them with `fresh`),
 * one at a time; each record is written as soon as its run finishes, so an
 * interrupted freeze keeps what finished. The chapters are looked at again
 * after each run, and the first run still to train goes next: every run its
 * chapter asked for before it is frozen, so its request is the one the
 * chapter really makes. (A request made after a placeholder result, which may
 * depend on that result, waits until the run it may depend on is frozen.)
 *
 * @param chapters The book's chapters.
 * @param store The frozen results.
 * @param options Fresh, engine options, progress.
 * @returns How many runs were trained.
 */
export async function freeze(
  chapters: readonly Chapter[],
  store: FileCache,
  options: FreezeOptions = {},
): Promise<number> {
  const trainer = options.trainer ?? train;
  const done = new Set<string>();
  for (;;) {
    const status = await freezeStatus(chapters, store);
    const lost = status.missing.find((r) => done.has(r.key));
    if (lost) {
      throw new Error(`freeze: ${lost.name} was trained but the store has no valid record of it`);
    }
    const todo = (options.fresh ? status.needed : status.missing).filter((r) => !done.has(r.key));
    if (todo.length === 0) return done.size;
    // Every run trained is still needed unless a chapter's requests change from run to run.
    if (done.size >= status.needed.length) {
      throw new Error(
        `freeze: the chapters ask for other runs every time they run: ${todo.map((r) => r.name)}`,
      );
    }
    const run = todo[0];
    options.onRun?.(run, done.size, done.size + todo.length);
    await trainer(run.trainRequest, { ...options.train, cache: store, fresh: options.fresh });
    done.add(run.key);
  }
}
