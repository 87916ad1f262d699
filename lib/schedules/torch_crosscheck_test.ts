/**
 * Beyond the reference file: random configurations of every kind PyTorch
 * 1.13 also has (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
 * CosineAnnealingWarmRestarts, OneCycleLR with both shapes and three phases,
 * CyclicLR in all three modes with uneven up and down steps, PolynomialLR,
 * LinearLR, ReduceLROnPlateau in both modes), run through PyTorch itself by
 * `torch_crosscheck.py` and compared with ours over 120 steps. Runs where
 * `/usr/bin/python3 -c "import torch"` works (Debian's `python3-torch`);
 * skipped otherwise.
 *
 * @module
 */

import assert from "node:assert/strict";
import { haveTorch, PYTHON, runPython } from "./_torch.ts";
import type { Kind, OptionValue } from "../preview/kinds.ts";
import { buildSchedule } from "../preview/recipe.ts";

const torch = await haveTorch();
if (!torch) console.warn(`torch_crosscheck_test: skipped, ${PYTHON} cannot import torch`);

interface Case {
  spec: { kind: Kind; options: Record<string, OptionValue>; metrics?: number[] };
  lrs: number[];
}

Deno.test({
  name: "schedules: 400 random configurations match PyTorch 1.13's schedulers to 1e-9 relative",
  ignore: !torch,
  async fn() {
    const script = new URL("./torch_crosscheck.py", import.meta.url).pathname;
    const cases = JSON.parse(await runPython(script, "7", "400")) as Case[];
    assert.equal(cases.length, 400);
    const kinds = new Set<string>();
    for (const { spec, lrs } of cases) {
      kinds.add(spec.kind);
      const lr = buildSchedule(spec);
      lrs.forEach((expected, t) => {
        const ours = lr(t);
        const error = ours === expected ? 0 : Math.abs(ours - expected) / Math.abs(expected);
        assert.ok(error <= 1e-9, `${JSON.stringify(spec)} at step ${t}: ${ours} vs ${expected}`);
      });
    }
    assert.equal(kinds.size, 10, [...kinds].join(", "));
  },
});
