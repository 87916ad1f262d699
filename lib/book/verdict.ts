/**
 * The book's one rule for saying that a schedule did better or worse than
 * another, over seeds, and the sentence that states each outcome.
 *
 * The rule (also {@linkcode VERDICT_RULE}, for prose that explains it):
 *
 * Schedule A is compared with baseline B on one measure (final test accuracy
 * unless said otherwise), each trained over several seeds. When both were
 * trained over the same seeds, the runs are paired by seed: d̄ is the mean of
 * the per-seed differences A − B and its standard error is SE = s_d / √n,
 * with s_d their sample standard deviation (n − 1) and n the number of seeds.
 * When the seeds differ, the groups are unpaired: d̄ is the difference of the
 * two means and SE is Welch's, √(s_A²/n_A + s_B²/n_B). A is higher if
 * d̄ > 2·SE, lower if d̄ < −2·SE, and otherwise there is no measurable
 * difference. With fewer than two seeds (paired), or fewer than two on either
 * side (unpaired), there is no standard error and no verdict: one seed cannot
 * tell a difference from luck.
 *
 * Twice the standard error is roughly a 95% band for d̄ when the seeds'
 * differences are near normal; with five seeds it is a screen, not a test of
 * significance, and the sentences say "measurable", not "significant".
 *
 * - {@linkcode decidePaired}, {@linkcode decideWelch}: the rule on numbers.
 * - {@linkcode compareGroups}: the rule on two {@linkcode SeedRuns} groups and
 *   a {@linkcode Metric} (final or best test accuracy, final training accuracy,
 *   train–test gap, wobble, mean test accuracy over some epochs).
 * - {@linkcode comparisonSentence}: the outcome in one sentence of Markdown,
 *   worded for its branch; every number in it formatted by `./spread.ts`.
 * - {@linkcode changeSentence}: the same rule on a change measured within each
 *   seed's run (a quantity later minus earlier), against no change.
 *
 * @module
 */

import type { RunResult } from "../train/types.ts";
import { meanOver, summarize } from "./measure.ts";
import { seedsOf, seedsText } from "./seeds.ts";
import { formatPlusMinus, formatSize, formatValue, type Scale, spreadOf } from "./spread.ts";
import type { SeedRuns } from "./types.ts";

/** The rule, in words: the module documentation's paragraph, for prose that explains it. */
export const VERDICT_RULE = "Schedule A is compared with baseline B on one measure (final test " +
  "accuracy unless said otherwise), each trained over several seeds. When both were trained " +
  "over the same seeds, the runs are paired by seed: d̄ is the mean of the per-seed differences " +
  "A − B and its standard error is SE = s_d / √n, with s_d their sample standard deviation " +
  "(n − 1) and n the number of seeds. When the seeds differ, the groups are unpaired: d̄ is the " +
  "difference of the two means and SE is Welch's, √(s_A²/n_A + s_B²/n_B). A is higher if " +
  "d̄ > 2·SE, lower if d̄ < −2·SE, and otherwise there is no measurable difference. With fewer " +
  "than two seeds (paired), or fewer than two on either side (unpaired), there is no standard " +
  "error and no verdict: one seed cannot tell a difference from luck.";

/** The outcome of the rule. `"undecided"`: too few seeds, or a measure the runs cannot give. */
export type SeedVerdict = "higher" | "lower" | "no measurable difference" | "undecided";

/** The rule applied to numbers. */
export interface Decision {
  /** The outcome. */
  verdict: SeedVerdict;
  /** d̄: the mean paired difference, or the difference of the means (unpaired). */
  difference: number;
  /** Its standard error; `null` when there are too few seeds for one. */
  se: number | null;
}

function decision(difference: number, se: number | null): Decision {
  const verdict: SeedVerdict = se === null
    ? "undecided"
    : difference > 2 * se
    ? "higher"
    : difference < -2 * se
    ? "lower"
    : "no measurable difference";
  return { verdict, difference, se };
}

/**
 * The rule on paired differences: d̄ against twice SE = s_d / √n.
 *
 * @param differences One difference A − B per seed (at least one).
 * @returns The verdict, d̄ and SE (`null`, and `"undecided"`, for one difference).
 * @throws {RangeError} for no differences or one that is not finite.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decidePaired } from "./verdict.ts";
 * assert.equal(decidePaired([0.02, 0.01, 0.015, 0.02, 0.012]).verdict, "higher");
 * assert.equal(decidePaired([0.02, -0.01, 0.005]).verdict, "no measurable difference");
 * assert.equal(decidePaired([0.02]).verdict, "undecided");
 * ```
 */
export function decidePaired(differences: readonly number[]): Decision {
  const s = spreadOf(differences);
  return decision(s.mean, s.sd === null ? null : s.sd / Math.sqrt(s.n));
}

/**
 * The rule on two unpaired samples: the difference of the means against twice
 * Welch's SE = √(s_A²/n_A + s_B²/n_B).
 *
 * @param a The values of A (one per seed).
 * @param b The values of B.
 * @returns The verdict, mean(A) − mean(B) and SE (`null`, and `"undecided"`,
 *   when either side has fewer than two values).
 * @throws {RangeError} for an empty side or a value that is not finite.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decideWelch } from "./verdict.ts";
 * const d = decideWelch([0.9, 0.91, 0.92], [0.88, 0.89]);
 * assert.ok(Math.abs(d.difference - 0.025) < 1e-12);
 * assert.ok(Math.abs(d.se! - Math.sqrt(0.0001 / 3 + 0.00005 / 2)) < 1e-12);
 * assert.equal(d.verdict, "higher");
 * assert.equal(decideWelch([0.9, 0.91], [0.88]).verdict, "undecided");
 * ```
 */
export function decideWelch(a: readonly number[], b: readonly number[]): Decision {
  const sa = spreadOf(a), sb = spreadOf(b);
  const se = sa.sd === null || sb.sd === null
    ? null
    : Math.sqrt(sa.sd ** 2 / sa.n + sb.sd ** 2 / sb.n);
  return decision(sa.mean - sb.mean, se);
}

/** A measure of a run that comparisons are made on. */
export interface Metric {
  /** What it is, as a noun phrase that follows "in": `"final test accuracy"`. */
  name: string;
  /** How its values are written. */
  scale: Scale;
  /** Its value for a run; `null` when the run cannot give it (too short, say). */
  value(run: RunResult): number | null;
  /** Why a run may not give it, for the sentence: `"it needs at least 3 epochs"`. */
  needs?: string;
}

/** Test accuracy after the last epoch: the measure of every comparison unless said otherwise. */
export const FINAL_TEST_ACC: Metric = {
  name: "final test accuracy",
  scale: "accuracy",
  value: (run) => (run.history.length ? summarize(run).finalTestAcc : null),
  needs: "it needs at least 1 epoch",
};

/** The best test accuracy after any epoch. */
export const BEST_TEST_ACC: Metric = {
  name: "best test accuracy",
  scale: "accuracy",
  value: (run) => (run.history.length ? summarize(run).peakTestAcc : null),
  needs: "it needs at least 1 epoch",
};

/** Training accuracy after the last epoch: how well the schedule fitted the training data. */
export const FINAL_TRAIN_ACC: Metric = {
  name: "final training accuracy",
  scale: "accuracy",
  value: (run) => (run.history.length ? summarize(run).finalTrainAcc : null),
  needs: "it needs at least 1 epoch",
};

/** Training accuracy minus test accuracy after the last epoch: overfitting. */
export const FINAL_GAP: Metric = {
  name: "final train–test gap",
  scale: "points",
  value: (run) => (run.history.length ? summarize(run).gap : null),
  needs: "it needs at least 1 epoch",
};

/** The mean epoch-to-epoch change of the test accuracy over the later two thirds (`./measure.ts`). */
export const WOBBLE: Metric = {
  name: "wobble of the test accuracy (its mean change from one epoch to the next)",
  scale: "points",
  value: (run) => summarize(run).wobble,
  needs: "it needs at least 3 epochs",
};

/**
 * The mean test accuracy over epochs `from..to` (1-based), e.g. the first five.
 *
 * @param from The first epoch.
 * @param to The last epoch (a run must have reached it).
 * @returns The metric.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanTestAcc } from "./verdict.ts";
 * import { fakeRun } from "./_testing.ts";
 * assert.equal(meanTestAcc(1, 2).value(fakeRun("a", [0.5, 0.7, 0.9], [0.4, 0.6, 0.8])), 0.5);
 * assert.equal(meanTestAcc(1, 5).value(fakeRun("a", [0.5], [0.4])), null);
 * ```
 */
export function meanTestAcc(from: number, to: number): Metric {
  const epochs = from === to ? `epoch ${from}` : `epochs ${from}–${to}`;
  return {
    name: `mean test accuracy over ${epochs}`,
    scale: "accuracy",
    value: (run) => (run.history.length >= to ? meanOver(run, "testAcc", from, to) : null),
    needs: `it needs ${epochs}`,
  };
}

/** One side of a {@linkcode GroupComparison}. */
export interface ComparedGroup {
  /** The group's label. */
  label: string;
  /** Its seeds, ascending. */
  seeds: number[];
  /** The metric's value for each seed (same order); `null` where the run cannot give it. */
  values: (number | null)[];
  /** The mean of the values, or `null` when one is missing. */
  mean: number | null;
}

/** The rule applied to two groups over seeds. */
export interface GroupComparison extends Decision {
  /** The measure compared. */
  metric: Metric;
  /** The schedule in question. */
  a: ComparedGroup;
  /** The baseline. */
  b: ComparedGroup;
  /** True when both have the same seeds and the runs were paired by seed. */
  paired: boolean;
  /**
   * Why there is no verdict, when there is none: too few seeds, or a run that
   * cannot give the measure. `null` otherwise.
   */
  undecided: "one seed" | "unmeasurable" | null;
}

function side(group: SeedRuns, metric: Metric): ComparedGroup {
  const runs = [...group.runs].sort((x, y) => x.config.seed - y.config.seed);
  const values = runs.map((r) => metric.value(r));
  const known = values.filter((v): v is number => v !== null);
  return {
    label: group.label,
    seeds: runs.map((r) => r.config.seed),
    values,
    mean: known.length === values.length ? spreadOf(known).mean : null,
  };
}

/**
 * Compare group `a` with baseline `b` on `metric` by the rule
 * ({@linkcode VERDICT_RULE}): paired by seed when both have the same seeds,
 * else unpaired (Welch).
 *
 * @param a The schedule in question, over seeds.
 * @param b The baseline, over seeds.
 * @param metric The measure (default {@linkcode FINAL_TEST_ACC}).
 * @returns The verdict, d̄, SE, and each side's values.
 * @throws {RangeError} when a group has no runs or repeats a seed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareGroups } from "./verdict.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const a = fakeGroup("a", [[0.90], [0.91], [0.89]]), b = fakeGroup("b", [[0.88], [0.885], [0.88]]);
 * const c = compareGroups(a, b);
 * assert.equal(c.paired, true);
 * assert.equal(c.verdict, "higher"); // differences 2, 2.5 and 1 pp: d̄ 1.83 pp, SE 0.44 pp
 * ```
 */
export function compareGroups(
  a: SeedRuns,
  b: SeedRuns,
  metric: Metric = FINAL_TEST_ACC,
): GroupComparison {
  for (const g of [a, b]) {
    if (g.runs.length === 0) throw new RangeError(`compareGroups: group "${g.label}" has no runs`);
    const seeds = seedsOf(g);
    if (new Set(seeds).size !== seeds.length) {
      throw new RangeError(
        `compareGroups: group "${g.label}" repeats a seed (${seeds.join(", ")})`,
      );
    }
  }
  const sa = side(a, metric), sb = side(b, metric);
  const paired = sa.seeds.length === sb.seeds.length && sa.seeds.every((s, i) => s === sb.seeds[i]);
  const base = { metric, a: sa, b: sb, paired };
  if (sa.mean === null || sb.mean === null) {
    return {
      ...base,
      verdict: "undecided",
      difference: NaN,
      se: null,
      undecided: "unmeasurable",
    };
  }
  const va = sa.values as number[], vb = sb.values as number[];
  const d = paired ? decidePaired(va.map((v, i) => v - vb[i])) : decideWelch(va, vb);
  return { ...base, ...d, undecided: d.se === null ? "one seed" : null };
}

/** How {@linkcode comparisonSentence} names the two sides, if not by their labels. */
export interface SentenceNames {
  /** The schedule in question, e.g. `"the cosine schedule"` (default: its label, in bold). */
  a?: string;
  /** The baseline, e.g. `"the constant rate"` (default: its label, in bold). */
  b?: string;
}

/**
 * The verdict of a comparison in a few words, for a table cell: `"higher"`,
 * `"lower"`, `"no measurable difference"`, `"no verdict (one seed)"` or
 * `"no verdict (not measurable)"`.
 *
 * @param c The comparison.
 * @returns The words.
 */
export function verdictWords(c: GroupComparison): string {
  if (c.undecided === "one seed") {
    return c.paired || Math.min(c.a.seeds.length, c.b.seeds.length) < 2
      ? "no verdict (one seed)"
      : "no verdict";
  }
  if (c.undecided === "unmeasurable") return "no verdict (not measurable)";
  return c.verdict;
}

/** The smallest size each scale writes as non-zero (its last decimal). */
const SMALLEST: Record<Scale, string> = {
  accuracy: "0.01 pp",
  points: "0.01 pp",
  loss: "0.0001",
  epoch: "0.1",
};

/**
 * A count in words: "no", "one" up to "ten", then digits (seed counts in prose).
 *
 * @param n A whole number.
 * @returns The word.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { countWord } from "./verdict.ts";
 * assert.deepEqual([countWord(0), countWord(5), countWord(12)], ["no", "five", "12"]);
 * ```
 */
export function countWord(n: number): string {
  return count(n);
}

function count(n: number): string {
  return ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"][n] ??
    String(n);
}

/**
 * One sentence of Markdown stating a comparison, worded so that it reads
 * correctly in every branch, its numbers written one way (`./spread.ts`):
 *
 * - paired: "Over 5 seeds, **A** was 1.74 ± 0.31 pp above **B** in final test
 *   accuracy (mean paired difference ± its standard error; means 88.12% and
 *   86.38%): higher, beyond twice the standard error." / "... below ...:
 *   lower, beyond twice the standard error." / "...: within twice the
 *   standard error, so no measurable difference."
 * - unpaired: "Over 5 seeds of **A** and 3 of **B** (not the same seeds, so
 *   unpaired), **A** was ... (difference of the means ± Welch's standard
 *   error; ...): ..."
 * - one seed: "With one seed (seed 0), **A** was 0.50 pp above **B** in final
 *   test accuracy (88.12% against 87.62%); one seed gives no standard error, so
 *   this cannot tell a difference from luck: no verdict."
 * - a measure the runs cannot give: "..., the wobble ... cannot be measured on
 *   these runs (it needs at least 3 epochs): no verdict."
 *
 * A difference that rounds to 0.00 reads "level with"; a standard error of
 * exactly 0 (every seed differed by the same amount) is said.
 *
 * @param c The comparison.
 * @param names How to name the two sides (default: their labels, in bold).
 * @returns The sentence.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareGroups, comparisonSentence } from "./verdict.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const a = fakeGroup("cosine", [[0.90], [0.91], [0.89]]), b = fakeGroup("constant", [[0.88], [0.885], [0.88]]);
 * assert.equal(
 *   comparisonSentence(compareGroups(a, b)),
 *   "Over three seeds, **cosine** was 1.83 ± 0.44 pp above **constant** in final test accuracy " +
 *     "(mean paired difference ± its standard error; means 90.00% and 88.17%): higher, beyond " +
 *     "twice the standard error.",
 * );
 * ```
 */
export function comparisonSentence(c: GroupComparison, names: SentenceNames = {}): string {
  const A = names.a ?? `**${c.a.label}**`, B = names.b ?? `**${c.b.label}**`;
  const { scale, name } = c.metric;
  const na = c.a.seeds.length, nb = c.b.seeds.length;
  const over = c.paired
    ? `Over ${count(na)} seed${na === 1 ? "" : "s"}`
    : `Over ${count(na)} seed${na === 1 ? "" : "s"} of ${A} and ${count(nb)} of ${B} ` +
      `(not the same seeds, so unpaired)`;
  if (c.undecided === "unmeasurable") {
    return `${over}, the ${name} cannot be measured on these runs` +
      `${c.metric.needs ? ` (${c.metric.needs})` : ""}: no verdict.`;
  }
  const ma = c.a.mean!, mb = c.b.mean!;
  const level = formatSize(c.difference, scale) === formatSize(0, scale);
  const direction = c.difference > 0 ? "above" : "below";
  if (c.se === null) {
    const was = level
      ? `was level with ${B}`
      : `was ${formatSize(c.difference, scale)} ${direction} ${B}`;
    const values = `${formatValue(ma, scale)} against ${formatValue(mb, scale)}`;
    if (c.paired) {
      return `With one seed (${seedsText(c.a.seeds)}), ${A} ${was} in ${name} (${values}); ` +
        `one seed gives no standard error, so this cannot tell a difference from luck: no verdict.`;
    }
    return `${over}, ${A} ${was} in ${name} (means ${values}); a standard error of ` +
      `unpaired groups needs at least two seeds on each side, so this cannot tell a difference ` +
      `from luck: no verdict.`;
  }
  const how = c.paired
    ? "mean paired difference ± its standard error"
    : "difference of the means ± Welch's standard error";
  const decided = c.verdict === "higher" || c.verdict === "lower";
  // A difference too small to show in two decimals: "level with" unless the rule still finds
  // it beyond twice the standard error (a standard error of 0), where it is "less than".
  const was = !level
    ? `was ${formatPlusMinus(c.difference, c.se, scale)} ${direction} ${B} in ${name} (${how}`
    : decided
    ? `was less than ${SMALLEST[scale]} ${direction} ${B} ` +
      `in ${name} (${how}: ${formatPlusMinus(c.difference, c.se, scale)}`
    : `was level with ${B} in ${name} (${how}: ${formatPlusMinus(c.difference, c.se, scale)}`;
  const same = c.se === 0
    ? c.paired ? "; every seed differed by exactly the same amount" : "; no spread on either side"
    : "";
  const means = `means ${formatValue(ma, scale)} and ${formatValue(mb, scale)}`;
  const outcome = c.verdict === "higher"
    ? "higher, beyond twice the standard error"
    : c.verdict === "lower"
    ? "lower, beyond twice the standard error"
    : "within twice the standard error, so no measurable difference";
  return `${over}, ${A} ${was}; ${means}${same}): ${outcome}.`;
}

/**
 * A difference and its standard error, signed: `"+1.83 ± 0.44 pp"`,
 * `"−0.0123 ± 0.0040"`; without a standard error (one seed), the difference
 * alone, `"+0.50 pp"`.
 *
 * @param difference The difference (its sign is shown; none for 0).
 * @param se Its standard error, or `null`.
 * @param scale How the quantity is written.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { signedPlusMinus } from "./verdict.ts";
 * assert.equal(signedPlusMinus(0.0183, 0.0044, "accuracy"), "+1.83 ± 0.44 pp");
 * assert.equal(signedPlusMinus(-0.005, null, "points"), "−0.50 pp");
 * assert.equal(signedPlusMinus(-0.0123, 0.004, "loss"), "−0.0123 ± 0.0040");
 * ```
 */
export function signedPlusMinus(difference: number, se: number | null, scale: Scale): string {
  const sign = difference > 0 ? "+" : difference < 0 ? "−" : "";
  const pp = scale === "accuracy" || scale === "points";
  if (se === null) {
    return `${sign}${formatPlusMinus(difference, 0, scale).replace(/ ± .*$/, "")}${
      pp ? " pp" : ""
    }`;
  }
  return `${sign}${formatPlusMinus(difference, se, scale)}`;
}

/** How {@linkcode changeSentence} words a change that went up and one that went down. */
export interface ChangeWords {
  /** The quantity, as the sentence's subject: `"the training accuracy"`. */
  what: string;
  /** The epochs or the moment, after the verb: `"over epochs 21–30"`. */
  when: string;
}

/**
 * A change measured once per seed (a quantity after minus before, say), by
 * the rule of {@linkcode VERDICT_RULE} applied to the changes themselves: it
 * rose if their mean is above twice its standard error, fell if below minus
 * that, and otherwise did not change measurably; one seed gives no verdict.
 * The sentence says which, with the mean change ± its standard error.
 *
 * @param changes One change per seed (at least one).
 * @param scale How the quantity is written.
 * @param words The quantity and when.
 * @returns The decision and its sentence (no trailing period).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { changeSentence } from "./verdict.ts";
 * const { decision, text } = changeSentence([0.02, 0.03, 0.025], "points", {
 *   what: "the gap",
 *   when: "over the last third",
 * });
 * assert.equal(decision.verdict, "higher");
 * assert.equal(
 *   text,
 *   "the gap rose over the last third, by +2.50 ± 0.29 pp (mean change over three seeds ± its " +
 *     "standard error), beyond twice the standard error",
 * );
 * ```
 */
export function changeSentence(
  changes: readonly number[],
  scale: Scale,
  words: ChangeWords,
): { decision: Decision; text: string } {
  const d = decidePaired(changes);
  const n = changes.length;
  const by = signedPlusMinus(d.difference, d.se, scale);
  const { what, when } = words;
  const text = d.se === null
    ? `${what} changed ${when} by ${by} (one seed, so no standard error and no verdict)`
    : d.verdict === "higher"
    ? `${what} rose ${when}, by ${by} (mean change over ${count(n)} seeds ± its standard ` +
      `error), beyond twice the standard error`
    : d.verdict === "lower"
    ? `${what} fell ${when}, by ${by} (mean change over ${count(n)} seeds ± its standard ` +
      `error), beyond twice the standard error`
    : `${what} changed ${when} by ${by} (mean change over ${count(n)} seeds ± its standard ` +
      `error), within twice the standard error: no measurable change`;
  return { decision: d, text };
}
