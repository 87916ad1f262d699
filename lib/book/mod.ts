/**
 * The book's machinery: the chapter format, running chapters, measured prose,
 * the terminal renderer and the frozen results.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFullSize } from "./mod.ts";
 * assert(isFullSize({ quiet: true }));
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./run.ts";
export * from "./freeze.ts";
export * from "./freeze_cli.ts";
export type * from "../train/mod.ts";
export type { ScheduleSpec } from "../preview/recipe.ts";
export type { Kind, OptionValue, WarmupOptionsSpec } from "../preview/kinds.ts";
