/**
 * `deno task chapter NAME [flags]`: run one chapter of the book in the terminal.
 *
 * @module
 */

import { chapters } from "../../chapters/mod.ts";
import { DataError } from "../data/mod.ts";
import { nearest } from "../util/nearest.ts";
import { writeAtomic } from "../util/write_atomic.ts";
import { chapterDocument, documentJson } from "./document.ts";
import { renderMarkdown, renderOutputs, style } from "./terminal.ts";
import { runChapter } from "./run.ts";
import type { Chapter, RunOptions } from "./types.ts";

/** What the command line asked for. */
export interface ChapterArgs {
  list: boolean;
  help: boolean;
  slug?: string;
  json?: string;
  options: RunOptions;
}

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const FLAGS = [
  "--list",
  "--help",
  "--epochs",
  "--train-size",
  "--test-size",
  "--json",
  "--fresh",
  "--quiet",
  "--data",
];

/** The flags that take no value. */
const SWITCHES = ["--list", "--help", "--fresh", "--quiet"];

export const USAGE = `usage: deno task chapter NAME [--epochs N] [--train-size N] [--test-size N]
                            [--json FILE] [--fresh] [--quiet] [--data DIR]
       deno task chapter --list

  NAME           a chapter slug (see --list)
  --epochs N     epochs per training run (default 30)
  --train-size N train on the first N of the 60,000 training images (a quick run;
                 at least 256, one minibatch)
  --test-size N  evaluate on the first N of the 10,000 test images
  --json FILE    write everything the chapter computed to FILE as one JSON document
                 (its shape: lib/book/document.ts)
  --fresh        train again even if the run cache has the result
  --quiet        no prose and no progress bars: just the results
  --data DIR     look for the Fashion-MNIST files in DIR first`;

function count(flag: string, value: string | undefined, max: number, min = 1): number {
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${flag} must be a whole number from ${min.toLocaleString("en-US")} to ${
        max.toLocaleString("en-US")
      }, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** The chapters' minibatch size: a training subset holds at least one batch. */
const BATCH = 256;

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
 * ```
 */
export function parseChapterArgs(args: string[], slugs: readonly string[]): ChapterArgs {
  const parsed: ChapterArgs = { list: false, help: false, options: {} };
  for (let i = 0; i < args.length; i++) {
    const [flag, inlineValue] = args[i].startsWith("--") && args[i].includes("=")
      ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
      : [args[i], undefined];
    const value = () => inlineValue ?? args[++i];
    if (inlineValue !== undefined && SWITCHES.includes(flag)) {
      throw new UsageError(`${flag} takes no value, got ${JSON.stringify(args[i])}`);
    }
    switch (flag) {
      case "--list":
        parsed.list = true;
        break;
      case "--help":
      case "-h":
        parsed.help = true;
        break;
      case "--epochs":
        parsed.options.epochs = count(flag, value(), 10_000);
        break;
      case "--train-size":
        parsed.options.trainSize = count(flag, value(), 60_000, BATCH);
        break;
      case "--test-size":
        parsed.options.testSize = count(flag, value(), 10_000);
        break;
      case "--json": {
        const file = value();
        if (file === undefined || file.startsWith("--")) {
          throw new UsageError("--json needs a file name");
        }
        parsed.json = file;
        break;
      }
      case "--data": {
        const dir = value();
        if (dir === undefined || dir.startsWith("--")) {
          throw new UsageError("--data needs a directory");
        }
        parsed.options.dataDir = dir;
        break;
      }
      case "--fresh":
        parsed.options.fresh = true;
        break;
      case "--quiet":
        parsed.options.quiet = true;
        break;
      default: {
        if (flag.startsWith("-")) {
          const hint = nearest(flag.replace(/^-+/, ""), FLAGS.map((f) => f.slice(2)));
          throw new UsageError(
            `unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; see --help`,
          );
        }
        if (parsed.slug !== undefined) {
          throw new UsageError(`one chapter at a time: got ${parsed.slug} and ${flag}`);
        }
        if (!slugs.includes(flag)) {
          const hint = nearest(flag, slugs);
          throw new UsageError(
            `no chapter ${JSON.stringify(flag)}${
              hint ? ` (did you mean ${hint}?)` : ""
            }; chapters: ${slugs.join(", ")}`,
          );
        }
        parsed.slug = flag;
      }
    }
  }
  if (!parsed.list && !parsed.help && parsed.slug === undefined) {
    throw new UsageError(`which chapter? one of: ${slugs.join(", ")} (or --list)`);
  }
  return parsed;
}

/** Seconds of one full-data epoch on 2 cores, training and evaluation (`deno task bench`: about 6). */
const EPOCH_SECONDS = 6.5;

/**
 * The estimated time of a full run of `chapter` (its training runs at 30
 * epochs on all the data; runs already in the run cache take no time).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimate } from "./cli.ts";
 * const c = { slug: "s", title: "T", source: "", cells: [], trainingRuns: 2 };
 * assert.match(estimate(c), /^~7 min \(2 training runs/);
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

async function main(args: string[]): Promise<number> {
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
  const runs = run.cells.flatMap((c) =>
    c.outputs.flatMap((o) => (o.kind === "run" ? [o.run] : []))
  );
  const cached = runs.filter((r) => r.cached).length;
  if (cached > 0) {
    console.log(s.dim(
      `${cached} of ${runs.length} training run${runs.length > 1 ? "s" : ""} came from the ` +
        "run cache (data/runs/); --fresh trains again.",
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

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError || error instanceof DataError) {
      console.error(`chapter: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
}
