import assert from "node:assert/strict";
import { constant } from "./constant.ts";
import { assertPure, probeOption, probeSteps, probeUnknown, R, T } from "./_testing.ts";

const make = (o: Record<string, unknown>) => constant(o as never);

Deno.test("constant: the same rate at every step", () => {
  const lr = constant({ baseLr: 0.05 });
  for (const t of [0, 1, 2.5, 100, 1e9]) assert.equal(lr(t), 0.05);
  assertPure(lr);
  probeSteps("constant", lr);
});

Deno.test("constant: validates every option", () => {
  probeOption("constant", make, {}, "baseLr", [R, R, R, R, "ok", "ok", T]);
  assert.throws(() => make({}), { name: "TypeError", message: "constant: baseLr is required" });
  probeUnknown("constant", make, { baseLr: 0.1 }, "baseLR", "baseLr");
});
