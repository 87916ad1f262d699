/**
 * The chapters of the book, in reading order.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import intro from "./intro.ts";

/** Every chapter, in the order of the book. */
export const chapters: readonly Chapter[] = [intro];
