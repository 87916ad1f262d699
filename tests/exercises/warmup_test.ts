/**
 * Exercise 4 at reduced size: the cosine schedule at a peak of 0.6 on 6,000
 * training images for 8 epochs (192 updates), with no warmup, a warmup of 1/8
 * and one of 1/2 of the run, the book's five seeds (0–4) each. Whether a run at this peak
 * survives is partly luck, so the claims are about counts over the seeds and
 * about the rates at which runs broke.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import {
  analyzeWarmup,
  NEAR_PEAK,
  WARMUP_PEAK_LR,
  warmupRequests,
} from "../../lib/exercises/warmup.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

const FRACTIONS = [0, 1 / 8, 1 / 2];
const SEEDS = [0, 1, 2, 3, 4];

Deno.test(
  "exercise 4: at a peak of 0.6 no warmup length saves every seed, and runs break only near the peak",
  needsData,
  async () => {
    const start = performance.now();
    const p = plan(8, 6000, 2000);
    const runs = await trainAll(trainer, warmupRequests(p, FRACTIONS, SEEDS));
    const a = analyzeWarmup(runs, p, FRACTIONS, SEEDS);
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) =>
          `${r.updates} updates: ${r.failed} failed, ${
            r.finals.map((x) => (100 * x).toFixed(1)).join("/")
          }%`
        ).join("; ") + `; threshold: ${a.threshold ? `${a.threshold.updates} updates` : "none"}` +
        `; lowest breaking rate: ${a.lowestBreakLr}`,
    );
    // The runs used the warmups asked for: fails if the first update's rate were not the peak
    // without warmup, or not 0 with one.
    assert.equal(runs[0].history[0].lr, 0.6);
    assert.equal(runs[SEEDS.length].history[0].lr, 0);
    // No warmup hurts at this peak: at least one seed fails. Fails if a cold start at 0.6 were
    // safe here, leaving nothing for a warmup to fix.
    assert.ok(a.coldHurts, "every seed trained without warmup");
    // No length of the grid makes every seed train, not even half the run. Fails if some warmup
    // length had no failed seed (the answer would then name it as the threshold).
    assert.equal(a.threshold, null, `every seed trained from ${a.threshold?.updates} updates on`);
    // Some warmup fails on more seeds than no warmup. Fails if every warmup were at least as
    // safe as a cold start.
    assert.ok(a.worseThanCold.length > 0, `failed: ${a.rows.map((r) => r.failed).join(", ")}`);
    // Runs break only near the peak: every failure happened in an epoch whose rate reached 3/4
    // of it. Fails if a run broke while the ramp was still low.
    assert.ok(
      a.lowestBreakLr !== null && a.lowestBreakLr >= NEAR_PEAK * WARMUP_PEAK_LR,
      `a run broke at a rate of ${a.lowestBreakLr}`,
    );
  },
);
