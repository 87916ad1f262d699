/**
 * The chapters "sgdr" and "onecycle", beyond what `chapters_test.ts` checks of every chapter
 * (where they sit, that each cell and measured sentence runs, quick and at full length): the
 * runs they ask for are the ones their prose promises, the baselines reuse the earlier
 * chapters' runs, and the freeze tooling trains one-cycle at the peak its frozen range test
 * reads.
 */

import assert from "node:assert/strict";
import { chapters } from "../chapters/mod.ts";
import { fakeTrainer, fakeUpdateLosses } from "../lib/book/_testing.ts";
import { freeze, freezeStatus } from "../lib/book/freeze.ts";
import { runChapter } from "../lib/book/run.ts";
import { encodeRates, fileCache, resultOf, type RunRecord } from "../lib/train/cache.ts";
import { engineFingerprint } from "../lib/train/fingerprint.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { keyOf, train } from "../lib/train/train.ts";

const mine = ["sgdr", "onecycle"].map((slug) => chapters.find((c) => c.slug === slug)!);

Deno.test("the seeds of every experiment are 0–2, and the baselines reuse the earlier chapters' runs", async () => {
  const trainer = fakeTrainer();
  await runChapter(mine[0], { quiet: true }, {}, trainer);
  assert.deepEqual(trainer.requests.map((r) => r.seed), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  // The same names as the cosine and toy-problem chapters' runs: the same requests.
  assert.deepEqual(trainer.requests.slice(3).map((r) => r.name), [
    "cosine 0.3 → 0.01, seed 0",
    "cosine 0.3 → 0.01, seed 1",
    "cosine 0.3 → 0.01, seed 2",
    "constant 0.3, seed 0",
    "constant 0.3, seed 1",
    "constant 0.3, seed 2",
  ]);
  const other = fakeTrainer();
  await runChapter(mine[1], { quiet: true }, {}, other);
  // The made-up range test's valley is at 0.3 (fakeUpdateLosses), read a little low by the
  // median: one-cycle and the constant rate train at the peak the cell read.
  const peak = /peak ([\d.]+)/.exec(other.requests[3].name)?.[1];
  assert.ok(peak !== undefined && Number(peak) > 0.15 && Number(peak) <= 0.3, `${peak}`);
  assert.equal(other.requests[9].name, `constant ${peak}, seed 0`);
});

Deno.test("the freeze tooling finds their runs, and trains one-cycle at the peak of the frozen range test", async () => {
  const dir = await Deno.makeTempDir({ prefix: "forthcoming_freeze_" });
  try {
    const store = fileCache(dir);
    // A trainer that trains nothing and stores real-keyed records, its made-up range test's
    // valley at 0.1 (not the placeholder's 0.3): the one-cycle runs must follow the record.
    const order: string[] = [];
    const made = fakeTrainer();
    const trainer = async (request: TrainRequest, options: Parameters<typeof train>[1] = {}) => {
      const { config, rates, request: hash, key } = await keyOf(request);
      order.push(request.name);
      const run = await made(request, {});
      const record: RunRecord = {
        format: 1,
        key,
        request: hash,
        name: request.name,
        config,
        rates: encodeRates(rates),
        history: run.history,
        divergedAt: null,
        ...(config.updateLosses
          ? { updateLosses: fakeUpdateLosses(Array.from(rates, (r) => 3 * r), config.seed) }
          : {}),
        producedBy: {
          engine: await engineFingerprint(),
          kernels: "0".repeat(64),
          deno: Deno.version.deno,
          date: "2026-12-01T00:00:00.000Z",
          cores: 2,
          workers: 2,
          seconds: 1,
        },
      };
      await options.cache!.put(record);
      return { ...resultOf(record), cached: false };
    };
    const before = await freezeStatus(mine, store);
    const names = before.missing.map((r) => r.name);
    // Nine of sgdr (three its own), then the range test first of onecycle's.
    assert.equal(names[9], "range test 0.001 → 10, seed 0");
    assert.equal(before.missing[9].config.updateLosses, true);
    const trained = await freeze(mine, store, { trainer, train: { progress: "silent" } });
    const after = await freezeStatus(mine, store);
    assert.deepEqual(after.missing, [], "everything the chapters ask for is frozen");
    assert.equal(trained, after.needed.length); // each trained once, no placeholder's run left over
    const peak = /peak ([\d.]+)/.exec(
      after.needed.find((r) => r.name.startsWith("one-cycle"))!.name,
    )![1];
    // The stored range test's valley is at 0.1: the placeholder's 0.3 would give 0.2 or more.
    assert.ok(Number(peak) > 0.05 && Number(peak) <= 0.1, peak);
    assert.ok(
      order.indexOf("range test 0.001 → 10, seed 2") <
        order.indexOf(`one-cycle, peak ${peak}, seed 0`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
