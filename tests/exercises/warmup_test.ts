/**
 * Exercise 4 at reduced size: the cosine schedule at a peak of 0.6 on 6,000
 * training images for 8 epochs (192 updates), with no warmup, a warmup of
 * 1/8 and one of 1/4 of the run, three seeds each.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeWarmup, warmupRequests } from "../../lib/exercises/warmup.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

const FRACTIONS = [0, 1 / 8, 1 / 4];
const SEEDS = [0, 1, 2];

Deno.test(
  "exercise 4: at a peak of 0.6 a cold start fails, and only a long warmup makes every seed train",
  needsData,
  async () => {
    const start = performance.now();
    const p = plan(8, 6000, 2000);
    const runs = await trainAll(trainer, warmupRequests(p, FRACTIONS, SEEDS));
    const a = analyzeWarmup(runs, p, FRACTIONS, SEEDS);
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) =>
          `${r.updates} updates: ${r.finals.map((x) => (100 * x).toFixed(1)).join("/")}%`
        )
          .join("; "),
    );
    // The runs used the warmups asked for: fails if the rate of the first update were not 0
    // for a warmup, or not the peak without one.
    assert.equal(runs[0].history[0].lr, 0.6);
    assert.equal(runs[SEEDS.length].history[0].lr, 0);
    // Without warmup at least one seed stalls: fails if a cold start at 0.6 were safe here,
    // in which case there would be nothing for warmup to fix.
    assert.ok(a.coldHurts, "every seed trained without warmup");
    // There is a threshold: from some length of the grid on, every seed trains. Fails if even
    // the longest warmup (a quarter of the run) lost a seed.
    assert.ok(a.threshold !== null, "no warmup length made every seed train");
    // ... and a short warmup is not enough: the threshold is longer than 1/8 of the run. Fails
    // if the 1/8 warmup already made every seed train.
    assert.ok(a.threshold.fraction > 1 / 8, `threshold ${a.threshold.fraction}`);
    // Every seed of the threshold length learned well: fails if "trained" meant barely above chance.
    assert.ok(a.threshold.worst >= 0.6, `worst seed at the threshold ${a.threshold.worst}`);
  },
);
