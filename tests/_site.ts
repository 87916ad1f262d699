/**
 * What the browser tests share within one test process: the whole book built
 * once, with made-up training ({@linkcode fakeTrainer}: these tests are about
 * the pages, real training is the chapters test's and the exercises'), into a
 * temporary directory; and one headless Chromium. Both are made on first use,
 * so a test run with `--filter` makes only what it needs, and removed when the
 * process ends.
 *
 * `deno test` runs each test file in its own isolate, so this module shares
 * them between the tests of one file: `browser_test.ts` imports every browser
 * test (`tests/browser/`) for that reason. Each of those modules also runs
 * alone: `deno test -A tests/browser/playground.ts`.
 *
 * @module
 */

import { bibliography, chapters, index, playground } from "../chapters/mod.ts";
import { type BuildOptions, type BuildReport, buildSite, QUICK } from "../lib/site/build.ts";
import { diskFs } from "../lib/site/fs.ts";
import { type Browser, CHROMIUM, haveChromium, launch } from "./_browser.ts";
import { fakeTrainer } from "./_fake_trainer.ts";

/** A site built on disk. */
export interface BuiltSite {
  /** The directory it was built in (removed when the process ends). */
  dir: string;
  /** What the build reported (every page built: a failed build throws). */
  report: BuildReport;
  /** The `file://` URL of `path` in the site (a hash may follow the file's name). */
  url(path: string): string;
}

const temporary: string[] = [];
let running: Browser | undefined;

// An `unload` listener cannot wait: Chromium is killed rather than closed (its profile is
// throwaway), and the builds are removed.
globalThis.addEventListener("unload", () => {
  running?.kill();
  for (const dir of temporary) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // Removed already.
    }
  }
});

/**
 * Build a site on disk, in a temporary directory removed when the process ends.
 *
 * @param prefix The temporary directory's name starts so.
 * @param options What to build (quietly).
 * @returns The site.
 * @throws {Error} When a page fails to build, naming it and why.
 */
export async function buildOnDisk(
  prefix: string,
  options: Omit<BuildOptions, "out">,
): Promise<BuiltSite> {
  const dir = await Deno.makeTempDir({ prefix });
  temporary.push(dir);
  const report = await buildSite({ ...options, out: diskFs(dir), quiet: true });
  if (!report.ok) {
    const failed = report.pages.filter((p) => p.status === "failed");
    throw new Error(`the build failed: ${JSON.stringify(failed)}`);
  }
  return { dir, report, url: (path) => new URL(path, `file://${dir}/`).href };
}

let book: Promise<BuiltSite> | undefined;

/** The book, quick build with made-up training, built on disk once per process. */
export function bookSite(): Promise<BuiltSite> {
  book ??= buildOnDisk("lr-book-site-", {
    chapters,
    index,
    playground,
    bibliography,
    quick: QUICK,
    trainer: fakeTrainer(),
  });
  return book;
}

let started: Promise<Browser> | undefined;

/** Headless Chromium, started once per process (and killed when it ends). */
export function chromium(): Promise<Browser> {
  started ??= launch().then((browser) => (running = browser));
  return started;
}

/**
 * `Deno.test` for a test in Chromium: skipped, with a message once, when Chromium is missing.
 * Sanitizers are off: Chromium, its connection and its output outlive each test.
 *
 * @param name The test's name.
 * @param fn The test.
 */
export function browserTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !haveChromium,
    sanitizeResources: false,
    sanitizeOps: false,
    fn,
  });
}

if (!haveChromium) {
  console.warn(`browser tests: skipped, ${CHROMIUM} not found (apt-get install chromium)`);
}
