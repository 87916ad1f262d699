import assert from "node:assert/strict";
import { exponential } from "./exponential.ts";
import {
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => exponential(o as never);

Deno.test("exponential: matches PyTorch's recursive ExponentialLR", () => {
  for (const [baseLr, gamma] of [[0.1, 0.9], [1, 0.5], [0.03, 0.999], [2, 1]]) {
    let lr = baseLr;
    const torch = Array.from({ length: 200 }, (_, t) => (t === 0 ? lr : (lr *= gamma)));
    assertSequence(exponential({ baseLr, gamma }), torch, 1e-12);
  }
});

Deno.test("exponential: purity and step guard", () => {
  const lr = exponential({ baseLr: 0.1, gamma: 0.9 });
  assert.equal(lr(0), 0.1);
  assertPure(lr);
  probeSteps("exponential", lr);
});

Deno.test("exponential: validates every option", () => {
  const base = { baseLr: 0.1, gamma: 0.9 };
  probeOption("exponential", make, base, "baseLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("exponential", make, base, "gamma", [R, R, R, R, R, R, T]);
  assert.doesNotThrow(() => make({ ...base, gamma: 1 }));
  probeUnknown("exponential", make, base, "gama", "gamma");
});
