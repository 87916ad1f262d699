/**
 * `deno task build [--quick] [--out DIR] [--fresh] [--force] [--quiet] [--data DIR]`:
 * render the book to static HTML in `_site/` (see lib/site/build.ts).
 *
 * @module
 */

import { chapters } from "./chapters/mod.ts";
import { DataError } from "./lib/data/mod.ts";
import { buildSite, QUICK } from "./lib/site/build.ts";
import { diskFs } from "./lib/site/fs.ts";

/** What the command line asked for. */
export interface BuildArgs {
  quick: boolean;
  out: string;
  fresh: boolean;
  force: boolean;
  quiet: boolean;
  help: boolean;
  dataDir?: string;
}

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE =
  `usage: deno task build [--quick] [--out DIR] [--fresh] [--force] [--quiet] [--data DIR]

  --quick      short training runs (${QUICK.epochs} epochs on ${QUICK.trainSize} training and ${QUICK.testSize} test
               images); every page says its numbers come from a quick build
  --out DIR    where to write the site (default _site)
  --fresh      train again even when the run cache has a run; rebuild every page
  --force      rebuild every page even when nothing it depends on changed
  --quiet      no progress bars from training
  --data DIR   look for the Fashion-MNIST files in DIR first`;

/**
 * Parse the command line of `deno task build`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBuildArgs } from "./build.ts";
 * const a = parseBuildArgs(["--quick", "--out", "tmp/site"]);
 * assert(a.quick && a.out === "tmp/site" && !a.force);
 * ```
 */
export function parseBuildArgs(args: string[]): BuildArgs {
  const parsed: BuildArgs = {
    quick: false,
    out: "_site",
    fresh: false,
    force: false,
    quiet: false,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes("=")
      ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
      : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        parsed.quick = true;
        break;
      case "--out":
        parsed.out = value();
        break;
      case "--fresh":
        parsed.fresh = true;
        break;
      case "--force":
        parsed.force = true;
        break;
      case "--quiet":
        parsed.quiet = true;
        break;
      case "--data":
        parsed.dataDir = value();
        break;
      case "--help":
      case "-h":
        parsed.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(args[i])}; see --help`);
    }
  }
  return parsed;
}

async function main(args: string[]): Promise<number> {
  const parsed = parseBuildArgs(args);
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  await Deno.mkdir(parsed.out, { recursive: true });
  const report = await buildSite({
    out: diskFs(parsed.out),
    chapters,
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

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError || error instanceof DataError) {
      console.error(`build: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
}
