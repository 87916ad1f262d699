/**
 * The chapter's square-root (inverse square root) schedule.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readRate } from "./validate.ts";

/** Options of {@linkcode sqrt}. */
export interface SqrtOptions {
  /** The rate at step 0; a finite number >= 0. */
  baseLr: number;
}

/**
 * Inverse-square-root decay, the chapter's `SquareRootScheduler`:
 * `lr(t) = baseLr * (t + 1)^(-1/2)`.
 *
 * @param options `{ baseLr }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number `baseLr`, or an unknown option.
 * @throws {RangeError} For a negative or non-finite `baseLr`.
 *
 * @example Halved after three updates
 * ```ts
 * import assert from "node:assert/strict";
 * import { sqrt } from "./sqrt.ts";
 * const lr = sqrt({ baseLr: 0.1 });
 * assert.equal(lr(0), 0.1);
 * assert.equal(lr(3), 0.05);
 * ```
 */
export function sqrt(options: SqrtOptions): Schedule {
  const o = checkOptionNames("sqrt", options, ["baseLr"]);
  const baseLr = readRate("sqrt", o, "baseLr");
  return guarded("sqrt", (t) => baseLr / Math.sqrt(t + 1));
}
