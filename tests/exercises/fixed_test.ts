/**
 * Exercise 1 at reduced size: the constant-rate sweep on 6,000 training
 * images for 4 epochs, on a thinner grid than the chapter's.
 *
 * Whether an absurd rate ends in NaN or in a network whose ReLUs all died
 * (finite loss, chance accuracy) depends on the first minibatch: at 100,
 * seed 0 overflows and seed 1 does not. So the sweep's claims allow either
 * ending, and the engine's handling of divergence is checked on a rate of
 * 1,000 over four seeds, of which at least one overflows.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeFixed, fixedRequests } from "../../lib/exercises/fixed.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

const RATES = [0.01, 0.03, 0.1, 0.3, 1, 10, 100];

Deno.test(
  "exercise 1: the best fixed rate is inside the grid; too large a rate stalls or diverges",
  needsData,
  async () => {
    const start = performance.now();
    const runs = await trainAll(trainer, fixedRequests(plan(4, 6000, 2000), RATES));
    const a = analyzeFixed(runs, RATES);
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) => `${r.lr}: ${r.outcome} ${(100 * r.finalTestAcc).toFixed(1)}%`).join(", "),
    );
    // The best rate lies inside the grid: fails if 0.01 (grid too low) or 100 came out best.
    assert.ok(a.bestInside, `best rate ${a.best.lr} is at the edge of the grid`);
    // ... and it learned something real: fails if even the best stayed below 60% test accuracy.
    assert.ok(a.best.finalTestAcc >= 0.6, `best final test accuracy ${a.best.finalTestAcc}`);
    // The largest rate diverges or does clearly worse (at least 10 points below the best):
    // fails if a rate of 100 still trained.
    assert.ok(a.largestFails);
    assert.notEqual(a.largest.outcome, "trained");
    // Between the rates that train and the largest lies a band where the network stalls at
    // chance without any NaN. Fails if training went straight from "trained" to "diverged", or
    // if a rate above one that broke down trained again.
    assert.ok(a.stalled.length >= 1, "no stalled rates");
    const firstBad = a.rows.findIndex((r) => r.outcome !== "trained");
    assert.ok(a.rows.slice(firstBad).every((r) => r.outcome !== "trained"));
  },
);

Deno.test("exercise 1: the engine reports divergence instead of crashing", needsData, async () => {
  const requests = fixedRequests(plan(1, 6000, 2000), [1000]);
  const runs = await trainAll(trainer, [0, 1, 2, 3].map((seed) => ({ ...requests[0], seed })));
  console.log(`  rate 1000, seeds 0-3: diverged at ${runs.map((r) => r.divergedAt).join(", ")}`);
  // Every seed gave a run back (a throw would fail the test), and at least one of them is marked
  // diverged: fails if a NaN loss went unnoticed or crashed the engine.
  const diverged = runs.filter((r) => r.divergedAt !== null);
  assert.ok(diverged.length >= 1, "no run diverged at a rate of 1000");
  // A diverged run ends with the epoch in which it diverged: fails if training went on past it.
  for (const run of diverged) assert.equal(run.history.length, run.divergedAt);
});
