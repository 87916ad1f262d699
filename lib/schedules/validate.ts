/**
 * Shared checks for the schedule factories: every option is read through these
 * helpers, so every factory rejects bad input the same way and with the same
 * kind of message, `factory: option (value) must be ...`.
 *
 * - a value of the wrong type (a string where a number belongs, a missing
 *   required option, an unknown option name) is a `TypeError`;
 * - a number of the right type but outside its domain (NaN, ±Infinity, a
 *   negative rate, a non-integer count, a factor outside (0, 1], ...) is a
 *   `RangeError`.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { nearest } from "./nearest.ts";

/**
 * Quote a value for an error message: numbers as JavaScript prints them
 * (`NaN`, `-Infinity`, `2.5`), strings in double quotes, anything else as
 * compact JSON or its type.
 *
 * @param value The offending value.
 * @returns A short, unambiguous rendering of `value`.
 *
 * @example Quoting values
 * ```ts
 * import assert from "node:assert/strict";
 * import { quote } from "./validate.ts";
 * assert.equal(quote(NaN), "NaN");
 * assert.equal(quote("0.1"), '"0.1"');
 * assert.equal(quote([3, 1]), "[3,1]");
 * ```
 */
export function quote(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    // fall through: cyclic or otherwise unprintable
  }
  return typeof value;
}

/** The options record a factory reads, once its names have been checked. */
export type OptionRecord = Readonly<Record<string, unknown>>;

/**
 * Check that `options` is a plain object whose every key is one of `known`.
 *
 * @param factory The factory's name, for messages.
 * @param options What the caller passed.
 * @param known The option names the factory understands.
 * @returns `options`, typed as a record.
 * @throws {TypeError} When `options` is not an object or has an unknown key
 *   (the message names the key and the nearest known one).
 *
 * @example An unknown option
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOptionNames } from "./validate.ts";
 * assert.throws(
 *   () => checkOptionNames("cosine", { baseLR: 0.1 }, ["baseLr", "finalLr"]),
 *   { name: "TypeError", message: /cosine: unknown option "baseLR" \(did you mean "baseLr"\?\)/ },
 * );
 * ```
 */
export function checkOptionNames(
  factory: string,
  options: unknown,
  known: readonly string[],
): OptionRecord {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${factory}: options (${quote(options)}) must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = nearest(key, known);
      const suggestion = hint === undefined ? "" : ` (did you mean "${hint}"?)`;
      throw new TypeError(
        `${factory}: unknown option "${key}"${suggestion}; known options: ${known.join(", ")}`,
      );
    }
  }
  return options as OptionRecord;
}

/**
 * An option's value, read only from the options object itself: an inherited
 * property (`Object.create({ baseLr: 1 })`) is not an option, just as
 * {@linkcode checkOptionNames} does not see it.
 *
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @returns Its value, or `undefined` when the object has no such own property.
 *
 * @example Inherited properties are not options
 * ```ts
 * import assert from "node:assert/strict";
 * import { own } from "./validate.ts";
 * assert.equal(own({ baseLr: 1 }, "baseLr"), 1);
 * assert.equal(own(Object.create({ baseLr: 1 }), "baseLr"), undefined);
 * ```
 */
export function own(options: OptionRecord, name: string): unknown {
  return Object.hasOwn(options, name) ? options[name] : undefined;
}

/** Domain of a numeric option. Bounds are inclusive unless named `above`/`below`. */
export interface NumberRule {
  /** The value must be an integer. */
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive upper bound. */
  below?: number;
}

function describeRule(rule: NumberRule): string {
  const low = rule.above !== undefined
    ? `(${rule.above}`
    : rule.min !== undefined
    ? `[${rule.min}`
    : "";
  const high = rule.below !== undefined
    ? `${rule.below})`
    : rule.max !== undefined
    ? `${rule.max}]`
    : "";
  if (low && high) return `in ${low}, ${high}`;
  if (rule.above !== undefined) return `> ${rule.above}`;
  if (rule.min !== undefined) return `>= ${rule.min}`;
  if (rule.below !== undefined) return `< ${rule.below}`;
  if (rule.max !== undefined) return `<= ${rule.max}`;
  return "a finite number";
}

/**
 * Check one numeric value against a rule.
 *
 * @param factory The factory's name, for messages.
 * @param name The option's name, for messages.
 * @param value The value to check.
 * @param rule Its domain.
 * @returns `value`, as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When it is NaN, infinite, not an integer where one is
 *   needed, or outside the bounds.
 *
 * @example A decay factor
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNumber } from "./validate.ts";
 * assert.equal(checkNumber("step", "gamma", 0.5, { above: 0, max: 1 }), 0.5);
 * assert.throws(() => checkNumber("step", "gamma", 2.5, { above: 0, max: 1 }), {
 *   name: "RangeError",
 *   message: "step: gamma (2.5) must be in (0, 1]",
 * });
 * ```
 */
export function checkNumber(
  factory: string,
  name: string,
  value: unknown,
  rule: NumberRule,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be a number`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${factory}: ${name} (${quote(value)}) must be a finite number`);
  }
  if (rule.integer && !Number.isInteger(value)) {
    throw new RangeError(`${factory}: ${name} (${quote(value)}) must be an integer`);
  }
  const bad = (rule.min !== undefined && value < rule.min) ||
    (rule.above !== undefined && value <= rule.above) ||
    (rule.max !== undefined && value > rule.max) ||
    (rule.below !== undefined && value >= rule.below);
  if (bad) {
    throw new RangeError(`${factory}: ${name} (${quote(value)}) must be ${describeRule(rule)}`);
  }
  return value;
}

/**
 * Read a numeric option, falling back to a default when it is absent.
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @param rule Its domain.
 * @param fallback Its default; omit to make the option required.
 * @returns The option's value, or `fallback`.
 * @throws {TypeError} When the option is required and absent, or not a number.
 * @throws {RangeError} When it is outside its domain.
 *
 * @example A required rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNumber } from "./validate.ts";
 * assert.equal(readNumber("sqrt", { baseLr: 0.1 }, "baseLr", { min: 0 }), 0.1);
 * assert.throws(() => readNumber("sqrt", {}, "baseLr", { min: 0 }), {
 *   name: "TypeError",
 *   message: "sqrt: baseLr is required",
 * });
 * ```
 */
export function readNumber(
  factory: string,
  options: OptionRecord,
  name: string,
  rule: NumberRule,
  fallback?: number,
): number {
  const value = own(options, name);
  if (value === undefined) {
    if (fallback === undefined) throw new TypeError(`${factory}: ${name} is required`);
    return fallback;
  }
  return checkNumber(factory, name, value, rule);
}

/**
 * Read a learning-rate option: a finite number >= 0.
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @param fallback Its default; omit to make the option required.
 * @returns The rate.
 *
 * @example A rate with a default
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRate } from "./validate.ts";
 * assert.equal(readRate("cosine", {}, "finalLr", 0), 0);
 * assert.throws(() => readRate("cosine", { finalLr: -1 }, "finalLr", 0), RangeError);
 * ```
 */
export function readRate(
  factory: string,
  options: OptionRecord,
  name: string,
  fallback?: number,
): number {
  return readNumber(factory, options, name, { min: 0 }, fallback);
}

/**
 * Read an option that must be one of a few strings.
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @param choices The allowed values.
 * @param fallback Its default; omit to make the option required.
 * @returns The chosen value.
 * @throws {TypeError} When absent (and required) or not a string.
 * @throws {RangeError} When a string outside `choices`.
 *
 * @example An annealing shape
 * ```ts
 * import assert from "node:assert/strict";
 * import { readChoice } from "./validate.ts";
 * const shapes = ["cos", "linear"] as const;
 * assert.equal(readChoice("onecycle", { anneal: "linear" }, "anneal", shapes, "cos"), "linear");
 * assert.throws(() => readChoice("onecycle", { anneal: "cosine" }, "anneal", shapes, "cos"), {
 *   name: "RangeError",
 *   message: 'onecycle: anneal ("cosine") must be one of "cos", "linear"',
 * });
 * ```
 */
export function readChoice<T extends string>(
  factory: string,
  options: OptionRecord,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T {
  const value = own(options, name);
  if (value === undefined) {
    if (fallback === undefined) throw new TypeError(`${factory}: ${name} is required`);
    return fallback;
  }
  const list = choices.map((c) => `"${c}"`).join(", ");
  if (typeof value !== "string") {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be one of ${list}`);
  }
  if (!(choices as readonly string[]).includes(value)) {
    throw new RangeError(`${factory}: ${name} (${quote(value)}) must be one of ${list}`);
  }
  return value as T;
}

/**
 * Read a boolean option.
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @param fallback Its default.
 * @returns The flag.
 * @throws {TypeError} When present and not `true` or `false`.
 *
 * @example A flag
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBoolean } from "./validate.ts";
 * assert.equal(readBoolean("onecycle", {}, "threePhase", false), false);
 * assert.throws(() => readBoolean("onecycle", { threePhase: 1 }, "threePhase", false), TypeError);
 * ```
 */
export function readBoolean(
  factory: string,
  options: OptionRecord,
  name: string,
  fallback: boolean,
): boolean {
  const value = own(options, name);
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be true or false`);
  }
  return value;
}

/**
 * Read a list of step counts that must be non-negative integers in strictly
 * increasing order (milestones, boundaries).
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @param min The smallest allowed entry.
 * @returns A frozen copy of the list.
 * @throws {TypeError} When absent, not an array, or holding a non-number.
 * @throws {RangeError} When an entry is not a finite integer >= `min`, or the
 *   list is not strictly increasing.
 *
 * @example Milestones
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSteps } from "./validate.ts";
 * assert.deepEqual(readSteps("multifactor", { milestones: [15, 30] }, "milestones", 0), [15, 30]);
 * assert.throws(() => readSteps("multifactor", { milestones: [30, 15] }, "milestones", 0), {
 *   name: "RangeError",
 *   message: "multifactor: milestones ([30,15]) must be strictly increasing: 15 follows 30",
 * });
 * ```
 */
export function readSteps(
  factory: string,
  options: OptionRecord,
  name: string,
  min: number,
): readonly number[] {
  const value = own(options, name);
  if (value === undefined) throw new TypeError(`${factory}: ${name} is required`);
  return checkSteps(factory, name, value, min);
}

/**
 * Read a list of rates: finite numbers >= 0, holes refused (the values of
 * the piecewise schedules).
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param name The option to read.
 * @returns A frozen copy of the list.
 * @throws {TypeError} When absent, not an array, or holding a hole or a non-number.
 * @throws {RangeError} When an entry is not a finite number >= 0.
 *
 * @example Values
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRates } from "./validate.ts";
 * assert.deepEqual(readRates("piecewiseConstant", { values: [0.1, 0.01] }, "values"), [0.1, 0.01]);
 * assert.throws(() => readRates("piecewiseConstant", { values: [0.1, -1] }, "values"), {
 *   name: "RangeError",
 *   message: "piecewiseConstant: values[1] (-1) must be >= 0",
 * });
 * ```
 */
export function readRates(
  factory: string,
  options: OptionRecord,
  name: string,
): readonly number[] {
  const value = own(options, name);
  if (value === undefined) throw new TypeError(`${factory}: ${name} is required`);
  if (!Array.isArray(value)) {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be an array of rates`);
  }
  return checkList(factory, name, value, (v, label) => checkNumber(factory, label, v, { min: 0 }));
}

/**
 * Read the two ends of a momentum curve, `baseMomentum` (its low) and
 * `maxMomentum` (its high): each in [0, 1], the low at most the high.
 *
 * @param factory The factory's name, for messages.
 * @param options The (name-checked) options.
 * @param base The default low.
 * @param max The default high.
 * @returns `{ low, high }`.
 * @throws {TypeError} When one is not a number.
 * @throws {RangeError} When one is outside [0, 1], or the low is above the high.
 *
 * @example PyTorch's defaults for CyclicLR
 * ```ts
 * import assert from "node:assert/strict";
 * import { readMomenta } from "./validate.ts";
 * assert.deepEqual(readMomenta("cyclicMomentum", {}, 0.8, 0.9), { low: 0.8, high: 0.9 });
 * assert.throws(() => readMomenta("cyclicMomentum", { baseMomentum: 0.95 }, 0.8, 0.9), {
 *   name: "RangeError",
 *   message: "cyclicMomentum: baseMomentum (0.95) must be <= maxMomentum (0.9)",
 * });
 * ```
 */
export function readMomenta(
  factory: string,
  options: OptionRecord,
  base: number,
  max: number,
): { low: number; high: number } {
  const low = readNumber(factory, options, "baseMomentum", { min: 0, max: 1 }, base);
  const high = readNumber(factory, options, "maxMomentum", { min: 0, max: 1 }, max);
  if (low > high) {
    throw new RangeError(
      `${factory}: baseMomentum (${low}) must be <= maxMomentum (${high})`,
    );
  }
  return { low, high };
}

/**
 * Check a list of strictly increasing integer step counts (see
 * {@linkcode readSteps}).
 *
 * @param factory The factory's name, for messages.
 * @param name The list's name, for messages.
 * @param value The list.
 * @param min The smallest allowed entry.
 * @returns A frozen copy of the list.
 *
 * @example Boundaries
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSteps } from "./validate.ts";
 * assert.throws(() => checkSteps("join", "boundaries", [5, 5], 1), /strictly increasing/);
 * ```
 */
export function checkSteps(
  factory: string,
  name: string,
  value: unknown,
  min: number,
): readonly number[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be an array of step counts`);
  }
  const out = checkList(
    factory,
    name,
    value,
    (entry, label) => checkNumber(factory, label, entry, { integer: true, min }),
  );
  for (let i = 1; i < out.length; i++) {
    if (out[i] <= out[i - 1]) {
      throw new RangeError(
        `${factory}: ${name} (${quote(value)}) must be strictly increasing: ${out[i]} follows ${
          out[i - 1]
        }`,
      );
    }
  }
  return out;
}

/**
 * Check every entry of an array, holes included: `[5, , 1]` has an empty
 * slot at index 1, which `forEach` and `map` would skip and which is refused
 * here, naming it (`multifactor: milestones[1] (a hole) must be a number`).
 *
 * @param factory The factory's name, for messages.
 * @param name The list's name, for messages.
 * @param value The list.
 * @param check Checks one entry, given its label (`name[i]`); returns it.
 * @returns A frozen copy of the checked entries.
 * @throws {TypeError} When `value` is not an array or has a hole, or as `check` throws.
 *
 * @example A hole is not skipped
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkList, checkNumber } from "./validate.ts";
 * const rates = (list: unknown[]) =>
 *   checkList("f", "values", list, (v, label) => checkNumber("f", label, v, { min: 0 }));
 * assert.deepEqual(rates([1, 2]), [1, 2]);
 * // deno-lint-ignore no-sparse-arrays
 * assert.throws(() => rates([1, , 2]), { name: "TypeError", message: "f: values[1] (a hole) must be a number" });
 * ```
 */
export function checkList<T>(
  factory: string,
  name: string,
  value: unknown,
  check: (entry: unknown, label: string) => T,
): readonly T[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be an array`);
  }
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw new TypeError(`${factory}: ${name}[${i}] (a hole) must be a number`);
    out.push(check(value[i], `${name}[${i}]`));
  }
  return Object.freeze(out);
}

/**
 * Check a step passed to a schedule: a finite number >= 0 (fractional steps
 * are fine, for smooth plots).
 *
 * @param schedule The schedule's name, for messages.
 * @param step The step.
 * @returns `step`.
 * @throws {TypeError} When `step` is not a number.
 * @throws {RangeError} When it is NaN, infinite or negative.
 *
 * @example A negative step
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkStep } from "./validate.ts";
 * assert.equal(checkStep("cosine", 2.5), 2.5);
 * assert.throws(() => checkStep("cosine", -1), {
 *   name: "RangeError",
 *   message: "cosine: step (-1) must be a finite number >= 0",
 * });
 * ```
 */
export function checkStep(schedule: string, step: unknown): number {
  if (typeof step !== "number") {
    throw new TypeError(`${schedule}: step (${quote(step)}) must be a number`);
  }
  if (!(step >= 0) || step === Infinity) {
    throw new RangeError(`${schedule}: step (${quote(step)}) must be a finite number >= 0`);
  }
  return step;
}

/**
 * Binary search: how many entries of the sorted list `sorted` are <= `t`.
 *
 * @param sorted A strictly increasing list.
 * @param t The value to place.
 * @returns The count, in O(log n).
 *
 * @example Counting passed milestones
 * ```ts
 * import assert from "node:assert/strict";
 * import { countAtOrBelow } from "./validate.ts";
 * assert.equal(countAtOrBelow([15, 30], 14), 0);
 * assert.equal(countAtOrBelow([15, 30], 15), 1);
 * assert.equal(countAtOrBelow([15, 30], 99), 2);
 * ```
 */
export function countAtOrBelow(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Wrap a closed-form rate function as a {@linkcode Schedule} whose calls
 * check their step with {@linkcode checkStep}, and check the rate it gives:
 * the closed forms of this library are written to give a finite rate >= 0
 * for every valid step, and should one ever fail to, the call throws a
 * `RangeError` naming the schedule and the step instead of handing NaN or
 * Infinity to an optimizer.
 *
 * @param name The schedule's name, for messages.
 * @param rate The closed form, trusted to receive a valid step.
 * @returns The guarded schedule.
 *
 * @example Guarding a closed form
 * ```ts
 * import assert from "node:assert/strict";
 * import { guarded } from "./validate.ts";
 * const halving = guarded("halving", (t) => 0.1 * 0.5 ** t);
 * assert.equal(halving(1), 0.05);
 * assert.throws(() => halving(NaN), /halving: step \(NaN\)/);
 * const broken = guarded("broken", (t) => 1 - t);
 * assert.throws(() => broken(2), {
 *   name: "RangeError",
 *   message: "broken: the rate at step 2 is -1, not a finite number >= 0",
 * });
 * ```
 */
export function guarded(name: string, rate: (t: number) => number): Schedule {
  return (step: number): number => {
    const value = rate(checkStep(name, step));
    if (!(value >= 0 && value <= Number.MAX_VALUE)) {
      throw new RangeError(
        `${name}: the rate at step ${quote(step)} is ${quote(value)}, not a finite number >= 0`,
      );
    }
    return value;
  };
}

/**
 * Check that a value handed to a composition tool is a schedule function.
 *
 * @param factory The composition tool's name, for messages.
 * @param name The argument's name, for messages (`schedule`, `schedules[1]`).
 * @param value The value.
 * @returns `value`, as a schedule.
 * @throws {TypeError} When it is not a function.
 *
 * @example Not a schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSchedule } from "./validate.ts";
 * assert.throws(() => checkSchedule("warmup", "schedule", 0.1), {
 *   name: "TypeError",
 *   message: "warmup: schedule (0.1) must be a schedule function",
 * });
 * ```
 */
export function checkSchedule(factory: string, name: string, value: unknown): Schedule {
  if (typeof value !== "function") {
    throw new TypeError(`${factory}: ${name} (${quote(value)}) must be a schedule function`);
  }
  return value as Schedule;
}

/**
 * Check a rate that a schedule handed to a composition tool returned: the
 * tool cannot trust a function it did not make, so each of its rates must be
 * a finite number >= 0.
 *
 * @param factory The composition tool's name, for messages.
 * @param call What was called, for messages (`schedule(3)`).
 * @param rate What it returned.
 * @returns `rate`.
 * @throws {TypeError} When `rate` is not a number.
 * @throws {RangeError} When it is NaN, infinite or negative.
 *
 * @example A wrapped schedule that goes negative
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRateOf } from "./validate.ts";
 * assert.equal(checkRateOf("warmup", "schedule(1)", 0.5), 0.5);
 * assert.throws(() => checkRateOf("warmup", "schedule(1)", -1), {
 *   name: "RangeError",
 *   message: "warmup: schedule(1) returned -1; a rate must be a finite number >= 0",
 * });
 * ```
 */
export function checkRateOf(factory: string, call: string, rate: unknown): number {
  if (typeof rate !== "number") {
    throw new TypeError(`${factory}: ${call} returned ${quote(rate)}; a rate must be a number`);
  }
  if (!(rate >= 0 && rate <= Number.MAX_VALUE)) {
    throw new RangeError(
      `${factory}: ${call} returned ${quote(rate)}; a rate must be a finite number >= 0`,
    );
  }
  return rate;
}

/**
 * A schedule handed to a composition tool, with each of its rates checked
 * by {@linkcode checkRateOf} (its steps are the tool's, already checked).
 *
 * @param factory The composition tool's name, for messages.
 * @param name The argument's name, for messages (`schedule`, `schedules[1]`).
 * @param schedule The schedule.
 * @returns A function giving the same rates, or throwing the tool's own error.
 *
 * @example Checked rates
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkedRates } from "./validate.ts";
 * const inner = checkedRates("join", "schedules[0]", (t) => 1 - t);
 * assert.equal(inner(0.5), 0.5);
 * assert.throws(() => inner(2), /^RangeError: join: schedules\[0\]\(2\) returned -1/);
 * ```
 */
export function checkedRates(
  factory: string,
  name: string,
  schedule: Schedule,
): (t: number) => number {
  return (t) => checkRateOf(factory, `${name}(${quote(t)})`, schedule(t));
}

/**
 * A composition's list of schedules: an array without holes, each entry a
 * function, each wrapped so that every rate it returns is checked.
 *
 * @param factory The composing factory, for messages (`"join"`, `"multiply"`).
 * @param schedules The value given.
 * @returns The checked schedules (possibly empty: the caller says how many it needs).
 * @throws {TypeError} naming the factory for a non-array, a hole or an entry that is not a function.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSchedules } from "./validate.ts";
 * assert.equal(checkSchedules("join", [() => 0.1])[0](3), 0.1);
 * assert.throws(() => checkSchedules("join", 5), /join: schedules \(5\) must be an array/);
 * ```
 */
export function checkSchedules(factory: string, schedules: unknown): readonly Schedule[] {
  if (!Array.isArray(schedules)) {
    throw new TypeError(
      `${factory}: schedules (${quote(schedules)}) must be an array of schedules`,
    );
  }
  return checkList(
    factory,
    "schedules",
    schedules,
    (s, label) => checkedRates(factory, label, checkSchedule(factory, label, s)),
  );
}
