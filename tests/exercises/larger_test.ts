/**
 * Exercise 3 at reduced size: the twice-as-wide LeNet with augmentation on
 * 6,000 training images for 9 epochs, cosine against step and multi-factor.
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeLarger, largerRequests } from "../../lib/exercises/larger.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

Deno.test(
  "exercise 3: on the wider, augmented LeNet cosine ends at least as well as step decays",
  needsData,
  async () => {
    const start = performance.now();
    const runs = await trainAll(trainer, largerRequests(plan(9, 6000, 2000)));
    const a = analyzeLarger(runs);
    console.log(
      `  ${seconds(start)} s; ` +
        [a.cosine, ...a.others].map((r) => `${r.name}: ${(100 * r.finalTestAcc).toFixed(1)}%`).join(
          ", ",
        ) +
        `; margin ${(100 * a.margin).toFixed(2)} pp, noise ${(100 * a.noise).toFixed(2)} pp`,
    );
    // The runs really used the larger network and augmentation: fails if the engine dropped them.
    assert.ok(runs.every((r) => r.config.width === 2 && r.config.augment));
    // All three schedules trained: fails if one stalled or diverged.
    assert.ok([a.cosine, ...a.others].every((r) => r.outcome === "trained"));
    // The claim: cosine's final test accuracy is not below the best step schedule's by more than
    // the runs' own epoch-to-epoch noise. Fails if a step schedule beat cosine clearly.
    assert.ok(a.cosineAtLeastAsGood, `cosine ${a.margin} behind, noise ${a.noise}`);
  },
);
