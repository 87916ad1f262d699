/**
 * The index page's prose: what the book is, and how to run it. The site's
 * build (lib/site/build.ts) puts it around the table of contents.
 *
 * @module
 */

import type { IndexProse } from "../lib/site/build.ts";

/** The introduction and the how-to of the index page. */
export const index: IndexProse = {
  intro: `This book is about the learning rate: how large it should be, how it should change
while a network trains, and how much that choice matters. It follows the section "Learning Rate
Scheduling" of *Dive into Deep Learning*, translated, completed and corrected, in TypeScript on
Deno. A schedule is a plain function from the step count to a rate, $\\eta_t = f(t)$; the book's
own library, \`lib/schedules\`, provides them, and every experiment trains LeNet on Fashion-MNIST
with TensorFlow.js.

Every code cell on these pages is cut from its chapter's source file: the code shown is exactly the
code that ran to compute the numbers and figures below it. Hover over a figure to read its values;
each caption says how the numbers were made.`,

  howTo: (commands) =>
    `Get Deno 2, then, in a checkout of the book's repository:

\`\`\`sh
${commands}
\`\`\`

\`deno task chapter --list\` lists the chapters with the time a full run takes. These pages are
built with \`deno task build\` (full training runs, cached after the first build) or
\`deno task build --quick\` (short runs, for checking that everything works).`,
};
