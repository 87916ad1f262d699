/**
 * The chapters "sgdr" and "onecycle", in the book (`chapters/mod.ts`) since their runs were
 * frozen, checked closer than `chapters_test.ts` checks every chapter: they sit where they are
 * read (after the cosine and warmup chapters), show the code they run, and every cell and every
 * measured sentence runs, at full length with made-up training (also with runs that diverge)
 * and in quick mode on real data (1 epoch, 1,024 training images). The runs they ask for are
 * the ones their prose and `trainingRuns` promise, and the freeze tooling finds and trains them.
 */

import assert from "node:assert/strict";
import { forthcoming } from "../chapters/forthcoming.ts";
import { chapters } from "../chapters/mod.ts";
import { fakeTrainer, fakeUpdateLosses } from "../lib/book/_testing.ts";
import { freeze, freezeStatus } from "../lib/book/freeze.ts";
import {
  encodeRates,
  fileCache,
  memoryCache,
  resultOf,
  type RunRecord,
} from "../lib/train/cache.ts";
import { engineFingerprint } from "../lib/train/fingerprint.ts";
import type { TrainRequest } from "../lib/train/types.ts";
import { chapterDocument, checkDocument, documentJson } from "../lib/book/document.ts";
import { type ChapterRun, runChapter, type Trainer } from "../lib/book/run.ts";
import type { Chapter, CodeCell, RunOptions } from "../lib/book/types.ts";
import { loadTestData } from "../lib/data/_testing.ts";
import { cutRegion } from "../lib/site/source.ts";
import { keyOf, train } from "../lib/train/train.ts";

const root = new URL("../", import.meta.url);
const mine = ["sgdr", "onecycle"].map((slug) => chapters.find((c) => c.slug === slug)!);
const codeCells = (c: Chapter) => c.cells.filter((x): x is CodeCell => x.kind === "code");

/** How each training cell sets the rate: the range test and one-cycle per update, the rest per epoch. */
const STEPPING: Record<string, "epoch" | "update"> = {
  "sgdr-run": "epoch",
  "vs-cosine": "epoch",
  "onecycle/vs-baseline": "epoch",
  "sgdr/vs-baseline": "epoch",
  "range-test": "update",
  "onecycle-run": "update",
  "vs-peak": "epoch",
};

Deno.test("the chapters are in the book where they are read, well formed, their files named by their slugs", () => {
  assert.ok(mine.every((c) => c !== undefined), "both chapters are in chapters/mod.ts");
  const slugs = chapters.map((c) => c.slug);
  // SGDR extends the cosine schedule; one-cycle climbs to its peak as warmup does.
  assert.equal(slugs.indexOf("sgdr"), slugs.indexOf("cosine") + 1, "sgdr right after cosine");
  assert.equal(slugs.indexOf("onecycle"), slugs.indexOf("warmup") + 1, "onecycle after warmup");
  for (const c of mine) {
    assert.ok(!forthcoming.some((f) => f.slug === c.slug), `${c.slug} is still forthcoming`);
    assert.equal(new URL(c.source).pathname, new URL(`chapters/${c.slug}.ts`, root).pathname);
    assert.ok(Number.isInteger(c.trainingRuns), `${c.slug}: trainingRuns is set`);
    const ids = codeCells(c).map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, `${c.slug}: cell ids are unique`);
    for (const cell of codeCells(c)) assert.ok(cell.caption.length > 0, `${c.slug}/${cell.id}`);
  }
});

Deno.test("every code cell's function sits in its own region of the chapter", async () => {
  for (const chapter of mine) {
    const text = await Deno.readTextFile(new URL(chapter.source));
    assert.ok(!/\bTODO\b/.test(text), `${chapter.slug} says TODO`);
    for (const cell of codeCells(chapter)) {
      const where = `${chapter.slug}/${cell.id}`;
      assert.equal(
        text.split("\n").filter((l) => l.trim() === `// #endregion ${cell.id}`).length,
        1,
        `${where}: one "// #endregion ${cell.id}"`,
      );
      assert.match(cutRegion(text, cell.id), new RegExp(`function ${cell.run.name}\\(`), where);
    }
  }
});

/** What every run of the chapters must satisfy, quick or full (as chapters_test.ts's checkRun). */
function checkRun(chapter: Chapter, run: ChapterRun, options: RunOptions): void {
  const where = chapter.slug;
  assert.equal(run.cells.length, codeCells(chapter).length, where);
  assert.equal(run.prose.length, chapter.cells.length - codeCells(chapter).length, where);
  for (const markdown of run.prose) {
    assert.ok(markdown.trim().length > 0, `${where}: empty prose`);
    // A number that failed to compute shows up as "NaN%", "(NaN)", "undefined", "${".
    for (const bad of [/NaN/, /undefined/, /\[object/, /\$\{/, /Infinity/]) {
      assert.ok(!bad.test(markdown), `${where}: prose matches ${bad}:\n${markdown}`);
    }
  }
  for (const cell of run.cells) {
    assert.ok(cell.outputs.length > 0, `${where}/${cell.id}: no output`);
    for (const o of cell.outputs) {
      if (o.kind === "schedule") {
        assert.equal(o.steps.length, o.lrs.length);
        assert.ok(o.lrs.every(Number.isFinite), `${where}/${cell.id}: finite values`);
        if (o.quantity === undefined) assert.ok(o.lrs.every((x) => x >= 0), `${where}/${cell.id}`);
        if (o.log?.includes("x")) assert.ok(o.steps.every((t) => t > 0), `${where}/${cell.id}`);
        if (o.log?.includes("y")) assert.ok(o.lrs.every((x) => x > 0), `${where}/${cell.id}`);
      }
      const runs = o.kind === "run" ? [o.run] : o.kind === "runs" ? o.runs : [];
      const unit = STEPPING[`${where}/${cell.id}`] ?? STEPPING[cell.id];
      for (const r of runs) {
        // Catches a cell that steps another way than its prose says.
        assert.equal(r.config.stepsPer, unit, `${where}/${cell.id}: the run steps per ${unit}`);
        if (options.trainSize) assert.equal(r.config.trainSize, options.trainSize);
        assert.equal(r.config.testSize, options.testSize ?? 10_000);
      }
    }
  }
  const document = checkDocument(JSON.parse(documentJson(chapterDocument(chapter, run))));
  assert.equal(document.cells.length, chapter.cells.length);
}

Deno.test("at full length (made-up training), every cell and sentence runs; trainingRuns is right", async () => {
  for (const chapter of mine) {
    const trainer = fakeTrainer();
    const run = await runChapter(chapter, { quiet: true }, {}, trainer);
    checkRun(chapter, run, { trainSize: 60_000 });
    assert.equal(trainer.requests.length, chapter.trainingRuns, `${chapter.slug}: trainingRuns`);
    // The range test is one epoch; every other run is the book's 30.
    for (const r of trainer.requests) {
      assert.equal(
        r.epochs,
        r.name.startsWith("range test") ? 1 : 30,
        `${chapter.slug}: ${r.name}`,
      );
    }
    const epochs = trainer.requests.reduce((n, r) => n + (r.epochs ?? 30), 0);
    assert.equal(chapter.trainingEpochs ?? 30 * chapter.trainingRuns!, epochs, chapter.slug);
    // At full size over three seeds every claim reaches a verdict.
    const prose = run.prose.join("\n");
    assert.ok(/beyond twice the standard error|no measurable difference/.test(prose), chapter.slug);
    assert.ok(!/\b[Nn]o verdict\b/.test(prose), `${chapter.slug}: "no verdict" at 30 epochs`);
    assert.ok(!/too short|quick run|quick range test/.test(prose), `${chapter.slug}: quick words`);
  }
});

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

Deno.test("runs that diverge still read sensibly", async () => {
  for (const chapter of mine) {
    const run = await runChapter(chapter, { quiet: true }, {}, fakeTrainer(0.25));
    checkRun(chapter, run, {});
  }
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

const data = await loadTestData();

Deno.test({
  name: "quick mode (--epochs 1 --train-size 1024): every cell runs on real data",
  ignore: data === null,
  async fn() {
    const cache = memoryCache();
    const trainer: Trainer = (request, options) =>
      train(request, { ...options, data: data!, cache });
    const options: RunOptions = { epochs: 1, trainSize: 1024, testSize: 1000, quiet: true };
    for (const chapter of mine) {
      const run = await runChapter(chapter, options, {}, trainer);
      checkRun(chapter, run, options);
      // A quick run says it is one.
      assert.match(run.prose.join("\n"), /quick/, chapter.slug);
    }
  },
});
