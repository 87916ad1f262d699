/**
 * The playground's script for the browser: `./client.ts` and everything it
 * imports (the schedule library itself) bundled by esbuild into one classic
 * script, so the page works from `file://` and computes its curves with the
 * very code the book uses. Built once per site build (and memoised in the
 * process: the same sources give the same bytes).
 *
 * @module
 */

import * as esbuild from "esbuild";

/** The entry point. */
export const PLAYGROUND_ENTRY = new URL("./client.ts", import.meta.url);

const BANNER = "/* The book's schedule playground: lib/playground/client.ts and lib/schedules, " +
  "bundled by esbuild at build time. */";

const memo = new Map<string, Promise<Uint8Array>>();

/**
 * Bundle the playground.
 *
 * @param key A hash of the sources (the entry and every module it imports):
 *   a second call with the same key returns the first call's bytes.
 * @returns The script's bytes.
 * @throws {Error} With esbuild's messages when the code does not bundle.
 */
export function bundlePlayground(key: string): Promise<Uint8Array> {
  let bytes = memo.get(key);
  if (bytes === undefined) {
    bytes = bundle();
    memo.set(key, bytes);
    bytes.catch(() => memo.delete(key));
  }
  return bytes;
}

async function bundle(): Promise<Uint8Array> {
  try {
    const result = await esbuild.build({
      entryPoints: [PLAYGROUND_ENTRY.pathname],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      minify: true,
      write: false,
      charset: "utf8",
      legalComments: "none",
      banner: { js: BANNER },
      logLevel: "silent",
    });
    return result.outputFiles[0].contents;
  } catch (error) {
    const errors =
      (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
        .errors;
    if (!errors) throw error;
    throw new Error(
      `cannot bundle the playground: ${
        errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`)
          .join("; ")
      }`,
    );
  } finally {
    await esbuild.stop();
  }
}
