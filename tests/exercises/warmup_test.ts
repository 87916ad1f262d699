/**
 * Exercise 4 at reduced size: the cosine schedule at a peak of 0.6 on 6,000
 * training images for 8 epochs (192 updates), with no warmup, a warmup of 1/8
 * and one of 1/2 of the run, six seeds each. Whether a run at this peak
 * survives is partly luck, so the claims are about counts over the seeds.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeWarmup, warmupRequests } from "../../lib/exercises/warmup.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

const FRACTIONS = [0, 1 / 8, 1 / 2];
const SEEDS = [0, 1, 2, 3, 4, 5];

Deno.test(
  "exercise 4: at a peak of 0.6 a cold start fails on some seeds, a short warmup on more, a long one on fewer",
  needsData,
  async () => {
    const start = performance.now();
    const p = plan(8, 6000, 2000);
    const runs = await trainAll(trainer, warmupRequests(p, FRACTIONS, SEEDS));
    const a = analyzeWarmup(runs, p, FRACTIONS, SEEDS);
    const [cold, short, long] = a.rows;
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) =>
          `${r.updates} updates: ${r.failed} failed, ${
            r.finals.map((x) => (100 * x).toFixed(1)).join("/")
          }%`
        ).join("; ") + `; threshold: ${a.threshold ? `${a.threshold.updates} updates` : "none"}`,
    );
    // The runs used the warmups asked for: fails if the first update's rate were not the peak
    // without warmup, or not 0 with one.
    assert.equal(runs[0].history[0].lr, 0.6);
    assert.equal(runs[SEEDS.length].history[0].lr, 0);
    // No warmup hurts at this peak: at least one seed stalls. Fails if a cold start at 0.6 were
    // safe here, leaving nothing for a warmup to fix.
    assert.ok(a.coldHurts, "every seed trained without warmup");
    // A short warmup (1/8 of the run) is worse than none: it fails on more seeds. Fails if a
    // short ramp were at least as safe as a cold start.
    assert.ok(
      a.worseThanCold.includes(short),
      `short ${short.failed} vs cold ${cold.failed} failed`,
    );
    // A long warmup (half the run) fails on fewer seeds than the short one, and its seeds end
    // higher on average than the cold start's. Fails if warmup length made no difference.
    assert.ok(long.failed < short.failed, `long ${long.failed} vs short ${short.failed} failed`);
    assert.ok(long.mean > cold.mean, `long mean ${long.mean} vs cold mean ${cold.mean}`);
  },
);
