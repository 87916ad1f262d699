import assert from "node:assert/strict";
import { constant } from "./constant.ts";
import { cosine } from "./cosine.ts";
import { onecycle } from "./onecycle.ts";
import { step } from "./step.ts";
import { warmup } from "./warmup.ts";
import {
  assertClose,
  assertPure,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const flat = constant({ baseLr: 0.1 });
const make = (o: Record<string, unknown>) => warmup(flat, o as never);
const base = { steps: 5, beginLr: 0.01, kind: "linear" };

Deno.test("warmup: ramps to schedule(0), then runs the schedule from its own step 0", () => {
  const inner = step({ baseLr: 0.4, stepSize: 3, gamma: 0.5 });
  const lr = warmup(inner, { steps: 4 });
  assert.deepEqual([0, 1, 2, 3].map(lr), [0, 0.1, 0.2, 0.30000000000000004]);
  for (let t = 4; t < 40; t++) assert.equal(lr(t), inner(t - 4));
  assertPure(lr);
  probeSteps("warmup", lr);
});

Deno.test("warmup: linear, constant and exponential ramps, by hand", () => {
  const inner = constant({ baseLr: 1 });
  const lin = warmup(inner, { steps: 4, beginLr: 0.2, kind: "linear" });
  [0.2, 0.4, 0.6, 0.8, 1].forEach((v, t) => assertClose(lin(t), v, 1e-15));
  const con = warmup(inner, { steps: 4, beginLr: 0.2, kind: "constant" });
  assert.deepEqual([0, 1, 2, 3, 4].map(con), [0.2, 0.2, 0.2, 0.2, 1]);
  const exp = warmup(inner, { steps: 3, beginLr: 0.001, kind: "exponential" });
  [0.001, 0.01, 0.1, 1].forEach((v, t) => assertClose(exp(t), v, 1e-12));
  assertClose(exp(1.5), 10 ** -1.5, 1e-12);
});

Deno.test("warmup: wraps any schedule, a one-cycle included; 0 steps changes nothing", () => {
  const cycle = onecycle({ maxLr: 1, totalSteps: 50 });
  const lr = warmup(cycle, { steps: 10, beginLr: 0 });
  assertClose(lr(5), cycle(0) / 2, 1e-15);
  for (let t = 10; t < 70; t++) assert.equal(lr(t), cycle(t - 10));
  const same = warmup(cycle, { steps: 0 });
  for (let t = 0; t < 60; t++) assert.equal(same(t), cycle(t));
});

Deno.test("warmup: expresses the chapter's cosine with warmup exactly", () => {
  const chapter = cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 });
  const lr = warmup(cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 15 }), { steps: 5 });
  for (let t = 0; t < 60; t++) assertClose(lr(t), chapter(t), 1e-12, `t=${t}`);
});

Deno.test("warmup: validates every option and the schedule", () => {
  probeOption("warmup", make, base, "steps", [R, R, R, R, "ok", R, T]);
  probeOption("warmup", make, base, "beginLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("warmup", make, base, "kind", [T, T, T, T, T, T, R]);
  const expBase = { ...base, kind: "exponential" };
  probeOption("warmup", make, expBase, "beginLr", [R, R, R, R, R, "ok", T]); // 0 is not > 0
  assert.throws(
    () => warmup(constant({ baseLr: 0 }), { steps: 3, beginLr: 0.1, kind: "exponential" }),
    {
      name: "RangeError",
      message: `warmup: the schedule's first rate (0) must be > 0 for kind "exponential"`,
    },
  );
  assert.throws(() => warmup(0.1 as never, base as never), {
    name: "TypeError",
    message: "warmup: schedule (0.1) must be a schedule function",
  });
  assert.throws(() => warmup(flat, {} as never), {
    name: "TypeError",
    message: "warmup: steps is required",
  });
  probeUnknown("warmup", make, base, "warmupSteps", "steps");
  probeUnknown("warmup", make, base, "begin_lr", "beginLr");
});

Deno.test("warmup: the wrapped schedule's rates are checked, schedule(0) when it is made", () => {
  assert.throws(() => warmup(() => -1, { steps: 5 }), {
    name: "RangeError",
    message: "warmup: schedule(0) returned -1; a rate must be a finite number >= 0",
  });
  const lr = warmup((t) => (t < 3 ? 0.1 : NaN), { steps: 5 });
  assert.equal(lr(7), 0.1);
  assert.throws(() => lr(8), {
    name: "RangeError",
    message: "warmup: schedule(3) returned NaN; a rate must be a finite number >= 0",
  });
  assert.throws(
    () => warmup((t) => (t < 1 ? 1 : -t), { steps: 0 })(2),
    /schedule\(2\) returned -2/,
  );
});

Deno.test("warmup: finite at the extremes of the allowed values", () => {
  const tiny = warmup(constant({ baseLr: 0.1 }), {
    steps: 4,
    beginLr: 5e-324,
    kind: "exponential",
  });
  for (let t = 0; t <= 4; t += 0.25) {
    const rate = tiny(t);
    assert.ok(Number.isFinite(rate) && rate >= 0, `t=${t}: ${rate}`);
  }
  assert.equal(tiny(0), 5e-324);
  assert.equal(tiny(4), 0.1);
  assertClose(tiny(2), Math.exp((Math.log(5e-324) + Math.log(0.1)) / 2), 1e-9);
  const huge = warmup(constant({ baseLr: 1e300 }), { steps: 1e9 });
  assert.equal(huge(5e8), 5e299);
  const down = warmup(constant({ baseLr: 5e-324 }), {
    steps: 3,
    beginLr: 1e300,
    kind: "exponential",
  });
  for (const t of [0, 1, 2, 2.9]) assert.ok(Number.isFinite(down(t)), `t=${t}`);
});
