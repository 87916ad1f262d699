/**
 * Chapter "exercises": the seed's five exercises, each with a section for its
 * worked answer (the answers, with their experiments, come with issue 7).
 *
 * From the seed's section "练习" (Exercises): the five questions. Exercise 2
 * names MXNet's `PolyScheduler`; ours is `poly` in `lib/schedules`.
 *
 * @module
 */

import { type Chapter, md, prose } from "../lib/book/types.ts";

/** The exercises, in the seed's order: [short title, question]. */
export const EXERCISES: readonly (readonly [string, string])[] = [
  [
    "A fixed learning rate",
    md`Experiment with the optimization behavior for a given fixed learning rate. What is the
best model you can obtain this way?`,
  ],
  [
    "The exponent of the decay",
    md`How does convergence change if you change the exponent of the decrease in the learning
rate? Use the polynomial schedule, \`poly({ baseLr, maxUpdate, power })\` in \`lib/schedules\`,
for convenience in the experiments.`,
  ],
  [
    "Cosine on a large vision problem",
    md`Apply the cosine scheduler to large computer-vision problems, e.g., training on ImageNet.
How does it affect performance relative to other schedulers?`,
  ],
  [
    "How long to warm up",
    md`How long should warmup last?`,
  ],
  [
    "Optimization and sampling",
    md`Can you connect optimization and sampling? Start by using results from Welling & Teh (2011)
on Stochastic Gradient Langevin Dynamics.`,
  ],
];

const questions = EXERCISES.map(([title, question], i) =>
  `${i + 1}. **${title}.** ${question} [Worked answer](#answer-${i + 1}).`
).join("\n");

const answers = EXERCISES.map(([title], i) =>
  md`
## Answer ${i + 1}: ${title} {#answer-${i + 1}}

The worked answer to this exercise, with the experiment behind it and its measured numbers, is
coming in the next revision of this chapter.
`
);

const chapter: Chapter = {
  slug: "exercises",
  title: "Exercises",
  source: import.meta.url,
  trainingRuns: 0,
  cells: [
    prose(md`
# Exercises

${questions}
`),
    ...answers.map((markdown) => prose(markdown)),
  ],
};

export default chapter;
