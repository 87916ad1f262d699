/**
 * Chapters written but not yet in the book: their full-size runs are not frozen, and the book
 * (`./mod.ts`) asks only for runs that are. The tests run them as they run the book's chapters;
 * each moves to `chapters` in `./mod.ts` once `deno task freeze` has trained its runs.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import decay from "./decay.ts";
import plateau from "./plateau.ts";

/** The chapters that join the book once their runs are frozen, in their future reading order. */
export const forthcoming: readonly Chapter[] = [
  plateau, // reduce on plateau: 6 new runs (3 seeds x plateau, constant on 54,000 images)
  decay, // decay to zero and WSD: 9 new runs (3 seeds x cosine, linear, WSD, per update)
];
