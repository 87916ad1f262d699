/**
 * Chapters written but not yet in the book: their full-size runs are not frozen, and the book
 * (`./mod.ts`) must not ask for runs that are not. The tests run them as they run the book's
 * chapters; each moves to `chapters` in `./mod.ts` once `deno task freeze` has trained its runs.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import onecycle from "./onecycle.ts";
import sgdr from "./sgdr.ts";

/** The chapters that join the book once their runs are frozen, in their future reading order. */
export const forthcoming: readonly Chapter[] = [
  sgdr, // joins `chapters` after cosine once its 3 new runs are frozen
  onecycle, // joins `chapters` once its range test, then its 6 runs at the peak it reads, are frozen
];
