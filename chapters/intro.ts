/**
 * Chapter "intro": why the learning rate deserves a schedule.
 *
 * @module
 */

import { type Chapter, md, prose } from "../lib/book/types.ts";
import { d2l } from "./references.ts";

const chapter: Chapter = {
  slug: "intro",
  title: "Learning-Rate Scheduling",
  original: d2l(null),
  source: import.meta.url,
  trainingRuns: 0,
  cells: [
    prose(md`
# Learning-Rate Scheduling

So far we have cared mostly about *which* optimization algorithm updates the weights, and hardly
at all about *how fast* it moves them. Yet choosing the learning rate, and how it changes over
training, often matters as much as choosing the algorithm. Four aspects deserve attention.

- **The size of the rate.** Too large, and the optimization diverges; too small, and training
  takes forever or settles on a poor solution. How large is "too large" depends on the problem's
  conditioning. Its condition number is the ratio of the largest to the smallest curvature of the
  loss: how much more sharply the loss changes along its most sensitive direction than along its
  least sensitive one. A badly conditioned problem forces a small rate on every direction because
  of the steepest one.
- **The rate of decay.** A rate that stays large makes the iterates bounce around the minimum
  instead of settling into it. For convex problems the analysis of stochastic gradient descent
  recommends a decay of order $\mathcal{O}(t^{-1/2})$; deep networks are not convex, and probably
  want the rate to decay more slowly than that. [The next chapter](theory.html) shows, on a problem small
  enough to solve exactly, why the rate must decay at all and where these orders come from.
- **Initialization, and the first steps.** This concerns both how the parameters are set at the
  start and how they evolve in the first updates. The latter is called *warmup*: how quickly we
  begin to move towards a solution. Large steps right at the start may do harm, because the
  initial parameters are random and the first gradient directions can be close to meaningless.
- **Cyclical schedules.** Some methods raise the rate again after lowering it: warm restarts,
  which [the SGDR chapter](sgdr.html) trains, and a single rise and fall, which
  [the one-cycle chapter](onecycle.html) trains at a peak it first measures. Others cycle the
  rate to average the parameters along a whole trajectory and obtain a better solution
  ([Izmailov et al., 2018](cite:izmailov2018)); that averaging is not covered here.

Because managing the learning rate involves so many details, deep-learning frameworks ship tools
for it. TensorFlow.js, which this book uses, ships none: an optimizer has a learning rate and, for
plain SGD, a \`setLearningRate\` method, and that is all. So this book comes with a small library,
\`lib/schedules\`, in which a schedule is simply a function from the step count to a rate. In the
sections that follow we look at the effect of different schedules on accuracy, and at how to use
such a library to manage the rate efficiently in a training loop.
`),
  ],
};

export default chapter;
