import assert from "node:assert/strict";
import { constant } from "./constant.ts";
import { cosine } from "./cosine.ts";
import { scale } from "./scale.ts";
import { assertPure, PROBES, probeSteps } from "./_testing.ts";
import type { Schedule } from "./types.ts";
import { quote } from "./validate.ts";

Deno.test("scale: the same shape at another height", () => {
  const unit = cosine({ baseLr: 1, finalLr: 0.1, maxUpdate: 20 });
  const lr = scale(unit, 0.3);
  for (let t = 0; t < 30; t++) assert.equal(lr(t), 0.3 * unit(t));
  assert.equal(scale(unit, 0)(5), 0);
  assertPure(lr);
  probeSteps("scale", lr);
});

Deno.test("scale: validates its factor and the rates it scales", () => {
  const outcomes = [RangeError, RangeError, RangeError, RangeError, null, null, TypeError];
  PROBES.forEach((by, i) => {
    const call = () => scale(constant({ baseLr: 1 }), by as number);
    const expected = outcomes[i];
    if (expected === null) return void assert.doesNotThrow(call);
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof expected, `${quote(by)}: ${e}`);
      assert.ok((e as Error).message.startsWith(`scale: by (${quote(by)}) must`));
      return true;
    });
  });
  assert.throws(() => scale(0.1 as unknown as Schedule, 2), {
    name: "TypeError",
    message: "scale: schedule (0.1) must be a schedule function",
  });
  assert.throws(() => scale((t) => 1 - t, 2)(3), {
    name: "RangeError",
    message: "scale: schedule(3) returned -2; a rate must be a finite number >= 0",
  });
  assert.throws(() => scale(constant({ baseLr: 1e308 }), 10)(0), {
    name: "RangeError",
    message: "scale: by (10) times the rate at step 0 (1e+308) passes the largest number",
  });
});
