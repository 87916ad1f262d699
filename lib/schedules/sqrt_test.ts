import assert from "node:assert/strict";
import { sqrt } from "./sqrt.ts";
import {
  assertClose,
  assertPure,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => sqrt(o as never);

Deno.test("sqrt: baseLr / sqrt(t + 1)", () => {
  const lr = sqrt({ baseLr: 0.1 });
  assert.equal(lr(0), 0.1);
  assert.equal(lr(3), 0.05);
  assert.equal(lr(99), 0.01);
  assertClose(lr(1), 0.1 / Math.SQRT2, 1e-15);
  assertClose(lr(0.44), 0.1 / 1.2, 1e-15); // fractional steps are fine
  assertPure(lr);
  probeSteps("sqrt", lr);
});

Deno.test("sqrt: validates every option", () => {
  probeOption("sqrt", make, {}, "baseLr", [R, R, R, R, "ok", "ok", T]);
  probeUnknown("sqrt", make, { baseLr: 0.1 }, "base_lr", "baseLr");
});
