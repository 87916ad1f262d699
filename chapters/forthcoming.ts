/**
 * Chapters written but not yet in the book: their full-size runs are not frozen, and the book
 * (`./mod.ts`) asks only for runs that are. The tests run them as they run the book's chapters;
 * each moves to `chapters` in `./mod.ts` once `deno task freeze` has trained its runs.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";

/**
 * The chapters that join the book once their runs are frozen, in their future reading order:
 * none at present (the last four, sgdr, onecycle, plateau and decay, are in `./mod.ts`).
 */
export const forthcoming: readonly Chapter[] = [];
