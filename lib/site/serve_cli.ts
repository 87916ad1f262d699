/**
 * `deno task serve [--dir DIR] [--port N]`: serve the built site (`deno task build` first) on
 * `http://127.0.0.1:N/` with the headers that make its pages cross-origin isolated
 * (./serve.ts), so that the training panel trains in two workers. Optional: the site works from
 * `file://` too, with one. The entry point is `serve.ts` at the project's root.
 *
 * @module
 */

import { type FlagSpecs, parseFlags, valueFlag, wholeNumber } from "../cli/flags.ts";
import { runMain } from "../cli/main.ts";
import { UsageError } from "../cli/usage_error.ts";
import { isolatedHandler, type ReadSiteFile } from "./serve.ts";

/** The `--help` text. */
export const SERVE_USAGE = `usage: deno task serve [--dir DIR] [--port N]

  --dir DIR   the built site to serve (default _site; deno task build makes it)
  --port N    the port on 127.0.0.1 (default 8000; 0 picks a free one)

Every response carries Cross-Origin-Opener-Policy: same-origin and
Cross-Origin-Embedder-Policy: require-corp, so the pages are cross-origin
isolated and the training panel trains in two workers.`;

const FLAGS = {
  dir: valueFlag("a directory"),
  port: valueFlag("a port number", wholeNumber(0, 65_535)),
} satisfies FlagSpecs;

/** What `deno task serve` was asked. */
export interface ServeArgs {
  /** The site's directory. */
  dir: string;
  /** The port (0: any free one). */
  port: number;
  /** `--help`: print the usage and serve nothing. */
  help: boolean;
}

/**
 * Parse the command line of `deno task serve`.
 *
 * @param args The arguments after the task name.
 * @returns What was asked.
 * @throws {UsageError} On an unknown flag, a bad port or a stray argument.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServeArgs } from "./serve_cli.ts";
 * assert.deepEqual(parseServeArgs([]), { dir: "_site", port: 8000, help: false });
 * assert.equal(parseServeArgs(["--port", "0"]).port, 0);
 * assert.throws(() => parseServeArgs(["--port", "http"]), /--port must be a whole number/);
 * ```
 */
export function parseServeArgs(args: readonly string[]): ServeArgs {
  const { help, flags } = parseFlags(args, FLAGS);
  return { dir: flags.dir ?? "_site", port: flags.port ?? 8000, help };
}

/**
 * A site's files read from a directory on disk.
 *
 * @param dir The site's directory.
 * @returns The reader: a file's bytes, `null` for a directory or a missing file.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { diskReader } from "./serve_cli.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * const read = diskReader(dir);
 * assert.deepEqual(await read("a.txt"), new TextEncoder().encode("a"));
 * assert.equal(await read("b.txt"), null);
 * assert.equal(await read(""), null); // the directory itself
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function diskReader(dir: string): ReadSiteFile {
  return async (path) => {
    try {
      return await Deno.readFile(`${dir}/${path}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
        return null;
      }
      // Reading a directory fails differently on some systems: it is still no file.
      if ((await Deno.stat(`${dir}/${path}`).catch(() => null))?.isDirectory) return null;
      throw error;
    }
  };
}

/**
 * Run `deno task serve`: serve `--dir` on 127.0.0.1 until stopped, or print the usage.
 *
 * @param args The arguments after the task name.
 * @returns The exit code: 0 (after `--help`, or once the server has stopped), 2 for a usage
 *   error or a directory with no built site (one line on stderr).
 */
export function serveCli(args: readonly string[]): Promise<number> {
  return runMain("serve", async () => {
    const parsed = parseServeArgs(args);
    if (parsed.help) {
      console.log(SERVE_USAGE);
      return 0;
    }
    const index = await Deno.stat(`${parsed.dir}/index.html`).catch(() => null);
    if (!index?.isFile) {
      throw new UsageError(
        `--dir ${JSON.stringify(parsed.dir)} holds no built site (no index.html): run ` +
          "`deno task build` first",
      );
    }
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: parsed.port,
      onListen: ({ port }) =>
        console.log(
          `serving ${parsed.dir}/ cross-origin isolated on http://127.0.0.1:${port}/ (Ctrl+C stops)`,
        ),
    }, isolatedHandler(diskReader(parsed.dir)));
    await server.finished;
    return 0;
  });
}
