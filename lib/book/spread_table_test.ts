import assert from "node:assert/strict";
import { fakeGroup, fakeRun, fakeTrainer } from "./_testing.ts";
import { seedGroup } from "./seeds.ts";
import { runChapter } from "./run.ts";
import {
  compareGroupWith,
  epochTable,
  seedTable,
  spreadTable,
  verdictTable,
} from "./spread_table.ts";
import { FINAL_GAP, WOBBLE } from "./verdict.ts";
import { type Chapter, code, type RunsOutput } from "./types.ts";

const base = fakeGroup("constant", [[0.5, 0.86], [0.5, 0.87], [0.5, 0.865]]);
const cos = fakeGroup("cosine", [[0.6, 0.88], [0.6, 0.885], [0.6, 0.884]], undefined, 0.03);

/** Three seeds of which seed 2 diverged in epoch 2 (its loss NaN, accuracies at chance). */
function diverging(): RunsOutput {
  const runs = [0, 1, 2].map((seed) =>
    fakeRun(`d, seed ${seed}`, [0.6, 0.8], [0.5, 0.7 + seed / 100], undefined, { seed })
  );
  runs[2] = { ...runs[2], divergedAt: 2 };
  runs[2].history[1] = { ...runs[2].history[1], trainLoss: NaN, trainAcc: 0.1, testAcc: 0.1 };
  return seedGroup("d", runs);
}

Deno.test("spreadTable: measure by measure, one row per group, mean ± sd and min–max", () => {
  const t = spreadTable([cos, base]);
  assert.deepEqual(t.columns, ["measure", "run", "seeds", "mean ± sd", "min–max"]);
  assert.deepEqual(t.rows.map((r) => r[0]).filter(Boolean), [
    "final test acc",
    "best test acc",
    "epoch of best test acc",
    "final train loss",
    "final train − test",
  ]);
  assert.equal(t.rows.length, 10);
  // 88.0%, 88.5%, 88.4%: squared deviations 14e-6 over n − 1 = 2, sd 0.26 pp.
  assert.deepEqual(t.rows[0], [
    "final test acc",
    "cosine",
    "3",
    "88.30% ± 0.26 pp",
    "88.00%–88.50%",
  ]);
  assert.deepEqual(t.rows[1], ["", "constant", "3", "86.50% ± 0.50 pp", "86.00%–87.00%"]);
  assert.deepEqual(t.rows[4].slice(3), ["2.0 ± 0.0", "2"]);
  assert.deepEqual(t.rows[8].slice(3), ["+3.00 ± 0.00 pp", "+3.00 pp"]);
  // A diverged seed has no final loss: the row says over how many seeds it is.
  const d = spreadTable([diverging()]);
  assert.equal(d.rows[3][3], "0.2000 ± 0.0000 (2 of 3 seeds)");
});

Deno.test("verdictTable: difference from the baseline ± SE and the verdict, by the one rule", () => {
  const t = verdictTable([base, cos], base);
  assert.deepEqual(t.columns, [
    "run",
    "seeds",
    "final test accuracy, mean ± sd",
    "difference from constant ± SE",
    "verdict",
  ]);
  assert.deepEqual(t.rows[0], ["constant", "0–2", "86.50% ± 0.50 pp", "", "baseline"]);
  // Differences 2.0, 1.5, 1.9 pp: mean 1.80 pp, SE 0.15 pp.
  assert.deepEqual(t.rows[1], ["cosine", "0–2", "88.30% ± 0.26 pp", "+1.80 ± 0.15 pp", "higher"]);
  const gap = verdictTable([cos], base, FINAL_GAP);
  assert.deepEqual(gap.rows[0].slice(2), ["+3.00 ± 0.00 pp", "−2.00 ± 0.00 pp", "lower"]);
  // Other seeds: unpaired; one seed: no verdict; a measure the runs cannot give: a dash.
  const other = fakeGroup("other", [[0.6, 0.9], [0.6, 0.91]], [7, 8]);
  // 90.5% against 86.5%; Welch's SE √(0.71²/2 + 0.50²/3) pp = 0.58 pp.
  assert.equal(verdictTable([other], base).rows[0][3], "+4.00 ± 0.58 pp (unpaired)");
  const one = fakeGroup("one", [[0.6, 0.9]]);
  assert.deepEqual(verdictTable([one], fakeGroup("b", [[0.5, 0.86]])).rows[0].slice(3), [
    "+4.00 pp",
    "no verdict (one seed)",
  ]);
  assert.deepEqual(verdictTable([cos], base, WOBBLE).rows[0].slice(2), [
    "–",
    "–",
    "no verdict (not measurable)",
  ]);
});

Deno.test("seedTable: seed by seed, then mean ± sd and min–max; a diverged seed says so", () => {
  const t = seedTable(diverging());
  assert.deepEqual(t.rows.map((r) => r[0]), ["0", "1", "2", "mean ± sd", "min–max"]);
  assert.deepEqual(t.rows[0], ["0", "2", "70.00%", "70.00% (2)", "0.2000", "+10.00 pp"]);
  assert.deepEqual(t.rows[2], ["2", "2 (diverged)", "10.00%", "50.00% (1)", "NaN", "+0.00 pp"]);
  assert.equal(t.rows[3][4], "0.2000 ± 0.0000 (2 of 3 seeds)");
  assert.deepEqual(t.rows[4].slice(2), [
    "10.00%–71.00%",
    "50.00%–71.00% (1–2)",
    "0.2000",
    "+0.00 to +10.00 pp",
  ]);
});

Deno.test("epochTable: the numbers of the figure's mean curves and bands", () => {
  const t = epochTable(diverging());
  assert.deepEqual(t.columns, ["epoch", "lr", "train loss", "test acc", "test acc min–max"]);
  assert.deepEqual(t.rows[0], ["1", 0.1, "0.4000 ± 0.0000", "50.00% ± 0.00 pp", "50.00%"]);
  // Epoch 2: seed 2's loss is NaN, so the loss is over two seeds; its accuracy counts:
  // 70%, 71% and 10%, mean 50.33%, squared deviations 0.2441 over n − 1 = 2: sd 34.93 pp.
  assert.deepEqual(t.rows[1].slice(2), [
    "0.2000 ± 0.0000 (2 of 3 seeds)",
    "50.33% ± 34.93 pp",
    "10.00%–71.00%",
  ]);
  const perUpdate = seedGroup("u", [
    fakeRun("u, seed 0", [0.5], [0.4], [0.3], { seed: 0 }),
  ]);
  perUpdate.runs[0].history[0].lrLast = 0.29871;
  assert.equal(epochTable(perUpdate).rows[0][1], "0.3→0.2987");
});

Deno.test("compareGroupWith: the baseline over the group's own seeds, both tables, then the reference", async () => {
  const trainer = fakeTrainer();
  const chapter: Chapter = {
    slug: "c",
    title: "C",
    source: import.meta.url,
    cells: [
      code("mine", "over three seeds", async (ctx) => [
        await ctx.trainSeeds({ name: "decay", schedule: (t) => 0.3 / (t + 1), stepsPer: "epoch" }, [
          2,
          5,
          9,
        ]),
      ]),
      code("vs", "against the constant rate", (ctx) =>
        compareGroupWith(ctx, "mine", {
          name: "constant",
          schedule: () => 0.3,
          stepsPer: "epoch",
        }, FINAL_GAP)),
    ],
  };
  const run = await runChapter(chapter, { quiet: true, epochs: 4 }, {}, trainer);
  assert.deepEqual(trainer.requests.map((r) => r.seed), [2, 5, 9, 2, 5, 9]);
  const [spread, verdict, reference] = run.results.get("vs")!;
  assert.ok(spread.kind === "table" && verdict.kind === "table" && reference.kind === "runs");
  assert.deepEqual(spread.rows.slice(0, 2).map((r) => r[1]), ["decay", "constant"]);
  assert.equal(verdict.columns[2], "final train–test gap, mean ± sd");
  assert.equal(verdict.rows.length, 1);
  assert.doesNotMatch(verdict.rows[0][3] as string, /unpaired/);
  assert.equal(reference.reference, true);
  assert.equal(reference.label, "constant");
  await assert.rejects(
    () => runChapter({ ...chapter, cells: [chapter.cells[1]] }, { quiet: true }, {}, fakeTrainer()),
    /no group from cell "mine"/,
  );
});
