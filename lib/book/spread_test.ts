import assert from "node:assert/strict";
import { fakeGroup, fakeRun } from "./_testing.ts";
import { seedGroup } from "./seeds.ts";
import {
  epochSpreads,
  formatMeanSd,
  formatPlusMinus,
  formatRange,
  formatValue,
  groupSpread,
  spreadOf,
} from "./spread.ts";
import type { RunResult } from "../train/types.ts";

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

Deno.test("spreadOf: mean, sample standard deviation (n − 1), min and max", () => {
  const s = spreadOf([0.87, 0.88, 0.89, 0.9]);
  close(s.mean, 0.885, "mean");
  // Squared deviations 0.015², 0.005², 0.005², 0.015² = 0.0005; over n − 1 = 3.
  close(s.sd!, Math.sqrt(0.0005 / 3), "sd");
  assert.deepEqual([s.n, s.min, s.max], [4, 0.87, 0.9]);
  assert.deepEqual(s.values, [0.87, 0.88, 0.89, 0.9]);
  // Not the population deviation (over n), which would be smaller.
  assert.ok(s.sd! > Math.sqrt(0.0005 / 4));
});

Deno.test("spreadOf: one value has no deviation; equal values have exactly 0", () => {
  assert.equal(spreadOf([0.5]).sd, null);
  const third = 0.1 + 0.2; // 0.30000000000000004: a sum would not give it back exactly
  const equal = spreadOf([third, third, third]);
  assert.equal(equal.sd, 0);
  assert.equal(equal.mean, third);
});

Deno.test("spreadOf: no values, or a value that is not finite, is an error", () => {
  assert.throws(() => spreadOf([]), /no values/);
  assert.throws(() => spreadOf([0.5, NaN]), /value 1 \(NaN\) is not finite/);
  assert.throws(() => spreadOf([Infinity]), /not finite/);
});

/** A group of three seeds; seed 2 diverges in its second epoch. */
function withDiverged(): RunResult[] {
  const runs = [0, 1, 2].map((seed) =>
    fakeRun(`g, seed ${seed}`, [0.6, 0.8, 0.85], [0.5, 0.7 + seed / 100, 0.8 - seed / 100], [
      0.1,
      0.1,
      0.1,
    ], { seed })
  );
  runs[2] = { ...runs[2], history: runs[2].history.slice(0, 2), divergedAt: 2 };
  runs[2].history[1] = { ...runs[2].history[1], trainLoss: NaN, trainAcc: 0.1, testAcc: 0.1 };
  return runs;
}

Deno.test("groupSpread: every measure over the seeds; a diverged seed's loss is left out", () => {
  const s = groupSpread(seedGroup("g", withDiverged()));
  assert.deepEqual(s.seeds, [0, 1, 2]);
  assert.deepEqual(s.diverged, [2]);
  assert.deepEqual(s.finalTestAcc.values, [0.8, 0.79, 0.1]);
  assert.deepEqual(s.bestTestAcc.values, [0.8, 0.79, 0.5]);
  assert.deepEqual(s.bestEpoch.values, [3, 3, 1]);
  assert.equal(s.finalTrainLoss!.n, 2); // seed 2's last loss is NaN
  close(s.finalTrainLoss!.mean, 0.15, "loss"); // 1 − 0.85 for both others
  close(s.gap.values[0], 0.05, "gap");
  close(s.gap.values[2], 0, "gap of the diverged seed");
  assert.equal(formatMeanSd(s.finalTrainLoss, "loss", 3), "0.1500 ± 0.0000 (2 of 3 seeds)");
});

Deno.test("groupSpread: no finite final loss at all is null, written as a dash", () => {
  const runs = withDiverged().slice(2);
  const s = groupSpread(seedGroup("g", runs));
  assert.equal(s.finalTrainLoss, null);
  assert.equal(formatMeanSd(s.finalTrainLoss, "loss", 1), "–");
  assert.equal(formatRange(s.finalTrainLoss, "loss"), "–");
});

Deno.test("epochSpreads: each epoch over the seeds that have it", () => {
  const group = seedGroup("g", withDiverged());
  const acc = epochSpreads(group, "testAcc");
  assert.equal(acc.length, 3);
  assert.deepEqual(acc[2].bySeed, [0.8, 0.79, null]); // seed 2 stopped after epoch 2
  assert.equal(acc[2].spread!.n, 2);
  close(acc[2].spread!.mean, 0.795, "epoch 3 mean");
  const loss = epochSpreads(group, "trainLoss");
  assert.deepEqual(loss[1].bySeed.map((v) => v === null), [false, false, true]); // NaN left out
  assert.equal(loss[0].spread!.sd, 0); // every seed's first epoch has train accuracy 0.6
});

Deno.test("epochSpreads: a group with no epoch at all has no entries", () => {
  assert.deepEqual(epochSpreads(fakeGroup("e", [[], []]), "testAcc"), []);
});

Deno.test("the one format: percent for accuracies, points for differences, 4 decimals for losses", () => {
  assert.equal(formatValue(0.88123, "accuracy"), "88.12%");
  assert.equal(formatValue(0.041, "points"), "+4.10 pp");
  assert.equal(formatValue(-0.041, "points"), "−4.10 pp");
  assert.equal(formatValue(0.23456, "loss"), "0.2346");
  assert.equal(formatValue(24, "epoch"), "24");
  assert.equal(formatValue(24.25, "epoch"), "24.3");
  const acc = spreadOf([0.87, 0.89]);
  assert.equal(formatMeanSd(acc, "accuracy"), "88.00% ± 1.41 pp");
  assert.equal(formatRange(acc, "accuracy"), "87.00%–89.00%");
  assert.equal(formatMeanSd(spreadOf([-0.01, -0.03]), "points"), "−2.00 ± 1.41 pp");
  assert.equal(formatMeanSd(spreadOf([0.2, 0.3]), "loss"), "0.2500 ± 0.0707");
  assert.equal(formatRange(spreadOf([0.2, 0.3]), "loss"), "0.2000–0.3000");
  assert.equal(formatMeanSd(spreadOf([20, 25]), "epoch"), "22.5 ± 3.5");
  assert.equal(formatRange(spreadOf([20, 25]), "epoch"), "20–25");
  assert.equal(formatRange(spreadOf([0.5, 0.5]), "accuracy"), "50.00%");
  assert.equal(formatMeanSd(spreadOf([0.5]), "accuracy"), "50.00% (1 seed)");
  assert.equal(formatPlusMinus(0.01234, 0.00056, "loss"), "0.0123 ± 0.0006");
  assert.equal(formatPlusMinus(0.0174, 0.0031, "points"), "1.74 ± 0.31 pp");
});
