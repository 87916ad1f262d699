import assert from "node:assert/strict";
import { constant } from "./constant.ts";
import { cosine } from "./cosine.ts";
import { exponential } from "./exponential.ts";
import { join } from "./join.ts";
import { linear } from "./linear.ts";
import { assertPure, PROBES, probeSteps } from "./_testing.ts";
import type { Schedule } from "./types.ts";
import { quote } from "./validate.ts";

const a = linear({ startLr: 0, endLr: 1, maxUpdate: 4 });
const b = exponential({ baseLr: 1, gamma: 0.5 });
const c = constant({ baseLr: 0.01 });

Deno.test("join: each later schedule sees steps counted from its own boundary", () => {
  const lr = join([a, b, c], [4, 7]);
  assert.deepEqual([0, 1, 2, 3].map(lr), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual([4, 5, 6].map(lr), [1, 0.5, 0.25]); // b(0), b(1), b(2)
  assert.deepEqual([7, 8, 100].map(lr), [0.01, 0.01, 0.01]);
  assert.equal(lr(6.5), b(2.5)); // fractional steps stay in their segment
  assertPure(lr);
  probeSteps("join", lr);
});

Deno.test("join: a single schedule with no boundaries is that schedule; joins nest", () => {
  const one = join([b], []);
  for (let t = 0; t < 10; t++) assert.equal(one(t), b(t));
  const nested = join([join([a, b], [4]), c], [6]);
  const flat = join([a, b, c], [4, 6]);
  for (let t = 0; t < 20; t += 0.5) assert.equal(nested(t), flat(t));
});

Deno.test("join: PyTorch's SequentialLR restarts the next scheduler at its milestone", () => {
  const lr = join([
    linear({ startLr: 0.01, endLr: 0.1, maxUpdate: 5 }),
    cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }),
  ], [5]);
  assert.equal(lr(5), 0.1);
  assert.ok(lr(6) < 0.1);
});

Deno.test("join: validates schedules and boundaries", () => {
  const outcomes = [
    RangeError,
    RangeError,
    RangeError,
    RangeError,
    RangeError,
    RangeError,
    TypeError,
  ];
  PROBES.forEach((value, i) => {
    // as the whole list: always a TypeError
    assert.throws(() => join([a, b], value as never), {
      name: "TypeError",
      message: `join: boundaries (${quote(value)}) must be an array of step counts`,
    });
    // as an entry: 0 is not a valid boundary (it would hide the first schedule)
    assert.throws(() => join([a, b], [value as number]), (e: unknown) => {
      assert.ok(e instanceof outcomes[i], `${quote(value)}: ${e}`);
      assert.ok((e as Error).message.startsWith(`join: boundaries[0] (${quote(value)})`));
      return true;
    });
  });
  assert.throws(() => join([a, b, c], [5, 5]), {
    name: "RangeError",
    message: "join: boundaries ([5,5]) must be strictly increasing: 5 follows 5",
  });
  assert.throws(() => join([a, b, c], [7, 4]), /strictly increasing: 4 follows 7/);
  assert.throws(() => join([a, b], [4, 8]), {
    name: "RangeError",
    message: "join: boundaries ([4,8]) must have one entry fewer than schedules (2)",
  });
  assert.throws(() => join([], []), RangeError);
  assert.throws(() => join([a, 3 as unknown as Schedule], [4]), {
    name: "TypeError",
    message: "join: schedules[1] (3) must be a schedule function",
  });
  assert.throws(() => join(a as unknown as Schedule[], [4]), TypeError);
});

Deno.test("join: a hole among the schedules, or a part's bad rate, is join's own error", () => {
  // deno-lint-ignore no-sparse-arrays
  const holey = [a, , c] as Schedule[];
  assert.throws(() => join(holey, [5, 10]), {
    name: "TypeError",
    message: "join: schedules[1] (a hole) must be a number",
  });
  const lr = join([a, (t) => 0.5 - t], [4]);
  assert.equal(lr(4), 0.5);
  assert.throws(() => lr(5), {
    name: "RangeError",
    message: "join: schedules[1](1) returned -0.5; a rate must be a finite number >= 0",
  });
  const text = join([a, () => "0.1" as unknown as number], [4]);
  assert.throws(() => text(4), {
    name: "TypeError",
    message: 'join: schedules[1](0) returned "0.1"; a rate must be a number',
  });
});
