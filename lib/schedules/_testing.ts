/**
 * Test helpers shared by the schedule tests (not part of the public API).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Schedule } from "./types.ts";
import { quote } from "./validate.ts";

/** Assert `actual` equals `expected` to `rel` relative (absolute near zero). */
export function assertClose(actual: number, expected: number, rel = 1e-6, what = ""): void {
  const scale = Math.max(Math.abs(expected), 1e-12);
  assert.ok(
    Math.abs(actual - expected) <= rel * scale,
    `${what}: expected ${expected}, got ${actual} (relative error ${
      Math.abs(actual - expected) / scale
    })`,
  );
}

/** Assert a whole sequence is close, step by step. */
export function assertSequence(
  schedule: Schedule | ((t: number) => number),
  expected: readonly number[],
  rel = 1e-6,
  what = "",
): void {
  expected.forEach((value, t) => assertClose(schedule(t), value, rel, `${what} at step ${t}`));
}

/** The values every option is probed with. */
export const PROBES: readonly unknown[] = [NaN, Infinity, -Infinity, -1, 0, 2.5, "0.1"];

/** What a probe must do: be accepted, or throw this error class. */
export type Outcome = "ok" | typeof TypeError | typeof RangeError;

/**
 * Feed `option` each probe on top of `base` and check the outcome: `"ok"`, or
 * an error of the given class whose message names the factory, the option
 * and the quoted value.
 */
export function probeOption(
  factoryName: string,
  make: (options: Record<string, unknown>) => unknown,
  base: Record<string, unknown>,
  option: string,
  outcomes: readonly Outcome[],
): void {
  assert.equal(outcomes.length, PROBES.length, `${factoryName}.${option}: one outcome per probe`);
  PROBES.forEach((value, i) => {
    const expected = outcomes[i];
    const call = () => make({ ...base, [option]: value });
    const label = `${factoryName}({ ${option}: ${quote(value)} })`;
    if (expected === "ok") {
      assert.doesNotThrow(call, `${label} should be accepted`);
      return;
    }
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof expected, `${label} should throw ${expected.name}, got ${error}`);
      const message = (error as Error).message;
      assert.ok(message.startsWith(`${factoryName}: `), `${label}: message "${message}"`);
      assert.ok(message.includes(option), `${label}: message "${message}" names ${option}`);
      assert.ok(message.includes(quote(value)), `${label}: message "${message}" quotes the value`);
      return true;
    });
  });
}

/** Probe outcome rows, in the order of {@linkcode PROBES}: NaN, +Inf, -Inf, -1, 0, 2.5, string. */
export const R = RangeError;
/** Short for TypeError in outcome rows. */
export const T = TypeError;

/**
 * Check a schedule's step guard: fractional steps and 0 are fine; negative,
 * NaN and infinite steps are RangeErrors, non-numbers TypeErrors, each
 * naming the schedule and the value.
 */
export function probeSteps(name: string, schedule: Schedule): void {
  assert.ok(Number.isFinite(schedule(0)), `${name}(0)`);
  assert.ok(Number.isFinite(schedule(2.5)), `${name}(2.5)`);
  assert.ok(Number.isFinite(schedule(1e6)), `${name}(1e6)`);
  for (const bad of [-1, -0.5, NaN, Infinity, -Infinity]) {
    assert.throws(() => schedule(bad), {
      name: "RangeError",
      message: `${name}: step (${quote(bad)}) must be a finite number >= 0`,
    });
  }
  assert.throws(() => schedule("3" as unknown as number), {
    name: "TypeError",
    message: `${name}: step ("3") must be a number`,
  });
}

/** Check that a misspelt option is refused, naming it and the intended one. */
export function probeUnknown(
  name: string,
  make: (options: Record<string, unknown>) => unknown,
  base: Record<string, unknown>,
  typo: string,
  meant: string,
): void {
  assert.throws(() => make({ ...base, [typo]: 1 }), {
    name: "TypeError",
    message: new RegExp(`^${name}: unknown option "${typo}" \\(did you mean "${meant}"\\?\\)`),
  });
  assert.throws(() => make(null as unknown as Record<string, unknown>), {
    name: "TypeError",
    message: `${name}: options (null) must be an object`,
  });
}

/** Check purity: evaluating in a scrambled order gives the same values. */
export function assertPure(schedule: Schedule, n = 60): void {
  const forward = Array.from({ length: n }, (_, t) => schedule(t));
  const order = Array.from({ length: n }, (_, t) => (t * 37 + 11) % n);
  for (const t of order) assert.equal(schedule(t), forward[t], `step ${t} after scrambling`);
  for (let t = n - 1; t >= 0; t--) assert.equal(schedule(t), forward[t], `step ${t} backwards`);
}
