import assert from "node:assert/strict";
import { custom } from "./custom.ts";
import { assertPure, probeSteps } from "./_testing.ts";

Deno.test("custom: any function of the step, its steps and rates checked", () => {
  const lr = custom((t) => 0.1 / (1 + t));
  assert.equal(lr(0), 0.1);
  assert.equal(lr(1), 0.05);
  assertPure(lr);
  probeSteps("custom", lr);
});

Deno.test("custom: a bad rate is the library's error, naming the step", () => {
  assert.throws(() => custom(0.1 as never), {
    name: "TypeError",
    message: "custom: rate (0.1) must be a schedule function",
  });
  const bad = custom((t) => [0.1, -1, NaN, Infinity, "0.1" as unknown as number][t]);
  assert.equal(bad(0), 0.1);
  for (const [t, shown] of [[1, "-1"], [2, "NaN"], [3, "Infinity"]] as const) {
    assert.throws(() => bad(t), {
      name: "RangeError",
      message: `custom: rate(${t}) returned ${shown}; a rate must be a finite number >= 0`,
    });
  }
  assert.throws(() => bad(4), {
    name: "TypeError",
    message: 'custom: rate(4) returned "0.1"; a rate must be a number',
  });
  assert.throws(() => bad(0.5), {
    name: "TypeError",
    message: "custom: rate(0.5) returned undefined; a rate must be a number",
  });
});
