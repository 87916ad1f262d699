/**
 * The measured sentences of the chapters "sgdr" and "onecycle", branch by branch,
 * on made-up runs over seeds (as `claims_test.ts` does for the other chapters): each claim
 * function is given groups built so that the rule of `lib/book/verdict.ts` lands on each of its
 * outcomes, and the sentence must say that outcome, and nothing only another would justify.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fakeRun, fakeSeedRuns } from "../lib/book/_testing.ts";
import { type RangeTestReading, readRangeTest } from "../lib/book/range_test.ts";
import { seedGroup } from "../lib/book/seeds.ts";
import { sgdr } from "../lib/schedules/mod.ts";
import {
  restartEffect,
  restartEpochs,
  sgdrClaims,
  sgdrSchedule,
  stepsProse,
  testAccAfter,
} from "../chapters/sgdr.ts";
import {
  afterLowest,
  medianPeak,
  onecycleClaims,
  rangeClaims,
  rangeScope,
  smoothingFor,
  sweepSchedule,
  sweepUpdates,
} from "../chapters/onecycle.ts";
import { resolveConfig } from "../lib/train/train.ts";

/** Small, different per seed: what makes the spread (and the standard error) non-zero. */
const JITTER = [0, 0.0012, -0.0009, 0.0006, -0.0004];

/** A made-up experiment over three seeds, as the new chapters train them. */
const group = fakeSeedRuns;

/** Test accuracy `at10` up to epoch 10, `at11` in epoch 11, `end` from epoch 12 on (plus jitter). */
function shaped(
  label: string,
  at10: number,
  at11: number,
  end: number,
  options: Parameters<typeof group>[2] & { jitter?: number } = {},
) {
  const j = options.jitter ?? 1;
  return group(label, (s, e) => {
    const test = (e <= 10 ? at10 : e === 11 ? at11 : end) + j * JITTER[s % 5] * (e % 3 + 1);
    return { train: test + 0.04, test };
  }, options);
}

/** The text with every run of white space one space: Markdown's line breaks do not count. */
const words = (text: string) => text.replace(/\s+/g, " ");
const has = (text: string, re: RegExp) => assert.match(words(text), re);
const hasNot = (text: string, re: RegExp) => assert.doesNotMatch(words(text), re);

// ----------------------------------------------------------------------------------------------
// SGDR: a usable network by the end of the first cycle, the restart's cost, the end of the run.

Deno.test("sgdr: ahead after the first cycle, the restart costs accuracy, ahead at the end", () => {
  const text = sgdrClaims(
    shaped("SGDR", 0.88, 0.85, 0.9),
    shaped("cosine", 0.84, 0.85, 0.88),
    shaped("constant", 0.86, 0.86, 0.89),
  );
  has(text, /^\*Measured over 3 seeds \(seeds 0–2\) of the full run/);
  has(
    text,
    /\*\*A usable network by the end of the first cycle: confirmed\.\*\* Over three seeds, SGDR was 4\.\d\d ± 0\.\d\d pp above the single cosine in test accuracy after epoch 10 .*higher, beyond twice/,
  );
  // The rates at epoch 10, from the schedules themselves.
  has(text, /SGDR's rate has come down to 0\.0171 while the single cosine's is still 0\.178/);
  has(text, /Against the constant rate at the same epoch: over three seeds, SGDR was 2\.\d\d/);
  has(
    text,
    /\*\*The restart costs accuracy at first: confirmed\.\*\* The test accuracy fell from epoch 10, the end of the first cycle, to epoch 11, the first at the restored peak, by −2\.99 ± 0\.\d\d pp/,
  );
  has(
    text,
    /\*\*At the end, SGDR is ahead of the single cosine\.\*\* Over three seeds, SGDR was 2\.\d\d/,
  );
  has(text, /Against the constant rate: over three seeds, SGDR was 1\.\d\d ± 0\.\d\d pp above/);
  hasNot(text, /not confirmed|no verdict|Diverged/);
});

Deno.test("sgdr: behind after the first cycle, a restart that helps, behind at the end", () => {
  const text = sgdrClaims(
    shaped("SGDR", 0.84, 0.87, 0.87),
    shaped("cosine", 0.88, 0.88, 0.9),
    shaped("constant", 0.86, 0.86, 0.89),
  );
  has(
    text,
    /\*\*A usable network by the end of the first cycle: not confirmed\.\*\* .*below the single cosine .*lower, beyond/,
  );
  hasNot(text, /has come down to/); // the reading of a gain there was none of
  has(
    text,
    /\*\*The restart costs accuracy at first: not confirmed\.\*\* The test accuracy rose .* raising the rate again did not undo the first cycle's gains\./,
  );
  has(text, /\*\*At the end, SGDR is behind the single cosine\.\*\* .*below the single cosine/);
});

Deno.test("sgdr: no measurable difference after the first cycle, at the restart, at the end", () => {
  // Differences of the jitter's size, in both directions: within twice the standard error.
  const noisy = (label: string, sign: number) =>
    group(label, (s, e) => {
      const test = 0.88 + sign * 4 * JITTER[s] * (e === 11 ? -1 : 1);
      return { train: test + 0.04, test };
    });
  const text = sgdrClaims(noisy("SGDR", 1), noisy("cosine", -1), noisy("constant", -1));
  has(
    text,
    /\*\*A usable network by the end of the first cycle: not confirmed\.\*\* .*no measurable difference/,
  );
  has(text, /\*\*The restart costs accuracy at first: not confirmed\.\*\* .*no measurable change/);
  has(text, /\*\*At the end, no measurable difference from the single cosine\.\*\*/);
  hasNot(text, /did not undo/);
});

Deno.test("sgdr: one seed gives no verdict anywhere; short runs cannot show the restart", () => {
  const one = (label: string, a: number) => shaped(label, a, a - 0.02, a + 0.01, { seeds: 1 });
  const text = sgdrClaims(one("SGDR", 0.88), one("cosine", 0.86), one("constant", 0.87));
  has(text, /\*\*A usable network by the end of the first cycle: no verdict\.\*\* With one seed/);
  has(
    text,
    /\*\*The restart's cost: no verdict\.\*\* The test accuracy changed .*one seed, so no standard error/,
  );
  has(text, /\*\*At the end: no verdict\.\*\* With one seed/);
  has(text, /One seed gives no spread/);
  hasNot(text, /\bconfirmed\b/);
  const q = (label: string) => shaped(label, 0.5, 0.5, 0.5, { epochs: 2, quick: true });
  const short = sgdrClaims(q("SGDR"), q("cosine"), q("constant"));
  has(short, /quick runs over 3 seeds/);
  has(
    short,
    /test accuracy after epoch 10 cannot be measured on these runs \(it needs 10 epochs\): no verdict/,
  );
  has(
    short,
    /\*\*The restart's cost: no verdict\.\*\* The runs are too short to see the restart \(it needs 11 epochs\)/,
  );
});

Deno.test("sgdr: a seed that diverged before the restart is said, and named", () => {
  const sgdrRuns = shaped("SGDR", 0.88, 0.85, 0.9, { diverge: new Map([[1, 7]]) });
  const text = sgdrClaims(
    sgdrRuns,
    shaped("cosine", 0.84, 0.85, 0.88),
    shaped("constant", 0.86, 0.86, 0.89),
  );
  has(
    text,
    /\*\*The restart's cost: no verdict\.\*\* One of the seeds diverged before the restart could be seen/,
  );
  has(text, /Diverged: SGDR \(seed 1\)\./);
  assert.equal(restartEffect(sgdrRuns), null); // a run short of epoch 11: no change to measure
});

Deno.test("sgdr: the restart epochs, the metric, and the per-update table's prose", () => {
  assert.deepEqual(restartEpochs(sgdrSchedule(), 30), [11]); // 10 + 20 epochs
  assert.deepEqual(restartEpochs(sgdr({ baseLr: 0.3, finalLr: 0.01, t0: 2, tMult: 2 }), 30), [
    3,
    7,
    15,
  ]);
  const run = fakeRun("a", Array(12).fill(0.9), Array.from({ length: 12 }, (_, i) => i / 100));
  assert.equal(testAccAfter(10).value(run), 0.09); // epoch 10 is history[9]
  assert.equal(testAccAfter(13).value(run), null);
  const text = stepsProse([[10, 0.0171, 0.0171, 0.0100001], [11, 0.3, 0.3, 0.2982]]);
  has(text, /epoch 10, the last of the first cycle, trains at 0\.0171 throughout/);
  has(text, /restart puts epoch 11 back at 0\.3000/);
  has(text, /starts at 0\.0171 and ends at 0\.0100/);
});

// ----------------------------------------------------------------------------------------------
// One-cycle: the range test's reading, and one-cycle at its peak against two constant rates.

/** The book's sweep over 200 updates, and the rates it reads. */
const N = 200;
const RATES = Array.from({ length: N }, (_, u) => sweepSchedule(N)(u));

/**
 * Made-up losses of a range test: flat at 2.3 up to update `a`, a straight fall to `low` at
 * `b`, a straight climb to `end` at `c`, then flat; `stop` cuts the list (a diverged run).
 */
function valley(a: number, b: number, c: number, { low = 1, end = 2.303, stop = N } = {}) {
  return Array.from(
    { length: stop },
    (_, u) =>
      u < a
        ? 2.3
        : u < b
        ? 2.3 - (2.3 - low) * (u - a) / (b - a)
        : u < c
        ? low + (end - low) * (u - b) / (c - b)
        : end,
  );
}

/** The range test over seeds: made-up one-epoch runs, and each seed's reading of `losses[i]`. */
function rangeTest(losses: number[][], { quick = false, diverged = false } = {}) {
  const runs = losses.map((_, seed) => {
    const run = fakeRun(`range test, seed ${seed}`, [0.1], [0.1], [RATES[0]], {
      seed,
      epochs: 1,
      stepsPer: "update",
      trainSize: quick ? 1024 : 60_000,
    });
    if (diverged) run.divergedAt = 1;
    return run;
  });
  const readings = losses.map((l) => readRangeTest(RATES, l, smoothingFor(N)));
  return { group: seedGroup("range test", runs), readings };
}

Deno.test("range test: each seed's peak, their median, the spread, and the steepest descent", () => {
  // Valleys whose bottoms are at updates 130, 140 and 150: rates near 0.4, 0.63 and 1 (the
  // median reads each a little lower).
  const { group: g, readings } = rangeTest([
    valley(70, 130, 160),
    valley(80, 140, 170),
    valley(90, 150, 180),
  ]);
  const peaks = readings.map((r) => r.peak);
  assert.ok(peaks[0] < peaks[1] && peaks[1] < peaks[2], `${peaks}`);
  assert.equal(medianPeak(readings), peaks[1]); // the middle one of three
  const text = rangeClaims(g, readings, N);
  has(
    text,
    /^\*Measured over 3 seeds \(seeds 0–2\) of the range test: 1 epoch on all 60,000 training images, the rate set per update, the first 200 updates swept\.\*/,
  );
  has(
    text,
    new RegExp(
      `the median of these, \\*\\*${
        peaks[1]
      }\\*\\*, is the peak we train one-cycle at, above \\[the toy problem\\]\\(toy-problem\\.html\\)'s constant rate of 0\\.3`,
    ),
  );
  has(text, /The largest suggestion is 2\.\d+ times the smallest/);
  // A long straight fall: its steepest point is near the fall's start, far below the bottom.
  has(
    text,
    /Read at its steepest descent instead, .* times lower at the median: the rule decides as much/,
  );
  has(text, /Past its lowest point the smoothed loss of every seed climbed again/);
  has(
    text,
    /Each is about ln 10 = 2\.3, the loss of a network that gives all ten classes the same probability/,
  );
  hasNot(text, /quick|Diverged|still|roughly agree/);
});

Deno.test("range test: one seed, or seeds that agree; a sharp fall; a peak below 0.3", () => {
  // A fall over 6 updates right before the bottom at update 100 (rate 0.1): the steepest point
  // is within a factor of two of the lowest.
  const sharp = valley(94, 100, 130, { end: 1.8 });
  const same = rangeTest([sharp, sharp, sharp]);
  const text = rangeClaims(same.group, same.readings, N);
  has(text, /Every seed gave the same suggestion\./);
  has(
    text,
    /within a factor of two of the rule's at the median: here the two readings roughly agree\./,
  );
  has(text, /below \[the toy problem\]\(toy-problem\.html\)'s constant rate of 0\.3/);
  has(text, /climbed again, from 1\.24, 1\.24 and 1\.24 to 1\.8, 1\.8 and 1\.8/);
  hasNot(text, /ln 10/); // 1.8 is not the loss of a network that guesses
  const one = rangeTest([sharp]);
  const single = rangeClaims(one.group, one.readings, N);
  has(single, /With one seed there is no spread to see\./);
  has(single, /One seed gives no spread\.\*/);
});

Deno.test("range test: still falling at the end, a curve that never falls, a diverged run, a quick one", () => {
  const falling = Array.from({ length: N }, (_, u) => 2.3 - u / 100);
  const f = rangeTest([falling, falling]);
  has(
    afterLowest(f.group, f.readings, N),
    /^The smoothed loss of seeds 0 and 1 was lowest at the very end of the sweep, so the rule could only take the largest rate swept\.$/,
  );
  const rising = Array.from({ length: N }, (_, u) => 2.3 + u / 100);
  const r = rangeTest([rising]);
  has(rangeClaims(r.group, r.readings, N), /No seed's curve fell before its lowest point/);
  // Diverged at update 150 (rate 1): read as far as it goes, and said.
  const d = rangeTest([valley(60, 120, 150, { stop: 150 })], { diverged: true });
  has(
    afterLowest(d.group, d.readings, N),
    /Diverged, the loss no longer finite: seed 0 at rate 1\./,
  );
  hasNot(afterLowest(d.group, d.readings, N), /very end/); // diverging is not still falling
  // A quick test: fewer images, a shorter sweep.
  const q = rangeTest([valley(1, 2, 3, { stop: 4 })], { quick: true });
  has(
    rangeScope(q.group, 4),
    /^\*These numbers come from a quick range test over 1 seed \(seed 0\): 1 epoch on 1,024 of the 60,000 training images, the rate set per update, 4 updates swept instead of 200; the readings below are about the full test/,
  );
});

Deno.test("range test: the sweep's span in a quick run, and the smoothing that scales with it", () => {
  const full = resolveConfig({ name: "r", schedule: () => 0.1, stepsPer: "update", epochs: 1 });
  assert.equal(sweepUpdates(full), 200); // 200 of the epoch's 235
  const quick = resolveConfig({
    name: "r",
    schedule: () => 0.1,
    stepsPer: "update",
    epochs: 1,
    trainSize: 1024,
  });
  assert.equal(sweepUpdates(quick), 4);
  assert.deepEqual(smoothingFor(200), { window: 10, span: 5 }); // a fifth and a tenth of a decade
  assert.deepEqual(smoothingFor(4), { window: 0, span: 1 });
  // Tenfold every 50 updates, from 1e-3, up to 10 at update 200 and held.
  assert.ok(Math.abs(sweepSchedule(200)(50) / 1e-2 - 1) < 1e-12);
  assert.equal(sweepSchedule(200)(230), 10);
});

/** A group whose final test accuracy is `level` (plus jitter), over `seeds` seeds. */
const flat = (
  label: string,
  level: number,
  { seeds = 3, jitter = 1, diverge = new Map<number, number>() } = {},
) =>
  group(label, (s) => {
    const test = level + jitter * JITTER[s % 5];
    return { train: test + 0.04, test };
  }, { seeds, diverge });

Deno.test("one-cycle: better, worse, no measurable difference or no verdict against 0.3; the peak and the shape apart", () => {
  const base = flat("constant 0.3", 0.89);
  const better = onecycleClaims(flat("one-cycle", 0.905), base, flat("constant 0.2", 0.885), 0.2);
  has(better, /^\*Measured over 3 seeds \(seeds 0–2\) of the full run/);
  has(
    better,
    /\*\*The range test and one-cycle beat the constant rate\.\*\* Over three seeds, one-cycle was 1\.50 ± 0\.\d\d pp above the constant rate of 0\.3/,
  );
  has(
    better,
    /The shape alone, at the same peak: over three seeds, one-cycle was 2\.00 ± 0\.\d\d pp above the constant rate of 0\.2/,
  );
  has(
    better,
    /The peak alone: over three seeds, the constant rate of 0\.2 was 0\.50 ± 0\.\d\d pp below that of 0\.3/,
  );
  const worse = onecycleClaims(flat("one-cycle", 0.87), base, flat("constant 0.2", 0.885), 0.2);
  has(
    worse,
    /\*\*The range test and one-cycle did worse than the constant rate\.\*\* .*lower, beyond/,
  );
  const same = onecycleClaims(
    flat("one-cycle", 0.89, { jitter: -3 }),
    base,
    flat("constant 0.2", 0.885),
    0.2,
  );
  has(
    same,
    /\*\*The range test and one-cycle made no measurable difference\.\*\* .*no measurable difference/,
  );
  const one = onecycleClaims(
    flat("one-cycle", 0.9, { seeds: 1 }),
    flat("constant 0.3", 0.89, { seeds: 1 }),
    flat("constant 0.2", 0.885, { seeds: 1 }),
    0.2,
  );
  has(one, /\*\*One-cycle against the constant rate: no verdict\.\*\* With one seed/);
  hasNot(one, /beat|did worse|made no measurable/);
});

Deno.test("one-cycle: a peak of 0.3 is the baseline itself; diverged seeds are named", () => {
  const base = flat("constant 0.3", 0.89);
  const text = onecycleClaims(flat("one-cycle", 0.9), base, base, 0.3);
  has(
    text,
    /The range test's peak is \[the toy problem\]\(toy-problem\.html\)'s own rate, so the constant run at that peak is the baseline itself\./,
  );
  hasNot(text, /The peak alone/);
  const broke = flat("constant 0.5", 0.1, { diverge: new Map([[0, 2], [2, 5]]) });
  has(
    onecycleClaims(flat("one-cycle", 0.9), base, broke, 0.5),
    /Diverged: constant 0\.5 \(seeds 0 and 2\)\./,
  );
});

/** Every reading must be a reading: a guard against an empty list from a helper above. */
Deno.test("range test: rangeClaims refuses no readings", () => {
  const { group: g } = rangeTest([valley(60, 120, 150)]);
  assert.throws(() => rangeClaims(g, [] as RangeTestReading[], N), /no readings/);
});
