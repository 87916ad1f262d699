/**
 * Exercise 2 at reduced size: the polynomial schedules on 6,000 training
 * images for 8 epochs (24 updates per epoch, 192 in all).
 */

import assert from "node:assert/strict";
import { plan, trainAll } from "../../lib/exercises/common.ts";
import { analyzeDecay, decayRequests, POWERS } from "../../lib/exercises/decay.ts";
import { needsData, seconds, trainer } from "./_engine.ts";

Deno.test(
  "exercise 2: the larger the exponent, the less far training gets",
  needsData,
  async () => {
    const start = performance.now();
    const runs = await trainAll(trainer, decayRequests(plan(8, 6000, 2000)));
    const a = analyzeDecay(runs);
    console.log(
      `  ${seconds(start)} s; ` +
        a.rows.map((r) =>
          `p=${r.power}: loss ${r.finalTrainLoss.toFixed(3)}, ${(100 * r.finalTestAcc).toFixed(1)}%`
        )
          .join("; "),
    );
    // Every run trained (same start at 0.3, decaying from there): fails if one diverged.
    assert.ok(a.rows.every((r) => !r.diverged));
    // The claim: final training loss rises strictly with the power, from 0.5 to 8. Fails if any
    // two neighbouring powers came out in the other order (e.g. a faster decay that converged
    // further because the early high rate had hurt).
    assert.ok(a.lossRisesWithPower, "final training loss is not increasing in the power");
    // The gap is not marginal: the largest power ends at least 20% above the smallest's loss.
    // Fails if the exponent hardly mattered at this size.
    const [first, last] = [a.rows[0], a.rows[a.rows.length - 1]];
    assert.equal(first.power, POWERS[0]);
    assert.ok(last.finalTrainLoss > 1.2 * first.finalTrainLoss);
  },
);
