import assert from "node:assert/strict";
import { fakeRun, fakeTrainer } from "./_testing.ts";
import {
  chapterDocument,
  checkDocument,
  documentGroups,
  documentJson,
  documentRuns,
} from "./document.ts";
import { runChapter } from "./run.ts";
import { type Chapter, code, curve, prose } from "./types.ts";

const run = fakeRun("r", [0.5, 0.6], [0.4, 0.5]);
const chapter: Chapter = {
  slug: "t",
  title: "T",
  source: import.meta.url,
  cells: [
    prose("# T"),
    code("plot", "a curve", () => [curve("c", "epoch", (t) => 1 / (t + 1), 3)]),
    code("train", "a run", () => [{ kind: "run", run }, { kind: "text", text: "done" }]),
    prose((results) => `ran ${results.size} cells`),
  ],
};

Deno.test("the document holds every cell in reading order and survives JSON", async () => {
  const result = await runChapter(chapter, { epochs: 2 });
  const document = checkDocument(JSON.parse(documentJson(chapterDocument(chapter, result))));
  assert.deepEqual(document.cells.map((c) => c.kind), ["prose", "code", "code", "prose"]);
  assert.deepEqual(document.options, { epochs: 2 });
  assert.equal(document.cells[3].kind === "prose" && document.cells[3].markdown, "ran 2 cells");
  assert.deepEqual(documentRuns(document)[0].history, run.history);
});

Deno.test("a diverged epoch's NaN loss becomes null, which the shape allows", () => {
  const diverged = { ...fakeRun("d", [0.5], [0.1]), divergedAt: 1 };
  diverged.history[0].trainLoss = NaN;
  const document = {
    format: "lr-book/chapter-run",
    version: 1,
    slug: "s",
    title: "S",
    options: {},
    cells: [{ kind: "code", id: "c", caption: "c", outputs: [{ kind: "run", run: diverged }] }],
  };
  const parsed = JSON.parse(JSON.stringify(document));
  assert.equal(parsed.cells[0].outputs[0].run.history[0].trainLoss, null);
  checkDocument(parsed);
});

Deno.test("checkDocument names the first part that does not fit", () => {
  const good = JSON.parse(
    documentJson({
      format: "lr-book/chapter-run",
      version: 1,
      slug: "s",
      title: "S",
      options: {},
      cells: [{ kind: "code", id: "c", caption: "c", outputs: [{ kind: "run", run }] }],
    }),
  );
  const bad = structuredClone(good);
  bad.cells[0].outputs[0].run.history[1].testAcc = 1.5;
  assert.throws(
    () => checkDocument(bad),
    /cells\[0\]\.outputs\[0\]\.run\.history\[1\]\.testAcc: expected in \[0, 1\]/,
  );
  const noRates = structuredClone(good);
  noRates.cells[0].outputs = [{
    kind: "schedule",
    label: "x",
    unit: "epoch",
    steps: [0, 1],
    lrs: [1],
  }];
  assert.throws(() => checkDocument(noRates), /lrs: expected 2 rates/);
  assert.throws(
    () => checkDocument({ ...good, version: 2 }),
    /^ShapeError: version: expected 1, got 2/,
  );
});

Deno.test("a curve's quantities and log axes are part of the shape", () => {
  const document = (extra: Record<string, unknown>) => ({
    format: "lr-book/chapter-run",
    version: 1,
    slug: "s",
    title: "S",
    options: {},
    cells: [{
      kind: "code",
      id: "c",
      caption: "c",
      outputs: [{ kind: "schedule", label: "l", unit: "update", steps: [1], lrs: [1], ...extra }],
    }],
  });
  checkDocument(document({ quantity: "error", log: "xy" }));
  checkDocument(document({ log: "x" }));
  assert.throws(() => checkDocument(document({ log: "z" })), /log/);
  assert.throws(() => checkDocument(document({ quantity: 3 })), /quantity/);
  checkDocument(document({ quantity: "loss", xQuantity: "learning rate", log: "x" }));
  assert.throws(() => checkDocument(document({ xQuantity: 1 })), /xQuantity/);
});

/** A chapter whose one cell trains a request over seeds, as the chapters' comparisons will. */
const seeded: Chapter = {
  slug: "seeded",
  title: "Seeded",
  source: import.meta.url,
  cells: [
    code("group", "over seeds", async (ctx) => [
      await ctx.trainSeeds({ name: "cosine", schedule: (t) => 0.3 / (t + 1), stepsPer: "epoch" }),
      {
        ...(await ctx.trainSeeds({ name: "constant", schedule: () => 0.3, stepsPer: "epoch" })),
        reference: true,
      },
    ]),
  ],
};

Deno.test("a group over seeds goes through the document: every seed's run, in its group", async () => {
  const result = await runChapter(seeded, { quiet: true, epochs: 3 }, {}, fakeTrainer());
  const document = checkDocument(JSON.parse(documentJson(chapterDocument(seeded, result))));
  const groups = documentGroups(document);
  assert.deepEqual(groups.map((g) => [g.label, g.runs.length, g.reference]), [
    ["cosine", 5, undefined],
    ["constant", 5, true],
  ]);
  assert.deepEqual(groups[0].runs.map((r) => r.config.seed), [0, 1, 2, 3, 4]);
  assert.equal(documentRuns(document).length, 10, "documentRuns counts every seed");
  assert.deepEqual(
    groups[1].runs[3].history,
    result.cells[0].outputs.flatMap((o) =>
      o.kind === "runs" && o.label === "constant" ? [o.runs[3]] : []
    )[0].history,
  );
});

Deno.test("checkDocument: a group's runs are checked, each seed once, nothing but the seed differing", () => {
  const r = (seed: number, lrs = [0.1, 0.1]) =>
    fakeRun(`g, seed ${seed}`, [0.5, 0.6], [0.4, 0.5], lrs, { seed });
  const document = (runs: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.parse(JSON.stringify({
      format: "lr-book/chapter-run",
      version: 1,
      slug: "s",
      title: "S",
      options: {},
      cells: [{
        kind: "code",
        id: "c",
        caption: "c",
        outputs: [{ kind: "runs", label: "g", runs, ...extra }],
      }],
    }));
  checkDocument(document([r(0), r(1)]));
  assert.throws(() => checkDocument(document([])), /outputs\[0\]\.runs: expected at least one run/);
  assert.throws(
    () => checkDocument(document([r(0), r(0)])),
    /^ShapeError: cells\[0\]\.outputs\[0\]\.runs: group "g": seed 0 twice/,
  );
  assert.throws(() => checkDocument(document([r(0), r(1, [0.1, 0.2])])), /at another rate/);
  const bad = document([r(0), r(1)]);
  bad.cells[0].outputs[0].runs[1].history[0].testAcc = 2;
  assert.throws(
    () => checkDocument(bad),
    /outputs\[0\]\.runs\[1\]\.history\[0\]\.testAcc: expected in \[0, 1\]/,
  );
  assert.throws(
    () => checkDocument(document([r(0)], { label: 7 })),
    /outputs\[0\]\.label: expected a string/,
  );
  assert.throws(
    () => checkDocument(document([r(0)], { reference: "yes" })),
    /reference: expected a boolean/,
  );
  assert.throws(
    () => checkDocument(document([r(0)], { kind: "group" })),
    /kind: expected "schedule", "run", "runs", "text" or "table"/,
  );
});
