/**
 * Tables of runs over seeds, for the chapters, the terminal and the site
 * alike, every number written by `./spread.ts`'s formatters:
 *
 * - {@linkcode spreadTable}: several groups side by side, measure by measure:
 *   mean ± sd and min–max of final and best test accuracy (and its epoch),
 *   final train loss and final train–test gap.
 * - {@linkcode verdictTable}: several groups against one baseline by the rule
 *   of `./verdict.ts`: difference ± standard error and the verdict.
 * - {@linkcode seedTable}: one group, seed by seed, with its mean ± sd and
 *   min–max rows (what the terminal and a figure's "numbers" show).
 * - {@linkcode epochTable}: one group, epoch by epoch: the numbers of its
 *   figure's mean curves and bands.
 * - {@linkcode compareGroupWith}: a cell's group against a baseline trained
 *   over the same seeds, both tables at once (the group counterpart of
 *   `./measure.ts`'s `compareWith`).
 *
 * @module
 */

import type { TrainRequest } from "../train/types.ts";
import { groupOf, seedsOf, seedsText } from "./seeds.ts";
import {
  epochSpreads,
  formatMeanSd,
  formatRange,
  formatValue,
  groupSpread,
  type Scale,
  type Spread,
  spreadOf,
} from "./spread.ts";
import type { CellContext, Output, SeedRuns, TableOutput } from "./types.ts";
import {
  compareGroups,
  FINAL_TEST_ACC,
  type GroupComparison,
  type Metric,
  signedPlusMinus,
  verdictWords,
} from "./verdict.ts";

/** The measures of {@linkcode spreadTable}, in its order. */
const MEASURES: {
  name: string;
  scale: Scale;
  of: (s: ReturnType<typeof groupSpread>) => Spread | null;
}[] = [
  { name: "final test acc", scale: "accuracy", of: (s) => s.finalTestAcc },
  { name: "best test acc", scale: "accuracy", of: (s) => s.bestTestAcc },
  { name: "epoch of best test acc", scale: "epoch", of: (s) => s.bestEpoch },
  { name: "final train loss", scale: "loss", of: (s) => s.finalTrainLoss },
  { name: "final train − test", scale: "points", of: (s) => s.gap },
];

/**
 * Groups side by side, measure by measure: one block of rows per measure
 * (final test accuracy, best test accuracy, the epoch of the best, final train
 * loss, final train–test gap), one row per group, with its seeds, mean ± sd and
 * min–max. A final train loss over fewer seeds than the group has (a diverged
 * run's is not finite) says so.
 *
 * @param groups The groups, in row order.
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { spreadTable } from "./spread_table.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const t = spreadTable([fakeGroup("a", [[0.88], [0.8824]]), fakeGroup("b", [[0.86], [0.87]])]);
 * assert.deepEqual(t.rows[0], ["final test acc", "a", "2", "88.12% ± 0.17 pp", "88.00%–88.24%"]);
 * assert.deepEqual(t.rows[1].slice(0, 2), ["", "b"]);
 * ```
 */
export function spreadTable(groups: readonly SeedRuns[]): TableOutput {
  const spreads = groups.map(groupSpread);
  return {
    kind: "table",
    columns: ["measure", "run", "seeds", "mean ± sd", "min–max"],
    rows: MEASURES.flatMap((m) =>
      spreads.map((s, i) => [
        i === 0 ? m.name : "",
        s.label,
        String(s.seeds.length),
        formatMeanSd(m.of(s), m.scale, s.seeds.length),
        formatRange(m.of(s), m.scale),
      ])
    ),
  };
}

/**
 * Groups against one baseline by the rule of `./verdict.ts`: each group's
 * mean ± sd of `metric`, its difference from the baseline ± the standard
 * error (paired by seed unless marked "unpaired") and the verdict. A group
 * that is the baseline itself is marked as such.
 *
 * @param groups The groups, in row order (the baseline may be among them).
 * @param baseline The group every other is compared with.
 * @param metric The measure (default final test accuracy).
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { verdictTable } from "./spread_table.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const base = fakeGroup("constant", [[0.88], [0.885], [0.88]]);
 * const t = verdictTable([base, fakeGroup("cosine", [[0.90], [0.91], [0.89]])], base);
 * assert.deepEqual(t.rows[1].slice(3), ["+1.83 ± 0.44 pp", "higher"]);
 * assert.equal(t.rows[0][4], "baseline");
 * ```
 */
export function verdictTable(
  groups: readonly SeedRuns[],
  baseline: SeedRuns,
  metric: Metric = FINAL_TEST_ACC,
): TableOutput {
  const { scale } = metric;
  return {
    kind: "table",
    columns: [
      "run",
      "seeds",
      `${metric.name}, mean ± sd`,
      `difference from ${baseline.label} ± SE`,
      "verdict",
    ],
    rows: groups.map((g) => {
      const values = g.runs.map((r) => metric.value(r));
      const known = values.filter((v): v is number => v !== null);
      const spread = known.length === values.length ? spreadOf(known) : null;
      const seeds = seedsText(seedsOf(g)).replace(/^seeds? /, "");
      const cells = [g.label, seeds, formatMeanSd(spread, scale)];
      if (g === baseline) return [...cells, "", "baseline"];
      const c = compareGroups(g, baseline, metric);
      return [...cells, differenceCell(c), verdictWords(c)];
    }),
  };
}

/**
 * A comparison's difference ± its standard error, for a table cell:
 * `"+1.83 ± 0.44 pp"`, `"+0.50 pp"` with one seed, `"–"` when the runs cannot
 * give the measure, marked `"(unpaired)"` when the seeds differ.
 *
 * @param c The comparison.
 * @returns The text.
 */
export function differenceCell(c: GroupComparison): string {
  const difference = c.undecided === "unmeasurable"
    ? "–"
    : signedPlusMinus(c.difference, c.se, c.metric.scale);
  return difference + (c.paired ? "" : " (unpaired)");
}

/**
 * One group seed by seed: epochs, final and best test accuracy (and the
 * epoch of the best), final train loss and train–test gap, then a row of
 * mean ± sd and a row of min–max over the seeds.
 *
 * @param group The group.
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedTable } from "./spread_table.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const t = seedTable(fakeGroup("a", [[0.5, 0.88], [0.5, 0.8824]]));
 * assert.deepEqual(t.rows.map((r) => r[0]), ["0", "1", "mean ± sd", "min–max"]);
 * assert.equal(t.rows[2][2], "88.12% ± 0.17 pp");
 * ```
 */
export function seedTable(group: SeedRuns): TableOutput {
  const s = groupSpread(group);
  const n = s.seeds.length;
  const rows = group.runs.map((run, i) => {
    const loss = run.history.at(-1)?.trainLoss;
    return [
      String(run.config.seed),
      run.divergedAt !== null ? `${run.history.length} (diverged)` : String(run.history.length),
      formatValue(s.finalTestAcc.values[i], "accuracy"),
      `${formatValue(s.bestTestAcc.values[i], "accuracy")} (${s.bestEpoch.values[i]})`,
      loss !== undefined && Number.isFinite(loss) ? formatValue(loss, "loss") : "NaN",
      formatValue(s.gap.values[i], "points"),
    ];
  });
  return {
    kind: "table",
    columns: [
      "seed",
      "epochs",
      "final test acc",
      "best test acc (epoch)",
      "final train loss",
      "train − test",
    ],
    rows: [
      ...rows,
      [
        "mean ± sd",
        "",
        formatMeanSd(s.finalTestAcc, "accuracy"),
        formatMeanSd(s.bestTestAcc, "accuracy"),
        formatMeanSd(s.finalTrainLoss, "loss", n),
        formatMeanSd(s.gap, "points"),
      ],
      [
        "min–max",
        formatRange(spreadOf(group.runs.map((r) => r.history.length)), "epoch"),
        formatRange(s.finalTestAcc, "accuracy"),
        `${formatRange(s.bestTestAcc, "accuracy")} (${formatRange(s.bestEpoch, "epoch")})`,
        formatRange(s.finalTrainLoss, "loss"),
        formatRange(s.gap, "points"),
      ],
    ],
  };
}

/** A rate with four significant digits. */
function rate(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/**
 * One group epoch by epoch: the rate, and mean ± sd of the train loss and
 * the test accuracy over the seeds, with the test accuracy's min–max. An
 * epoch that not every seed reached (one diverged), or whose loss is not
 * finite for some, says over how many seeds it is.
 *
 * @param group The group.
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochTable } from "./spread_table.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const t = epochTable(fakeGroup("a", [[0.5, 0.88], [0.5, 0.8824]]));
 * assert.deepEqual(t.rows[1], ["2", 0.1, "0.0688 ± 0.0017", "88.12% ± 0.17 pp", "88.00%–88.24%"]);
 * ```
 */
export function epochTable(group: SeedRuns): TableOutput {
  const n = group.runs.length;
  const loss = epochSpreads(group, "trainLoss"), acc = epochSpreads(group, "testAcc");
  const longest = group.runs.reduce((a, r) => (r.history.length > a.history.length ? r : a));
  return {
    kind: "table",
    columns: ["epoch", "lr", "train loss", "test acc", "test acc min–max"],
    rows: acc.map((a, i) => {
      const e = longest.history[i];
      return [
        String(a.epoch),
        // A number, written by the terminal and the site as every table's numbers are.
        e.lr === e.lrLast ? e.lr : `${rate(e.lr)}→${rate(e.lrLast)}`,
        formatMeanSd(loss[i].spread, "loss", n),
        formatMeanSd(a.spread, "accuracy", n),
        formatRange(a.spread, "accuracy"),
      ];
    }),
  };
}

/**
 * Train `request` over the seeds of the group of cell `id` (usually a run of
 * an earlier chapter, so it comes from the stored runs) and compare the
 * group with it: a {@linkcode spreadTable} of both, a {@linkcode verdictTable}
 * of the group against it, then the new group as a reference.
 *
 * @param ctx The cell's context.
 * @param id The cell whose group is compared (its first group).
 * @param request The baseline, trained over the same seeds (paired).
 * @param metric The measure of the verdict (default final test accuracy).
 * @returns The two tables and the reference group.
 * @throws {Error} if cell `id` has produced no group.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareGroupWith } from "./spread_table.ts";
 * import { fakeTrainer } from "./_testing.ts";
 * import { runChapter } from "./run.ts";
 * import { code } from "./types.ts";
 * const run = await runChapter({
 *   slug: "c", title: "C", source: "", cells: [
 *     code("mine", "mine", async (ctx) => [await ctx.trainSeeds({ name: "decay", schedule: (t) => 0.3 / (t + 1), stepsPer: "epoch" })]),
 *     code("vs", "vs", (ctx) => compareGroupWith(ctx, "mine", { name: "constant", schedule: () => 0.3, stepsPer: "epoch" })),
 *   ],
 * }, { quiet: true, epochs: 3 }, {}, fakeTrainer());
 * assert.deepEqual(run.results.get("vs")!.map((o) => o.kind), ["table", "table", "runs"]);
 * ```
 */
export async function compareGroupWith(
  ctx: CellContext,
  id: string,
  request: TrainRequest,
  metric: Metric = FINAL_TEST_ACC,
): Promise<Output[]> {
  const group = groupOf(ctx.results, id);
  const other = await ctx.trainSeeds(request, seedsOf(group));
  return [
    spreadTable([group, other]),
    verdictTable([group], other, metric),
    { ...other, reference: true },
  ];
}
