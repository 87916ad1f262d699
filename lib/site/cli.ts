/**
 * `deno task build [--quick] [--out DIR] [--fresh] [--force] [--quiet] [--data DIR]`:
 * render the book to static HTML in `_site/` (see ./build.ts). The entry
 * point is `build.ts` at the project's root, which hands the book to
 * {@linkcode buildCli}.
 *
 * @module
 */

import { type FlagSpecs, parseFlags, switchFlag, valueFlag } from "../cli/flags.ts";
import { runMain } from "../cli/main.ts";
import { duration, estimateSeconds, freezeStatus } from "../book/freeze.ts";
import { fileCache, FROZEN_DIR } from "../train/cache.ts";
import { DataError } from "../data/mod.ts";
import { type Book, buildSite, QUICK } from "./build.ts";
import { diskFs } from "./fs.ts";

/** What the command line asked for. */
export interface BuildArgs {
  /** Short training runs on a subset. */
  quick: boolean;
  /** Where to write the site. */
  out: string;
  /** Train again even when a run is stored (frozen or cached); rebuild every page. */
  fresh: boolean;
  /** Rebuild every page even when nothing it depends on changed. */
  force: boolean;
  /** No progress bars from training. */
  quiet: boolean;
  /** `--help`: print the usage and build nothing. */
  help: boolean;
  /** Where to look for the Fashion-MNIST files first. */
  dataDir?: string;
}

/** The `--help` text. */
export const USAGE =
  `usage: deno task build [--quick] [--out DIR] [--fresh] [--force] [--quiet] [--data DIR]

  --quick      short training runs (${QUICK.epochs} epochs on ${QUICK.trainSize} training and ${QUICK.testSize} test
               images); every page says its numbers come from a quick build
  --out DIR    where to write the site (default _site)
  --fresh      train again even when a run is stored; rebuild every page
  --force      rebuild every page even when nothing it depends on changed
  --quiet      no progress bars from training
  --data DIR   look for the Fashion-MNIST files in DIR first`;

/** The flags of `deno task build` (and `--help`, which every command has). */
const FLAGS = {
  quick: switchFlag(),
  out: valueFlag("a directory"),
  fresh: switchFlag(),
  force: switchFlag(),
  quiet: switchFlag(),
  data: valueFlag("a directory"),
} satisfies FlagSpecs;

/**
 * Parse the command line of `deno task build`.
 *
 * @param args The arguments after the task name.
 * @returns What was asked.
 * @throws {UsageError} on an unknown flag, a switch given a value, a missing
 *   value or a stray argument.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBuildArgs } from "./cli.ts";
 * const a = parseBuildArgs(["--quick", "--out", "tmp/site"]);
 * assert(a.quick && a.out === "tmp/site" && !a.force);
 * assert.throws(() => parseBuildArgs(["--quick=1"]), /--quick takes no value/);
 * ```
 */
export function parseBuildArgs(args: readonly string[]): BuildArgs {
  const { help, flags } = parseFlags(args, FLAGS);
  const parsed: BuildArgs = {
    quick: flags.quick,
    out: flags.out ?? "_site",
    fresh: flags.fresh,
    force: flags.force,
    quiet: flags.quiet,
    help,
  };
  if (flags.data !== undefined) parsed.dataDir = flags.data;
  return parsed;
}

/**
 * Run `deno task build` on the book: build the site and print what was
 * written, or print the usage.
 *
 * @param args The arguments after the task name.
 * @param book The book's chapters, index prose and playground start (`chapters/mod.ts`).
 * @returns The exit code: 0, 1 when a page failed, 2 for a usage error or
 *   missing data (one line on stderr).
 */
export function buildCli(args: readonly string[], book: Book): Promise<number> {
  return runMain("build", () => main(args, book), { userErrors: [DataError] });
}

async function main(args: readonly string[], book: Book): Promise<number> {
  const parsed = parseBuildArgs(args);
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  await Deno.mkdir(parsed.out, { recursive: true });
  if (!parsed.quick && !parsed.fresh) {
    // Say up front what a full build will train: the runs with no frozen record.
    const store = fileCache(FROZEN_DIR);
    const [status, { records }] = await Promise.all([
      freezeStatus(book.chapters, store),
      store.list(),
    ]);
    const frozen = status.needed.length - status.missing.length;
    const todo = status.missing.reduce((s, run) => s + estimateSeconds(run.config, records), 0);
    console.log(
      status.missing.length === 0
        ? `all ${frozen} training runs are frozen (data/frozen/): nothing to train`
        : `${frozen} of ${status.needed.length} training runs are frozen; the other ` +
          `${status.missing.length} will be trained now (~${duration(todo)}; ` +
          "--quick builds from short runs instead)",
    );
  }
  const report = await buildSite({
    ...book,
    out: diskFs(parsed.out),
    quick: parsed.quick ? QUICK : null,
    fresh: parsed.fresh,
    force: parsed.force,
    quiet: parsed.quiet,
    dataDir: parsed.dataDir,
    log: (line) => console.log(line),
  });
  const count = (status: string) => report.pages.filter((p) => p.status === status).length;
  const copied = report.assets.filter((a) => a.status === "written").length;
  console.log(
    `${parsed.quick ? "quick " : ""}build: ${report.pages.length} pages (${
      count("written")
    } written, ` +
      `${count("unchanged")} unchanged, ${count("skipped")} skipped, ${count("failed")} failed), ` +
      `${copied} of ${report.assets.length} assets copied` +
      (report.removed.length ? `, ${report.removed.length} old files removed` : "") +
      ` in ${report.seconds} s -> ${parsed.out}/index.html`,
  );
  return report.ok ? 0 : 1;
}
