import assert from "node:assert/strict";
import { fakeRun } from "./_testing.ts";
import { chapterDocument, checkDocument, documentJson, documentRuns } from "./document.ts";
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

Deno.test("a curve's quantity and log axes are part of the shape", () => {
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
});
