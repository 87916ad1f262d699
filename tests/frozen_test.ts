/**
 * The frozen results (`data/frozen/`) come from this code: every record is a
 * run some chapter asks for today, keyed by today's engine fingerprint, and a
 * frozen full-data run retrained for its first two epochs gives exactly the
 * numbers it recorded.
 */

import assert from "node:assert/strict";
import { chapters } from "../chapters/mod.ts";
import { forthcoming } from "../chapters/forthcoming.ts";
import { freezeStatus } from "../lib/book/freeze.ts";
import { loadTestData } from "../lib/data/_testing.ts";
import { fileCache, FROZEN_DIR } from "../lib/train/cache.ts";
import { train } from "../lib/train/train.ts";

const store = fileCache(FROZEN_DIR);
// The chapters waiting to join the book (chapters/forthcoming.ts) may have records already.
const status = await freezeStatus([...chapters, ...forthcoming], store);
const waiting = new Set(forthcoming.map((c) => c.slug));

Deno.test("every run a chapter asks for is frozen, and every frozen record is one, on today's engine", () => {
  assert.deepEqual(status.invalid, [], "files that are not valid records");
  assert.deepEqual(
    status.stale.map((s) => s.record.name),
    [],
    "records trained by another engine: deno task freeze retrains them",
  );
  assert.deepEqual(
    status.orphans.map((r) => r.name),
    [],
    "records no chapter asks for: deno task freeze --prune",
  );
  // Every run a chapter asks for is frozen, so a build trains nothing: fails for a chapter (or a
  // changed request) whose runs were not trained and committed (deno task freeze).
  const missing = status.missing.filter((run) => !waiting.has(run.chapter));
  assert.deepEqual(missing.map((run) => run.name), [], "runs not frozen: deno task freeze");
});

const data = await loadTestData();
const frozen = status.needed.filter((run) => !status.missing.includes(run));
/** The first frozen run of the classic net on all the data, with its rate set per epoch. */
const probe = frozen.find((run) =>
  run.config.trainSize === 60_000 && run.config.width === 1 && run.config.epochs >= 2
);

Deno.test({
  name: "a frozen full-data run, retrained for two epochs, gives exactly its recorded numbers",
  ignore: data === null || probe === undefined,
  async fn() {
    const record = await store.get(probe!.key);
    assert.ok(record !== null);
    const again = await train({ ...probe!.trainRequest, epochs: 2 }, {
      data: data!,
      cache: null,
      progress: "silent",
    });
    const numbers = (e: (typeof again.history)[number]) => ({ ...e, seconds: 0 });
    assert.deepEqual(again.history.map(numbers), record.history.slice(0, 2).map(numbers));
  },
});
