import assert from "node:assert/strict";
import { fakeRun } from "./_testing.ts";
import {
  comparison,
  isQuick,
  laterWindow,
  meanOver,
  rateStretches,
  scope,
  summarize,
  versus,
  versusText,
} from "./measure.ts";

Deno.test("summarize copes with an empty history and a diverged run", () => {
  const empty = fakeRun("empty", [], []);
  const s = summarize(empty);
  assert.deepEqual([s.epochs, s.finalTestAcc, s.peakEpoch, s.gap, s.wobble], [0, 0, 0, 0, null]);
  const diverged = { ...fakeRun("d", [0.5, 0.1], [0.5, 0]), divergedAt: 2 };
  diverged.history[1].trainLoss = NaN;
  const d = summarize(diverged);
  assert.equal(d.diverged, true);
  assert.equal(d.peakEpoch, 1);
  assert.equal(comparison([diverged]).rows[0][1], "2 (diverged)");
});

Deno.test("the wobble is taken over the later two thirds of the run", () => {
  assert.deepEqual(laterWindow(30), [11, 30]);
  assert.deepEqual(laterWindow(3), [2, 3]);
  // Big early changes (epochs 1-3) do not count; from epoch 4 on the curve moves by 0.01.
  const test = [0.1, 0.5, 0.8, 0.81, 0.8, 0.81, 0.8, 0.81, 0.8];
  const s = summarize(fakeRun("a", test, test));
  assert.ok(Math.abs(s.wobble! - 0.01) < 1e-12, `${s.wobble}`);
  assert.equal(summarize(fakeRun("b", [0.1, 0.2], [0.1, 0.2])).wobble, null);
});

Deno.test("versus counts differences within the runs' wobble as no difference", () => {
  const noisy = fakeRun("noisy", [0.5, 0.6, 0.7, 0.8], [0.5, 0.6, 0.5, 0.6]); // wobble 0.1
  const close = fakeRun("close", [0.5, 0.6, 0.7, 0.8], [0.5, 0.6, 0.6, 0.65]);
  const v = versus(close, noisy);
  assert.equal(v.verdict, "same");
  assert.ok(Math.abs(v.noise - 0.1) < 1e-12);
  assert.match(versusText(v), /no different, within noise/);
  const far = fakeRun("far", [0.5, 0.6, 0.7, 0.8], [0.5, 0.6, 0.75, 0.8]);
  assert.equal(versus(far, noisy).verdict, "higher");
  assert.equal(versus(noisy, far).verdict, "lower");
});

Deno.test("meanOver and rateStretches read epochs 1-based and clip to the run", () => {
  const run = fakeRun("r", [0.1, 0.2, 0.3], [0.2, 0.4, 0.6], [0.5, 0.25, 0.25]);
  assert.ok(Math.abs(meanOver(run, "testAcc", 2, 9)! - 0.5) < 1e-12);
  assert.equal(meanOver(run, "testAcc", 4, 9), null);
  assert.deepEqual(rateStretches(run), [{ lr: 0.5, from: 1, to: 1 }, { lr: 0.25, from: 2, to: 3 }]);
});

Deno.test("scope tells a quick run from a full one", () => {
  const quick = fakeRun("q", [0.5], [0.5]);
  assert.equal(isQuick(quick), true);
  const full = fakeRun("f", Array(30).fill(0.9), Array(30).fill(0.9), undefined, {
    trainSize: 60_000,
  });
  assert.equal(isQuick(full), false);
  assert.match(scope(full), /^\*Measured on the full run: 30 epochs on all 60,000/);
  assert.match(scope(quick), /quick run \(1 epoch on 1,024 of the 60,000 training images/);
});
