/**
 * The constant schedule.
 *
 * @module
 */

import type { Schedule } from "./types.ts";
import { checkOptionNames, guarded, readRate } from "./validate.ts";

/** Options of {@linkcode constant}. */
export interface ConstantOptions {
  /** The rate at every step; a finite number >= 0. */
  baseLr: number;
}

/**
 * A schedule that never changes: `lr(t) = baseLr`.
 *
 * @param options `{ baseLr }`.
 * @returns The schedule.
 * @throws {TypeError} For a missing or non-number `baseLr`, or an unknown option.
 * @throws {RangeError} For a negative or non-finite `baseLr`.
 *
 * @example A fixed rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { constant } from "./constant.ts";
 * const lr = constant({ baseLr: 0.05 });
 * assert.equal(lr(0), 0.05);
 * assert.equal(lr(1000), 0.05);
 * ```
 */
export function constant(options: ConstantOptions): Schedule {
  const o = checkOptionNames("constant", options, ["baseLr"]);
  const baseLr = readRate("constant", o, "baseLr");
  return guarded("constant", () => baseLr);
}
