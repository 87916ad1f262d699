/**
 * Chapters written but not yet in the book: their full-size runs are not frozen, and the book
 * on main asks only for runs that are. Each joins `chapters` in `./mod.ts` once its runs are
 * frozen (`deno task freeze`); until then its tests run it here.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import plateau from "./plateau.ts";
import decay from "./decay.ts";

/** The chapters waiting for their frozen runs; each joins `chapters` once its runs are frozen. */
export const forthcoming: readonly Chapter[] = [
  plateau, // reduce on plateau: 6 new runs (3 seeds × plateau, constant on 54,000 images)
  decay, // decay to zero and WSD: 9 new runs (3 seeds × cosine, linear, WSD, per update)
];
