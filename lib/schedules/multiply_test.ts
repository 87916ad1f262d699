import assert from "node:assert/strict";
import { constant } from "./constant.ts";
import { exponential } from "./exponential.ts";
import { multiply } from "./multiply.ts";
import { step } from "./step.ts";
import { assertClose, assertPure, probeSteps } from "./_testing.ts";
import type { Schedule } from "./types.ts";

Deno.test("multiply: the product of the schedules, step by step", () => {
  const a = exponential({ baseLr: 0.1, gamma: 0.9 });
  const b = step({ baseLr: 1, stepSize: 3, gamma: 0.5 });
  const lr = multiply([a, b]);
  for (let t = 0; t < 20; t++) assert.equal(lr(t), a(t) * b(t));
  assert.equal(multiply([a])(4), a(4));
  assertPure(lr);
  probeSteps("multiply", lr);
});

Deno.test("multiply: PyTorch's ChainedScheduler of ConstantLR and ExponentialLR", () => {
  // ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)]),
  // base rate 1: both multiply the rate in turn at every step (PyTorch's docstring)
  let lr = 1 * 0.1;
  const torch = [lr];
  for (let t = 1; t < 10; t++) {
    if (t === 2) lr *= 1 / 0.1; // ConstantLR lifts its factor at total_iters
    lr *= 0.9;
    torch.push(lr);
  }
  const constantLr = (t: number) => (t < 2 ? 0.1 : 1);
  const exact = multiply([constantLr, exponential({ baseLr: 1, gamma: 0.9 })]);
  torch.forEach((value, t) => assertClose(exact(t), value, 1e-14, `t=${t}`));
});

Deno.test("multiply: validates the schedules and the product", () => {
  assert.throws(() => multiply([]), {
    name: "RangeError",
    message: "multiply: schedules ([]) must have at least one entry",
  });
  assert.throws(() => multiply(constant({ baseLr: 1 }) as unknown as Schedule[]), {
    name: "TypeError",
    message: "multiply: schedules (a function) must be an array of schedules",
  });
  // deno-lint-ignore no-sparse-arrays
  assert.throws(
    () => multiply([constant({ baseLr: 1 }), , constant({ baseLr: 1 })] as Schedule[]),
    {
      name: "TypeError",
      message: "multiply: schedules[1] (a hole) must be a number",
    },
  );
  assert.throws(() => multiply([constant({ baseLr: 1 }), () => NaN])(2), {
    name: "RangeError",
    message: "multiply: schedules[1](2) returned NaN; a rate must be a finite number >= 0",
  });
  const big = constant({ baseLr: 1e200 });
  assert.equal(multiply([big, big, constant({ baseLr: 0 })])(0), 0); // not Infinity * 0
  assert.throws(() => multiply([big, big])(0), {
    name: "RangeError",
    message: "multiply: the product at step 0 of the schedules' rates (1e+200, 1e+200) passes " +
      "the largest number",
  });
});
