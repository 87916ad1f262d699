import assert from "node:assert/strict";
import { multifactor } from "./multifactor.ts";
import { piecewiseConstant } from "./piecewise_constant.ts";
import { assertPure, probeOption, probeSteps, probeUnknown, T } from "./_testing.ts";

const make = (o: Record<string, unknown>) => piecewiseConstant(o as never);
const base = { boundaries: [10, 20], values: [0.1, 0.05, 0.001] };

Deno.test("piecewiseConstant: a value per interval, each boundary from its own step", () => {
  const lr = piecewiseConstant(base);
  assert.deepEqual([0, 9.5, 10, 19, 20, 1e308].map(lr), [0.1, 0.1, 0.05, 0.05, 0.001, 0.001]);
  assert.equal(piecewiseConstant({ boundaries: [], values: [0.3] })(1e9), 0.3);
  assertPure(lr);
  probeSteps("piecewiseConstant", lr);
});

Deno.test("piecewiseConstant: multifactor is the case of running products", () => {
  const milestones = [3, 7, 12];
  const ours = multifactor({ baseLr: 0.4, milestones, factor: 0.5 });
  const pieces = piecewiseConstant({ boundaries: milestones, values: [0.4, 0.2, 0.1, 0.05] });
  for (let t = 0; t < 20; t++) assert.equal(pieces(t), ours(t), `t=${t}`);
});

Deno.test("piecewiseConstant: Keras's boundaries change after the step they name", () => {
  // Keras: PiecewiseConstantDecay([b], [v0, v1]) gives v0 while step <= b
  const keras = (b: number, v: number[]) => (t: number) => (t <= b ? v[0] : v[1]);
  const lr = piecewiseConstant({ boundaries: [6], values: [1, 0.5] });
  for (let t = 0; t < 12; t++) assert.equal(lr(t), keras(5, [1, 0.5])(t), `t=${t}`);
});

Deno.test("piecewiseConstant: validates its options, holes included", () => {
  probeOption("piecewiseConstant", make, base, "boundaries", [T, T, T, T, T, T, T]);
  probeOption("piecewiseConstant", make, base, "values", [T, T, T, T, T, T, T]);
  assert.throws(() => make({ ...base, values: [0.1, 0.05] }), {
    name: "RangeError",
    message: "piecewiseConstant: values ([0.1,0.05]) must have one entry more than boundaries (2)",
  });
  assert.throws(() => make({ ...base, values: [0.1, NaN, 0] }), {
    name: "RangeError",
    message: "piecewiseConstant: values[1] (NaN) must be a finite number",
  });
  assert.throws(() => make({ ...base, boundaries: [0, 20] }), {
    name: "RangeError",
    message: "piecewiseConstant: boundaries[0] (0) must be >= 1",
  });
  // deno-lint-ignore no-sparse-arrays
  assert.throws(() => make({ ...base, values: [0.1, , 0] }), {
    name: "TypeError",
    message: "piecewiseConstant: values[1] (a hole) must be a number",
  });
  assert.throws(() => make({ boundaries: [1] }), {
    name: "TypeError",
    message: "piecewiseConstant: values is required",
  });
  probeUnknown("piecewiseConstant", make, base, "value", "values");
});
