/**
 * The chapters' measured sentences, branch by branch, on made-up runs over
 * seeds: each claim function is given groups built so that the rule of
 * `lib/book/verdict.ts` lands on each of its outcomes ("higher", "lower", "no
 * measurable difference", "undecided"), and the sentence must say that
 * outcome, and nothing that only another outcome would justify.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type FakeEpoch,
  fakeRun,
  fakeSeedRuns,
  type FakeSeedRunsOptions,
} from "../lib/book/_testing.ts";
import { PEAKS } from "../lib/book/peaks.ts";
import type { RunsOutput } from "../lib/book/types.ts";
import type { RunResult } from "../lib/train/types.ts";
import { analyzeFixed } from "../lib/exercises/fixed.ts";
import { peakChoice, WARMUP_PEAK_LR } from "../lib/exercises/warmup.ts";
import { cosineClaims, cosinePeakClaims } from "../chapters/cosine.ts";
import { milestoneEffect, multifactorClaims, ratesUsed } from "../chapters/multifactor.ts";
import { sqrtClaims, sqrtPeakClaims } from "../chapters/schedulers.ts";
import { summaryPoints } from "../chapters/summary.ts";
import { baselineClaims, constantPeakClaims } from "../chapters/toy-problem.ts";
import { stepping, warmupClaims, warmupPeakClaims } from "../chapters/warmup.ts";

/** Small, different per seed: what makes the spread (and the standard error) non-zero. */
const JITTER = [0, 0.0012, -0.0009, 0.0006, -0.0004];

/** A made-up experiment over five seeds, as the book's chapters train them. */
const group = (
  label: string,
  f: (seed: number, epoch: number) => FakeEpoch,
  o: FakeSeedRunsOptions = {},
) => fakeSeedRuns(label, f, { seeds: 5, ...o });

/** A group whose test accuracy is `level + jitter` every epoch, training accuracy 5 points above. */
const flat = (label: string, level: number, opts: { seeds?: number; jitter?: number } = {}) =>
  group(label, (s) => {
    const test = level + (opts.jitter ?? 1) * JITTER[s % 5];
    return { train: test + 0.05, test };
  }, { seeds: opts.seeds ?? 5 });

/** The text with every run of white space one space: Markdown's line breaks do not count. */
const words = (text: string) => text.replace(/\s+/g, " ");
const has = (text: string, re: RegExp) => assert.match(words(text), re);
const hasNot = (text: string, re: RegExp) => assert.doesNotMatch(words(text), re);
/** The measured part of the toy problem's claims: after the original's own words. */
const verdicts = (text: string) => text.slice(text.indexOf("**", text.indexOf("overfitting.")));

// ----------------------------------------------------------------------------------------------
// The toy problem: training accuracy rises, test accuracy stalls, the gap widens.

/** Training and test accuracy rising linearly over the last third (from epoch 20) by `dTrain`, `dTest`. */
function toy(dTrain: number, dTest: number, options: Parameters<typeof group>[2] = {}) {
  return group("constant 0.3", (s, e) => {
    const t = Math.max(0, e - 20) / 10;
    const j = JITTER[s % 5];
    return { train: 0.9 + t * (dTrain + j), test: 0.88 + t * (dTest + j / 2) };
  }, options);
}

Deno.test("toy problem: training accuracy rises and the test accuracy stalls, the gap widening", () => {
  const text = baselineClaims(toy(0.05, 0.005));
  has(
    text,
    /\*\*Confirmed:\*\* The training accuracy rose over the last third of the run \(epochs 21–30\), by \+5\.\d\d ± 0\.\d\d pp/,
  );
  has(
    text,
    /less than half as much: its change minus half the training accuracy's was −2\.\d\d ± 0\.\d\d pp .*It \*\*stalls\*\*, as claimed/,
  );
  has(text, /a widening gap, the mark of \*\*overfitting\*\*, as claimed/);
  has(text, /^\*Measured over 5 seeds \(seeds 0–4\) of the full run/);
});

Deno.test("toy problem: a test accuracy that keeps pace, or is not measurably behind", () => {
  const pace = baselineClaims(toy(0.05, 0.045));
  has(pace, /more than half as much: .*It kept pace, so it \*\*did not stall\*\*/);
  hasNot(pace, /less than half/);
  // Half the training accuracy's rise, give or take: the rule cannot tell.
  const noisy = group("constant 0.3", (s, e) => {
    const t = Math.max(0, e - 20) / 10;
    return { train: 0.9 + 0.05 * t, test: 0.88 + t * (0.025 + 10 * JITTER[s]) };
  });
  const even = baselineClaims(noisy);
  has(
    even,
    /not measurably less than half as much: .*within twice the standard error\. So these runs \*\*do not show it stall\*\*/,
  );
});

Deno.test("toy problem: a training accuracy that did not rise says neither 'stalls' nor 'kept pace'", () => {
  for (
    const [dTrain, lead, why] of [
      [
        -0.03,
        /\*\*Not confirmed:\*\* The training accuracy fell/,
        /Since the training accuracy fell,/,
      ],
      [
        0,
        /\*\*Not confirmed:\*\* The training accuracy changed .* no measurable change/,
        /Since the training accuracy did not rise measurably,/,
      ],
    ] as const
  ) {
    const text = baselineClaims(toy(dTrain, 0.01));
    has(text, lead);
    has(text, why);
    has(
      text,
      /there is no rise for the test accuracy to fall behind: the test accuracy rose over the same epochs/,
    );
    hasNot(verdicts(text), /stall|less than half|kept pace/);
  }
});

Deno.test("toy problem: the gap narrows, does not widen measurably, or is not overfitting", () => {
  // Test accuracy rising faster than training accuracy: the gap narrows.
  has(
    baselineClaims(toy(0.01, 0.04)),
    /the gap \*\*narrowed\*\*, so these runs do not show growing overfitting/,
  );
  // Both rising alike (the jitter decides): the gap does not widen measurably.
  const alike = group("constant 0.3", (s, e) => {
    const t = Math.max(0, e - 20) / 10;
    return { train: 0.9 + 0.05 * t, test: 0.88 + t * (0.05 + 5 * JITTER[s]) };
  });
  has(baselineClaims(alike), /the gap \*\*did not measurably widen\*\*/);
  // A widening gap with the training accuracy still below the test accuracy.
  const below = group("constant 0.3", (s, e) => {
    const t = Math.max(0, e - 20) / 10;
    return { train: 0.80 + t * (0.06 + JITTER[s]), test: 0.88 + 0.005 * t };
  });
  has(
    baselineClaims(below),
    /but the training accuracy is not above the test accuracy: this is \*\*not overfitting\*\* yet/,
  );
});

Deno.test("toy problem: one seed gives no verdict, a short run no trend, a diverged seed a note", () => {
  const one = baselineClaims(toy(0.05, 0.005, { seeds: 1 }));
  has(
    one,
    /\*\*No verdict:\*\* The training accuracy changed .* \(one seed, so no standard error and no verdict\)/,
  );
  has(one, /With one seed there is no verdict on the training accuracy, and there is no rise/);
  hasNot(verdicts(one), /stall|kept pace|less than half|as claimed/);
  has(one, /One seed gives no spread/);
  const short = baselineClaims(toy(0.05, 0.005, { epochs: 2, quick: true }));
  has(short, /A run of 2 epochs is too short to show a trend/);
  has(short, /quick runs over 5 seeds/);
  const diverged = baselineClaims(toy(0.05, 0.005, { diverge: new Map([[3, 27]]) }));
  has(
    diverged,
    /Seed 3 diverged in epoch 27, so these trends are over the 27 epochs every seed completed\./,
  );
  has(diverged, /\(epochs 19–27\)/);
});

Deno.test("toy problem: the constant rate's peaks, the original's 0.3 best or not", () => {
  const at = (levels: number[]) =>
    levels.map((l, i) => flat(`constant, peak ${PEAKS[i]}`, l, { seeds: 2 }));
  const best03 = constantPeakClaims(at([0.85, 0.89, 0.86]));
  has(
    best03,
    /Of the three rates, the original chapter's 0\.3 had the best mean final test accuracy \(89\.\d\d%\)\./,
  );
  has(
    best03,
    /the constant rate of 0\.1 was 4\.00 ± 0\.\d\d pp below that of 0\.3 .*lower, beyond twice/,
  );
  const best01 = constantPeakClaims(at([0.89, 0.89, 0.891]));
  has(
    best01,
    /Of the three rates, 0\.5 had the best mean final test accuracy \(89\.\d\d%\), not the original chapter's 0\.3 \(89\.\d\d%\)\./,
  );
  has(best01, /no measurable difference/);
});

// ----------------------------------------------------------------------------------------------
// Schedulers: better, smoother, less overfitting.

/** Test accuracy `level` (plus `wobble` alternating by epoch), training accuracy `gap` above. */
function shaped(label: string, level: number, wobble: number, gap: number, seeds = 5) {
  return group(label, (s, e) => {
    const test = level + JITTER[s % 5] + (e % 2 ? wobble : -wobble);
    return { train: test + gap + JITTER[s % 5] / 3, test };
  }, { seeds });
}

Deno.test("schedulers: better, smoother and less overfitting, each confirmed, not, or no verdict", () => {
  const base = shaped("constant 0.3", 0.88, 0.01, 0.06);
  const good = sqrtClaims(shaped("square root 0.1", 0.895, 0.002, 0.02), base);
  has(
    good,
    /\*\*Better than before: confirmed\.\*\* Over five seeds, the square-root schedule was 2\.30 ± 0\.\d\d pp above the constant rate/,
  );
  has(
    good,
    /\*\*Smoother curves: confirmed\.\*\* .*lower, beyond twice the standard error\. The wobble is taken over epochs 11–30, the later two thirds of the runs\./,
  );
  has(good, /\*\*Less overfitting: confirmed\.\*\*/);
  // Less fitting: the training accuracy itself ended lower (895 + 20 < 880 + 60).
  has(
    good,
    /Part of that is simply less fitting: over five seeds, the square-root schedule was .* below the constant rate in final training accuracy/,
  );
  has(good, /Why some schedules lead to less overfitting/);
  const bad = sqrtClaims(shaped("square root 0.1", 0.87, 0.02, 0.09), base);
  has(bad, /\*\*Better than before: not confirmed\.\*\* .*lower, beyond/);
  has(bad, /\*\*Smoother curves: not confirmed\.\*\*/);
  has(bad, /\*\*Less overfitting: not confirmed\.\*\*/);
  hasNot(bad, /less fitting/);
  has(bad, /When a decaying rate does reduce overfitting/);
  const same = sqrtClaims(shaped("square root 0.1", 0.88, 0.01, 0.06), base);
  has(same, /Better than before: not confirmed\.\*\* .*no measurable difference/);
  const one = sqrtClaims(
    shaped("sqrt", 0.9, 0.002, 0.02, 1),
    shaped("constant", 0.88, 0.01, 0.06, 1),
  );
  has(one, /\*\*Better than before: no verdict\.\*\* With one seed/);
  has(one, /\*\*Smoother curves: no verdict\.\*\*/);
  // Too short for the wobble: the sentence says it cannot be measured.
  const q = (l: string, level: number) =>
    group(l, (s) => ({ train: level + 0.05, test: level + JITTER[s] }), { epochs: 2, quick: true });
  const short = sqrtClaims(q("sqrt", 0.5), q("constant", 0.4));
  has(
    short,
    /\*\*Smoother curves: no verdict\.\*\* Over five seeds, the wobble .* cannot be measured on these runs \(it needs at least 3 epochs\): no verdict\./,
  );
});

Deno.test("schedulers: the peak sweep names the peak alone and each at its best", () => {
  const at = (label: string, levels: number[]) =>
    levels.map((l, i) => flat(`${label}, peak ${PEAKS[i]}`, l, { seeds: 2 }));
  const text = sqrtPeakClaims(
    at("square root", [0.86, 0.90, 0.91]),
    at("constant", [0.87, 0.88, 0.86]),
  );
  has(text, /^\*Measured over 2 seeds \(seeds 0 and 1\) of the full run/);
  has(
    text,
    /Peak for peak, in final test accuracy \(seeds 0 and 1\), the square-root schedule was higher than the constant rate at 0\.3 and 0\.5, and lower than it at 0\.1\./,
  );
  has(text, /So which of the two comes out ahead depends on the peak they start from/);
  has(
    text,
    /The peak alone: over two seeds, the constant rate at 0\.1 was 1\.00 ± 0\.\d\d pp below the constant rate at 0\.3/,
  );
  has(
    text,
    /Each at its own best peak: over two seeds, the square-root schedule at its best peak, 0\.5, was 3\.00 ± 0\.\d\d pp above the constant rate at its best peak, 0\.3,/,
  );
});

// ----------------------------------------------------------------------------------------------
// Multi-factor: the drop helps, a better solution, and the milestones of the original.

/** Test accuracy `level` up to epoch 15 and `level + jump` from epoch 16 on, at the schedule's rates. */
function stepped(jump: number, level = 0.88, seeds = 5, jitterJump = 1) {
  return group("multi-factor 0.5", (s, e) => {
    const test = level + JITTER[s % 5] + (e > 15 ? jump + jitterJump * JITTER[s % 5] : 0);
    return { train: test + 0.05, test, lr: e > 15 ? 0.25 : 0.5 };
  }, { seeds });
}

Deno.test("multifactor: the drop helps, or not, or no verdict; better than the constant rate or not", () => {
  const base = flat("constant 0.3", 0.88);
  const helps = multifactorClaims(stepped(0.01), base);
  has(
    helps,
    /\*\*The drop helps: confirmed\.\*\* The test accuracy rose from the three epochs before the rate was halved \(epochs 13–15\) to the three after \(epochs 16–18\), by \+1\.\d\d ± 0\.\d\d pp/,
  );
  has(helps, /on average 88\.\d\d% before and 89\.\d\d% after\./);
  has(helps, /\*\*A better solution than the constant rate: confirmed\.\*\*/);
  const hurts = multifactorClaims(stepped(-0.01), base);
  has(hurts, /\*\*The drop helps: not confirmed\.\*\* The test accuracy fell/);
  has(hurts, /\*\*A better solution than the constant rate: not confirmed\.\*\* .*lower, beyond/);
  const nothing = multifactorClaims(stepped(0, 0.88, 5, 8), base);
  has(nothing, /\*\*The drop helps: not confirmed\.\*\* .*no measurable change/);
  has(
    nothing,
    /\*\*A better solution than the constant rate: not confirmed\.\*\* .*no measurable difference/,
  );
  const one = multifactorClaims(stepped(0.01, 0.88, 1), flat("constant", 0.88, { seeds: 1 }));
  has(one, /\*\*The drop helps: no verdict\.\*\*/);
  has(one, /\*\*A better solution than the constant rate: no verdict\.\*\*/);
  const short = group("mf", (s) => ({ train: 0.5, test: 0.4 + JITTER[s], lr: 0.5 }), {
    epochs: 2,
    quick: true,
  });
  assert.equal(milestoneEffect(short), null);
  has(
    multifactorClaims(short, flat("constant", 0.3)),
    /too short to see the effect of the first milestone \(it needs 18 epochs\)/,
  );
});

Deno.test("multifactor: the original chapter's runs are described as the aside describes them", () => {
  const text = ratesUsed(stepped(0.01).runs[0]);
  has(text, /^The run used the rates 0\.5 for epochs 1–15, 0\.25 for epochs 16–30\./);
  has(text, /the milestone 30 would first act in epoch 31, after the end of this 30-epoch run\./);
  has(
    text,
    /Its PyTorch edition trains at a constant 0\.125 throughout, as the aside above explains\./,
  );
  has(
    text,
    /the rate is 0\.5 for the first 15 updates, 0\.25 up to update 30, and 0\.125 for the rest of the run; both halvings come within the first 30 of the first epoch's 235 updates\./,
  );
  has(text, /Neither edition halves the rate after epoch 15, as ours does\./);
  hasNot(text, /same unused milestone/);
  const short = group("mf", () => ({ train: 0.5, test: 0.4, lr: 0.5 }), { epochs: 2, quick: true });
  has(ratesUsed(short.runs[0]), /as a full run of ours would\./);
  // A run that diverged says so, and does not claim to have halved its rate.
  const broke = group("mf", () => ({ train: 0.1, test: 0.1, lr: 0.5 }), {
    seeds: 1,
    diverge: new Map([[0, 3]]),
  });
  const text3 = ratesUsed(broke.runs[0]);
  has(text3, /^The run used the rates 0\.5 for epochs 1–3 \(then the run diverged, in epoch 3\)\./);
  has(text3, /as a full run of ours would\./);
  has(
    multifactorClaims(broke, flat("constant", 0.88, { seeds: 1 })),
    /Every seed diverged before the effect of the first milestone could be seen/,
  );
});

// ----------------------------------------------------------------------------------------------
// Cosine: "not guaranteed", said as what the runs show.

Deno.test("cosine: helped, did worse, no measurable difference, or no verdict, never 'not confirmed'", () => {
  const base = flat("constant 0.3", 0.88);
  const cases: [number, RegExp][] = [
    [
      0.895,
      /\*\*Here the cosine schedule helped\.\*\* Over five seeds, .*higher, beyond twice the standard error\. One problem where it helps does not make the gain guaranteed/m,
    ],
    [
      0.865,
      /\*\*Here the cosine schedule did worse\.\*\* .*lower, beyond .* This problem is one of those where it brings no improvement\./m,
    ],
  ];
  for (const [level, re] of cases) {
    const text = cosineClaims(flat("cosine", level), base);
    has(text, re);
    hasNot(text, /confirmed|guaranteed: /);
    has(
      text,
      /The final epoch is not the only one that counts: over five seeds, the cosine schedule was .* in best test accuracy/,
    );
    has(text, /And in the gap between training and test accuracy at the end, over five seeds,/);
  }
  const level = cosineClaims(flat("cosine", 0.8805, { jitter: -3 }), base);
  has(
    level,
    /\*\*Here the cosine schedule made no measurable difference\.\*\* .* On this problem it brought no gain that five seeds can tell from luck\./m,
  );
  const one = cosineClaims(flat("cosine", 0.9, { seeds: 1 }), flat("constant", 0.88, { seeds: 1 }));
  has(one, /\*\*No verdict\.\*\* With one seed \(seed 0\)/);
});

Deno.test("cosine: the peak sweep at the baseline's own peak has no 'peak alone'", () => {
  const at = (label: string, levels: number[]) =>
    levels.map((l, i) => flat(`${label}, peak ${PEAKS[i]}`, l, { seeds: 2 }));
  const text = cosinePeakClaims(
    at("cosine", [0.87, 0.89, 0.90]),
    at("constant", [0.87, 0.88, 0.86]),
  );
  hasNot(text, /The peak alone/);
  has(
    text,
    /So whether the cosine schedule comes out ahead of the constant rate depends on the peak: it did at 0\.3 and 0\.5, and at no peak did it come out behind\./,
  );
});

// ----------------------------------------------------------------------------------------------
// Warmup: better early on, and what stepping per update changes.

/** Epochs 1–5 at `early` (epoch 1 at rate 0 and chance level with `zero`), `late` afterwards. */
function warm(
  label: string,
  early: number,
  late: number,
  opts: { zero?: boolean; seeds?: number; jitter?: number; diverge?: Map<number, number> } = {},
) {
  return group(label, (s, e) => {
    const j = (opts.jitter ?? 1) * JITTER[s % 5];
    const test = opts.zero && e === 1 ? 0.1 + j : (e <= 5 ? early : late) + j;
    return { train: test + 0.03, test, lr: opts.zero && e === 1 ? 0 : 0.3 };
  }, { seeds: opts.seeds ?? 5, diverge: opts.diverge });
}

Deno.test("warmup: better early on confirmed, not confirmed (with or without divergence), no verdict", () => {
  const plain = warm("cosine", 0.8, 0.9);
  const better = warmupClaims(warm("warmup", 0.82, 0.9), plain);
  has(
    better,
    /\*\*Confirmed\.\*\* Over five seeds, the schedule with warmup was 2\.\d\d ± 0\.\d\d pp above the one without in mean test accuracy over epochs 1–5/,
  );
  has(
    better,
    /No seed diverged\. By the end: over five seeds, the schedule with warmup was level with the one without/,
  );
  const worse = warmupClaims(warm("warmup", 0.7, 0.9, { zero: true }), plain);
  has(
    worse,
    /\*\*Not confirmed\.\*\* .*lower, beyond twice the standard error\. Without warmup the network got ahead faster, and starting at the full rate of 0\.3 made none of its five seeds diverge, so in this problem there was nothing for a warmup to prevent\./,
  );
  has(
    worse,
    /The first epoch of the warmup runs trains at rate 0 and leaves the weights as they were: their test accuracy after epoch 1, 10\.\d\d% ± 0\.\d\d pp \(mean ± sd\), is that of the untrained networks\./,
  );
  const broke = warmupClaims(
    warm("warmup", 0.7, 0.9),
    warm("cosine", 0.8, 0.9, { diverge: new Map([[2, 12]]) }),
  );
  has(broke, /Without warmup the network got ahead faster\. /);
  has(broke, /Diverged: cosine, seed 2 \(epoch 12\)\./);
  const same = warmupClaims(
    warm("warmup", 0.8, 0.9, { jitter: -2 }),
    plain,
    "Stepped per update: ",
  );
  has(same, /Stepped per update: \*\*Not confirmed\.\*\* .*no measurable difference\./);
  hasNot(same, /got ahead faster/);
  const one = warmupClaims(
    warm("warmup", 0.82, 0.9, { seeds: 1 }),
    warm("cosine", 0.8, 0.9, { seeds: 1 }),
  );
  has(one, /\*\*No verdict\.\*\* With one seed/);
});

Deno.test("warmup: stepping per update made warmup kinder, harsher, no different, or no verdict", () => {
  const ew = warm("w", 0.7, 0.9), ep = warm("p", 0.8, 0.9);
  const cases: [number, RegExp][] = [
    [
      0.78,
      /warmup's difference rose from per-epoch to per-update stepping, by \+8\.\d\d ± 0\.\d\d pp .* made warmup measurably kinder to the early epochs\./,
    ],
    [0.6, /warmup's difference fell .* made warmup measurably harsher on the early epochs\./],
  ];
  for (const [early, re] of cases) {
    const text = stepping(ew, ep, warm("uw", early, 0.9, { jitter: 2 }), warm("up", 0.8, 0.9));
    has(
      text,
      /Over epochs 1–5, warmup changed the mean test accuracy by −10\.\d\d ± 0\.\d\d pp with the rate set per epoch and by [−+]\d+\.\d\d ± 0\.\d\d pp with it set per update \(mean paired differences over seeds 0–4 ± their standard errors\)\./,
    );
    has(text, re);
  }
  const same = stepping(ew, ep, warm("uw", 0.7, 0.9, { jitter: 9 }), warm("up", 0.8, 0.9));
  has(
    same,
    /within twice the standard error: no measurable change\. How the rate was set made no measurable difference to what warmup did early on\./,
  );
  const one = stepping(
    ...[ew, ep, ew, ep].map((g) => ({ ...g, runs: g.runs.slice(0, 1) })) as [
      RunsOutput,
      RunsOutput,
      RunsOutput,
      RunsOutput,
    ],
  );
  has(
    one,
    /\(one seed, so no standard errors\)\. Seed by seed, .*\(one seed, so no standard error and no verdict\)\. $/,
  );
});

Deno.test("warmup: the peak sweep, early on and at the end", () => {
  const at = (label: string, levels: [number, number][]) =>
    levels.map(([early, late], i) => ({
      ...warm(`${label}, peak ${PEAKS[i]}`, early, late, { seeds: 2 }),
      label: `${label}, peak ${PEAKS[i]}`,
    }));
  const text = warmupPeakClaims(
    at("w", [[0.7, 0.9], [0.75, 0.9], [0.85, 0.92]]),
    at("c", [[0.8, 0.9], [0.8, 0.9], [0.8, 0.9]]),
  );
  has(
    text,
    /Peak for peak, in mean test accuracy over epochs 1–5 \(seeds 0 and 1\), the cosine schedule with warmup was higher than the one without at 0\.5, and lower than it at 0\.1 and 0\.3\./,
  );
  has(
    text,
    /At the end of the runs: peak for peak, in final test accuracy \(seeds 0 and 1\), the cosine schedule with warmup was higher than the one without at 0\.5, and not measurably different from it at 0\.1 and 0\.3\./,
  );
});

// ----------------------------------------------------------------------------------------------
// Summary: the five points.

Deno.test("summary: verdicts tallied, divergence, and the generalization point in each branch", () => {
  const base = flat("constant 0.3", 0.88);
  const mf = stepped(0.01);
  const main = [
    base,
    flat("square root 0.1", 0.9),
    mf,
    flat("cosine 0.3 → 0.01", 0.88, { jitter: -2 }),
    flat("warmup", 0.87),
  ];
  const best = [
    flat("constant, peak 0.3", 0.88, { seeds: 2 }),
    ...["a", "b", "c", "d"].map((l) => flat(l, 0.88, { seeds: 2, jitter: -1 })),
  ];
  const text = summaryPoints(main, best);
  has(
    text,
    /our four decaying schedules came out as follows in final test accuracy: higher, two \(\*\*square root 0\.1\*\* and \*\*multi-factor 0\.5\*\*\); lower, one \(\*\*warmup\*\*\); no measurable difference, one \(\*\*cosine 0\.3 → 0\.01\*\*\)\./,
  );
  has(
    text,
    /against the constant rate at its own best, \*\*constant, peak 0\.3\*\* \(\[Table\]\(tbl:best-peaks\)\), with two seeds each \(a rougher look\): higher, none; lower, none; no measurable difference, four/,
  );
  has(
    text,
    /\*Measured:\* The test accuracy rose from the three epochs before the rate was halved/,
  );
  has(
    text,
    /None of the 35 runs summarized here diverged, not even those that start at a rate of 0\.5 without warmup/,
  );
  // Constant 0.3 and cosine: the same training accuracy, the same test accuracy.
  has(
    text,
    /The two experiments closest in mean final training accuracy are \*\*constant 0\.3\*\* .* and \*\*cosine 0\.3 → 0\.01\*\* .* They generalized alike too, so our runs \*\*do not show\*\* this\./,
  );
  // Same training accuracy, different test accuracy: confirmed.
  // The test accuracies differ by the same amount on every seed; the training accuracies by
  // amounts that spread three times wider than the 0.1 points between their means.
  const apart = (label: string, test: number, train: number, shift = 0) =>
    group(label, (s) => ({ test: test + JITTER[s], train: train + 3 * JITTER[(s + shift) % 5] }));
  const gen = summaryPoints([
    apart("constant 0.3", 0.88, 0.95),
    apart("square root 0.1", 0.90, 0.951, 2),
    apart("multi-factor 0.5", 0.85, 0.99),
    apart("cosine", 0.84, 0.80),
    apart("warmup", 0.83, 0.70),
  ], best);
  has(gen, /generalized measurably differently: \*\*confirmed\*\*/);
  // Even the closest two differ in training accuracy.
  const far = summaryPoints([
    apart("constant 0.3", 0.88, 0.95),
    apart("square root 0.1", 0.90, 0.90),
    apart("multi-factor 0.5", 0.85, 0.85),
    apart("cosine", 0.84, 0.80),
    apart("warmup", 0.83, 0.70),
  ], best);
  has(
    far,
    /Even these two differ measurably in training accuracy, so our runs hold no two that reached the same training error\./,
  );
  // A diverged run is named.
  const broke = summaryPoints([
    base,
    flat("square root 0.1", 0.9),
    mf,
    warm("cosine", 0.8, 0.9, { diverge: new Map([[1, 4]]) }),
    flat("warmup", 0.87),
  ], best);
  has(broke, /Diverged: cosine \(seed 1\)\./);
});

// ----------------------------------------------------------------------------------------------
// Exercise 4: the peak, placed against the first answer's constant rates.

Deno.test("exercise 4: the peak against the first answer's rates, for every outcome of that sweep", () => {
  const ok = fakeRun("ok", [0.5, 0.9], [0.5, 0.85]);
  const stalled = fakeRun("stalled", [0.1, 0.1], [0.1, 0.1]);
  const diverged = { ...fakeRun("nan", [0.1], [0.1]), divergedAt: 1 };
  const choice = (runs: RunResult[], rates: number[]) => peakChoice(analyzeFixed(runs, rates));
  assert.equal(WARMUP_PEAK_LR, 0.6);
  assert.equal(
    choice([ok, ok, stalled], [0.1, 0.3, 1]),
    "In [the first answer](#answer-1) the largest constant rate that trained was 0.3; the " +
      "next one up, 1, stalled at the level of guessing (one seed each). We take a peak of 0.6, between the " +
      "two, a rate the grid did not try.",
  );
  has(
    choice([ok, diverged, diverged], [0.1, 0.3, 1]),
    /the next one up, 0\.3, diverged \(one seed each\)\. We take a peak of 0\.6, above the rate at which a constant run already failed\.$/,
  );
  has(
    choice([ok, stalled, stalled], [0.3, 0.6, 1]),
    /We take a peak of 0\.6, the very rate at which a constant run failed\.$/,
  );
  has(
    choice([ok, ok, stalled], [0.3, 1, 3]),
    /We take a peak of 0\.6, no higher than a rate at which a constant run trained, so a cold start may well survive it\.$/,
  );
  assert.equal(
    choice([ok, ok, ok], [0.1, 0.3, 1]),
    "In [the first answer](#answer-1) every constant rate of the grid trained, up to 1 (one " +
      "seed each), so its runs show no edge to keep below; we take a peak of 0.6 all the same.",
  );
  assert.equal(
    choice([stalled, stalled, diverged], [0.1, 0.3, 1]),
    "In [the first answer](#answer-1) even the smallest constant rate of the grid, 0.1, " +
      "stalled at the level of guessing (one seed each), so its runs show no rate that trains; we take a peak of 0.6 " +
      "all the same.",
  );
});
