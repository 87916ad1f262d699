import assert from "node:assert/strict";
import { linear } from "./linear.ts";
import { piecewiseLinear } from "./piecewise_linear.ts";
import { assertClose, assertPure, probeOption, probeSteps, probeUnknown, T } from "./_testing.ts";

const make = (o: Record<string, unknown>) => piecewiseLinear(o as never);
const base = { boundaries: [0, 5, 50, 100], values: [0, 0.1, 0.1, 0] };

Deno.test("piecewiseLinear: straight lines between the values, held outside", () => {
  const lr = piecewiseLinear(base);
  assert.deepEqual([0, 1, 2.5, 5, 30, 75, 100, 1e308].map(lr), [
    0,
    0.02,
    0.05,
    0.1,
    0.1,
    0.05,
    0,
    0,
  ]);
  const late = piecewiseLinear({ boundaries: [10, 20], values: [1, 3] });
  assert.deepEqual([0, 10, 15, 20, 25].map(late), [1, 1, 2, 3, 3]);
  assert.equal(piecewiseLinear({ boundaries: [7], values: [0.3] })(1e9), 0.3);
  assertPure(lr);
  probeSteps("piecewiseLinear", lr);
});

Deno.test("piecewiseLinear: one piece is linear, bit for bit", () => {
  const one = piecewiseLinear({ boundaries: [0, 7], values: [0.3, 0.01] });
  const line = linear({ startLr: 0.3, endLr: 0.01, maxUpdate: 7 });
  for (let t = 0; t < 12; t += 0.25) assert.equal(one(t), line(t), `t=${t}`);
});

Deno.test("piecewiseLinear: finite between the largest values", () => {
  const lr = piecewiseLinear({ boundaries: [0, 2 ** 1000], values: [0, Number.MAX_VALUE] });
  assertClose(lr(2 ** 999), Number.MAX_VALUE / 2, 1e-15);
});

Deno.test("piecewiseLinear: validates its options, holes included", () => {
  probeOption("piecewiseLinear", make, base, "boundaries", [T, T, T, T, T, T, T]);
  probeOption("piecewiseLinear", make, base, "values", [T, T, T, T, T, T, T]);
  assert.throws(() => make({ boundaries: [], values: [] }), {
    name: "RangeError",
    message: "piecewiseLinear: boundaries ([]) must have at least one entry",
  });
  assert.throws(() => make({ ...base, values: [0, 1] }), {
    name: "RangeError",
    message: "piecewiseLinear: values ([0,1]) must have as many entries as boundaries (4)",
  });
  assert.throws(() => make({ ...base, boundaries: [0, 5, 5, 100] }), /strictly increasing/);
  // deno-lint-ignore no-sparse-arrays
  assert.throws(() => make({ ...base, boundaries: [0, , 50, 100] }), {
    name: "TypeError",
    message: "piecewiseLinear: boundaries[1] (a hole) must be a number",
  });
  probeUnknown("piecewiseLinear", make, base, "boundries", "boundaries");
});
