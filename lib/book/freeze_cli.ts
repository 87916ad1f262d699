/**
 * `deno task freeze [--check] [--prune] [--fresh] [--quiet] [--data DIR]`:
 * the command line of the frozen results (./freeze.ts does the work).
 *
 * @module
 */

import { type FlagSpecs, parseFlags, switchFlag, valueFlag } from "../cli/flags.ts";
import { runMain } from "../cli/main.ts";
import { DataError } from "../data/mod.ts";
import { fileCache, FROZEN_DIR } from "../train/cache.ts";
import { engineFingerprint } from "../train/fingerprint.ts";
import { checkReport, duration, estimateSeconds, freeze, freezeStatus } from "./freeze.ts";
import type { Chapter } from "./types.ts";

/** The usage text of `deno task freeze`. */
export const USAGE = `usage: deno task freeze [--check] [--prune] [--fresh] [--quiet] [--data DIR]
       deno task freeze --fingerprint

  (no flag)      train every full-size run the book needs that has no valid record in
                 data/frozen/, writing each record as its run finishes; then those of
                 the chapters waiting to join the book (chapters/forthcoming.ts)
  --check        list missing, stale, orphaned and invalid records with the time to
                 retrain each; exit 1 if there are any (trains nothing); the runs only
                 waiting chapters need are listed apart and do not fail the check
  --prune        remove the records no chapter asks for (stale, orphaned, invalid)
  --fresh        retrain every run the book needs, replacing its record
  --quiet        no progress bars
  --data DIR     look for the Fashion-MNIST files in DIR first
  --fingerprint  print the engine fingerprint and exit`;

const FLAGS = {
  check: switchFlag(),
  prune: switchFlag(),
  fresh: switchFlag(),
  quiet: switchFlag(),
  data: valueFlag("a directory"),
  fingerprint: switchFlag(),
} satisfies FlagSpecs;

async function main(
  args: string[],
  chapters: readonly Chapter[],
  dir: string,
  forthcoming: readonly Chapter[],
): Promise<number> {
  const { help, flags } = parseFlags(args, FLAGS);
  if (help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.fingerprint) {
    console.log(await engineFingerprint());
    return 0;
  }
  const store = fileCache(dir);
  // A waiting chapter's records are kept and trained, but the book does not need them yet.
  const all = [...chapters, ...forthcoming];
  if (flags.prune) {
    const status = await freezeStatus(all, store);
    const gone = [...status.stale.map((s) => s.record), ...status.orphans];
    for (const record of gone) await store.remove(record.key);
    for (const { file } of status.invalid) await Deno.remove(`${store.dir}/${file}`);
    console.log(`removed ${gone.length + status.invalid.length} record(s) no chapter needs`);
    if (!flags.check) return 0;
  }
  if (flags.check) {
    const status = await freezeStatus(all, store);
    const { records } = await store.list();
    const waiting = new Set(forthcoming.map((c) => c.slug));
    const inBook = (run: { chapter: string }) => !waiting.has(run.chapter);
    const book = {
      ...status,
      needed: status.needed.filter(inBook),
      missing: status.missing.filter(inBook),
    };
    for (const line of checkReport(book, records)) console.log(line);
    const later = status.missing.filter((run) => !inBook(run));
    if (later.length) {
      const total = later.reduce((s, run) => s + estimateSeconds(run.config, records), 0);
      console.log(
        `waiting: ${later.length} run(s) of chapters not yet in the book ` +
          `(chapters/forthcoming.ts: ${[...new Set(later.map((r) => r.chapter))].join(", ")}), ` +
          `~${duration(total)}; they do not fail the check`,
      );
    }
    const problems = book.missing.length + book.stale.length + book.orphans.length +
      book.invalid.length;
    return problems === 0 ? 0 : 1;
  }
  const { records } = await store.list();
  const began = performance.now();
  const trained = await freeze(all, store, {
    fresh: flags.fresh,
    train: { dataDir: flags.data, progress: flags.quiet ? "silent" : "terminal" },
    onRun: (run, i, total) =>
      console.log(
        `[${i + 1}/${total}] ${run.chapter}: ${run.name}  (~${
          duration(estimateSeconds(run.config, records))
        })`,
      ),
  });
  console.log(
    trained === 0
      ? "every run the book needs is frozen; nothing to train"
      : `trained and froze ${trained} run(s) in ${duration((performance.now() - began) / 1000)}`,
  );
  return 0;
}

/**
 * Run `deno task freeze` on the book's chapters.
 *
 * @param args The command line, without the task name.
 * @param chapters The book's chapters (handed down by the top-level `freeze.ts`).
 * @param dir The frozen results' folder (default `data/frozen/`).
 * @param forthcoming Chapters written but not yet in the book: their runs are trained after
 *   the book's and their records kept, but `--check` does not fail for their missing runs.
 * @returns The exit code: 0, 1 when `--check` finds problems, 2 for a usage or data error.
 */
export function freezeCli(
  args: string[],
  chapters: readonly Chapter[],
  dir: string = FROZEN_DIR,
  forthcoming: readonly Chapter[] = [],
): Promise<number> {
  return runMain("freeze", () => main(args, chapters, dir, forthcoming), {
    userErrors: [DataError],
  });
}
