/**
 * The book: its chapters in reading order, the index page's prose and the
 * playground page's start, which the entry points (`chapter.ts`, `build.ts`)
 * hand to the library.
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
import plateau from "./plateau.ts";
import cosine from "./cosine.ts";
import sgdr from "./sgdr.ts";
import warmup from "./warmup.ts";
import onecycle from "./onecycle.ts";
import decay from "./decay.ts";
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
  plateau,
  cosine,
  sgdr,
  warmup,
  onecycle,
  decay,
  frameworks,
  summary,
  exercises,
];

export { index } from "./index.ts";
export { playground } from "./playground.ts";
export { bibliography } from "./references.ts";
