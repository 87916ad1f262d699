/**
 * Running a chapter: its cells in order, each code cell's outputs kept.
 *
 * @module
 */

import { fileCache, FROZEN_DIR, type RunCache, SCRATCH_DIR } from "../train/cache.ts";
import { resolveConfig, train as trainRun, type TrainOptions } from "../train/train.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";
import { seedsFor, trainSeeds } from "./seeds.ts";
import type { CellContext, Chapter, CodeCell, Output, RunOptions } from "./types.ts";

/** A code cell with what it produced. */
export interface CellResult {
  /** The cell's id. */
  id: string;
  /** The cell's one-line caption. */
  caption: string;
  /** What it produced. */
  outputs: Output[];
}

/** Everything a chapter run computed. */
export interface ChapterRun {
  /** The chapter's slug. */
  slug: string;
  /** The chapter's title. */
  title: string;
  /** The options it ran with. */
  options: RunOptions;
  /** The code cells' results, in order. */
  cells: CellResult[];
  /** Outputs by cell id (what prose functions receive). */
  results: Map<string, Output[]>;
  /** The Markdown of every prose cell, in order, as evaluated during the run. */
  prose: string[];
}

/** Hooks to follow a run as it goes (the terminal runner prints from these). */
export interface RunHooks {
  /** Before a code cell runs. */
  beforeCell?(cell: CodeCell): void;
  /** After a code cell ran. */
  afterCell?(cell: CodeCell, outputs: Output[]): void;
  /** Called with each prose cell's Markdown, once the results it quotes exist. */
  prose?(markdown: string): void;
}

/**
 * The settings of a quick run, `deno task chapter NAME --quick` and `deno task
 * build --quick` alike: 2 epochs on the first 1,024 training and test images.
 * A look at the chapter's cells working, not its numbers.
 */
export const QUICK_RUN: Readonly<Required<Pick<RunOptions, "epochs" | "trainSize" | "testSize">>> =
  Object.freeze({ epochs: 2, trainSize: 1024, testSize: 1024 });

/** The train function a chapter's cells call: engine options fixed, request overridden by options. */
export type Trainer = (request: TrainRequest, options: TrainOptions) => Promise<RunResult>;

/**
 * Apply the command-line options to a cell's training request: the options
 * win over the request (a quick run is a quick run), and the result records
 * what was actually run.
 *
 * @param request What the cell asked for.
 * @param options The chapter's run options.
 * @returns The request to train.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyOptions } from "./run.ts";
 * const r = applyOptions({ name: "a", schedule: () => 0.1, stepsPer: "epoch", epochs: 30 }, { epochs: 1 });
 * assert(r.epochs === 1);
 * ```
 */
export function applyOptions(request: TrainRequest, options: RunOptions): TrainRequest {
  return {
    ...request,
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    ...(options.trainSize !== undefined ? { trainSize: options.trainSize } : {}),
    ...(options.testSize !== undefined ? { testSize: options.testSize } : {}),
  };
}

/**
 * True when `options` leave a chapter's requests as the chapter makes them
 * (no `--epochs`, `--train-size` or `--test-size`): such runs are the runs the
 * book shows, kept in the frozen results.
 *
 * @param options The chapter's run options.
 * @returns Whether the runs are full size.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFullSize } from "./run.ts";
 * assert(isFullSize({ quiet: true, fresh: true }));
 * assert(!isFullSize({ epochs: 2 }));
 * ```
 */
export function isFullSize(options: RunOptions): boolean {
  return options.epochs === undefined && options.trainSize === undefined &&
    options.testSize === undefined;
}

/**
 * Where the runs of a chapter run with `options` are kept: the frozen results
 * (`data/frozen/`, committed) for full-size runs, else the scratch cache
 * (`data/runs/`).
 *
 * @param options The chapter's run options.
 * @returns The store.
 */
export function storeFor(options: RunOptions): RunCache {
  return fileCache(isFullSize(options) ? FROZEN_DIR : SCRATCH_DIR);
}

/**
 * Run every cell of `chapter`. Prose that is a function of results is
 * evaluated once the cells before it have run.
 *
 * @param chapter The chapter.
 * @param options Epochs, data sizes, cache and display settings.
 * @param hooks Callbacks to show the run as it goes.
 * @param trainer The training function (the engine by default; tests may inject one).
 * @returns Every output, by cell.
 */
export async function runChapter(
  chapter: Chapter,
  options: RunOptions = {},
  hooks: RunHooks = {},
  trainer: Trainer = trainRun,
): Promise<ChapterRun> {
  const results = new Map<string, Output[]>();
  const cells: CellResult[] = [];
  const prose: string[] = [];
  const train = (request: TrainRequest) =>
    trainer(applyOptions(request, options), {
      cache: storeFor(options),
      fresh: options.fresh,
      dataDir: options.dataDir,
      progress: options.quiet ? "silent" : "terminal",
    });
  const context: CellContext = {
    options,
    results,
    train,
    trainSeeds: (request, seeds) => trainSeeds(train, request, seedsFor(options, seeds)),
    configOf: (request) => resolveConfig(applyOptions(request, options)),
  };
  for (const cell of chapter.cells) {
    if (cell.kind === "prose") {
      const markdown = typeof cell.markdown === "string" ? cell.markdown : cell.markdown(results);
      prose.push(markdown);
      hooks.prose?.(markdown);
      continue;
    }
    hooks.beforeCell?.(cell);
    const outputs = await cell.run(context);
    results.set(cell.id, outputs);
    cells.push({ id: cell.id, caption: cell.caption, outputs });
    hooks.afterCell?.(cell, outputs);
  }
  return { slug: chapter.slug, title: chapter.title, options, cells, results, prose };
}
