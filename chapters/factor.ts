/**
 * Chapter "factor": multiplicative decay with a floor, and the off-by-one of
 * a stateful scheduler.
 *
 * From the seed: the paragraph that opens the survey of policies ("we cannot
 * cover every kind of scheduler ...") sits in the draft under the multi-factor
 * heading; it introduces all the policies, so it opens this chapter, the first
 * of them. Then the section "单因素调度器" (Factor Scheduler): paragraph 1 (its
 * two update rules, garbled in the draft, restored in TeX) and its code gap ->
 * `factor` (the schedule, with the aside on the original's off-by-one) and
 * `factor-plot`; paragraph 2 (MXNet's built-in `FactorScheduler` and its
 * warmup options) -> the closing prose, now about what our library does.
 *
 * @module
 */

import { type Chapter, code, curve, md, type Output, prose } from "../lib/book/types.ts";
import { factor, type FactorOptions, type Schedule } from "../lib/schedules/mod.ts";
import { d2l } from "./references.ts";

// #region factor
/** η0 = 2, α = 0.9, η_min = 0.01, as in the original. */
export const FACTOR_OPTIONS = {
  baseLr: 2,
  factor: 0.9,
  stopFactorLr: 0.01,
} satisfies FactorOptions;

/** η_t = max(η_min, η0 · α^t). A fresh one per call. */
export function factorSchedule(): Schedule {
  return factor(FACTOR_OPTIONS);
}

/** The original's scheduler: it keeps the rate in the object and multiplies *before* returning. */
function statefulFactor(): (t: number) => number {
  let lr = 2;
  return (_t) => (lr = Math.max(0.01, lr * 0.9));
}

/** Ours and the original's over the first steps, then both asked for step 3 once more. */
function defineFactor(): Output[] {
  const ours = factorSchedule(), original = statefulFactor();
  const rows: (string | number)[][] = [0, 1, 2, 3].map((t) => [t, ours(t), original(t)]);
  rows.push(["3, again", ours(3), original(3)]);
  return [{ kind: "table", columns: ["t", "factor(...)(t)", "stateful original(t)"], rows }];
}
// #endregion factor

// #region factor-plot
/** The factor schedule over 50 steps. */
function plotFactor(): Output[] {
  return [curve("factor: η0 = 2, α = 0.9, floor 0.01", "update", factorSchedule(), 50)];
}
// #endregion factor-plot

const chapter: Chapter = {
  slug: "factor",
  title: "Factor Scheduler",
  original: d2l("Factor Scheduler"),
  source: import.meta.url,
  trainingRuns: 0,
  playground: { after: "factor-plot", schedules: [{ kind: "factor", options: FACTOR_OPTIONS }] },
  cells: [
    prose(md`
# Factor Scheduler

We cannot possibly cover the whole variety of learning-rate schedules, but the
[next chapters](multifactor.html) give a brief overview of the popular ones: polynomial decay
and piecewise-constant schedules, the cosine schedule, which has worked well on a number of
problems, and warming up the optimizer before it uses a large rate, which helps on some problems.

An alternative to the polynomial decay of the square-root schedule is a multiplicative one:

$$\eta_{t+1} \leftarrow \eta_t \cdot \alpha \quad \text{for some } \alpha \in (0, 1).$$

To keep the rate from decaying below a sensible lower bound, the update is often changed to

$$\eta_{t+1} \leftarrow \max(\eta_{\min}, \eta_t \cdot \alpha),$$

which, unrolled, is $\eta_t = \max(\eta_{\min}, \eta_0 \alpha^t)$. That closed form is what our
library's \`factor({ baseLr, factor, stopFactorLr })\` computes, so the rate at step $t$ does not
depend on which steps were asked about before.
`),
    code("factor", "The factor schedule, and the original's stateful version", defineFactor),
    prose(md`
The two columns differ by one step. The original chapter's scheduler keeps the current rate in
the object and multiplies it *before* returning it, so its very first call already gives
$\eta_0 \alpha$ instead of $\eta_0$: the rate it returns at call $t$ is ours at $t + 1$. It also
counts calls rather than steps: asking again for the same step moves it on, as the last row
shows, so plotting it, logging it, or calling it once per epoch in one place and once per update
in another all change the rates it hands out. A pure function has neither problem: $t = 0$ gives
$\eta_0$, and the same $t$ always gives the same rate.

`),
    prose(() => {
      const lr = factorSchedule();
      let floor = 0;
      while (lr(floor) > 0.01) floor++;
      return md`
Here is the schedule with the original's settings, $\eta_0 = 2$, $\alpha = 0.9$ and a floor of
$0.01$, over its first 50 steps as in the original. The floor takes over only at step ${floor},
so within the plot the decay is purely geometric; the floor matters for longer runs.
`;
    }),
    code("factor-plot", "Plot the factor schedule over 50 steps", plotFactor),
    prose(md`
MXNet ships this schedule as a built-in \`FactorScheduler\` with more options: a warmup period, a
warmup mode (linear or constant), the expected number of updates, and so on. Our library keeps
such features out of the individual schedules and lets them compose instead:
\`warmup(schedule, { steps, beginLr, kind })\` puts a linear, constant or exponential ramp in front
of *any* schedule, and \`join([a, b], [m])\` switches from one schedule to another at step $m$.
The floor is the factor schedule's own \`stopFactorLr\`. From here on we use the library's
schedules and only explain what they compute. And, as the original chapter notes, building your
own is straightforward: any function \`(step) => rate\` is a schedule, which both the training
engine and the \`model.fit\` callback of \`lib/schedules/tfjs.ts\` accept.
`),
  ],
};

export default chapter;
