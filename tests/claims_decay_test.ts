/**
 * The decay chapter's measured sentences, branch by branch, on made-up runs over seeds: linear
 * decay and WSD against cosine in each outcome of the rule of `lib/book/verdict.ts`, WSD's
 * course through its decay, and all three against the constant rate; each sentence must say
 * its outcome, and nothing only another outcome would justify.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fakeSeedRuns, type FakeSeedRunsOptions } from "../lib/book/_testing.ts";
import type { RunsOutput } from "../lib/book/types.ts";
import {
  againstConstant,
  againstCosine,
  DECAY,
  decayClaims,
  decaySchedules,
  STABLE_END,
  testAccAfter,
  wsdCourse,
} from "../chapters/decay.ts";

/** Small, different per seed: what makes the spread (and the standard error) non-zero. */
const JITTER = [0, 0.0012, -0.0009, 0.0006, -0.0004];

const words = (text: string) => text.replace(/\s+/g, " ");
const has = (text: string, re: RegExp) => assert.match(words(text), re);
const hasNot = (text: string, re: RegExp) => assert.doesNotMatch(words(text), re);

/**
 * A made-up experiment over three seeds stepping per update: test accuracy `test(epoch)`, moved
 * by `jitter` times the seed's JITTER, and training accuracy 0.04 above it.
 */
function group(
  label: string,
  test: (epoch: number) => number,
  { jitter = 1, ...options }: FakeSeedRunsOptions & { jitter?: number } = {},
): RunsOutput {
  return fakeSeedRuns(label, (s, e) => {
    const acc = test(e) + jitter * JITTER[s % 5];
    return { train: acc + 0.04, test: acc };
  }, { stepsPer: "update", ...options });
}

const flat = (label: string, level: number, opts = {}) => group(label, () => level, opts);
const cos = () => flat("cosine to 0", 0.89);

Deno.test("decay: linear decay or WSD against cosine, in each outcome of the rule", () => {
  const cases: [number, number, RegExp][] = [
    [
      0.895,
      1,
      /^\*\*Linear decay beat cosine here\.\*\* Over three seeds, linear decay was .* above cosine in final test accuracy .*higher, beyond twice/,
    ],
    [0.885, 1, /^\*\*Cosine beat linear decay here\.\*\* .* below cosine .*lower, beyond twice/],
    [
      0.8903,
      -2,
      /^\*\*Linear decay and cosine ended level\.\*\* .*within twice the standard error, so no measurable difference/,
    ],
  ];
  for (const [level, jitter, re] of cases) {
    const text = againstCosine(flat("linear to 0", level, { jitter }), cos(), "linear decay");
    has(text, re);
    hasNot(text, /No verdict/);
  }
  const one = againstCosine(
    flat("WSD", 0.9, { seeds: 1 }),
    flat("cosine to 0", 0.89, { seeds: 1 }),
    "WSD",
  );
  has(one, /^\*\*No verdict on WSD against cosine\.\*\* With one seed \(seed 0\)/);
  hasNot(one, /beat|ended level/);
});

/** WSD behind (or ahead of) cosine by `before` at the end of its stable stretch, by `after` at the end. */
const wsd = (before: number, after: number, opts = {}) =>
  group("WSD", (e) => 0.89 + (e <= STABLE_END ? before : after), opts);

Deno.test("decay: WSD's course through its decay, each outcome", () => {
  // Trailed at the peak, caught up in the decay: the pattern of the papers.
  const caught = wsdCourse(wsd(-0.01, 0.001, { jitter: 3 }), cos());
  has(
    caught,
    /^Before its decay: over three seeds, WSD was .* below cosine in test accuracy after epoch 24 .*lower, beyond twice.* Then WSD's difference from cosine rose from epoch 24 to epoch 30, by \+1\.\d\d ± 0\.\d\d pp .* While its rate stayed at the peak, WSD trailed; its decay made up ground/,
  );
  // Ahead at the peak and further ahead after: a gain, not a catching up.
  const gained = wsdCourse(wsd(0.005, 0.015, { jitter: 3 }), cos());
  has(
    gained,
    /above cosine in test accuracy after epoch 24 .* rose .* Its decay gained ground on cosine\./,
  );
  hasNot(gained, /trailed|made up ground/);
  const lost = wsdCourse(wsd(0.01, 0, { jitter: 3 }), cos());
  has(
    lost,
    /Then WSD's difference from cosine fell from epoch 24 to epoch 30, .* Its decay lost ground against cosine's\./,
  );
  // The same gap before and after (the jitter cancels in the change): no measurable change.
  const same = wsdCourse(wsd(0.004, 0.004), cos());
  has(
    same,
    /no measurable change\. Its decay changed nothing measurable in its standing against cosine\./,
  );
  // One seed: the change is said, with no verdict and no reading.
  const one = wsdCourse(wsd(-0.01, 0, { seeds: 1 }), flat("cosine to 0", 0.89, { seeds: 1 }));
  has(one, /\(one seed, so no standard error and no verdict\)\.$/);
  hasNot(one, /made up ground|gained|lost ground|changed nothing/);
  // Quick runs never reach the decay: the measure cannot be taken, and nothing else is said.
  const quick = wsdCourse(
    wsd(0, 0, { epochs: 2, quick: true }),
    flat("cosine", 0.89, { epochs: 2, quick: true }),
  );
  assert.equal(
    quick,
    "Before its decay: over three seeds, the test accuracy after epoch 24 cannot be measured on " +
      "these runs (it needs epoch 24): no verdict.",
  );
});

Deno.test("decay: the three against the constant rate, each with its own verdict", () => {
  const base = flat("constant 0.3", 0.9);
  const text = againstConstant(
    [flat("cosine to 0", 0.89), flat("linear to 0", 0.9003, { jitter: -2 }), flat("WSD", 0.91)],
    base,
  );
  has(
    text,
    /^Against \[the toy problem\]\(toy-problem\.html\)'s constant rate of 0\.3, over seeds 0–2, .*: \*\*cosine to 0\*\*, −1\.00 ± 0\.00 pp \(lower\); \*\*linear to 0\*\*, [+−]?0\.\d\d ± 0\.\d\d pp \(no measurable difference\); \*\*WSD\*\*, \+1\.00 ± 0\.00 pp \(higher\)\.$/,
  );
  const one = againstConstant(
    [flat("WSD", 0.91, { seeds: 1 })],
    flat("constant 0.3", 0.9, { seeds: 1 }),
  );
  has(one, /\*\*WSD\*\*, \+1\.00 pp \(no verdict \(one seed\)\)/);
});

Deno.test("decay: the whole claim, full size and quick, and with a divergence", () => {
  const base = flat("constant 0.3", 0.9);
  const full = decayClaims(
    cos(),
    flat("linear to 0", 0.895),
    wsd(-0.01, 0.003, { jitter: 3 }),
    base,
  );
  has(
    full,
    /^\*Measured over 3 seeds \(seeds 0–2\) of the full run: 30 epochs on all 60,000 training images, the rate set per update\.\*/,
  );
  has(full, /- \*\*Linear decay beat cosine here\.\*\*/);
  has(full, /- \*\*WSD beat cosine here\.\*\* .* Before its decay:/);
  hasNot(full, /Diverged|No verdict|quick runs/);
  const quick = decayClaims(
    flat("cosine to 0", 0.5, { epochs: 2, quick: true }),
    flat("linear to 0", 0.5, { epochs: 2, quick: true }),
    flat("WSD", 0.5, { epochs: 2, quick: true }),
    flat("constant 0.3", 0.5, { epochs: 2, quick: true }),
  );
  has(quick, /^\*These numbers come from quick runs over 3 seeds/);
  const broke = decayClaims(
    cos(),
    flat("linear to 0", 0.895),
    wsd(-0.01, 0, { diverge: new Map([[1, 12]]) }),
    base,
  );
  has(broke, /Diverged: WSD \(seed 1\)\./);
});

Deno.test("decay: the schedules are the ones the prose describes, composed from the library", () => {
  const u = 235, T = DECAY.epochs * u;
  const [c, l, w] = decaySchedules(u).map((s) => s.schedule);
  // The same warmup in front of all three: 0 at the first update, the peak after one epoch.
  for (const s of [c, l, w]) {
    assert.equal(s(0), 0);
    assert.ok(Math.abs(s(u / 2) - 0.15) < 1e-12, "halfway up the ramp");
    assert.equal(s(u), 0.3);
    // Each reaches 0 at the end of the budget, and is still above it at the last update trained.
    assert.ok(Math.abs(s(T)) < 1e-15, `${s(T)}`);
    assert.ok(s(T - 1) > 0);
  }
  // Linear: a straight line from the peak; cosine: the half cosine, above it in the first half.
  const mid = u + (T - u) / 2;
  assert.ok(Math.abs(l(mid) - 0.15) < 1e-12);
  assert.ok(Math.abs(c(mid) - 0.15) < 1e-12);
  assert.ok(c(u + (T - u) / 4) > l(u + (T - u) / 4));
  // WSD: the peak up to the last 6 epochs, then linear to 0 over them.
  const decayStart = T - DECAY.decayEpochs * u;
  assert.equal(w(decayStart - 1), 0.3);
  assert.equal(w(decayStart), 0.3);
  assert.ok(Math.abs(w(decayStart + 3 * u) - 0.15) < 1e-12);
  // The measure of the stable stretch's end is after epoch 24, the last before the decay.
  assert.equal(STABLE_END, 24);
  assert.equal(decayStart / u, STABLE_END);
  assert.equal(testAccAfter(24).value(cos().runs[0]), cos().runs[0].history[23].testAcc);
  assert.equal(testAccAfter(24).value(flat("q", 0.5, { epochs: 2 }).runs[0]), null);
});
