/**
 * Chapter "summary": the book's runs side by side, and the seed's summary
 * points stated as measured.
 *
 * From the seed's section "小结" (Summary): its five points, each checked
 * against the runs of the earlier chapters (read back from the run cache when
 * those chapters have run). The seed has no code here; the cell `all-runs` is
 * ours, so that the summary's claims rest on numbers.
 *
 * @module
 */

import { type CellContext, type Chapter, code, md, type Output, prose } from "../lib/book/types.ts";
import {
  comparison,
  percent,
  points,
  runsOf,
  scope,
  summarize,
  versus,
  versusText,
} from "../lib/book/measure.ts";
import type { RunResult } from "../lib/train/types.ts";
import { cosineRequest } from "./cosine.ts";
import { effectText, milestoneEffect, multifactorRequest } from "./multifactor.ts";
import { sqrtRequest } from "./schedulers.ts";
import { baselineRequest } from "./toy-problem.ts";
import { warmupRequest } from "./warmup.ts";
import { d2l } from "./references.ts";

// #region all-runs
/** Every run of the book (from the run cache when the chapters have run), compared. */
async function allRuns(ctx: CellContext): Promise<Output[]> {
  const requests = [
    baselineRequest(),
    sqrtRequest(),
    multifactorRequest(),
    cosineRequest(),
    warmupRequest(),
  ];
  const runs: RunResult[] = [];
  for (const request of requests) runs.push(await ctx.train(request));
  return [comparison(runs), ...runs.map((run): Output => ({ kind: "run", run, reference: true }))];
}
// #endregion all-runs

/** Names as a list in prose: "a", "a and b", "a, b and c". */
function names(list: string[]): string {
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

/** How many runs, and which: "none", "1 (a)", "2 (a and b)". */
function counted(runs: RunResult[]): string {
  return runs.length === 0 ? "none" : `${runs.length} (${names(runs.map((r) => r.name))})`;
}

/** The seed's five summary points, each with what our runs measured. */
function summaryPoints(runs: RunResult[]): string {
  const [baseline, sqrtRun, multi, cos, warm] = runs;
  const decaying = [sqrtRun, multi, cos, warm];
  const base = summarize(baseline);
  const higher = decaying.filter((r) => versus(r, baseline).verdict === "higher");
  const lessGap = decaying.filter((r) => summarize(r).gap < base.gap);

  const effect = milestoneEffect(multi);
  const plateau = effect === null
    ? "The multi-factor run is too short to show the effect of its milestone."
    : `${effectText(effect)}`;

  const cosVersus = versusText(versus(cos, baseline));

  const diverged = runs.filter((r) => r.divergedAt !== null).map((r) => r.name);
  const divergence = diverged.length === 0
    ? `None of our ${runs.length} runs diverged, not even one that starts at a rate of ` +
      `${Math.max(...runs.map((r) => r.history[0]?.lr ?? 0))} without warmup, so they cannot ` +
      `show this; the fourth exercise looks for a rate at which warmup matters.`
    : `Diverged: ${names(diverged)}.`;

  // The two runs closest in final training accuracy, and how far apart their test accuracies are.
  const s = runs.map(summarize);
  let pair: [number, number] = [0, 1];
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j < s.length; j++) {
      const d = Math.abs(s[i].finalTrainAcc - s[j].finalTrainAcc);
      if (d < Math.abs(s[pair[0]].finalTrainAcc - s[pair[1]].finalTrainAcc)) pair = [i, j];
    }
  }
  const [p, q] = pair.map((i) => s[i]);
  const generalization = `The two runs closest in final training accuracy, **${p.name}** ` +
    `(${percent(p.finalTrainAcc)}) and **${q.name}** (${percent(q.finalTrainAcc)}), ended ` +
    `${points(Math.abs(p.finalTestAcc - q.finalTestAcc))} apart in test accuracy ` +
    `(${percent(p.finalTestAcc)} and ${percent(q.finalTestAcc)}).`;

  return md`${scope(baseline)}

- Decreasing the learning rate during training can improve accuracy and, most perplexingly,
  reduce overfitting. *Measured:* of our ${decaying.length} decaying schedules,
  ${counted(higher)} ended with a higher test accuracy than the constant rate by more than the
  noise, and ${counted(lessGap)} with a smaller gap between training and test accuracy.
- Lowering the rate piecewise, whenever progress has stalled, works well in practice: it lets
  the optimization first converge efficiently to a suitable region, and only then reduces the
  inherent variance of the parameters by lowering the rate. *Measured:* ${plateau}
- Cosine schedules are popular for some computer-vision problems; GluonCV (for MXNet) and
  PyTorch's \`CosineAnnealingLR\` implement one, and ours is \`lib/schedules/cosine.ts\`.
  *Measured:* ${cosVersus}
- A warmup period before the main optimization can prevent divergence. *Measured:* ${divergence}
- In deep learning the optimizer does more than drive the training loss down: two runs that
  reach the same training error with different algorithms or schedules can still generalize
  quite differently, and overfit by different amounts. *Measured:* ${generalization}
`;
}

const chapter: Chapter = {
  slug: "summary",
  title: "Summary",
  original: d2l("Summary"),
  source: import.meta.url,
  trainingRuns: 5,
  cells: [
    prose(md`
# Summary

The table collects every training run of the book: the constant rate of [the toy problem](toy-problem.html), the
[square-root](schedulers.html), [multi-factor](multifactor.html) and [cosine](cosine.html) schedules, and the cosine schedule with [warmup](warmup.html). All step
once per epoch, for 30 epochs. The runs are the earlier chapters' own, read back from the frozen
results (\`data/frozen/\`) rather than trained again.
`),
    code("all-runs", "Every run of the book, side by side", allRuns),
    prose((results) => summaryPoints(runsOf(results, "all-runs"))),
  ],
};

export default chapter;
