/**
 * `deno task chapter NAME [flags]`: run one chapter of the book in the
 * terminal. The entry point is `chapter.ts` at the project's root, which
 * hands the book's chapters to {@linkcode chapterCli}.
 *
 * @module
 */

import { type FlagSpecs, parseFlags, switchFlag, valueFlag, wholeNumber } from "../cli/flags.ts";
import { runMain } from "../cli/main.ts";
import { UsageError } from "../cli/usage_error.ts";
import { DataError } from "../data/mod.ts";
import { nearest } from "../schedules/nearest.ts";
import { writeAtomic } from "../util/write_atomic.ts";
import { chapterDocument, documentJson } from "./document.ts";
import { EPOCH_SECONDS } from "./freeze.ts";
import { outputRuns } from "./outputs.ts";
import { renderMarkdown, renderOutputs, style } from "./terminal.ts";
import { QUICK_RUN, runChapter } from "./run.ts";
import type { Chapter, RunOptions } from "./types.ts";

/** What the command line asked for. */
export interface ChapterArgs {
  /** `--list`: list the chapters and the time a full run takes. */
  list: boolean;
  /** `--help`: print the usage and run nothing. */
  help: boolean;
  /** The chapter to run (absent with `--list` or `--help`). */
  slug?: string;
  /** `--json FILE`: where to write everything the chapter computed. */
  json?: string;
  /**
   * The run options: `--quick` (or `--epochs`, `--train-size`, `--test-size`), `--seeds`,
   * `--fresh`, `--quiet`, `--data`.
   */
  options: RunOptions;
}

/** A count as the help text writes it: `1,024`. */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The `--help` text. */
export const USAGE = `usage: deno task chapter NAME [--quick] [--epochs N] [--train-size N]
                            [--test-size N] [--seeds N] [--json FILE] [--fresh] [--quiet]
                            [--data DIR]
       deno task chapter --list

  NAME           a chapter slug (see --list)
  --quick        a quick run: ${QUICK_RUN.epochs} epochs on the first ${
  count(QUICK_RUN.trainSize)
} training
                 and ${
  count(QUICK_RUN.testSize)
} test images (as deno task build --quick); --epochs,
                 --train-size and --test-size still override it
  --epochs N     epochs per training run (default 30)
  --train-size N train on the first N of the 60,000 training images (a quick run;
                 at least 256, one minibatch)
  --test-size N  evaluate on the first N of the 10,000 test images
  --seeds N      train each experiment over seeds 0 .. N-1 instead of its own seeds
                 (usually 0-4); with one seed there is no spread and no verdict
  --json FILE    write everything the chapter computed to FILE as one JSON document
                 (its shape: lib/book/document.ts)
  --fresh        train again even if a stored run has the result
  --quiet        no prose and no progress bars: just the results
  --data DIR     look for the Fashion-MNIST files in DIR first`;

/** The chapters' minibatch size: a training subset holds at least one batch. */
const BATCH = 256;

/** The flags of `deno task chapter` (and `--help`, which every command has). */
const FLAGS = {
  list: switchFlag(),
  quick: switchFlag(),
  epochs: valueFlag("a number", wholeNumber(1, 10_000)),
  "train-size": valueFlag("a number", wholeNumber(BATCH, 60_000)),
  "test-size": valueFlag("a number", wholeNumber(1, 10_000)),
  seeds: valueFlag("a number", wholeNumber(1, 100)),
  json: valueFlag("a file name"),
  fresh: switchFlag(),
  quiet: switchFlag(),
  data: valueFlag("a directory"),
} satisfies FlagSpecs;

/**
 * Parse the command line of `deno task chapter`.
 *
 * @param args The arguments after the task name.
 * @param slugs The chapter slugs (for the "did you mean" suggestion).
 * @returns What was asked.
 * @throws {UsageError} on an unknown chapter, an unknown flag or a bad value.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChapterArgs } from "./cli.ts";
 * const a = parseChapterArgs(["cosine", "--epochs", "2"], ["intro", "cosine"]);
 * assert(a.slug === "cosine" && a.options.epochs === 2);
 * assert.throws(() => parseChapterArgs(["cosin"], ["intro", "cosine"]), /did you mean cosine\?/);
 * ```
 */
export function parseChapterArgs(args: readonly string[], slugs: readonly string[]): ChapterArgs {
  const { help, flags, positionals } = parseFlags(args, FLAGS, { positionals: Infinity });
  const quick: Partial<typeof QUICK_RUN> = flags.quick ? QUICK_RUN : {};
  const given = {
    epochs: flags.epochs ?? quick.epochs,
    trainSize: flags["train-size"] ?? quick.trainSize,
    testSize: flags["test-size"] ?? quick.testSize,
    seeds: flags.seeds,
    fresh: flags.fresh || undefined,
    quiet: flags.quiet || undefined,
    dataDir: flags.data,
  };
  const options = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const parsed: ChapterArgs = { list: flags.list, help, options };
  if (flags.json !== undefined) parsed.json = flags.json;
  if (help) return parsed;
  if (positionals.length > 1) {
    throw new UsageError(`one chapter at a time: got ${positionals.join(" and ")}`);
  }
  const [slug] = positionals;
  if (slug !== undefined && !slugs.includes(slug)) {
    const hint = nearest(slug, slugs);
    throw new UsageError(
      `no chapter ${JSON.stringify(slug)}${hint ? ` (did you mean ${hint}?)` : ""}; chapters: ${
        slugs.join(", ")
      }`,
    );
  }
  if (slug === undefined && !parsed.list) {
    throw new UsageError(`which chapter? one of: ${slugs.join(", ")} (or --list)`);
  }
  if (slug !== undefined) parsed.slug = slug;
  return parsed;
}

/**
 * The estimated time of a full run of `chapter` (its training runs at 30
 * epochs on all the data; runs already stored take no time).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimate } from "./cli.ts";
 * const c = { slug: "s", title: "T", source: "", cells: [], trainingRuns: 2 };
 * assert.match(estimate(c), /^~3 min \(2 training runs/);
 * ```
 */
export function estimate(chapter: Chapter): string {
  const runs = chapter.trainingRuns ?? 0;
  if (runs === 0) return "seconds (no training)";
  const epochs = chapter.trainingEpochs ?? runs * 30;
  const minutes = Math.ceil((epochs * EPOCH_SECONDS) / 60);
  return `~${minutes} min (${runs} training run${runs > 1 ? "s" : ""}; less if cached)`;
}

/** The `--list` text. */
export function listing(all: readonly Chapter[]): string {
  const width = Math.max(...all.map((c) => c.slug.length));
  const titleWidth = Math.max(...all.map((c) => c.title.length));
  return all.map((c) => `${c.slug.padEnd(width)}  ${c.title.padEnd(titleWidth)}  ${estimate(c)}`)
    .join("\n");
}

/**
 * Run `deno task chapter` on `chapters`: the command line's chapter, its
 * prose, cells and results printed, or the list of chapters, or the usage.
 *
 * @param args The arguments after the task name.
 * @param chapters The book's chapters (`chapters/mod.ts`).
 * @returns The exit code: 0, 1 when `--json FILE` cannot be written, 2 for a
 *   usage error or missing data (one line on stderr).
 */
export function chapterCli(args: readonly string[], chapters: readonly Chapter[]): Promise<number> {
  return runMain("chapter", () => main(args, chapters), { userErrors: [DataError] });
}

async function main(args: readonly string[], chapters: readonly Chapter[]): Promise<number> {
  const parsed = parseChapterArgs(args, chapters.map((c) => c.slug));
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.list) {
    console.log(listing(chapters));
    return 0;
  }
  const chapter = chapters.find((c) => c.slug === parsed.slug)!;
  if (parsed.json !== undefined) await checkWritable(parsed.json);
  const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
  const s = style(color);
  const width = Math.min(
    100,
    Math.max(60, Deno.stdout.isTerminal() ? Deno.consoleSize().columns - 2 : 80),
  );
  const quiet = parsed.options.quiet ?? false;
  const run = await runChapter(chapter, parsed.options, {
    prose: (markdown) => {
      if (!quiet) console.log(renderMarkdown(markdown, width, s) + "\n");
    },
    beforeCell: (cell) => {
      if (!quiet) console.log(s.accent(`▶ ${cell.caption}`) + s.dim(`  [cell ${cell.id}]`));
    },
    afterCell: (cell, outputs) => {
      if (quiet) console.log(s.accent(`▶ ${cell.caption}`));
      if (outputs.length) console.log(renderOutputs(outputs) + "\n");
    },
  });
  const runs = run.cells.flatMap((c) => outputRuns(c.outputs));
  const cached = runs.filter((r) => r.cached).length;
  if (cached > 0) {
    console.log(s.dim(
      `${cached} of ${runs.length} training run${runs.length > 1 ? "s" : ""} came from the ` +
        "stored runs (data/frozen/ at full size, else the run cache data/runs/); --fresh trains again.",
    ));
  }
  if (parsed.json !== undefined) {
    try {
      await writeAtomic(parsed.json, documentJson(chapterDocument(chapter, run)));
    } catch (error) {
      console.error(`chapter: cannot write ${parsed.json}: ${(error as Error).message}`);
      return 1;
    }
    console.log(s.dim(`wrote ${parsed.json}`));
  }
  return 0;
}

/** Fail early, before any training, when `--json FILE` cannot be written. */
async function checkWritable(path: string): Promise<void> {
  const info = await Deno.stat(path).catch(() => null);
  if (info?.isDirectory) throw new UsageError(`--json ${path} is a directory; give a file name`);
  let dir = path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
  // The nearest existing ancestor must be a directory (missing ones are created on write).
  for (;;) {
    const parent = await Deno.stat(dir).catch(() => null);
    if (parent) {
      if (!parent.isDirectory) throw new UsageError(`--json ${path}: ${dir} is not a directory`);
      return;
    }
    const up = dir.slice(0, Math.max(0, dir.lastIndexOf("/")));
    if (up === dir || up === "") return;
    dir = up;
  }
}
