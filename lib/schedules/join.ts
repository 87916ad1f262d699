/**
 * Schedules one after another (optax's `join_schedules`, PyTorch's
 * `SequentialLR`).
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkSchedules, checkStep, checkSteps, countAtOrBelow, quote } from "./validate.ts";

/**
 * Run `schedules[0]` until `boundaries[0]`, then `schedules[1]` until
 * `boundaries[1]`, and so on. Each later schedule sees the steps counted from
 * its own boundary: for `boundaries[i-1] <= t < boundaries[i]`,
 * `lr(t) = schedules[i](t - boundaries[i-1])`. So `join([a, b], [5])(5) = b(0)`,
 * as with optax's `join_schedules` and PyTorch's `SequentialLR` (which
 * restarts the next scheduler at its milestone). Each call costs
 * O(log(boundaries)), independent of `t`. The schedules may be any functions
 * of the step: each rate they return is checked (a finite number >= 0).
 *
 * @param schedules Two or more schedules (or one, with no boundaries).
 * @param boundaries `schedules.length - 1` step counts: integers >= 1, strictly increasing.
 * @returns The joined schedule.
 * @throws {TypeError} When `schedules` is not an array, has a hole, or an
 *   entry that is not a function, or `boundaries` is not an array.
 * @throws {RangeError} When the counts do not match, or a boundary is not an
 *   integer >= 1, or the boundaries are unsorted or repeated; and, from the
 *   joined schedule, when a part returns a rate that is not a finite number >= 0.
 *
 * @example Linear warmup then cosine, as PyTorch's SequentialLR
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine } from "./cosine.ts";
 * import { join } from "./join.ts";
 * import { linear } from "./linear.ts";
 * const lr = join([
 *   linear({ startLr: 0.01, endLr: 0.1, maxUpdate: 5 }),
 *   cosine({ baseLr: 0.1, finalLr: 0.001, maxUpdate: 55 }),
 * ], [5]);
 * assert.equal(lr(0), 0.01);
 * assert.equal(lr(5), 0.1); // the cosine's step 0
 * assert.equal(lr(60), 0.001); // the cosine's step 55
 * ```
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const name = "join";
  const parts = checkSchedules(name, schedules);
  const bounds = checkSteps(name, "boundaries", boundaries, 1);
  if (parts.length === 0 || bounds.length !== parts.length - 1) {
    throw new RangeError(
      `${name}: boundaries (${quote(boundaries)}) must have one entry fewer than schedules ` +
        `(${parts.length})`,
    );
  }
  return joinParts(name, parts, bounds);
}

/**
 * The joined schedule of {@linkcode join}, from parts already checked (a
 * part reports its own bad rates); `warmup` builds on it too.
 *
 * @param name Who is asking, for the step's messages.
 * @param parts The parts.
 * @param bounds `parts.length - 1` strictly increasing steps.
 * @returns The joined schedule.
 */
export function joinParts(
  name: string,
  parts: readonly ((t: number) => number)[],
  bounds: readonly number[],
): Schedule {
  return (step: number): number => {
    const t = checkStep(name, step);
    const i = countAtOrBelow(bounds, t);
    return parts[i](i === 0 ? t : t - bounds[i - 1]);
  };
}
