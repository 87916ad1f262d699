import assert from "node:assert/strict";
import { inverseTime } from "./inverse_time.ts";
import {
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => inverseTime(o as never);
const base = { baseLr: 0.1, decayRate: 0.5, decaySteps: 10 };

Deno.test("inverseTime: Keras's InverseTimeDecay, smooth and as a staircase", () => {
  // Keras: initial / (1 + decay_rate * p), p = step / decay_steps (floored for staircase)
  const keras = (staircase: boolean) =>
    Array.from({ length: 100 }, (_, t) => {
      const p = staircase ? Math.floor(t / 10) : t / 10;
      return 0.1 / (1 + 0.5 * p);
    });
  assertSequence(inverseTime(base), keras(false), 1e-15);
  assertSequence(inverseTime({ ...base, staircase: true }), keras(true), 1e-15);
  assert.equal(inverseTime({ baseLr: 0.2, decayRate: 0 })(1e6), 0.2);
  assert.equal(inverseTime({ baseLr: 0.2, decayRate: 1e308 })(1e308), 0);
  assertPure(inverseTime(base));
  probeSteps("inverseTime", inverseTime(base));
});

Deno.test("inverseTime: validates every option", () => {
  probeOption("inverseTime", make, base, "baseLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("inverseTime", make, base, "decayRate", [R, R, R, R, "ok", "ok", T]);
  probeOption("inverseTime", make, base, "decaySteps", [R, R, R, R, R, R, T]);
  probeOption("inverseTime", make, base, "staircase", [T, T, T, T, T, T, T]);
  assert.throws(() => make({ baseLr: 0.1 }), {
    name: "TypeError",
    message: "inverseTime: decayRate is required",
  });
  probeUnknown("inverseTime", make, base, "decay_rate", "decayRate");
});
