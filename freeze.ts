/**
 * `deno task freeze [--check] [--prune] [--fresh] [--quiet] [--data DIR]`:
 * train the full-size runs the book needs that have no valid frozen record,
 * and write each record (`data/frozen/KEY.json`) as soon as its run finishes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { chapters } from "./chapters/mod.ts";
import { DataError } from "./lib/data/mod.ts";
import { checkReport, duration, estimateSeconds, freeze, freezeStatus } from "./lib/book/freeze.ts";
import { fileCache, FROZEN_DIR } from "./lib/train/cache.ts";
import { engineFingerprint } from "./lib/train/fingerprint.ts";

export const USAGE = `usage: deno task freeze [--check] [--prune] [--fresh] [--quiet] [--data DIR]
       deno task freeze --fingerprint

  (no flag)      train every full-size run the book needs that has no valid record in
                 data/frozen/, writing each record as its run finishes
  --check        list missing, stale, orphaned and invalid records with the time to
                 retrain each; exit 1 if there are any (trains nothing)
  --prune        remove the records no chapter asks for (stale, orphaned, invalid)
  --fresh        retrain every run the book needs, replacing its record
  --quiet        no progress bars
  --data DIR     look for the Fashion-MNIST files in DIR first
  --fingerprint  print the engine fingerprint and exit`;

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      check: { type: "boolean" },
      prune: { type: "boolean" },
      fresh: { type: "boolean" },
      quiet: { type: "boolean" },
      data: { type: "string" },
      fingerprint: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.fingerprint) {
    console.log(await engineFingerprint());
    return 0;
  }
  const store = fileCache(FROZEN_DIR);
  if (values.check || values.prune) {
    const status = await freezeStatus(chapters, store);
    const { records } = await store.list();
    if (values.prune) {
      const gone = [...status.stale.map((s) => s.record), ...status.orphans];
      for (const record of gone) await store.remove(record.key);
      for (const { file } of status.invalid) await Deno.remove(`${store.dir}/${file}`);
      console.log(`removed ${gone.length + status.invalid.length} record(s) no chapter needs`);
      if (!values.check) return 0;
      return main(["--check"]);
    }
    for (const line of checkReport(status, records)) console.log(line);
    const problems = status.missing.length + status.stale.length + status.orphans.length +
      status.invalid.length;
    return problems === 0 ? 0 : 1;
  }
  const { records } = await store.list();
  const began = performance.now();
  const trained = await freeze(chapters, store, {
    fresh: values.fresh,
    train: { dataDir: values.data, progress: values.quiet ? "silent" : "terminal" },
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

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof DataError || (error as { code?: string }).code?.startsWith("ERR_PARSE")) {
      console.error(`freeze: ${(error as Error).message}`);
      Deno.exit(2);
    }
    throw error;
  }
}
