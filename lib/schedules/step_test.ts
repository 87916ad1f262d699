import assert from "node:assert/strict";
import { step } from "./step.ts";
import {
  assertClose,
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => step(o as never);

/** PyTorch 1.13's StepLR.get_lr, stepped as the reference protocol steps it. */
function torchStepLR(baseLr: number, stepSize: number, gamma: number, n: number): number[] {
  let lr = baseLr;
  const out: number[] = [];
  for (let epoch = 0; epoch < n; epoch++) {
    if (epoch !== 0 && epoch % stepSize === 0) lr *= gamma;
    out.push(lr);
  }
  return out;
}

Deno.test("step: matches PyTorch's StepLR for sizes and factors not in the reference file", () => {
  for (
    const [stepSize, gamma, baseLr] of [[3, 0.7, 0.2], [1, 0.95, 1], [7, 0.1, 0.05], [25, 1, 3]]
  ) {
    const lr = step({ baseLr, stepSize, gamma });
    assertSequence(lr, torchStepLR(baseLr, stepSize, gamma, 100), 1e-12, `step ${stepSize}`);
  }
});

Deno.test("step: hand-checked values, default gamma 0.1, fractional steps", () => {
  const lr = step({ baseLr: 1, stepSize: 4 });
  assert.deepEqual([0, 3, 3.99].map(lr), [1, 1, 1]);
  assertClose(lr(4), 0.1, 1e-15);
  assertClose(lr(8), 0.01, 1e-15);
  assertPure(lr);
  probeSteps("step", lr);
});

Deno.test("step: validates every option", () => {
  const base = { baseLr: 0.1, stepSize: 10, gamma: 0.5 };
  probeOption("step", make, base, "baseLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("step", make, base, "stepSize", [R, R, R, R, R, R, T]);
  probeOption("step", make, base, "gamma", [R, R, R, R, R, R, T]);
  assert.doesNotThrow(() => make({ ...base, stepSize: 3 }));
  assert.throws(() => make({ baseLr: 0.1 }), {
    name: "TypeError",
    message: "step: stepSize is required",
  });
  probeUnknown("step", make, base, "step_size", "stepSize");
});
