/**
 * The chapters "plateau" and "decay", which wait in `chapters/forthcoming.ts` for their frozen
 * runs: they are well formed and show the code they run, and every cell and every measured
 * sentence runs, at full length with made-up training (also when a run diverges) and in quick
 * mode on real data; and the book builds with them added (no browser). The runs they will ask
 * `deno task freeze` for are the ones listed here.
 */

import assert from "node:assert/strict";
import { bibliography, chapters, index, playground } from "../chapters/mod.ts";
import { forthcoming } from "../chapters/forthcoming.ts";
import { fakeTrainer } from "../lib/book/_testing.ts";
import { chapterDocument, checkDocument, documentJson } from "../lib/book/document.ts";
import { freezeStatus } from "../lib/book/freeze.ts";
import { type ChapterRun, runChapter, type Trainer } from "../lib/book/run.ts";
import type { Chapter, CodeCell, RunOptions } from "../lib/book/types.ts";
import { loadTestData } from "../lib/data/_testing.ts";
import { buildSite, QUICK } from "../lib/site/build.ts";
import { memoryFs } from "../lib/site/fs.ts";
import { cutRegion } from "../lib/site/source.ts";
import { fileCache, memoryCache } from "../lib/train/cache.ts";
import { train } from "../lib/train/train.ts";

const root = new URL("../", import.meta.url);
const codeCells = (c: Chapter) => c.cells.filter((x): x is CodeCell => x.kind === "code");
const bySlug = (slug: string) => forthcoming.find((c) => c.slug === slug)!;
/** This file's two chapters (the other forthcoming ones have tests of their own). */
const mine: readonly Chapter[] = [bySlug("plateau"), bySlug("decay")];

Deno.test("the forthcoming chapters are well formed, and not yet in the book", () => {
  // Registered before their runs are frozen, the book would ask for runs main does not have.
  assert.ok(mine.every((c) => c !== undefined), "plateau and decay are in chapters/forthcoming.ts");
  const registered = new Set(chapters.map((c) => c.slug));
  for (const c of mine) {
    assert.ok(!registered.has(c.slug), `${c.slug} is in chapters/mod.ts already`);
    assert.ok(c.title.length > 0 && c.cells.length > 0, c.slug);
    assert.ok(Number.isInteger(c.trainingRuns), `${c.slug}: trainingRuns is set`);
    assert.equal(new URL(c.source).pathname, new URL(`chapters/${c.slug}.ts`, root).pathname);
    const ids = codeCells(c).map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, `${c.slug}: cell ids are unique`);
    for (const cell of codeCells(c)) assert.ok(cell.caption.length > 0, `${c.slug}/${cell.id}`);
  }
});

Deno.test("every code cell's function sits in its own region, and every region it points at exists", async () => {
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
      const region = cutRegion(text, cell.id);
      const name = cell.run.name;
      assert.ok(name.length > 0, `${where}: the cell's function has a name`);
      assert.match(region, new RegExp(`function ${name}\\(`), `${where}: region defines ${name}`);
      for (const ref of cell.see ?? []) {
        const other = await Deno.readTextFile(new URL(ref.source));
        assert.ok(cutRegion(other, ref.region).length > 0, `${where}: ${ref.source}#${ref.region}`);
      }
    }
  }
});

/** Checks every run of these chapters must pass, quick or full. */
function checkRun(chapter: Chapter, run: ChapterRun, options: RunOptions): void {
  const where = chapter.slug;
  assert.equal(run.cells.length, codeCells(chapter).length, where);
  assert.equal(run.prose.length, chapter.cells.length - codeCells(chapter).length, where);
  for (const markdown of run.prose) {
    assert.ok(markdown.trim().length > 0, `${where}: empty prose`);
    // A number that failed to compute shows up as "NaN%", "NaN pp", "(NaN)", or a hole.
    const broken = [
      /NaN(?:%| ?pp|\)|,\d|\.\d)|(?:[-+(]|\d )NaN/,
      /undefined/,
      /\[object/,
      /\$\{/,
      /Infinity/,
    ];
    for (const bad of broken) {
      assert.ok(!bad.test(markdown), `${where}: prose matches ${bad}:\n${markdown}`);
    }
  }
  for (const cell of run.cells) {
    assert.ok(cell.outputs.length > 0, `${where}/${cell.id}: no output`);
    for (const o of cell.outputs) {
      if (o.kind === "schedule") {
        assert.equal(o.steps.length, o.lrs.length);
        assert.ok(o.lrs.every((x) => Number.isFinite(x) && x >= 0), `${where}/${cell.id} rates`);
      }
      const runs = o.kind === "run" ? [o.run] : o.kind === "runs" ? o.runs : [];
      for (const r of runs) {
        // The decay chapter's schedules step per update; every other run here per epoch.
        const perUpdate = where === "decay" && !r.name.startsWith("constant");
        assert.equal(r.config.stepsPer, perUpdate ? "update" : "epoch", `${where}/${r.name}`);
        if (options.epochs) assert.equal(r.config.epochs, options.epochs);
        assert.equal(r.config.testSize, options.testSize ?? 10_000);
        // The plateau runs hold the last 6,000 training images out, and record the scheduler.
        if (r.name.startsWith("reduce on plateau")) {
          assert.equal(r.config.plateau?.holdOut, 6000, r.name);
          const done = r.divergedAt === null ? r.history : r.history.slice(0, -1);
          assert.ok(done.every((e) => e.plateau !== undefined), `${r.name}: a state per epoch`);
        }
      }
    }
  }
  // The document of the run has the documented shape, through JSON and back.
  const document = checkDocument(JSON.parse(documentJson(chapterDocument(chapter, run))));
  assert.equal(document.cells.length, chapter.cells.length);
}

Deno.test("at full length (made-up training), every cell and every measured sentence runs; trainingRuns is right", async () => {
  for (const chapter of mine) {
    const trainer = fakeTrainer();
    const run = await runChapter(chapter, { quiet: true }, {}, trainer);
    checkRun(chapter, run, { epochs: 30, trainSize: 60_000 });
    assert.equal(trainer.requests.length, chapter.trainingRuns, `${chapter.slug}: trainingRuns`);
    for (const r of trainer.requests) assert.equal(r.epochs, 30, `${chapter.slug}: 30 epochs`);
    // Over three seeds at full length every comparison reaches a verdict: no "no verdict", no
    // "too short", no quick-run warning.
    const prose = run.prose.join("\n");
    assert.match(prose, /beyond twice the standard error|no measurable difference/);
    assert.ok(!/\b[Nn]o verdict\b/.test(prose), `${chapter.slug}: "no verdict" at 30 epochs`);
    assert.ok(!prose.includes("cannot be measured"), `${chapter.slug}: unmeasurable at 30`);
    assert.ok(!prose.includes("quick run"), `${chapter.slug}: "quick run" at full size`);
  }
  // The plateau chapter shows its scheduler's state, read back by the library as saved JSON.
  const plateau = await runChapter(bySlug("plateau"), { quiet: true }, {}, fakeTrainer());
  const state = plateau.results.get("plateau-state")!.find((o) => o.kind === "text");
  assert.ok(state?.kind === "text" && /"kind":"plateau"/.test(state.text));
});

Deno.test("a run that diverges still reads sensibly", async () => {
  // Rates above 0.2 diverge: every plateau run in its first epoch, the decay runs past warmup.
  for (const chapter of mine) {
    const run = await runChapter(chapter, { quiet: true }, {}, fakeTrainer(0.2));
    checkRun(chapter, run, {});
  }
});

Deno.test("the runs the chapters will ask deno task freeze for: 15 new ones, and 3 of the toy problem's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "forthcoming_" });
  try {
    const status = await freezeStatus(mine, fileCache(dir));
    const names = status.needed.map((r) => `${r.chapter}: ${r.name}`);
    const seeds = (chapter: string, name: string) =>
      [0, 1, 2].map((s) => `${chapter}: ${name}, seed ${s}`);
    assert.deepEqual(names, [
      ...seeds("plateau", "reduce on plateau 0.3"),
      ...seeds("plateau", "constant 0.3, 54,000 images"),
      ...seeds("plateau", "constant 0.3"), // the toy problem's baseline: already frozen on main
      ...seeds("decay", "cosine to 0"),
      ...seeds("decay", "linear to 0"),
      ...seeds("decay", "WSD, last 6 epochs to 0"),
    ]);
    // The toy problem's request, not a copy of it: the same keys as that chapter's seeds 0–2.
    const toy = await freezeStatus(
      chapters.filter((c) => c.slug === "toy-problem"),
      fileCache(dir),
    );
    const baseline = status.needed.filter((r) => r.name.startsWith("constant 0.3, seed"));
    for (const run of baseline) assert.ok(toy.needed.some((t) => t.key === run.key), run.name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the book builds with both chapters added (quick, made-up training): their pages, figures and citations", async () => {
  // The build stops at a citation the bibliography lacks or a reference to a missing figure.
  const out = memoryFs();
  const report = await buildSite({
    chapters: [...chapters, ...forthcoming],
    index,
    playground,
    bibliography,
    quick: QUICK,
    trainer: fakeTrainer(),
    out,
    quiet: true,
  });
  assert.ok(report.ok, JSON.stringify(report.pages.filter((p) => p.status === "failed")));
  for (const slug of ["plateau", "decay"]) {
    const page = report.pages.find((p) => p.path === `${slug}.html`);
    assert.ok(page && (page.figures ?? 0) > 0, `${slug}.html has figures`);
    const html = new TextDecoder().decode(out.files.get(`${slug}.html`)!);
    assert.match(html, /references\.html#ref-/, `${slug}.html cites its sources`);
  }
});

const data = await loadTestData();

Deno.test({
  name: "quick mode (--epochs 2 --train-size 1024): every cell of both chapters runs on real data",
  ignore: data === null,
  async fn() {
    const cache = memoryCache();
    const trainer: Trainer = (request, options) =>
      train(request, { ...options, data: data!, cache });
    const options: RunOptions = { epochs: 2, trainSize: 1024, testSize: 1000, quiet: true };
    for (const chapter of mine) {
      const run = await runChapter(chapter, options, {}, trainer);
      checkRun(chapter, run, options);
      // Quick runs say so, and claim nothing about the full runs.
      assert.match(run.prose.join("\n"), /These numbers come from quick runs/);
    }
  },
});
