import assert from "node:assert/strict";
import { fakeGroup, fakeTrainer } from "./_testing.ts";
import {
  bestPeak,
  bestPeakSentence,
  byPeakSentence,
  peakReading,
  PEAKS,
  peakTable,
  sweepOf,
  sweepPeaks,
} from "./peaks.ts";
import { runChapter } from "./run.ts";
import { code, type RunsOutput, type SeedRuns } from "./types.ts";
import { meanTestAcc } from "./verdict.ts";

/** One group per peak, each seed's final test accuracy given (one epoch). */
const at = (label: string, finals: number[][]): SeedRuns[] =>
  finals.map((f, i) => fakeGroup(`${label} ${PEAKS[i]}`, f.map((x) => [x])));

const names = { a: "the decay", b: "the constant rate" };
// The constant rate: 80, 85 and 84% at the three peaks, the same on both seeds.
const constant = at("constant", [[0.80, 0.80], [0.85, 0.85], [0.84, 0.84]]);
// Differences per seed (pp): higher is +3/+4, lower −3/−4, level +1/−1.
const higher = (base: number) => [base + 0.03, base + 0.04];
const lower = (base: number) => [base - 0.03, base - 0.04];
const level = (base: number) => [base + 0.01, base - 0.01];

Deno.test("byPeakSentence and peakReading: ahead at every peak", () => {
  const decay = at("decay", [higher(0.80), higher(0.85), higher(0.84)]);
  assert.equal(
    byPeakSentence(decay, constant, PEAKS, names),
    "At each of the three peaks (0.1, 0.3 and 0.5), in final test accuracy (seeds 0 and 1), " +
      "the decay was higher than the constant rate at the same peak.",
  );
  assert.equal(
    peakReading(decay, constant, PEAKS, names),
    "So the peak is not what put the decay ahead: it came out ahead at every peak tried.",
  );
});

Deno.test("byPeakSentence and peakReading: behind at every peak", () => {
  const decay = at("decay", [lower(0.80), lower(0.85), lower(0.84)]);
  assert.match(byPeakSentence(decay, constant, PEAKS, names), /was lower than the constant rate/);
  assert.equal(
    peakReading(decay, constant, PEAKS, names),
    "So the peak is not what put the decay behind: it came out behind at every peak tried.",
  );
});

Deno.test("byPeakSentence and peakReading: never measurably different", () => {
  const decay = at("decay", [level(0.80), level(0.85), level(0.84)]);
  assert.match(
    byPeakSentence(decay, constant, PEAKS, names),
    /the decay was not measurably different from the constant rate at the same peak\.$/,
  );
  assert.equal(
    peakReading(decay, constant, PEAKS, names),
    "So at none of these peaks did the decay differ measurably from the constant rate at the " +
      "same peak (with two seeds only large differences are measurable).",
  );
});

Deno.test("byPeakSentence and peakReading: it depends on the peak (three verdicts)", () => {
  const decay = at("decay", [lower(0.80), higher(0.85), level(0.84)]);
  assert.equal(
    byPeakSentence(decay, constant, PEAKS, names),
    "Peak for peak, in final test accuracy (seeds 0 and 1), the decay was higher than the " +
      "constant rate at 0.3, lower than it at 0.1, and not measurably different from it at 0.5.",
  );
  assert.equal(
    peakReading(decay, constant, PEAKS, names),
    "So which of the two comes out ahead depends on the peak they start from: the decay at 0.3, " +
      "the constant rate at 0.1.",
  );
  // Ahead at one peak, level at the others: whether it helps depends on the peak.
  const some = at("decay", [level(0.80), higher(0.85), higher(0.84)]);
  assert.equal(
    peakReading(some, constant, PEAKS, names),
    "So whether the decay comes out ahead of the constant rate depends on the peak: it did at " +
      "0.3 and 0.5, and at no peak did it come out behind.",
  );
  // Behind at one peak, level at the others: never ahead.
  const behind = at("decay", [lower(0.80), level(0.85), level(0.84)]);
  assert.equal(
    peakReading(behind, constant, PEAKS, names),
    "So the decay came out ahead of the constant rate at no peak, and behind it at 0.1.",
  );
});

Deno.test("byPeakSentence and peakReading: one seed gives no verdict at any peak", () => {
  const one = (g: SeedRuns[]) => g.map((x) => ({ ...x, runs: x.runs.slice(0, 1) }));
  const decay = one(at("decay", [higher(0.80), higher(0.85), higher(0.84)]));
  assert.match(
    byPeakSentence(decay, one(constant), PEAKS, names),
    /\(seed 0\), the decay was without a verdict against the constant rate \(one seed\) at the same peak\.$/,
  );
  assert.equal(
    peakReading(decay, one(constant), PEAKS, names),
    "With one seed per peak the sweep cannot say whether the decay or its peak made the " +
      "difference.",
  );
});

Deno.test("bestPeak, peakTable and bestPeakSentence: each at its own best peak", () => {
  // The decay is best at 0.5 (88.5%), the constant rate at 0.3 (85%).
  const decay = at("decay", [higher(0.80), [0.86, 0.865], [0.88, 0.89]]);
  assert.equal(bestPeak(decay, PEAKS)!.peak, 0.5);
  assert.equal(bestPeak(constant, PEAKS)!.peak, 0.3);
  const table = peakTable(decay, constant, PEAKS, { a: "decay", b: "constant" });
  assert.deepEqual(table.rows.map((r) => [r[1], r[2]].map((x) => String(x).endsWith("(best)"))), [
    [false, false],
    [false, true],
    [true, false],
  ]);
  const { text, comparison } = bestPeakSentence(decay, constant, PEAKS, names);
  assert.equal(comparison?.verdict, "higher");
  assert.equal(
    text,
    "Each at its own best peak: over two seeds, the decay at its best peak, 0.5, was 3.50 ± " +
      "0.50 pp above the constant rate at its best peak, 0.3, in final test accuracy (mean " +
      "paired difference ± its standard error; means 88.50% and 85.00%): higher, beyond twice " +
      "the standard error.",
  );
  // A measure no run can give: no best peak, and the sentence says so.
  const early = meanTestAcc(1, 5);
  assert.equal(bestPeak(decay, PEAKS, early), null);
  assert.deepEqual(bestPeakSentence(decay, constant, PEAKS, names, early), {
    text: "The mean test accuracy over epochs 1–5 could not be measured at any peak of the " +
      "decay, so there is no best peak to compare.",
    comparison: null,
  });
});

Deno.test("sweepPeaks: trains the other peaks, reuses the trained group's seeds, obeys --seeds", async () => {
  const request = (peak: number) => ({
    name: `decay ${peak}`,
    schedule: (t: number) => peak / (1 + t),
    stepsPer: "epoch" as const,
  });
  for (const [options, seeds] of [[{}, [0, 1]], [{ seeds: 3 }, [0, 1, 2]]] as const) {
    const trainer = fakeTrainer();
    const run = await runChapter(
      {
        slug: "s",
        title: "S",
        source: "",
        cells: [
          code("main", "main", async (ctx) => [await ctx.trainSeeds(request(0.3))]),
          code("sweep", "sweep", async (ctx) => {
            const main = ctx.results.get("main")![0] as RunsOutput;
            return await sweepPeaks(ctx, "decay", request, { peak: 0.3, group: main });
          }),
        ],
      },
      { quiet: true, epochs: 3, ...options },
      {},
      trainer,
    );
    const main = run.results.get("main")![0] as RunsOutput;
    const sweep = sweepOf(run.results, "sweep", "decay");
    assert.deepEqual(sweep.map((g) => g.label), [
      "decay, peak 0.1",
      "decay, peak 0.3",
      "decay, peak 0.5",
    ]);
    for (const g of sweep) {
      assert.equal(g.reference, true);
      assert.deepEqual(g.runs.map((r) => r.config.seed), seeds);
    }
    // The middle peak's runs are the main group's own, not trained again.
    assert.deepEqual(sweep[1].runs, main.runs.slice(0, seeds.length));
    assert.equal(trainer.requests.length, main.runs.length + 2 * seeds.length);
    assert.deepEqual(sweep[0].runs.map((r) => r.history[0].lr), seeds.map(() => 0.1));
  }
  // A trained group without one of the sweep's seeds is an error, not a silent retraining.
  await assert.rejects(
    runChapter(
      {
        slug: "s",
        title: "S",
        source: "",
        cells: [
          code("sweep", "sweep", (ctx) =>
            sweepPeaks(ctx, "decay", request0, {
              peak: 0.3,
              group: fakeGroup("one", [[0.8]], [1]),
            })),
        ],
      },
      { quiet: true, epochs: 1 },
      {},
      fakeTrainer(),
    ),
    /pickSeeds: group "one" has no run of seed 0 \(it has seed 1\)/,
  );
});

const request0 = (peak: number) => ({
  name: `c ${peak}`,
  schedule: () => peak,
  stepsPer: "epoch" as const,
});
