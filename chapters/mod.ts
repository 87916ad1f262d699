/**
 * The chapters of the book, in reading order.
 *
 * @module
 */

import type { Chapter } from "../lib/book/types.ts";
import intro from "./intro.ts";
import theory from "./theory.ts";
import toyProblem from "./toy-problem.ts";
import schedulers from "./schedulers.ts";
import factor from "./factor.ts";
import multifactor from "./multifactor.ts";
import cosine from "./cosine.ts";
import warmup from "./warmup.ts";
import frameworks from "./frameworks.ts";
import summary from "./summary.ts";
import exercises from "./exercises.ts";

/** Every chapter, in the order of the book. */
export const chapters: readonly Chapter[] = [
  intro,
  theory,
  toyProblem,
  schedulers,
  factor,
  multifactor,
  cosine,
  warmup,
  frameworks,
  summary,
  exercises,
];
