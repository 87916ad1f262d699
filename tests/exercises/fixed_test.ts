/**
 * Exercise 1 at reduced size: the constant-rate sweep on 6,000 training
 * images for 4 epochs, on a thinner grid than the chapter's.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeFixed, fixedRequests } from "../../lib/exercises/fixed.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

const RATES = [0.01, 0.03, 0.1, 0.3, 1, 10, 100];

Deno.test(
  "exercise 1: the best fixed rate is inside the grid; too large stalls, then diverges",
  needsData,
  async () => {
    const start = performance.now();
    const runs = await trainAll(trainer, fixedRequests(plan(4, 6000, 2000), RATES));
    const a = analyzeFixed(runs, RATES);
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) => `${r.lr}: ${r.outcome} ${(100 * r.finalTestAcc).toFixed(1)}%`).join(", "),
    );

    // The engine reports divergence instead of crashing: every rate gave a run back (a throw
    // fails the test above), and the largest one is marked diverged in its first epoch with
    // that epoch as its last. Fails if a NaN loss went unnoticed (divergedAt null, 4 epochs).
    assert.equal(runs.length, RATES.length);
    assert.equal(a.largest.outcome, "diverged");
    assert.equal(a.largest.divergedAt, 1);
    assert.equal(runs[runs.length - 1].history.length, 1);
    assert.ok(a.largestFails);

    // The best rate lies inside the grid: fails if 0.01 (grid too low) or 100 came out best.
    assert.ok(a.bestInside, `best rate ${a.best.lr} is at the edge of the grid`);
    // ... and it learned something real: fails if even the best stayed below 60% test accuracy.
    assert.ok(a.best.finalTestAcc >= 0.6, `best final test accuracy ${a.best.finalTestAcc}`);

    // Between the rates that train and the ones that diverge lies a band where the network
    // stalls at chance without any NaN. Fails if training went straight from "trained" to
    // "diverged", or if a rate above a stalled one trained again.
    assert.ok(a.stalled.length >= 1, "no stalled rates");
    const firstBad = a.rows.findIndex((r) => r.outcome !== "trained");
    assert.ok(a.rows.slice(firstBad).every((r) => r.outcome !== "trained"));
  },
);
