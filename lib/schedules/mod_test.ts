import assert from "node:assert/strict";
import * as schedules from "./mod.ts";

Deno.test("mod: re-exports every family and the composition tools", () => {
  const expected = [
    "constant",
    "cosine",
    "custom",
    "cyclic",
    "cyclicMomentum",
    "exponential",
    "factor",
    "inverseTime",
    "join",
    "linear",
    "multifactor",
    "multiply",
    "onecycle",
    "onecycleMomentum",
    "piecewiseConstant",
    "piecewiseLinear",
    "plateau",
    "plateauRates",
    "plateauSchedule",
    "poly",
    "restorePlateau",
    "scale",
    "sgdr",
    "sqrt",
    "step",
    "updatePlateau",
    "warmup",
  ];
  assert.deepEqual(Object.keys(schedules).sort(), expected);
  for (const name of expected) {
    assert.equal(typeof (schedules as Record<string, unknown>)[name], "function", name);
  }
});

Deno.test("mod: schedules are plain functions, cheap to call anywhere in any order", () => {
  const lr = schedules.sgdr({ baseLr: 0.1, t0: 3, tMult: 2 });
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < 200_000; i++) sum += lr((i * 7919) % 1_000_000_007);
  assert.ok(Number.isFinite(sum));
  assert.ok(performance.now() - start < 2000, "closed forms: no replay from step 0");
});
