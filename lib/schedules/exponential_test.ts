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
  probeOption("exponential", make, { ...base, maxLr: 5 }, "gamma", [R, R, R, R, R, "ok", T]);
  probeOption("exponential", make, base, "maxLr", [R, R, R, R, R, "ok", T]); // 0 < baseLr
  assert.throws(() => make({ ...base, gamma: 1.1 }), {
    name: "RangeError",
    message: "exponential: gamma (1.1) > 1 needs maxLr, the cap the growing rate stops at",
  });
  probeUnknown("exponential", make, base, "gama", "gamma");
});

Deno.test("exponential: a range test grows to its cap and stays there, finite at every step", () => {
  const lr = exponential({ baseLr: 1e-7, gamma: 1.2, maxLr: 10 });
  let rate = 1e-7;
  for (let t = 0; t < 200; t++) {
    assert.ok(Math.abs(lr(t) - Math.min(rate, 10)) <= 1e-12 * Math.min(rate, 10), `t=${t}`);
    rate *= 1.2;
  }
  for (const t of [1e4, 1e308, Number.MAX_VALUE]) assert.equal(lr(t), 10);
  assert.equal(exponential({ baseLr: 0, gamma: 2, maxLr: 1 })(1e308), 0);
  assert.equal(exponential({ baseLr: 5e-324, gamma: Number.MAX_VALUE, maxLr: 1 })(2), 1);
  // a cap with decay changes nothing
  assert.equal(exponential({ baseLr: 0.1, gamma: 0.9, maxLr: 1 })(3), 0.1 * 0.9 ** 3);
});
