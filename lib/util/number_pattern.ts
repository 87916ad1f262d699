/**
 * What counts as a number where one is typed: on the command line
 * (`deno task lr`) and in the playground (its fields and its URL hash).
 * No Deno APIs: the playground bundles it for the browser.
 *
 * @module
 */

/**
 * A decimal number as people type it: an optional sign, digits with an
 * optional point (or a point and digits), and an optional exponent. Unlike
 * `Number(text)`, it refuses the empty string, spaces, hex, `Infinity` and
 * `NaN`. Anchored, without flags, so `test` has no state to share.
 *
 * @example What passes
 * ```ts
 * import assert from "node:assert/strict";
 * import { NUMBER_PATTERN } from "./number_pattern.ts";
 * for (const ok of ["1", "-0.5", "+.5", "3.", "1e-5", "2.5E+21"]) assert(NUMBER_PATTERN.test(ok), ok);
 * for (const bad of ["", " 1", "0x10", "Infinity", "NaN", "1,5", "."]) assert(!NUMBER_PATTERN.test(bad), bad);
 * ```
 */
export const NUMBER_PATTERN: RegExp = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
