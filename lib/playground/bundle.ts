/**
 * The playground's script for the browser: `./client.ts` and everything it
 * imports (the schedule library itself) bundled by esbuild into one classic
 * script, so the page works from `file://` and computes its curves with the
 * very code the book uses. Built once per site build (and memoised in the
 * process: the same sources give the same bytes). The training panel's
 * worker is bundled the same way (./train_assets.ts).
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
  return bundleScript(PLAYGROUND_ENTRY, BANNER, key);
}

/**
 * Bundle `entry` and what it imports into one classic script, minified, `banner` first.
 *
 * @param entry The entry module.
 * @param banner A comment saying what the script is.
 * @param key A hash of the sources: a second call with the same entry and key returns the
 *   first call's bytes.
 * @returns The script's bytes.
 * @throws {Error} With esbuild's messages when the code does not bundle.
 */
export function bundleScript(entry: URL, banner: string, key: string): Promise<Uint8Array> {
  const id = `${entry.href} ${key}`;
  let bytes = memo.get(id);
  if (bytes === undefined) {
    bytes = bundle(entry, banner);
    memo.set(id, bytes);
    bytes.catch(() => memo.delete(id));
  }
  return bytes;
}

async function bundle(entry: URL, banner: string): Promise<Uint8Array> {
  try {
    const result = await esbuild.build({
      entryPoints: [entry.pathname],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      minify: true,
      write: false,
      charset: "utf8",
      legalComments: "none",
      banner: { js: banner },
      logLevel: "silent",
    });
    return result.outputFiles[0].contents;
  } catch (error) {
    const errors =
      (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
        .errors;
    if (!errors) throw error;
    throw new Error(
      `cannot bundle ${entry.pathname.split("/").pop()}: ${
        errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`)
          .join("; ")
      }`,
    );
  } finally {
    await esbuild.stop();
  }
}
