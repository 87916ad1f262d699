import assert from "node:assert/strict";
import { fakeGroup } from "./_testing.ts";
import {
  BEST_TEST_ACC,
  changeSentence,
  compareGroups,
  comparisonSentence,
  decidePaired,
  decideWelch,
  FINAL_GAP,
  FINAL_TRAIN_ACC,
  meanTestAcc,
  signedPlusMinus,
  VERDICT_RULE,
  verdictWords,
  WOBBLE,
} from "./verdict.ts";
import type { SeedRuns } from "./types.ts";

/** A group whose seed `i` ends at `finals[i]` (two epochs: 0.5, then the final). */
const group = (label: string, finals: number[], seeds?: number[]) =>
  fakeGroup(label, finals.map((f) => [0.5, f]), seeds);

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

const baseline = group("constant", [0.86, 0.87, 0.865, 0.862, 0.868]);

Deno.test("higher: the paired differences' mean beyond twice its standard error", () => {
  const a = group("cosine", [0.88, 0.885, 0.884, 0.879, 0.887]);
  const c = compareGroups(a, baseline);
  assert.equal(c.paired, true);
  // Differences 2.0, 1.5, 1.9, 1.7, 1.9 pp: mean 1.8 pp, s_d 0.2 pp, SE 0.2/√5 pp.
  close(c.difference, 0.018, "d̄");
  close(c.se!, 0.002 / Math.sqrt(5), "SE");
  assert.equal(c.verdict, "higher");
  assert.equal(c.undecided, null);
  assert.equal(
    comparisonSentence(c),
    "Over five seeds, **cosine** was 1.80 ± 0.09 pp above **constant** in final test accuracy " +
      "(mean paired difference ± its standard error; means 88.30% and 86.50%): higher, beyond " +
      "twice the standard error.",
  );
  assert.equal(verdictWords(c), "higher");
});

Deno.test("lower: the same, the other way", () => {
  // Differences −1.0, −1.8, −1.4, −1.7, −1.5 pp: mean −1.48 pp, s_d 0.311 pp, SE 0.139 pp.
  const a = group("too high", [0.85, 0.852, 0.851, 0.845, 0.853]);
  const c = compareGroups(a, baseline);
  assert.equal(c.verdict, "lower");
  const sentence = comparisonSentence(c, { a: "the high rate", b: "the constant rate" });
  assert.equal(
    sentence,
    "Over five seeds, the high rate was 1.48 ± 0.14 pp below the constant rate in final test " +
      "accuracy (mean paired difference ± its standard error; means 85.02% and 86.50%): lower, " +
      "beyond twice the standard error.",
  );
});

Deno.test("no measurable difference: a mean difference within twice its standard error", () => {
  // Differences +1.0, −0.5, +0.8, −0.6, +0.4 pp: mean 0.22 pp, s_d 0.736 pp, SE 0.329 pp.
  const a = group("cosine", [0.87, 0.865, 0.873, 0.856, 0.872]);
  const c = compareGroups(a, baseline);
  assert.equal(c.verdict, "no measurable difference");
  assert.ok(c.difference > 0 && c.difference < 2 * c.se!);
  assert.equal(
    comparisonSentence(c),
    "Over five seeds, **cosine** was 0.22 ± 0.33 pp above **constant** in final test accuracy " +
      "(mean paired difference ± its standard error; means 86.72% and 86.50%): within twice " +
      "the standard error, so no measurable difference.",
  );
  assert.equal(verdictWords(c), "no measurable difference");
});

Deno.test("no measurable difference with a mean that rounds to zero reads 'level with'", () => {
  // +1, −1, 0, 0, 0 pp: mean 0, s_d √(2/4) = 0.707 pp, SE 0.316 pp.
  const a = group("same", [0.87, 0.86, 0.865, 0.862, 0.868]);
  const c = compareGroups(a, baseline);
  assert.equal(c.difference, 0);
  assert.equal(c.verdict, "no measurable difference");
  assert.match(
    comparisonSentence(c),
    /^Over five seeds, \*\*same\*\* was level with \*\*constant\*\* in final test accuracy \(mean paired difference ± its standard error: 0\.00 ± 0\.32 pp; means 86\.50% and 86\.50%\): within twice the standard error, so no measurable difference\.$/,
  );
});

Deno.test("the threshold is strict: a mean of exactly twice the standard error decides nothing", () => {
  // n = 2: d̄ = (x + y)/2, s_d = |x − y|/√2, SE = |x − y|/2; for 3 and 1, d̄ = 2 = 2·SE.
  assert.deepEqual(decidePaired([3, 1]), {
    verdict: "no measurable difference",
    difference: 2,
    se: 1,
  });
  assert.equal(decidePaired([3, 1.1]).verdict, "higher"); // d̄ 2.05 > 2·SE 1.9
  assert.equal(decidePaired([-3, -1]).verdict, "no measurable difference");
  assert.equal(decidePaired([-3, -1.1]).verdict, "lower");
});

Deno.test("a single seed cannot decide", () => {
  const c = compareGroups(group("cosine", [0.88]), group("constant", [0.86]));
  assert.equal(c.paired, true);
  assert.equal(c.verdict, "undecided");
  assert.equal(c.se, null);
  assert.equal(c.undecided, "one seed");
  close(c.difference, 0.02, "d");
  assert.equal(
    comparisonSentence(c),
    "With one seed (seed 0), **cosine** was 2.00 pp above **constant** in final test accuracy " +
      "(88.00% against 86.00%); one seed gives no standard error, so this cannot tell a " +
      "difference from luck: no verdict.",
  );
  assert.equal(verdictWords(c), "no verdict (one seed)");
  assert.equal(decidePaired([0.5]).verdict, "undecided");
});

Deno.test("unpaired groups (other seeds) fall back to Welch's standard error", () => {
  const a = group("cosine", [0.88, 0.885, 0.884], [5, 6, 7]);
  const b = group("constant", [0.86, 0.87, 0.865, 0.862, 0.868]);
  const c = compareGroups(a, b);
  assert.equal(c.paired, false);
  const va = [0.88, 0.885, 0.884], vb = [0.86, 0.87, 0.865, 0.862, 0.868];
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  const variance = (v: number[]) => v.reduce((x, y) => x + (y - mean(v)) ** 2, 0) / (v.length - 1);
  close(c.difference, mean(va) - mean(vb), "difference of the means");
  close(c.se!, Math.sqrt(variance(va) / 3 + variance(vb) / 5), "Welch's SE");
  assert.equal(c.verdict, "higher");
  const sentence = comparisonSentence(c);
  assert.match(
    sentence,
    /^Over three seeds of \*\*cosine\*\* and five of \*\*constant\*\* \(not the same seeds, so unpaired\), \*\*cosine\*\* was 1\.80 ± 0\.\d\d pp above \*\*constant\*\* in final test accuracy \(difference of the means ± Welch's standard error; means 88\.30% and 86\.50%\): higher, beyond twice the standard error\.$/,
  );
  // The same seeds in another order are paired: runs are matched by seed, not by position.
  const reversed: SeedRuns = { label: "constant", runs: [...b.runs].reverse() };
  const a5 = group("cosine", [0.88, 0.885, 0.884, 0.879, 0.887]);
  assert.deepEqual(compareGroups(a5, reversed).difference, compareGroups(a5, b).difference);
  assert.equal(compareGroups(a5, reversed).paired, true);
});

Deno.test("unpaired with one seed on a side cannot decide", () => {
  const c = compareGroups(group("cosine", [0.88, 0.89], [3, 4]), group("constant", [0.86]));
  assert.equal(c.paired, false);
  assert.equal(c.verdict, "undecided");
  assert.equal(
    comparisonSentence(c),
    "Over two seeds of **cosine** and one of **constant** (not the same seeds, so unpaired), " +
      "**cosine** was 2.50 pp above **constant** in final test accuracy (means 88.50% against " +
      "86.00%); a standard error of unpaired groups needs at least two seeds on each side, so " +
      "this cannot tell a difference from luck: no verdict.",
  );
  assert.equal(verdictWords(c), "no verdict (one seed)");
  assert.equal(decideWelch([1, 2], [3]).verdict, "undecided");
});

Deno.test("zero variance: the same difference for every seed is beyond any multiple of 0", () => {
  const b = group("constant", [0.86, 0.87, 0.865]);
  const a = group("shifted", [0.87, 0.88, 0.875]); // +1 pp for every seed
  const c = compareGroups(a, b);
  assert.equal(c.se, 0);
  assert.equal(c.verdict, "higher");
  assert.match(
    comparisonSentence(c),
    /was 1\.00 ± 0\.00 pp above .*; every seed differed by exactly the same amount\): higher, beyond twice the standard error\.$/,
  );
  // Identical groups: no difference at all, and no spread to weigh it against.
  const same = compareGroups(b, b);
  assert.deepEqual([same.difference, same.se, same.verdict], [0, 0, "no measurable difference"]);
  assert.match(comparisonSentence(same), /was level with .*: within twice the standard error/);
  // A difference too small for two decimals, yet beyond 2·SE = 0: "less than", not "level".
  const tiny = group("tiny", [0.86001, 0.87001, 0.86501]);
  const t = compareGroups(tiny, b);
  assert.equal(t.verdict, "higher");
  assert.match(comparisonSentence(t), /was less than 0\.01 pp above \*\*constant\*\*/);
  // Unpaired groups without spread.
  const u = compareGroups(group("u", [0.9, 0.9], [5, 6]), group("v", [0.8, 0.8]));
  assert.equal(u.verdict, "higher");
  assert.match(comparisonSentence(u), /; no spread on either side\): higher/);
});

Deno.test("a measure the runs cannot give decides nothing, and says why", () => {
  const c = compareGroups(group("a", [0.88, 0.89]), group("b", [0.86, 0.87]), WOBBLE);
  assert.equal(c.verdict, "undecided");
  assert.equal(c.undecided, "unmeasurable");
  assert.equal(
    comparisonSentence(c),
    "Over two seeds, the wobble of the test accuracy (its mean change from one epoch to the " +
      "next) cannot be measured on these runs (it needs at least 3 epochs): no verdict.",
  );
  assert.equal(verdictWords(c), "no verdict (not measurable)");
  const early = compareGroups(
    group("a", [0.88, 0.89]),
    group("b", [0.86, 0.87]),
    meanTestAcc(1, 5),
  );
  assert.match(comparisonSentence(early), /mean test accuracy over epochs 1–5 cannot be measured/);
});

Deno.test("other measures: best test accuracy, the train–test gap, early epochs, wobble", () => {
  const a = fakeGroup("a", [[0.6, 0.9, 0.8], [0.61, 0.91, 0.8]], undefined, 0.02);
  const b = fakeGroup("b", [[0.5, 0.7, 0.8], [0.5, 0.71, 0.8]], undefined, 0.05);
  assert.equal(compareGroups(a, b, BEST_TEST_ACC).verdict, "higher"); // 0.9 vs 0.8
  const gap = compareGroups(a, b, FINAL_GAP);
  assert.equal(gap.verdict, "lower"); // 2 pp against 5 pp, every seed
  assert.match(
    comparisonSentence(gap),
    /was 3\.00 ± 0\.00 pp below \*\*b\*\* in final train–test gap/,
  );
  assert.match(comparisonSentence(gap), /means \+2\.00 pp and \+5\.00 pp/);
  const early = compareGroups(a, b, meanTestAcc(1, 2));
  assert.equal(early.verdict, "higher");
  assert.match(comparisonSentence(early), /in mean test accuracy over epochs 1–2/);
  const wobble = compareGroups(a, b, WOBBLE);
  assert.notEqual(wobble.verdict, "undecided"); // three epochs: the wobble is measured
});

Deno.test("a group without runs, or one that repeats a seed, is an error", () => {
  assert.throws(() => compareGroups({ label: "e", runs: [] }, baseline), /has no runs/);
  const twice: SeedRuns = { label: "t", runs: [baseline.runs[0], baseline.runs[0]] };
  assert.throws(() => compareGroups(twice, baseline), /repeats a seed/);
});

Deno.test("the rule's text is the module documentation's, word for word", async () => {
  const source = await Deno.readTextFile(new URL("./verdict.ts", import.meta.url));
  const doc = source.slice(0, source.indexOf("*/")).replace(/^\s*\* ?/gm, "").replace(/\s+/g, " ");
  assert.ok(doc.includes(VERDICT_RULE), "the module doc states VERDICT_RULE");
});

Deno.test("changeSentence: a change per seed rose, fell, did not change measurably, or one seed", () => {
  const words = { what: "the training accuracy", when: "over epochs 21–30" };
  const rose = changeSentence([0.02, 0.03, 0.025], "points", words);
  assert.equal(rose.decision.verdict, "higher");
  assert.equal(
    rose.text,
    "the training accuracy rose over epochs 21–30, by +2.50 ± 0.29 pp (mean change over three " +
      "seeds ± its standard error), beyond twice the standard error",
  );
  const fell = changeSentence([-0.02, -0.03, -0.025], "points", words);
  assert.equal(fell.decision.verdict, "lower");
  assert.match(fell.text, /^the training accuracy fell over epochs 21–30, by −2\.50 ± 0\.29 pp /);
  const flat = changeSentence([0.02, -0.01, 0.005], "points", words);
  assert.equal(flat.decision.verdict, "no measurable difference");
  assert.equal(
    flat.text,
    "the training accuracy changed over epochs 21–30 by +0.50 ± 0.87 pp (mean change over three " +
      "seeds ± its standard error), within twice the standard error: no measurable change",
  );
  const one = changeSentence([0.02], "points", words);
  assert.equal(one.decision.verdict, "undecided");
  assert.equal(
    one.text,
    "the training accuracy changed over epochs 21–30 by +2.00 pp (one seed, so no standard " +
      "error and no verdict)",
  );
});

Deno.test("FINAL_TRAIN_ACC and signedPlusMinus", () => {
  const g = fakeGroup("a", [[0.5, 0.8]], [0], 0.05);
  close(FINAL_TRAIN_ACC.value(g.runs[0])!, 0.85, "final training accuracy");
  assert.equal(signedPlusMinus(0, 0.001, "accuracy"), "0.00 ± 0.10 pp");
  assert.equal(signedPlusMinus(0.5, null, "loss"), "+0.5000");
});
