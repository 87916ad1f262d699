/**
 * Chapters written but not yet in the book: their full-size runs are not frozen, and the book
 * (`./mod.ts`) asks only for runs that are. The tests run them as they run the book's chapters;
 * each moves to `chapters` in `./mod.ts` once `deno task freeze` has trained its runs.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import decay from "./decay.ts";
import onecycle from "./onecycle.ts";
import plateau from "./plateau.ts";
import sgdr from "./sgdr.ts";

/** The chapters that join the book once their runs are frozen, in their future reading order. */
export const forthcoming: readonly Chapter[] = [
  sgdr, // after cosine: 3 new runs (SGDR over seeds 0-2)
  onecycle, // the range test (3 one-epoch runs), then 6 runs at the peak it reads
  plateau, // reduce on plateau: 6 new runs (3 seeds x plateau, constant on 54,000 images)
  decay, // decay to zero and WSD: 9 new runs (3 seeds x cosine, linear, WSD, per update)
];
