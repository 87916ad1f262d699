import assert from "node:assert/strict";
import { fakeTrainer } from "../book/_testing.ts";
import { runChapter } from "../book/run.ts";
import { type CellContext, type Chapter, code, type Output } from "../book/types.ts";
import { chapterLinks, chapterPage } from "./model.ts";
import { renderPage } from "./render.ts";

// #region seeds
/** Two schedules over seeds: one shown, one brought in to compare against. */
async function seeds(ctx: CellContext): Promise<Output[]> {
  const cosine = await ctx.trainSeeds({
    name: "cosine",
    schedule: (t) => 0.3 / (t + 1),
    stepsPer: "epoch",
  });
  const constant = await ctx.trainSeeds({
    name: "constant",
    schedule: () => 0.3,
    stepsPer: "epoch",
  });
  return [cosine, { ...constant, reference: true }];
}
// #endregion seeds

const chapter: Chapter = {
  slug: "seeds",
  title: "Seeds",
  source: import.meta.url,
  cells: [code("seeds", "two schedules over seeds", seeds)],
};

Deno.test("page: a group is a figure with bands; a reference group is a line; both are compared", async () => {
  const run = await runChapter(chapter, { quiet: true, epochs: 4 }, {}, fakeTrainer());
  const source = await Deno.readTextFile(new URL(import.meta.url));
  const page = chapterPage(chapter, run, source, chapterLinks([chapter]));
  const cell = page.blocks.find((b) => b.kind === "cell");
  assert.ok(cell?.kind === "cell");
  assert.deepEqual(cell.outputs.map((o) => o.kind), ["figure", "reference"]);
  const [figure, reference] = cell.outputs;
  assert.ok(figure.kind === "figure" && figure.figure.kind === "runs");
  assert.ok(figure.figure.spec.traces.some((t) => t.band === "upper"));
  assert.ok(reference.kind === "reference");
  assert.equal(reference.name, "constant");
  assert.match(
    reference.text,
    /^final test accuracy \d+\.\d\d% ± \d\.\d\d pp \(mean ± sd; min–max .*\); 5 seeds \(seeds 0–4\), 4 epochs/,
  );
  // The page's comparison: both groups, as means with bands.
  const comparison = page.blocks.find((b) => b.kind === "comparison");
  assert.ok(comparison?.kind === "comparison");
  assert.deepEqual(
    comparison.figure.spec.traces.filter((t) => t.showLegend !== false).map((t) => t.name),
    ["cosine (mean of 5)", "constant (mean of 5)"],
  );
  // The HTML carries the figure's spec and its seeds' table.
  const html = renderPage(
    {
      title: "T",
      chapters: chapterLinks([chapter]),
      quick: null,
      scripts: [],
      playground: null,
      references: null,
      bibliography: [],
    },
    page,
  );
  assert.match(html, /class="figure figure-runs"/);
  assert.match(html, /"band":"upper"/);
  assert.match(html, /<td class="">mean ± sd<\/td>/);
});
