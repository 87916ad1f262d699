/**
 * The plateau chapter's measured sentences, branch by branch, on made-up runs over seeds: each
 * claim function is given groups built so that the rule of `lib/book/verdict.ts` lands on each
 * of its outcomes ("higher", "lower", "no measurable difference", "undecided"), and the
 * sentence must say that outcome, and nothing only another outcome would justify.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fakeRun } from "../lib/book/_testing.ts";
import { seedGroup } from "../lib/book/seeds.ts";
import type { RunsOutput } from "../lib/book/types.ts";
import { resolveConfig } from "../lib/train/config.ts";
import { plateauStep, startPlateau } from "../lib/train/plateau.ts";
import type { PlateauEpoch, RunResult } from "../lib/train/types.ts";
import {
  cutsOf,
  cutsSentence,
  finalState,
  heldOutAgainstTest,
  lossTurn,
  plateauClaims,
  plateauRequest,
  ruleWalkthrough,
} from "../chapters/plateau.ts";

/** Small, different per seed: what makes the spread (and the standard error) non-zero. */
const JITTER = [0, 0.0012, -0.0009, 0.0006, -0.0004];

/** The chapter's plateau settings, as a run records them. */
const SETTINGS = resolveConfig(plateauRequest()).plateau!;

/** The text with every run of white space one space: Markdown's line breaks do not count. */
const words = (text: string) => text.replace(/\s+/g, " ");
const has = (text: string, re: RegExp) => assert.match(words(text), re);
const hasNot = (text: string, re: RegExp) => assert.doesNotMatch(words(text), re);

/** What a made-up plateau run's scheduler did after one epoch. */
type Step = { loss: number; acc: number; lr: number };

/**
 * A made-up plateau group: per seed, 30 epochs (fewer if `epochs`) ending at `level + jitter`;
 * `steps(seed, epoch)` gives the held-out numbers and the rate the scheduler left (default: the
 * loss falls every epoch, no cut), and the epoch's rate is the one the epoch before left.
 */
function plateauGroup(
  level: number,
  {
    seeds = 3,
    epochs = 30,
    jitter = 1,
    trainSize = 54_000,
    steps = (_s: number, e: number): Step => ({ loss: 1 / e, acc: level, lr: 0.3 }),
    diverge = new Map<number, number>(),
  } = {},
): RunsOutput {
  const runs: RunResult[] = [];
  for (let s = 0; s < seeds; s++) {
    const n = diverge.get(s) ?? epochs;
    const test = Array.from({ length: n }, () => level + jitter * JITTER[s % 5]);
    const decided = Array.from({ length: n }, (_, i) => steps(s, i + 1));
    const lrs = decided.map((_, i) => (i === 0 ? 0.3 : decided[i - 1].lr));
    const run = fakeRun(
      `reduce on plateau 0.3, seed ${s}`,
      test.map((t) => t + 0.05),
      test,
      lrs,
      { seed: s, epochs, trainSize, plateau: SETTINGS },
    );
    let best = Infinity, bad = 0;
    run.history.forEach((e, i) => {
      const d = decided[i];
      if (d.loss < best * (1 - 1e-4)) [best, bad] = [d.loss, 0];
      else bad = d.lr < e.lr ? 0 : bad + 1;
      const p: PlateauEpoch = {
        heldOutLoss: d.loss,
        heldOutAcc: d.acc + jitter * JITTER[s % 5],
        lr: d.lr,
        best,
        numBadEpochs: bad,
        cooldownCounter: 0,
      };
      e.plateau = p;
    });
    if (diverge.has(s)) {
      run.divergedAt = n;
      delete run.history[n - 1].plateau; // the engine measures nothing in a diverged epoch
    }
    runs.push(run);
  }
  return seedGroup("reduce on plateau 0.3", runs);
}

/** A constant-rate group at `level + jitter`, on `trainSize` images. */
function constantGroup(
  label: string,
  level: number,
  { seeds = 3, jitter = 1, trainSize = 60_000 } = {},
): RunsOutput {
  return seedGroup(
    label,
    Array.from({ length: seeds }, (_, s) => {
      const test = Array(30).fill(level + jitter * JITTER[s % 5]);
      return fakeRun(`${label}, seed ${s}`, test.map((t) => t + 0.05), test, undefined, {
        seed: s,
        epochs: 30,
        trainSize,
      });
    }),
  );
}

const same = (level: number, opts = {}) =>
  constantGroup("constant 0.3, 54,000 images", level, { trainSize: 54_000, ...opts });
const all = (level: number, opts = {}) => constantGroup("constant 0.3", level, opts);

/** Cuts at the given epochs (the same for every seed unless `bySeed`), halving each time. */
const cutting = (at: (seed: number) => number[]) => (s: number, e: number): Step => {
  const done = at(s).filter((x) => x <= e).length;
  return { loss: 0.3, acc: 0.9, lr: 0.3 * 0.5 ** done };
};

Deno.test("plateau: the advice helped, did worse, made no measurable difference, or no verdict", () => {
  const cases: [number, RegExp][] = [
    [
      0.905,
      /\*\*Here lowering the rate when progress stalled helped\.\*\* Over three seeds, reduce on plateau was .* above the constant rate on the same 54,000 images .*: higher, beyond twice/,
    ],
    [
      0.895,
      /\*\*Here lowering the rate when progress stalled did worse\.\*\* .* below the constant rate on the same 54,000 images .*: lower, beyond twice/,
    ],
    [
      0.9003,
      /\*\*Here lowering the rate when progress stalled made no measurable difference\.\*\* .*within twice the standard error, so no measurable difference/,
    ],
  ];
  for (const [level, re] of cases) {
    // The jitter turned against itself on the plateau side makes "level" a tie within the SE.
    const text = plateauClaims(plateauGroup(level, { jitter: -2 }), same(0.9), all(0.9));
    has(text, re);
    hasNot(text, /No verdict/);
  }
  const one = plateauClaims(
    plateauGroup(0.91, { seeds: 1 }),
    same(0.9, { seeds: 1 }),
    all(0.9, { seeds: 1 }),
  );
  has(one, /\*\*No verdict on the advice\.\*\* With one seed \(seed 0\)/);
  hasNot(one, /helped|did worse|made no measurable difference/);
});

Deno.test("plateau: what holding images out cost, in each outcome, and when nothing was held out", () => {
  const p = plateauGroup(0.9);
  has(
    plateauClaims(p, same(0.895), all(0.9)),
    /Holding 6,000 images out has a price: over three seeds, the constant rate on the same 54,000 images was .* below the constant rate on all 60,000 images/,
  );
  const ahead = plateauClaims(p, same(0.905), all(0.9));
  has(
    ahead,
    /Holding 6,000 images out did not cost the constant rate accuracy; on fewer images it even came out ahead: .*higher, beyond twice/,
  );
  hasNot(ahead, /has a price/);
  has(
    plateauClaims(p, same(0.9003, { jitter: -2 }), all(0.9)),
    /Holding 6,000 images out cost the constant rate nothing that three seeds can measure: .*no measurable difference/,
  );
  has(
    plateauClaims(
      plateauGroup(0.9, { seeds: 1 }),
      same(0.9, { seeds: 1 }),
      all(0.9, { seeds: 1 }),
    ),
    /What holding images out cost: with one seed \(seed 0\)/,
  );
  // Quick runs: both constant rates on the same images, so nothing was held out of either.
  const quick = plateauClaims(p, same(0.9, { trainSize: 1024 }), all(0.9, { trainSize: 1024 }));
  has(
    quick,
    /Both constant rates trained on the same 1,024 images here, so these runs cannot show what holding images out costs\./,
  );
  hasNot(quick, /Holding|has a price|on all 60,000/);
});

Deno.test("plateau: against the toy problem's baseline, each outcome", () => {
  has(
    plateauClaims(plateauGroup(0.905), same(0.9), all(0.9)),
    /Against \[the toy problem\]\(toy-problem\.html\)'s baseline, reduce on plateau came out ahead, on 6,000 images fewer: over three seeds, reduce on plateau was .* above the constant rate on all 60,000 images/,
  );
  has(
    plateauClaims(plateauGroup(0.895), same(0.9), all(0.9)),
    /Against \[the toy problem\]\(toy-problem\.html\)'s baseline, reduce on plateau ended below, with 6,000 images fewer to learn from: .*lower, beyond twice/,
  );
  has(
    plateauClaims(plateauGroup(0.9003, { jitter: -2 }), same(0.9), all(0.9)),
    /Against \[the toy problem\]\(toy-problem\.html\)'s baseline, reduce on plateau came out level as far as the seeds can tell: .*no measurable difference/,
  );
  has(
    plateauClaims(
      plateauGroup(0.9, { seeds: 1 }),
      same(0.9, { seeds: 1 }),
      all(0.9, { seeds: 1 }),
    ),
    /Against \[the toy problem\]\(toy-problem\.html\)'s baseline: with one seed/,
  );
});

Deno.test("plateau: the scheduler's cuts, seed by seed, or none, and why none", () => {
  const none = cutsSentence(plateauGroup(0.9));
  assert.equal(
    none,
    "In none of the three seeds did the held-out loss go 3 epochs in a row without improving, " +
      "so the scheduler never cut the rate: they trained at a constant 0.3.",
  );
  assert.match(cutsSentence(plateauGroup(0.9, { seeds: 1 })), /^In this run did .* it trained/);
  // Cut at the same epochs in every seed.
  const alike = cutsSentence(plateauGroup(0.9, { steps: cutting(() => [12, 20]) }));
  assert.equal(
    alike,
    "The scheduler cut the rate in every seed: seed 0 after epochs 12 and 20 (down to 0.075), " +
      "seed 1 after epochs 12 and 20 (down to 0.075) and seed 2 after epochs 12 and 20 (down to " +
      "0.075). Every seed was cut at the same epochs.",
  );
  // Each seed its own epochs; one seed never.
  const own = cutsSentence(
    plateauGroup(0.9, { steps: cutting((s) => (s === 0 ? [10] : s === 1 ? [14, 22, 27] : [])) }),
  );
  assert.equal(
    own,
    "The scheduler cut the rate in two of the three seeds: seed 0 after epoch 10 (down to 0.15), " +
      "seed 1 after epochs 14, 22 and 27 (down to 0.0375) and seed 2 never. Each seed's own " +
      "held-out loss decided, so the seeds were cut at different epochs.",
  );
  // A run that diverged: no reason is made up for the missing cuts, and the divergence is said.
  const broke = cutsSentence(plateauGroup(0.9, { diverge: new Map([[0, 1], [1, 1], [2, 1]]) }));
  assert.equal(
    broke,
    "The scheduler never cut the rate. Diverged: reduce on plateau 0.3 (seeds 0–2).",
  );
  // cutsOf reads the record: the epoch after which the rate fell, and to what.
  const run = plateauGroup(0.9, { steps: cutting(() => [5]) }).runs[0];
  assert.deepEqual(cutsOf(run), [{ after: 5, to: 0.15 }]);
  assert.equal(run.history[5].lr, 0.15, "epoch 6 trains at the cut rate");
});

Deno.test("plateau: the held-out images against the test set, each outcome", () => {
  const at = (offset: number, opts: { seeds?: number; jitter?: number } = {}) =>
    plateauGroup(0.9, {
      ...opts,
      steps: (_s, e) => ({ loss: 1 / e, acc: 0.9 + offset, lr: 0.3 }),
    });
  // The held-out accuracy carries the same jitter as the test accuracy: differences are exact.
  has(
    heldOutAgainstTest(at(0.01)),
    /was \+1\.00 ± 0\.00 pp .*beyond twice the standard error: the held-out images rated the network higher than the test set did\./,
  );
  has(heldOutAgainstTest(at(-0.01)), /rated the network lower than the test set did/);
  // Per-seed differences that straddle zero: no measurable difference.
  const straddle = plateauGroup(0.9, {
    steps: (s, e) => ({ loss: 1 / e, acc: 0.9 + [0.004, -0.003, -0.0005][s], lr: 0.3 }),
  });
  has(
    heldOutAgainstTest(straddle),
    /within twice the standard error: the held-out images judged the network as the test set did/,
  );
  has(heldOutAgainstTest(at(0.01, { seeds: 1 })), /\(one seed\); one seed cannot say/);
  // No measured last epoch (every run diverged): nothing to say.
  assert.equal(
    heldOutAgainstTest(plateauGroup(0.9, { diverge: new Map([[0, 3], [1, 3], [2, 3]]) })),
    "",
  );
});

Deno.test("plateau: when the loss turned and the accuracy peaked, each outcome", () => {
  // Loss lowest at epoch 10 (then rising), accuracy best at epoch `peak(s)`.
  const turn = (peak: (s: number) => number, seeds = 3) =>
    plateauGroup(0.9, {
      seeds,
      steps: (s, e) => ({
        loss: 0.3 + 0.001 * Math.abs(e - 10),
        acc: 0.9 - 0.001 * Math.abs(e - peak(s)),
        lr: 0.3,
      }),
    });
  has(
    lossTurn(turn((s) => 16 + s)),
    /lowest after epoch 10\.0 ± 0\.0 and the held-out accuracy highest after epoch 17\.0 ± 1\.0 .*The accuracy's best came later, by \+7\.0 ± 0\.6 epochs .*beyond twice the standard error: the loss turned upward while the accuracy was still creeping up/,
  );
  has(
    lossTurn(turn((s) => 5 - s)),
    /The accuracy's best came earlier, .*the loss went on improving after the accuracy had peaked/,
  );
  has(
    lossTurn(turn((s) => [8, 12, 10][s])),
    /The two bests differ by 0\.0 ± 1\.2 epochs .*within twice the standard error: as far as these seeds can tell, the loss and the accuracy turned at the same time\./,
  );
  has(
    lossTurn(turn(() => 20, 1)),
    /They differ by \+10\.0 epochs \(mean per-seed difference\); one seed gives no verdict/,
  );
  assert.equal(lossTurn(plateauGroup(0.9, { diverge: new Map([[0, 1], [1, 1], [2, 1]]) })), "");
});

Deno.test("plateau: the walk through the made-up losses is the rule's, and the saved state is valid", () => {
  // Computed by the library's rule: an improvement that resets the count, three bad epochs, a cut.
  assert.equal(
    ruleWalkthrough(),
    "In epoch 5 the loss, 0.368, beats the best so far and the count of bad epochs drops back " +
      "to zero. Epochs 6, 7 and 8 all fail to beat 0.368, the count passes 2, and epoch 9 " +
      "trains at 0.15.",
  );
  // A run whose record the engine's own rule wrote: the loss falls until epoch 12, then stalls.
  const losses = Array.from({ length: 30 }, (_, i) => 1 / Math.min(i + 1, 12));
  let truth = startPlateau(SETTINGS);
  const decided = losses.map((loss) => {
    const step = plateauStep(SETTINGS, truth, { loss, acc: 0.9 });
    truth = step.state;
    return step.epoch;
  });
  const run = plateauGroup(0.9, {
    seeds: 1,
    steps: (_s, e) => ({ loss: losses[e - 1], acc: 0.9, lr: decided[e - 1].lr }),
  }).runs[0];
  run.history.forEach((e, i) => (e.plateau = decided[i]));
  // The state rebuilt from the record is the scheduler's own last state (restorePlateau checks
  // it: a record that does not add up is refused), and it survives JSON.
  const state = finalState(run);
  assert.deepEqual(state, truth);
  assert.ok(state.lr < 0.3, "the stall made it cut");
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
  // A record that does not add up (a count of bad epochs past the patience) is refused.
  const broken = plateauGroup(0.9, { steps: cutting(() => [12]) }).runs[0];
  assert.throws(() => finalState(broken), /numBadEpochs \(\d+\) must be <= patience \(2\)/);
});

Deno.test("plateau: the whole claim at full size, with a divergence among the baselines", () => {
  const diverged = constantGroup("constant 0.3", 0.9);
  diverged.runs[2].divergedAt = 30;
  const text = plateauClaims(
    plateauGroup(0.905, { steps: cutting(() => [15]) }),
    same(0.9),
    diverged,
  );
  has(
    text,
    /^\*Measured over 3 seeds \(seeds 0–2\) of the full run: 30 epochs on 54,000 of the 60,000 training images \(the other 6,000 held out for the plateau scheduler\)/,
  );
  has(text, /Diverged: constant 0\.3 \(seed 2\)\./);
  hasNot(text, /quick run|No verdict|cannot be measured/);
});
