/**
 * Beyond the reference file: random configurations run through PyTorch 1.13
 * itself by `torch_crosscheck.py` and compared with ours over 120 steps, to
 * 1e-9 relative: every scheduler PyTorch also has (StepLR, MultiStepLR with
 * factors below and above 1, ExponentialLR decaying and growing,
 * CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR with both
 * shapes and three phases, CyclicLR in all three modes with uneven up and
 * down steps, PolynomialLR, LinearLR, ReduceLROnPlateau in both modes); the
 * momentum OneCycleLR and CyclicLR cycle (and OneCycleLR's Adam beta1);
 * ChainedScheduler as {@linkcode multiply} and SequentialLR as
 * {@linkcode join}, of two or three schedulers; and
 * CosineAnnealingWarmRestarts with a real `T_mult` and at fractional epochs.
 * Runs where `/usr/bin/python3 -c "import torch"` works (Debian's
 * `python3-torch`); skipped otherwise.
 *
 * @module
 */

import assert from "node:assert/strict";
import { haveTorch, PYTHON, runPython } from "./_torch.ts";
import * as schedules from "./mod.ts";
import type { Schedule } from "./types.ts";

const torch = await haveTorch();
if (!torch) console.warn(`torch_crosscheck_test: skipped, ${PYTHON} cannot import torch`);

/** A tree of our factories, as `torch_crosscheck.py` writes it. */
type Spec =
  | { fn: "join"; parts: Spec[]; boundaries: number[] }
  | { fn: "multiply"; parts: Spec[] }
  | { fn: "plateauSchedule"; options: schedules.PlateauOptions; metrics: number[] }
  | { fn: string; options: Record<string, unknown> };

interface Case {
  category: string;
  spec: Spec;
  lrs: number[];
  momentum?: Spec;
  momentums?: number[];
  steps?: number[];
}

/** The schedule a tree describes, made by the library's own factories. */
function build(spec: Spec): Schedule {
  if (spec.fn === "join") {
    const s = spec as Extract<Spec, { fn: "join" }>;
    return schedules.join(s.parts.map(build), s.boundaries);
  }
  if (spec.fn === "multiply") {
    return schedules.multiply((spec as Extract<Spec, { fn: "multiply" }>).parts.map(build));
  }
  if (spec.fn === "plateauSchedule") {
    const s = spec as Extract<Spec, { fn: "plateauSchedule" }>;
    return schedules.plateauSchedule(s.options, s.metrics);
  }
  const factory = (schedules as unknown as Record<string, (o: unknown) => Schedule>)[spec.fn];
  assert.equal(typeof factory, "function", `no factory ${spec.fn}`);
  return factory((spec as { options: unknown }).options);
}

/** 0 for equal numbers, else the error relative to `expected` (Infinity next to an expected 0). */
function relative(ours: number, expected: number): number {
  return ours === expected ? 0 : Math.abs(ours - expected) / Math.abs(expected);
}

Deno.test({
  name:
    "schedules: 900 random configurations match PyTorch 1.13, momentum and composition included",
  ignore: !torch,
  async fn() {
    const script = new URL("./torch_crosscheck.py", import.meta.url).pathname;
    const cases = JSON.parse(await runPython(script, "7", "900")) as Case[];
    assert.equal(cases.length, 900);
    const worst = new Map<string, { count: number; values: number; error: number }>();
    for (const c of cases) {
      const record = worst.get(c.category) ?? { count: 0, values: 0, error: 0 };
      const check = (schedule: Schedule, expected: number[], what: string) => {
        expected.forEach((value, i) => {
          const t = c.steps?.[i] ?? i;
          const ours = schedule(t);
          const error = relative(ours, value);
          assert.ok(
            error <= 1e-9,
            `${c.category} ${what} ${JSON.stringify(c.spec)} at step ${t}: ${ours} vs ${value}`,
          );
          record.error = Math.max(record.error, error);
          record.values += 1;
        });
      };
      check(build(c.spec), c.lrs, "rate");
      if (c.momentum !== undefined) check(build(c.momentum), c.momentums!, "momentum");
      record.count += 1;
      worst.set(c.category, record);
    }
    assert.equal(worst.size, 18, [...worst.keys()].join(", "));
    for (const category of ["onecycle_momentum", "cyclic_momentum", "chained", "sequential"]) {
      assert.ok(worst.get(category)!.count >= 20, `${category}: enough cases`);
    }
    const rows = [...worst].map(([category, { count, values, error }]) =>
      `${category.padEnd(18)} ${String(count).padStart(4)} configurations ` +
      `${String(values).padStart(6)} values, max relative error ${error.toExponential(2)}`
    );
    console.log(`PyTorch cross-check, by category:\n${rows.join("\n")}`);
  },
});
