import assert from "node:assert/strict";
import { readRangeTest } from "./range_test.ts";
import { fakeUpdateLosses } from "./_testing.ts";

/** The book's sweep: from 1e-3, ten times larger every 50 updates, 200 updates. */
const rates = Array.from({ length: 200 }, (_, u) => 1e-3 * 10 ** (u / 50));

Deno.test("readRangeTest: the made-up valley's bottom is found, and its rate rounded", () => {
  const r = readRangeTest(rates, fakeUpdateLosses(rates, 1));
  // The made-up loss is lowest where the rate passes 0.3 (fakeUpdateLosses); the median over
  // ±10 updates (a fifth of a decade either way) finds it within that window: catches a minimum
  // taken at the wrong end or of the flat start.
  assert.ok(r.lowest.rate > 0.3 / 10 ** 0.2 && r.lowest.rate < 0.3 * 10 ** 0.2, `${r.lowest.rate}`);
  assert.equal(r.peak, Number(r.lowest.rate.toPrecision(2))); // two significant digits
  assert.equal(r.smoothed.length, 200);
  // The steepest fall comes before the bottom, where the loss drops fastest per decade.
  assert.ok(r.steepest !== null && r.steepest.update < r.lowest.update);
  assert.ok(r.steepest!.slope < 0);
});

Deno.test("readRangeTest: a diverged run's shorter list is read as far as it goes", () => {
  const losses = fakeUpdateLosses(rates, 0, 0.1); // stops before the first rate above 0.1
  const r = readRangeTest(rates, losses);
  assert.equal(r.rates.length, losses.length); // catches rates read past the last loss
  assert.ok(r.lowest.rate <= 0.1);
});

Deno.test("readRangeTest: the median ignores a spike the mean would follow", () => {
  const losses = fakeUpdateLosses(rates, 0);
  losses[40] = 1e6; // one minibatch blows up early on
  const r = readRangeTest(rates, losses);
  assert.ok(Math.max(...r.smoothed) <= 2.4, "no smoothed value near the spike");
});

Deno.test("readRangeTest: a curve that never falls has no steepest point", () => {
  const r = readRangeTest([0.1, 0.2, 0.4, 0.8], [1, 1.5, 2, 2.5], { window: 0, span: 1 });
  assert.equal(r.lowest.update, 0);
  assert.equal(r.steepest, null);
  // One update only: its rate is the peak.
  assert.equal(readRangeTest([0.123456], [2.3]).peak, 0.12);
});

Deno.test("readRangeTest names the bad argument and quotes its value", () => {
  assert.throws(() => readRangeTest([0.1], []), /losses \(\[\]\) must hold at least one loss/);
  assert.throws(
    () => readRangeTest([0.1], [1, 2]),
    /losses \(2 of them\) must be no more than rates \(1\)/,
  );
  assert.throws(
    () => readRangeTest([0.1, 0.2], [1, NaN]),
    /losses\[1\] \(NaN\) must be a finite number/,
  );
  assert.throws(
    () => readRangeTest([0, 0.2], [1, 1]),
    /rates\[0\] \(0\) must be a finite number > 0/,
  );
  assert.throws(
    () => readRangeTest([0.1], [1], { window: -1 }),
    /window \(-1\) must be an integer >= 0/,
  );
  assert.throws(
    () => readRangeTest([0.1], [1], { span: 0.5 }),
    /span \(0\.5\) must be an integer >= 1/,
  );
});
