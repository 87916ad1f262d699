import assert from "node:assert/strict";
import { readReference } from "./_reference.ts";
import { assertSequence } from "./_testing.ts";
import {
  constant,
  cosine,
  cyclic,
  exponential,
  factor,
  join,
  linear,
  multifactor,
  onecycle,
  onecycleMomentum,
  plateauRates,
  poly,
  sgdr,
  sqrt,
  step,
  warmup,
} from "./mod.ts";
import type { Schedule } from "./types.ts";

const reference = await readReference();

const all = [...reference.d2l_chapter_schedulers, ...reference.torch_schedulers];

/** Every entry of the reference file, as one (or more) of our schedules. */
const expressions: Record<string, Array<[string, Schedule]>> = {
  "d2l_SquareRootScheduler_lr0.1": [["sqrt", sqrt({ baseLr: 0.1 })]],
  // The chapter's FactorScheduler decays on its first call: its call t is our step t + 1.
  "d2l_FactorScheduler_0.9_stop0.01_base2": [[
    "factor shifted by one (the chapter's off-by-one)",
    (t) => factor({ baseLr: 2, factor: 0.9, stopFactorLr: 0.01 })(t + 1),
  ]],
  "d2l_MultiFactorScheduler_15_30_half_base0.5": [[
    "multifactor",
    multifactor({ baseLr: 0.5, milestones: [15, 30], factor: 0.5 }),
  ]],
  "d2l_CosineScheduler_T20_0.3_to_0.01": [[
    "cosine",
    cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 }),
  ]],
  "d2l_CosineScheduler_T20_warmup5_0.3_to_0.01": [
    ["cosine", cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 })],
    ["warmup(cosine)", warmup(cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 15 }), { steps: 5 })],
  ],
  "StepLR_s10_g0.5": [["step", step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 })]],
  "MultiStepLR_chapter": [[
    "multifactor",
    multifactor({ baseLr: 0.5, milestones: [15, 30], factor: 0.5 }),
  ]],
  "MultiStepLR_10_25_40_g0.1": [[
    "multifactor",
    multifactor({ baseLr: 0.1, milestones: [10, 25, 40], factor: 0.1 }),
  ]],
  "ExponentialLR_0.9": [["exponential", exponential({ baseLr: 0.1, gamma: 0.9 })]],
  "CosineAnnealingLR_T20_min0.01": [[
    "cosine periodic",
    cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: true }),
  ]],
  "CosineAnnealingLR_T60_min0": [["cosine", cosine({ baseLr: 0.1, maxUpdate: 60 })]],
  "CAWR_T0_10_Tmult1": [["sgdr", sgdr({ baseLr: 0.1, t0: 10, tMult: 1 })]],
  "CAWR_T0_10_Tmult2_min0.01": [[
    "sgdr",
    sgdr({ baseLr: 0.3, finalLr: 0.01, t0: 10, tMult: 2 }),
  ]],
  "LinearLR_warmup": [
    ["linear", linear({ startLr: 0.1 / 3, endLr: 0.1, maxUpdate: 5 })],
    ["warmup(constant)", warmup(constant({ baseLr: 0.1 }), { steps: 5, beginLr: 0.1 / 3 })],
  ],
  "PolynomialLR_p1_T30": [["poly", poly({ baseLr: 0.1, maxUpdate: 30, power: 1 })]],
  "PolynomialLR_p2_T40": [["poly", poly({ baseLr: 0.1, maxUpdate: 40, power: 2 })]],
  "OneCycleLR_cos": [["onecycle", onecycle({ maxLr: 0.5, totalSteps: 60, anneal: "cos" })]],
  "OneCycleLR_linear": [["onecycle", onecycle({ maxLr: 0.5, totalSteps: 60, anneal: "linear" })]],
  "CyclicLR_triangular": [[
    "cyclic",
    cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: "triangular" }),
  ]],
  "CyclicLR_triangular2": [[
    "cyclic",
    cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: "triangular2" }),
  ]],
  "SequentialLR_linear5_cosine55": [
    [
      "join",
      join([
        linear({ startLr: 0.01, endLr: 0.1, maxUpdate: 5 }),
        cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }),
      ], [5]),
    ],
    [
      "warmup(cosine)",
      warmup(cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }), { steps: 5, beginLr: 0.01 }),
    ],
  ],
  "LambdaLR_inv_sqrt": [["sqrt", sqrt({ baseLr: 0.1 })]],
};

Deno.test("reference: the file holds 19 PyTorch sequences and the chapter's formulas", () => {
  assert.equal(reference.torch_schedulers.length, 19);
  assert.ok(reference.d2l_chapter_schedulers.length >= 5);
});

for (const entry of all) {
  Deno.test(`reference: ${entry.label} to 1e-6 relative`, () => {
    if (entry.cls === "ReduceLROnPlateau") {
      const a = entry.args;
      const rates = plateauRates({
        baseLr: entry.base_lr!,
        mode: a.mode as "min" | "max",
        factor: a.factor as number,
        patience: a.patience as number,
        threshold: a.threshold as number,
        thresholdMode: a.threshold_mode as "rel" | "abs",
        cooldown: a.cooldown as number,
        minLr: a.min_lr as number,
      }, entry.metrics!);
      assertSequence((t) => rates[t], entry.lrs, 1e-6, entry.label);
      return;
    }
    const candidates = expressions[entry.label];
    assert.ok(candidates, `no schedule expresses reference entry ${entry.label}`);
    for (const [how, schedule] of candidates) {
      assertSequence(schedule, entry.lrs, 1e-6, `${entry.label} as ${how}`);
    }
  });
}

Deno.test("reference: the chapter's FactorScheduler is our factor one step ahead", () => {
  const entry = all.find((e) => e.label.startsWith("d2l_FactorScheduler"))!;
  const lr = factor({ baseLr: 2, factor: 0.9, stopFactorLr: 0.01 });
  // Documented off-by-one of the original: its first call already decays, so its
  // value at call t is ours at t + 1, and it never returns the base rate 2.
  assert.equal(lr(0), 2);
  assert.notEqual(entry.lrs[0], 2);
  entry.lrs.forEach((value, t) => assert.ok(Math.abs(lr(t + 1) - value) <= 1e-12 * value));
  // Unshifted, the sequences disagree from the first step.
  assert.ok(Math.abs(lr(0) - entry.lrs[0]) > 0.1);
});

Deno.test("reference: OneCycleLR's momentum, cycled by default, is onecycleMomentum", () => {
  const entry = all.find((e) => e.label === "OneCycleLR_cos")!;
  assert.equal(entry.momentums!.length, 60);
  const momentum = onecycleMomentum({ maxLr: 0.5, totalSteps: 60, anneal: "cos" });
  assertSequence(momentum, entry.momentums!, 1e-12, "OneCycleLR_cos momentum");
});
