import assert from "node:assert/strict";
import { factor } from "./factor.ts";
import {
  assertClose,
  assertPure,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => factor(o as never);
const base = { baseLr: 2, factor: 0.9, stopFactorLr: 0.01 };

Deno.test("factor: max(stop, baseLr * factor^t), starting at baseLr", () => {
  const lr = factor(base);
  assert.equal(lr(0), 2);
  assertClose(lr(1), 1.8, 1e-15);
  assertClose(lr(10), 2 * 0.9 ** 10, 1e-15);
  assert.equal(lr(100), 0.01); // 2 * 0.9^100 ~ 5.3e-5 is below the floor
  // the floor is reached exactly where 2 * 0.9^t drops below 0.01: t = 51
  assert.ok(lr(50) > 0.01);
  assert.equal(lr(51), 0.01);
  assertPure(lr);
  probeSteps("factor", lr);
});

Deno.test("factor: the chapter's stateful version is this one shifted by one step", () => {
  // The chapter's FactorScheduler: state <- max(stop, state * factor); return state.
  let state = base.baseLr;
  const chapter = () => (state = Math.max(base.stopFactorLr, state * base.factor));
  const lr = factor(base);
  for (let call = 0; call < 80; call++) assertClose(chapter(), lr(call + 1), 1e-12, `call ${call}`);
});

Deno.test("factor: factor 1 keeps the rate; stopFactorLr defaults to 0", () => {
  assert.equal(factor({ baseLr: 0.3, factor: 1 })(1000), 0.3);
  assert.equal(factor({ baseLr: 1, factor: 0.5 })(3), 0.125);
});

Deno.test("factor: validates every option", () => {
  probeOption("factor", make, base, "baseLr", [R, R, R, R, R, "ok", T]); // 0 < stop 0.01
  probeOption("factor", make, base, "factor", [R, R, R, R, R, R, T]);
  probeOption("factor", make, base, "stopFactorLr", [R, R, R, R, "ok", R, T]); // 2.5 > baseLr
  assert.throws(() => make({ ...base, stopFactorLr: 3 }), {
    name: "RangeError",
    message: "factor: stopFactorLr (3) must be <= baseLr (2)",
  });
  assert.throws(() => make({ baseLr: 1 }), {
    name: "TypeError",
    message: "factor: factor is required",
  });
  probeUnknown("factor", make, base, "stop_factor_lr", "stopFactorLr");
});
