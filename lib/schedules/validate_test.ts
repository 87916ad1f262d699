import assert from "node:assert/strict";
import {
  checkedRates,
  checkList,
  checkNumber,
  checkOptionNames,
  checkRateOf,
  checkSchedule,
  checkStep,
  countAtOrBelow,
  guarded,
  own,
  quote,
  readBoolean,
  readChoice,
  readNumber,
  readSteps,
} from "./validate.ts";

Deno.test("validate: quote renders values unambiguously", () => {
  assert.equal(quote(NaN), "NaN");
  assert.equal(quote(-Infinity), "-Infinity");
  assert.equal(quote(-0), "-0");
  assert.equal(quote(2.5), "2.5");
  assert.equal(quote("2.5"), '"2.5"');
  assert.equal(quote(undefined), "undefined");
  assert.equal(quote(null), "null");
  assert.equal(quote(true), "true");
  assert.equal(quote({ a: 1 }), '{"a":1}');
  assert.equal(quote(() => 1), "a function");
  assert.equal(quote(3n), "3n");
  assert.match(quote(Array.from({ length: 40 }, (_, i) => i)), /\.\.\.$/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(quote(cyclic), "object");
});

Deno.test("validate: numbers, bounds and messages", () => {
  const rule = { integer: true, min: 1 };
  assert.equal(checkNumber("f", "n", 3, rule), 3);
  assert.throws(() => checkNumber("f", "n", 0, rule), { message: "f: n (0) must be >= 1" });
  assert.throws(() => checkNumber("f", "n", 1.5, rule), {
    message: "f: n (1.5) must be an integer",
  });
  assert.throws(() => checkNumber("f", "n", "3", rule), { name: "TypeError" });
  assert.throws(() => checkNumber("f", "x", 1, { below: 1 }), { message: "f: x (1) must be < 1" });
  assert.throws(() => checkNumber("f", "x", 2, { max: 1 }), { message: "f: x (2) must be <= 1" });
  assert.throws(() => checkNumber("f", "x", 0, { above: 0 }), { message: "f: x (0) must be > 0" });
  assert.throws(() => checkNumber("f", "x", 1, { min: 0, below: 1 }), {
    message: "f: x (1) must be in [0, 1)",
  });
  assert.throws(() => checkNumber("f", "x", NaN, {}), {
    message: "f: x (NaN) must be a finite number",
  });
  assert.equal(readNumber("f", {}, "x", {}, 7), 7);
  assert.throws(() => readNumber("f", { x: null }, "x", {}, 7), { name: "TypeError" });
});

Deno.test("validate: options, choices, flags, step lists and steps", () => {
  assert.throws(() => checkOptionNames("f", [1], ["a"]), {
    message: "f: options ([1]) must be an object",
  });
  assert.throws(() => checkOptionNames("f", { zz: 1 }, ["a"]), {
    message: 'f: unknown option "zz"; known options: a',
  });
  assert.throws(() => readChoice("f", {}, "mode", ["a", "b"]), { message: "f: mode is required" });
  assert.equal(readBoolean("f", { on: true }, "on", false), true);
  assert.throws(() => readSteps("f", {}, "milestones", 0), {
    message: "f: milestones is required",
  });
  assert.deepEqual(readSteps("f", { m: [] }, "m", 0), []);
  assert.ok(Object.isFrozen(readSteps("f", { m: [1] }, "m", 0)));
  assert.equal(checkStep("s", 0), 0);
  assert.throws(() => checkStep("s", undefined), {
    message: "s: step (undefined) must be a number",
  });
  assert.equal(countAtOrBelow([], 5), 0);
  assert.equal(countAtOrBelow([1, 2, 3], 2.5), 2);
});

Deno.test("validate: holes in arrays are refused by name, never skipped", () => {
  // deno-lint-ignore no-sparse-arrays
  const holey = [5, , 1];
  assert.throws(() => readSteps("multifactor", { milestones: holey }, "milestones", 0), {
    name: "TypeError",
    message: "multifactor: milestones[1] (a hole) must be a number",
  });
  assert.throws(() => readSteps("f", { m: new Array(3) }, "m", 0), {
    name: "TypeError",
    message: "f: m[0] (a hole) must be a number",
  });
  assert.throws(() => checkList("f", "xs", "1,2", (x) => x), {
    name: "TypeError",
    message: 'f: xs ("1,2") must be an array',
  });
});

Deno.test("validate: options are own properties only", () => {
  const inherited = Object.create({ baseLr: 0.1 });
  assert.equal(own(inherited, "baseLr"), undefined);
  assert.throws(() => readNumber("sqrt", inherited, "baseLr", { min: 0 }), {
    name: "TypeError",
    message: "sqrt: baseLr is required",
  });
});

Deno.test("validate: guarded schedules and the rates of wrapped ones are checked", () => {
  const broken = guarded("broken", (t) => (t < 1 ? 0.1 : t < 2 ? NaN : Infinity));
  assert.equal(broken(0), 0.1);
  assert.throws(() => broken(1), /^RangeError: broken: the rate at step 1 is NaN, not a finite/);
  assert.throws(() => broken(2), /the rate at step 2 is Infinity/);
  const inner = checkedRates("warmup", "schedule", (t) => (t === 0 ? "0.1" : -t) as number);
  assert.throws(() => inner(0), {
    name: "TypeError",
    message: 'warmup: schedule(0) returned "0.1"; a rate must be a number',
  });
  assert.throws(() => inner(2.5), {
    name: "RangeError",
    message: "warmup: schedule(2.5) returned -2.5; a rate must be a finite number >= 0",
  });
  assert.equal(checkRateOf("f", "g(0)", 0), 0);
  assert.equal(checkRateOf("f", "g(0)", Number.MAX_VALUE), Number.MAX_VALUE);
  assert.throws(() => checkSchedule("join", "schedules[0]", null), {
    name: "TypeError",
    message: "join: schedules[0] (null) must be a schedule function",
  });
});
