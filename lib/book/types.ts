/**
 * The shape of a chapter: the one file that says what a chapter is.
 *
 * A chapter is a TypeScript module in `chapters/` that default-exports a
 * {@linkcode Chapter}: a slug, a title and an ordered list of cells.
 *
 * - A **prose** cell is Markdown with TeX math (`$...$`, `$$...$$`). It may be a
 *   function of the results computed so far, so the text can quote measured
 *   numbers instead of numbers typed by hand.
 * - A **code** cell names a function of the chapter module. The function's
 *   source sits between `// #region ID` and `// #endregion ID` in the same
 *   file; the site shows exactly that region, so the code shown is the code
 *   run. A cell may also point at regions of library files it relies on
 *   ({@linkcode CodeCell.see}).
 * - A code cell returns {@linkcode Output}s: text, a table, a schedule curve, a
 *   training run, or one experiment trained over several seeds
 *   ({@linkcode RunsOutput}). Figures are drawn later (terminal charts, Plotly)
 *   from these numbers; nothing is drawn from numbers typed by hand.
 *
 * @module
 */

import type { ScheduleSpec } from "../preview/recipe.ts";
import type { Schedule } from "../schedules/types.ts";
import type { RunConfig, RunResult, TrainRequest } from "../train/types.ts";

/** Options that change how much work the chapter's training cells do. */
export interface RunOptions {
  /** Epochs per training run (the chapters' default is 30). */
  epochs?: number;
  /** Number of training images to use (default: all 60,000). */
  trainSize?: number;
  /** Number of test images to use (default: all 10,000). */
  testSize?: number;
  /** Ignore stored runs and train again. */
  fresh?: boolean;
  /** No progress bars. */
  quiet?: boolean;
  /** Directory of the Fashion-MNIST files, if given on the command line. */
  dataDir?: string;
  /**
   * Seeds per multi-seed experiment ({@linkcode CellContext.trainSeeds}): every
   * such cell trains seeds `0 .. seeds - 1` instead of its own list (default:
   * the cell's, usually `lib/book/seeds.ts`'s five). A quick look, not the book's
   * numbers: one seed gives no spread and no verdict.
   */
  seeds?: number;
}

/** What a code cell receives: the training entry point, already configured. */
export interface CellContext {
  /** The options the chapter runs with (epochs, subset sizes, ...). */
  readonly options: Readonly<RunOptions>;
  /**
   * Train LeNet on Fashion-MNIST. The request's epochs and data sizes are
   * overridden by {@linkcode RunOptions} when those are given; the result says
   * what was actually run. Full-size runs are read from the frozen results (`data/frozen/`), others from the run cache, when stored.
   */
  train(request: TrainRequest): Promise<RunResult>;
  /**
   * Train the same request once per seed (`lib/book/seeds.ts`): the seed, which
   * sets the initialisation and the shuffling, is the only thing that varies.
   * Each run goes through {@linkcode CellContext.train} (so stored runs are
   * read back), named `"<name>, seed <s>"`.
   *
   * @param request What to run; it must not set `seed`.
   * @param seeds The seeds (default `[0, 1, 2, 3, 4]`); `RunOptions.seeds`, when
   *   given, replaces them with `0 .. seeds - 1`.
   * @returns The group as an output, labelled with the request's name.
   */
  trainSeeds(request: TrainRequest, seeds?: readonly number[]): Promise<RunsOutput>;
  /**
   * The settings `request` would run with under these options (epochs, data
   * sizes, batch, seed, updates per epoch), without training.
   */
  configOf(request: TrainRequest): RunConfig;
  /** Results of the cells run before this one, by cell id. */
  readonly results: ReadonlyMap<string, readonly Output[]>;
}

/** A schedule evaluated at a range of steps, to be drawn as a curve. */
export interface ScheduleOutput {
  /** What kind of output this is. */
  kind: "schedule";
  /** Legend label, e.g. `"cosine, T = 20"`. */
  label: string;
  /** What one step is: an epoch or a single update (minibatch). */
  unit: "epoch" | "update";
  /** The steps evaluated, usually `0..n-1`. */
  steps: number[];
  /** `lrs[i]` is the rate at `steps[i]` (or the value of {@linkcode ScheduleOutput.quantity}). */
  lrs: number[];
  /**
   * What the values are when they are not learning rates, e.g. `"mean squared
   * distance to the minimum"` for a simulation's error along the updates: the
   * y axis's title. Default: the learning rate. Curves are drawn together only
   * when they agree on unit, quantity and {@linkcode ScheduleOutput.log}.
   */
  quantity?: string;
  /**
   * What the steps are when they are not epoch or update numbers, e.g. `"learning rate"` for a
   * range test's loss against the rate of each update: the x axis's title (`unit` still says
   * what one point is). Default: the step itself. Curves are drawn together only when they
   * agree on this too.
   */
  xQuantity?: string;
  /**
   * Which axes are logarithmic: `"x"`, `"y"` or both (`"xy"`, a log–log plot,
   * where a power law is a straight line). Points that a log axis cannot show
   * (a step or value of 0 or less) are left out of the figure. Default: both linear.
   */
  log?: "x" | "y" | "xy";
}

/** A finished (or diverged) training run. */
export interface RunOutput {
  /** What kind of output this is. */
  kind: "run";
  /** The run: its settings and per-epoch history. */
  run: RunResult;
  /**
   * True for a run brought in only to compare against (usually another cell's
   * or chapter's run, read back from the run cache): shown as one summary line,
   * not as a figure or table of its own. Default false.
   */
  reference?: boolean;
}

/**
 * One experiment trained over several seeds: the same request, the seed (the
 * initialisation and the shuffling) the only thing that varies. The unit of
 * every comparison in the book: its spread says how much of a difference
 * between two schedules is luck (`lib/book/verdict.ts`).
 */
export interface SeedRuns {
  /** The experiment's name, e.g. `"cosine 0.3 → 0.01"`: legend label and table row. */
  label: string;
  /** One run per seed, each seed once, in the order trained. */
  runs: RunResult[];
}

/**
 * A {@linkcode SeedRuns} group as a cell's output: drawn as the mean curve of
 * each metric with a band of its spread (each seed's own curve one click
 * away), printed as a table of mean ± sd and min–max.
 */
export interface RunsOutput extends SeedRuns {
  /** What kind of output this is. */
  kind: "runs";
  /**
   * True for a group brought in only to compare against (as
   * {@linkcode RunOutput.reference}): one summary line, no figure. Default false.
   */
  reference?: boolean;
}

/** Plain text (shown preformatted). */
export interface TextOutput {
  /** What kind of output this is. */
  kind: "text";
  /** The text. */
  text: string;
}

/** A small table. */
export interface TableOutput {
  /** What kind of output this is. */
  kind: "table";
  /** The column headings. */
  columns: string[];
  /** The rows, one value per column. */
  rows: (string | number)[][];
}

/** Anything a code cell can produce. */
export type Output = ScheduleOutput | RunOutput | RunsOutput | TextOutput | TableOutput;

/** Markdown, or Markdown computed from earlier results. */
export type Markdown = string | ((results: ReadonlyMap<string, readonly Output[]>) => string);

/** A cell of prose. */
export interface ProseCell {
  /** What kind of cell this is. */
  kind: "prose";
  /** The cell's Markdown (with TeX), or a function of the results so far that makes it. */
  markdown: Markdown;
}

/** A region of a source file that a code cell also shows (e.g. the engine's loop). */
export interface SourceRef {
  /** The file's URL, e.g. `new URL("../lib/train/lenet.ts", import.meta.url).href`. */
  source: string;
  /** The region's name: the file has `// #region NAME` ... `// #endregion NAME`. */
  region: string;
}

/** A cell of code: a function of the chapter module, shown from its region. */
export interface CodeCell {
  /** What kind of cell this is. */
  kind: "code";
  /** Unique within the chapter; also the name of the source region. */
  id: string;
  /** One line saying what the cell does. */
  caption: string;
  /** The function itself. Its source is the region `id` of the chapter file. */
  run: (ctx: CellContext) => Output[] | Promise<Output[]>;
  /** Library code the cell relies on and a reader should see next to it. */
  see?: SourceRef[];
}

/** A cell of a chapter. */
export type Cell = ProseCell | CodeCell;

/**
 * A schedule playground on a chapter's page: a panel, right after the code
 * cell that plots the chapter's schedule, that starts from exactly that
 * schedule. The panel plots as many steps as the cell's curve, in its unit.
 */
export interface ChapterPlayground {
  /** The id of the code cell the panel follows; the cell plots a schedule. */
  after: string;
  /**
   * The schedules the panel starts with, as the library describes them
   * (`lib/preview/recipe.ts`): the first is the cell's curve, made from the
   * same options as the chapter's schedule; up to two more are other curves
   * of the book to compare it with.
   */
  schedules: readonly ScheduleSpec[];
  /**
   * The chapter's full-size training run of the first schedule: the training panel beside the
   * playground draws its frozen record beside the run it trains in the page (none: the chapter
   * trains no run of that schedule, and the panel says so).
   */
  fullRun?: () => TrainRequest;
}

/** A chapter of the book. */
export interface Chapter {
  /** URL- and command-line name, e.g. `"cosine"`. */
  slug: string;
  /** Title shown as the page heading. */
  title: string;
  /** The `import.meta.url` of the chapter module (to cut code regions). */
  source: string;
  /** Cells in reading order. */
  cells: Cell[];
  /** How many training runs a full run of the chapter does (for time estimates). */
  trainingRuns?: number;
  /**
   * How much training a full run does, in full-data epochs of the classic LeNet
   * (for time estimates); default `trainingRuns * 30`.
   */
  trainingEpochs?: number;
  /** A schedule playground on the chapter's page, if it has one. */
  playground?: ChapterPlayground;
  /**
   * The section of *Dive into Deep Learning* the chapter follows, linked from its page (none for
   * chapters the book adds).
   */
  original?: { title: string; href: string };
}

/**
 * A template tag for Markdown with TeX: backslashes stay as written (like
 * `String.raw`), and an escaped backtick becomes a backtick.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { md } from "./types.ts";
 * assert(md`$\eta$ and \`code\`` === "$\\eta$ and `code`");
 * ```
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  return String.raw(strings, ...values).replaceAll("\\`", "`");
}

/** Markdown prose cell. */
export function prose(markdown: Markdown): ProseCell {
  return { kind: "prose", markdown };
}

/**
 * Code cell running `run`, whose source is region `id` of the chapter file.
 *
 * @param id The cell's id and region name.
 * @param caption One line saying what the cell does.
 * @param run A named function defined inside the region.
 * @param see Library regions to show beside the cell.
 * @returns The cell.
 */
export function code(
  id: string,
  caption: string,
  run: CodeCell["run"],
  see?: SourceRef[],
): CodeCell {
  return see === undefined
    ? { kind: "code", id, caption, run }
    : { kind: "code", id, caption, run, see };
}

/**
 * A region of another source file, for {@linkcode CodeCell.see}.
 *
 * @param url The file, e.g. `new URL("../lib/train/lenet.ts", import.meta.url)`.
 * @param name The region's name.
 * @returns The reference.
 */
export function region(url: URL | string, name: string): SourceRef {
  return { source: String(url), region: name };
}

/**
 * A schedule evaluated at steps `0 .. steps - 1`, as a curve to draw.
 *
 * @param label The legend label.
 * @param unit What one step is (an epoch or an update).
 * @param schedule The schedule, called once per step.
 * @param steps How many steps to evaluate.
 * @returns The curve.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { curve } from "./types.ts";
 * const c = curve("halving", "epoch", (t) => 2 ** -t, 3);
 * assert.deepEqual(c.steps, [0, 1, 2]);
 * assert.deepEqual(c.lrs, [1, 0.5, 0.25]);
 * ```
 */
export function curve(
  label: string,
  unit: ScheduleOutput["unit"],
  schedule: Schedule,
  steps: number,
): ScheduleOutput {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`curve: steps (${steps}) must be a whole number >= 1`);
  }
  const ts = Array.from({ length: steps }, (_, t) => t);
  return { kind: "schedule", label, unit, steps: ts, lrs: ts.map((t) => schedule(t)) };
}
