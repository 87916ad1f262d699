/**
 * Warmup in front of any schedule.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { ramp as line } from "./_math.ts";
import { joinParts } from "./join.ts";
import {
  checkedRates,
  checkOptionNames,
  checkSchedule,
  guarded,
  quote,
  readChoice,
  readNumber,
  readRate,
} from "./validate.ts";

/** Options of {@linkcode warmup}. */
export interface WarmupOptions {
  /** Steps of warmup; an integer >= 0 (0: no warmup). */
  steps: number;
  /** The rate at step 0; a finite number >= 0 (> 0 for `"exponential"`). Default 0. */
  beginLr?: number;
  /** The shape of the ramp: `"linear"` (default), `"constant"` or `"exponential"`. */
  kind?: "linear" | "constant" | "exponential";
}

/**
 * Put a warmup of `steps` steps in front of `schedule`. The warmup ramps from
 * `beginLr` towards `target = schedule(0)`, and `schedule` then runs from its
 * own step 0, shifted: with `w = steps`,
 *
 * - `t < w`: `lr(t) = beginLr + (target - beginLr) * t / w` (`"linear"`),
 *   `beginLr * (target / beginLr)^(t / w)` (`"exponential"`), or `beginLr` (`"constant"`);
 * - `t >= w`: `lr(t) = schedule(t - w)`.
 *
 * This is `join([ramp, schedule], [w])`: the semantics of optax's
 * `warmup_cosine_decay_schedule` and of PyTorch's
 * `SequentialLR([LinearLR, ...], milestones=[w])`. Ramping to `schedule(0)`
 * keeps the curve continuous and never skips the top of the wrapped schedule.
 * The wrapped schedule keeps its own length, so the whole curve is `w` steps
 * longer: the chapter's cosine with warmup, which counts the warmup inside
 * `maxUpdate`, is `warmup(cosine({ baseLr, finalLr, maxUpdate: T - w }), { steps: w })`.
 *
 * @param schedule Any schedule.
 * @param options `{ steps, beginLr = 0, kind = "linear" }`.
 * @returns The schedule with warmup.
 * `schedule` may be any function of the step: each rate it returns is
 * checked (a finite number >= 0), `schedule(0)` when the warmup is made.
 *
 * @throws {TypeError} When `schedule` is not a function, for a missing or
 *   wrongly typed option, or an unknown option.
 * @throws {RangeError} For a `steps` that is not an integer >= 0, a negative or
 *   non-finite `beginLr`, an unknown `kind`, a `schedule(0)` that is not a
 *   finite number >= 0 (`warmup: schedule(0) returned -1; ...`), or, for
 *   `"exponential"`, a `beginLr` or `schedule(0)` that is not > 0; and, from
 *   the schedule made, when `schedule` later returns a bad rate.
 *
 * @example The chapter's cosine with warmup
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine } from "./cosine.ts";
 * import { warmup } from "./warmup.ts";
 * const lr = warmup(cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 15 }), { steps: 5 });
 * const chapter = cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 });
 * for (let t = 0; t <= 30; t++) assert.ok(Math.abs(lr(t) - chapter(t)) < 1e-15);
 * ```
 *
 * @example Exponential warmup to a constant rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { constant } from "./constant.ts";
 * import { warmup } from "./warmup.ts";
 * const lr = warmup(constant({ baseLr: 1 }), { steps: 2, beginLr: 0.01, kind: "exponential" });
 * assert.deepEqual([0, 1, 2].map((t) => +lr(t).toFixed(12)), [0.01, 0.1, 1]);
 * ```
 */
export function warmup(schedule: Schedule, options: WarmupOptions): Schedule {
  const name = "warmup";
  const inner = checkedRates(name, "schedule", checkSchedule(name, "schedule", schedule));
  const o = checkOptionNames(name, options, ["steps", "beginLr", "kind"]);
  const steps = readNumber(name, o, "steps", { integer: true, min: 0 });
  const beginLr = readRate(name, o, "beginLr", 0);
  const kind = readChoice(
    name,
    o,
    "kind",
    ["linear", "constant", "exponential"] as const,
    "linear",
  );
  const target = inner(0);
  if (kind === "exponential") {
    if (!(beginLr > 0)) {
      throw new RangeError(`${name}: beginLr (${beginLr}) must be > 0 for kind "exponential"`);
    }
    if (!(target > 0)) {
      throw new RangeError(
        `${name}: the schedule's first rate (${quote(target)}) must be > 0 for kind "exponential"`,
      );
    }
  }
  if (steps === 0) return guarded(name, inner);
  const ratio = target / beginLr;
  // beginLr * ratio^x, as written while the ratio is a normal number; in logarithms
  // when it overflows or underflows (a warmup from 5e-324, say)
  const logs = Math.log(beginLr);
  const logRatio = Math.log(target) - logs;
  const exponential = ratio <= Number.MAX_VALUE && ratio >= 2 ** -1022
    ? (x: number) => beginLr * ratio ** x
    : (x: number) => Math.exp(logs + logRatio * x);
  const ramp = kind === "linear"
    ? (t: number) => line(beginLr, target, t, steps)
    : kind === "exponential"
    ? (t: number) => exponential(t / steps)
    : () => beginLr;
  return guarded(name, joinParts(name, [ramp, inner], [steps]));
}
