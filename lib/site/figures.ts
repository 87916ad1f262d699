/**
 * Figures as data: what to plot, from the numbers a chapter computed, and a
 * caption saying how they were made. The client script (`assets/site.js`)
 * turns a {@linkcode PlotSpec} into a Plotly figure in the current theme;
 * nothing here knows about colours or Plotly's layout.
 *
 * @module
 */

import { isNumberLike } from "../book/outputs.ts";
import { seedsOf } from "../book/seeds.ts";
import {
  type EpochMetric,
  epochSpreads,
  formatMeanSd,
  formatValue,
  type Scale,
  spreadOf,
} from "../book/spread.ts";
import { seedTable } from "../book/spread_table.ts";
import { describeGroup, describeRun, short } from "../book/terminal.ts";
import type { ScheduleOutput, SeedRuns, TableOutput } from "../book/types.ts";
import type { RunResult } from "../train/types.ts";
import { LINE_DASHES, type LineDash, lineStyle, type MarkerSymbol } from "./line_style.ts";

export {
  LINE_DASHES,
  type LineDash,
  lineStyle,
  MARKER_SYMBOLS,
  type MarkerSymbol,
} from "./line_style.ts";

/** One line of a plot. */
export interface TraceSpec {
  name: string;
  x: number[];
  /** `null` leaves a gap (a diverged epoch's NaN loss). */
  y: (number | null)[];
  /** Which panel (0 = top) the line is drawn in. */
  panel: number;
  /** The panel's left (`"y"`) or right (`"y2"`) axis. */
  axis: "y" | "y2";
  /** Colour: an index into the theme's palette, or the muted ink for reference lines. */
  color: number | "muted";
  dash?: LineDash;
  /**
   * `"hv"`: a step from each point to the next (the rate holds from one step to the next, as a
   * schedule set once per epoch does); default: a straight line.
   */
  shape?: "linear" | "hv";
  markers?: boolean;
  /**
   * The markers' shape (default a circle): traces of one figure differ in shape, and in dash
   * beyond the palette, so that they are told apart without colour, on screen and on paper.
   */
  symbol?: MarkerSymbol;
  /**
   * Drawn thin and faint behind the rest, out of the hover: the other runs of a small multiple,
   * for context.
   */
  context?: boolean;
  /** A d3 format for the value in the hover label, e.g. `".4f"`. */
  format: string;
  /** Traces with the same group share one legend entry's toggling. */
  group?: string;
  showLegend?: boolean;
  /**
   * One bound of a shaded band, drawn without a line and left out of the
   * hover: `"lower"`, then `"upper"` as the very next trace, which fills down
   * to it (Plotly's `fill: "tonexty"`) in a translucent shade of its colour.
   */
  band?: "lower" | "upper";
  /** Drawn only once its legend entry is clicked (Plotly's `visible: "legendonly"`). */
  hidden?: boolean;
  /** The hover of each point as lines of plain text, instead of the value in `format`. */
  hover?: string[][];
}

/** A panel: a y axis (and maybe a second one on the right). */
export interface PanelSpec {
  /** Over the panel, in a grid of small multiples: what it shows (a run's name). */
  title?: string;
  yTitle: string;
  y2Title?: string;
  /** d3 tick formats. */
  yFormat?: string;
  y2Format?: string;
  /** A logarithmic left axis. */
  yLog?: boolean;
  /** A logarithmic right axis. */
  y2Log?: boolean;
}

/** Everything the client needs to draw a figure. */
export interface PlotSpec {
  kind: "schedule" | "run" | "runs" | "comparison" | "multiples";
  xTitle: string;
  /** Whether x takes whole numbers only (epochs, updates): ticks at integers. */
  xInteger: boolean;
  /** A logarithmic x axis. */
  xLog?: boolean;
  /** Panels stacked top to bottom, sharing the x axis (or in a grid: {@linkcode PlotSpec.grid}). */
  panels: PanelSpec[];
  traces: TraceSpec[];
  /** Plot height in CSS pixels (the width follows the page). */
  height: number;
  /**
   * Small multiples: the panels in a grid of at most `columns` a row (fewer on a narrow page),
   * each `rowHeight` pixels tall and titled, all on the same axes: one x range, one range for
   * every left axis and one for every right axis. `height` is the grid's at `columns`.
   */
  grid?: { columns: number; rowHeight: number };
}

/** A small table of numbers, shown beside a figure or as a cell output. */
export interface TableModel {
  columns: string[];
  rows: string[][];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
}

/** A figure before it is numbered on its page. */
export interface FigureContent {
  kind: PlotSpec["kind"];
  title: string;
  /** Plain text: how the numbers were made. */
  caption: string;
  spec: PlotSpec;
  /** The plotted numbers as a table (for readers without JavaScript, and for exact values). */
  table?: TableModel;
}

function range(values: number[]): string {
  if (values.length === 0) return "no steps";
  const lo = Math.min(...values), hi = Math.max(...values);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

/**
 * Schedule curves of one cell in one plot (they share a unit, a quantity and
 * log axes). Curves of something other than a rate (`quantity`) say so on the
 * y axis and in the caption; on a log axis the points it cannot show (0 or
 * less) are left out.
 *
 * @param curves The schedules, in legend order.
 * @param cellId The cell that computed them (named in the caption).
 */
export function scheduleFigure(curves: ScheduleOutput[], cellId: string): FigureContent {
  const { unit, quantity, xQuantity, log } = curves[0];
  const logX = log?.includes("x") ?? false, logY = log?.includes("y") ?? false;
  const shown = curves.map((c) => {
    const keep = c.steps.map((t, i) => (!logX || t > 0) && (!logY || c.lrs[i] > 0));
    return { x: c.steps.filter((_t, i) => keep[i]), y: c.lrs.filter((_v, i) => keep[i]) };
  });
  const allSteps = curves.flatMap((c) => c.steps);
  const markers = Math.max(...curves.map((c) => c.steps.length)) <= 60;
  const names = curves.map((c) => c.label);
  const title = names.length === 1
    ? names[0]
    : names.length <= 3
    ? names.join(" vs. ")
    : `${names.length} schedules, from ${names[0]} to ${names.at(-1)}`;
  // A rate holds from one step to the next: drawn as steps where that shows (per epoch, or a
  // piecewise-constant schedule), as a line where the steps are too fine to see.
  const stepped = (c: ScheduleOutput) => {
    if (quantity !== undefined || c.steps.length > 400) return false;
    const flat = c.lrs.slice(1).filter((v, i) => v === c.lrs[i]).length;
    return unit === "epoch" || flat >= (c.lrs.length - 1) / 2;
  };
  const axes = logX && logY
    ? " Both axes are logarithmic."
    : logX
    ? " The x axis is logarithmic."
    : logY
    ? " The y axis is logarithmic."
    : "";
  const caption = xQuantity !== undefined
    ? `${names.length === 1 ? "One curve" : `${names.length} curves`} computed by cell ` +
      `"${cellId}": ${quantity ?? "the learning rate"} against ${xQuantity}, one point per ` +
      `${unit}, ${xQuantity} from ${short(Math.min(...allSteps))} to ` +
      `${short(Math.max(...allSteps))}.${axes}`
    : quantity === undefined
    ? `${names.length === 1 ? "The schedule" : `${names.length} schedules`} evaluated at ` +
      `${unit}s ${range(allSteps)} by cell "${cellId}": the learning rate in force at each ` +
      `${unit}, computed by the schedule functions themselves (no training involved).${axes}`
    : `${names.length === 1 ? "One curve" : `${names.length} curves`} computed by cell ` +
      `"${cellId}" at ${unit}s ${range(allSteps)}: ${quantity} at each ${unit}, from the ` +
      `cell's own computation (no network is trained).${axes}`;
  return {
    kind: "schedule",
    title,
    caption,
    spec: {
      kind: "schedule",
      xTitle: xQuantity ?? (unit === "epoch" ? "epoch" : "update (minibatch)"),
      xInteger: xQuantity === undefined,
      ...(logX ? { xLog: true } : {}),
      panels: [{ yTitle: quantity ?? "learning rate", ...(logY ? { yLog: true } : {}) }],
      traces: curves.map((c, i) => ({
        name: c.label,
        x: shown[i].x,
        y: shown[i].y,
        panel: 0,
        axis: "y",
        color: i,
        markers,
        // Told apart without colour: by marker shape (and dash), or, without markers, by dash.
        ...(markers ? lineStyle(i) : { dash: LINE_DASHES[i % LINE_DASHES.length] }),
        ...(stepped(c) ? { shape: "hv" as const } : {}),
        format: ".4~g",
      })),
      height: 340,
    },
  };
}

/** Not-a-number and infinities become `null` (a gap in the line). */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The rate during each epoch as a line: from each epoch's first update to its last. */
function rateLine(run: RunResult): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (const e of run.history) {
    x.push(e.epoch - 1, e.epoch);
    y.push(e.lr, e.lrLast);
  }
  return { x, y };
}

/** An accuracy as the book writes it everywhere: a percentage with two decimals. */
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The per-epoch numbers of a run, as a table. */
export function runTable(run: RunResult): TableModel {
  return {
    columns: ["epoch", "learning rate", "train loss", "train acc", "test acc", "seconds"],
    numeric: [true, true, true, true, true, true],
    rows: run.history.map((e) => [
      String(e.epoch),
      e.lr === e.lrLast ? short(e.lr) : `${short(e.lr)} → ${short(e.lrLast)}`,
      Number.isFinite(e.trainLoss) ? e.trainLoss.toFixed(4) : "NaN",
      pct(e.trainAcc),
      pct(e.testAcc),
      e.seconds.toFixed(1),
    ]),
  };
}

function divergence(run: RunResult): string {
  return run.divergedAt === null
    ? ""
    : ` The run diverged in epoch ${run.divergedAt}: the loss became NaN or infinite and training stopped.`;
}

/**
 * A training run: train loss, train accuracy and test accuracy per epoch,
 * with the learning rate on a second axis.
 */
export function runFigure(run: RunResult): FigureContent {
  const epochs = run.history.map((e) => e.epoch);
  const rate = rateLine(run);
  const stepping = run.config.stepsPer === "epoch"
    ? "constant within each epoch"
    : "drawn from each epoch's first update to its last";
  return {
    kind: "run",
    title: run.name,
    caption: `Training run "${run.name}": ${describeRun(run)}. Train loss is the mean over ` +
      `each epoch's updates, train accuracy is measured over the same updates, test accuracy ` +
      `after each epoch; the learning rate (dashed, right axis) is ${stepping}.${divergence(run)}`,
    spec: {
      kind: "run",
      xTitle: "epoch",
      xInteger: true,
      panels: [{ yTitle: "loss / accuracy", y2Title: "learning rate" }],
      traces: [
        {
          name: "train loss",
          x: epochs,
          y: run.history.map((e) => finite(e.trainLoss)),
          panel: 0,
          axis: "y",
          color: 0,
          markers: true,
          symbol: "circle",
          format: ".4f",
        },
        {
          name: "train acc",
          x: epochs,
          y: run.history.map((e) => e.trainAcc),
          panel: 0,
          axis: "y",
          color: 1,
          markers: true,
          symbol: "square",
          dash: "dot",
          format: ".2%",
        },
        {
          name: "test acc",
          x: epochs,
          y: run.history.map((e) => e.testAcc),
          panel: 0,
          axis: "y",
          color: 2,
          markers: true,
          symbol: "diamond",
          format: ".2%",
        },
        {
          name: "learning rate",
          x: rate.x,
          y: rate.y,
          panel: 0,
          axis: "y2",
          color: "muted",
          dash: "dash",
          format: ".4~g",
        },
      ],
      height: 360,
    },
    table: runTable(run),
  };
}

/** The two panels of a group's figure: the metric, its axis and how its values are written. */
const GROUP_PANELS: { metric: EpochMetric; title: string; scale: Scale; format: string }[] = [
  { metric: "testAcc", title: "test accuracy", scale: "accuracy", format: ".2%" },
  { metric: "trainLoss", title: "train loss", scale: "loss", format: ".4f" },
];

/** What the band of a group's figures is: said in the legend and in the captions. */
export const BAND_LEGEND = "mean ± 1 sd";

/**
 * A mean curve with its band, for one panel: the lower bound, the upper
 * bound filling down to it, then the mean, whose hover lists every seed.
 */
function meanWithBand(
  group: SeedRuns,
  panel: number,
  color: number,
  legend: { mean: string; band: string | null; group: string; bandGroup: string },
): TraceSpec[] {
  const p = GROUP_PANELS[panel];
  const epochs = epochSpreads(group, p.metric);
  const x = epochs.map((e) => e.epoch);
  const mean = epochs.map((e) => e.spread?.mean ?? null);
  const seeds = seedsOf(group);
  const n = seeds.length;
  const hover = epochs.map((e) => [
    `${group.label}, ${p.title}: ${formatMeanSd(e.spread, p.scale, n)}${
      e.spread?.sd === null || e.spread === null ? "" : " (mean ± sd)"
    }`,
    ...e.bySeed.map((v, i) => `seed ${seeds[i]}: ${v === null ? "–" : formatValue(v, p.scale)}`),
  ]);
  const common = { x, panel, axis: "y" as const, color, format: p.format };
  const banded = epochs.some((e) => e.spread?.sd !== null && e.spread !== null);
  const bound = (sign: 1 | -1) =>
    epochs.map((e) => e.spread === null ? null : e.spread.mean + sign * (e.spread.sd ?? 0));
  const band: TraceSpec[] = banded
    ? [
      {
        ...common,
        name: legend.band ?? BAND_LEGEND,
        y: bound(-1),
        band: "lower",
        group: legend.bandGroup,
        showLegend: false,
      },
      {
        ...common,
        name: legend.band ?? BAND_LEGEND,
        y: bound(1),
        band: "upper",
        group: legend.bandGroup,
        showLegend: legend.band !== null && panel === 0,
      },
    ]
    : [];
  return [
    ...band,
    {
      ...common,
      name: legend.mean,
      y: mean,
      markers: true,
      ...lineStyle(color),
      hover,
      group: legend.group,
      showLegend: panel === 0,
    },
  ];
}

/**
 * One experiment over seeds: the mean test accuracy (top) and train loss
 * (bottom) per epoch, each with a band of mean ± one standard deviation of
 * the seeds, the hover listing every seed's value; each seed's own curves are
 * in the legend, drawn when clicked.
 *
 * @param group The group.
 * @returns The figure, with the seeds' table as its numbers.
 */
export function runsFigure(group: SeedRuns): FigureContent {
  const seeds = seedsOf(group);
  const n = seeds.length;
  const traces = GROUP_PANELS.flatMap((p, panel) => [
    ...meanWithBand(group, panel, 0, {
      mean: `mean of ${n} seed${n === 1 ? "" : "s"}`,
      band: BAND_LEGEND,
      group: "mean",
      bandGroup: "band",
    }),
    ...group.runs.map((run, i): TraceSpec => ({
      name: `seed ${run.config.seed}`,
      x: run.history.map((e) => e.epoch),
      y: run.history.map((e) => finite(e[p.metric])),
      panel,
      axis: "y",
      color: i + 1,
      dash: "dot",
      format: p.format,
      group: `seed${run.config.seed}`,
      showLegend: panel === 0,
      hidden: true,
    })),
  ]);
  const diverged = group.runs.filter((r) => r.divergedAt !== null)
    .map((r) => `seed ${r.config.seed} diverged in epoch ${r.divergedAt}`);
  const band = n > 1
    ? `The shaded band is the mean ± one standard deviation of the seeds (the sample ` +
      `standard deviation, divided by n − 1), epoch by epoch.`
    : `With one seed there is no spread to shade.`;
  return {
    kind: "runs",
    title: group.label,
    caption:
      `"${group.label}" over ${
        describeGroup(group)
      }. The solid line is the mean over the seeds of the test accuracy ` +
      `after each epoch (top) and of the train loss, the mean over each epoch's updates ` +
      `(bottom). ${band} Each seed's own curves are in the legend: click "seed ${seeds[0]}" to ` +
      `draw them. Hovering shows every seed's value.` +
      (diverged.length
        ? ` ${diverged.join("; ")} (its loss became NaN or infinite); from then on the ` +
          `means are over the other seeds.`
        : ""),
    spec: {
      kind: "runs",
      xTitle: "epoch",
      xInteger: true,
      panels: [{ yTitle: "test accuracy", yFormat: ".0%" }, { yTitle: "train loss" }],
      traces,
      height: 520,
    },
    table: tableModel(seedTable(group)),
  };
}

/**
 * A table of `lib/book/spread_table.ts` as a site table: numbers written as
 * the terminal writes them, and a column right-aligned when every cell in it
 * is number-like (`lib/book/outputs.ts`: `"88.12% ± 0.31 pp"`, `"+4.10 pp"`,
 * `"–"`), as the terminal aligns it.
 *
 * @param t The table.
 * @returns The model.
 */
export function tableModel(t: Pick<TableOutput, "columns" | "rows">): TableModel {
  return {
    columns: t.columns,
    rows: t.rows.map((r) => r.map((v) => (typeof v === "number" ? short(v) : v))),
    numeric: t.columns.map((_c, i) => t.rows.length > 0 && t.rows.every((r) => isNumberLike(r[i]))),
  };
}

/** What the runs have in common, for the comparison's caption. */
function sharedSettings(runs: RunResult[]): string {
  const describe = (r: RunResult) => describeRun({ ...r, cached: false });
  const perRun = runs.map((r) =>
    describe(r).replace(/, rate set (?:once per epoch|before every update)$/, "")
  );
  const same = perRun.every((d) => d === perRun[0]);
  // Runs that share their settings are named together, the settings said once per group.
  const groups = new Map<string, string[]>();
  runs.forEach((r, i) => groups.set(perRun[i], [...(groups.get(perRun[i]) ?? []), `"${r.name}"`]));
  const byStep = (unit: "epoch" | "update") =>
    runs.filter((r) => r.config.stepsPer === unit).map((r) => `"${r.name}"`);
  const perEpoch = byStep("epoch"), perUpdate = byStep("update");
  // Named only where the runs differ in it.
  const stepping = perUpdate.length === 0
    ? "rate set once per epoch"
    : perEpoch.length === 0
    ? "rate set before every update"
    : `rate set once per epoch for ${perEpoch.join(", ")}; before every update for ${
      perUpdate.join(", ")
    }`;
  if (same) return `Every run: ${perRun[0]}; ${stepping}.`;
  if (groups.size < runs.length) {
    return `${
      [...groups].map(([settings, names]) =>
        `${
          names.length === 1 ? names[0] : `${names.length} runs (${names.join(", ")})`
        }: ${settings}`
      ).join("; ")
    }; ${stepping}.`;
  }
  return `Runs: ${runs.map((r) => `"${r.name}": ${describe(r)}`).join("; ")}.`;
}

/** Whether positive values span more than two orders of magnitude (then: a log axis). */
function spansOrders(values: (number | null)[]): boolean {
  const shown = values.filter((v): v is number => v !== null && v > 0);
  return shown.length > 1 && Math.max(...shown) / Math.min(...shown) > 100;
}

/**
 * Every run of a page (or of a cell) side by side: test accuracy and train
 * loss per epoch. An experiment over seeds is drawn as its mean with a band of
 * mean ± one standard deviation (its seeds' own curves are in its own figure).
 * The loss axis is logarithmic when the runs span orders of magnitude; beyond
 * the palette's eight colours, lines are told apart by their dashes too.
 *
 * @param runs The single runs, references included.
 * @param groups The groups over seeds, references included.
 * @param scope What the runs are, for title and caption (default "on this page").
 * @returns The figure, with one row per run and per group as its table.
 */
export function comparisonFigure(
  runs: RunResult[],
  groups: readonly SeedRuns[] = [],
  scope = "on this page",
): FigureContent {
  const losses = [
    ...runs.flatMap((r) => r.history.map((e) => finite(e.trainLoss))),
    ...groups.flatMap((g) => g.runs.flatMap((r) => r.history.map((e) => finite(e.trainLoss)))),
  ];
  const logLoss = spansOrders(losses);
  const runTraces = runs.flatMap((run, i) => [
    {
      name: run.name,
      x: run.history.map((e) => e.epoch),
      y: run.history.map((e) => e.testAcc),
      panel: 0,
      axis: "y" as const,
      color: i,
      ...lineStyle(i),
      markers: true,
      format: ".2%",
      group: `run${i}`,
    },
    {
      name: run.name,
      x: run.history.map((e) => e.epoch),
      y: run.history.map((e) => finite(e.trainLoss)),
      panel: 1,
      axis: "y" as const,
      color: i,
      ...lineStyle(i),
      markers: true,
      format: ".4f",
      group: `run${i}`,
      showLegend: false,
    },
  ]);
  const groupTraces = groups.flatMap((g, j) =>
    [0, 1].flatMap((panel) =>
      meanWithBand(g, panel, runs.length + j, {
        mean: `${g.label} (mean of ${g.runs.length})`,
        band: null,
        group: `group${j}`,
        bandGroup: `group${j}`,
      })
    )
  );
  const total = runs.length + groups.length;
  const all = total === 2 ? "both" : `all ${total}`;
  const what = groups.length === 0
    ? `${all} training runs ${scope}`
    : `${all} experiments ${scope}` +
      (runs.length
        ? ` (${runs.length} single run${runs.length === 1 ? "" : "s"} and ${groups.length} ` +
          `over seeds)`
        : "");
  const log = logLoss ? " (the loss on a logarithmic axis: the runs span orders of magnitude)" : "";
  const bands = groups.length === 0 ? "" : ` An experiment over seeds is drawn as its mean over ` +
    `the seeds, with a band of ${BAND_LEGEND} (the sample standard deviation, n − 1); ` +
    `hovering shows every seed.`;
  return {
    kind: "comparison",
    title: scope === "on this page" ? "All runs of this page" : `The ${total} runs ${scope}`,
    caption: `Test accuracy (top) and train loss (bottom) per epoch of ${what}${log}.${bands} ` +
      (runs.length ? `${sharedSettings(runs)}` : "") +
      groups.map((g) => ` "${g.label}": ${describeGroup(g)}.`).join("") +
      runs.map(divergence).join(""),
    spec: {
      kind: "comparison",
      xTitle: "epoch",
      xInteger: true,
      panels: [{ yTitle: "test accuracy", yFormat: ".0%" }, {
        yTitle: "train loss",
        ...(logLoss ? { yLog: true } : {}),
      }],
      traces: [...runTraces, ...groupTraces],
      height: 520,
    },
    table: summaryTable(runs, groups),
  };
}

/** The most columns of a grid of small multiples (a wide page; a narrow one takes fewer). */
export const GRID_COLUMNS = 4;

/** The height of a row of small multiples, in CSS pixels. */
const GRID_ROW = 170;

/**
 * Many runs of one cell as small multiples: a grid of small panels, one per run, all on the same
 * axes, each with its run's test accuracy (left axis) and train loss (dotted, right axis;
 * logarithmic when the runs span orders of magnitude), and the other runs' test accuracy faint
 * behind it: each run reads on its own and against the rest, where one plot of them all would
 * be a tangle of recycled colours, and a full-size figure each would say the same ten times.
 *
 * @param runs The runs, in the cell's order.
 * @param scope What the runs are, for title and caption, e.g. `of cell "fixed-sweep"`.
 * @returns The figure, with one row per run as its table.
 * @throws {RangeError} When `runs` is empty.
 *
 * @example Four runs: a grid of two columns, one panel each
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeRun } from "../book/_testing.ts";
 * import { multiplesFigure } from "./figures.ts";
 * const runs = [0.01, 0.1, 1, 10].map((lr) => fakeRun(`constant ${lr}`, [0.5, 0.7], [0.4, 0.6]));
 * const f = multiplesFigure(runs, 'of cell "sweep"');
 * assert.equal(f.spec.grid?.columns, 2);
 * assert.deepEqual(f.spec.panels.map((p) => p.title), runs.map((r) => r.name));
 * assert.equal(f.table?.rows.length, 4);
 * ```
 */
export function multiplesFigure(runs: RunResult[], scope: string): FigureContent {
  if (runs.length === 0) {
    throw new RangeError(`multiplesFigure: runs must hold at least one run (got none, ${scope})`);
  }
  const n = runs.length;
  const logLoss = spansOrders(runs.flatMap((r) => r.history.map((e) => finite(e.trainLoss))));
  const columns = Math.min(GRID_COLUMNS, Math.ceil(Math.sqrt(n)));
  const epochs = (r: RunResult) => r.history.map((e) => e.epoch);
  const traces = runs.flatMap((run, p): TraceSpec[] => [
    ...runs.filter((other) => other !== run).map((other, j): TraceSpec => ({
      name: "the other runs' test accuracy",
      x: epochs(other),
      y: other.history.map((e) => e.testAcc),
      panel: p,
      axis: "y",
      color: "muted",
      context: true,
      format: ".2%",
      group: "others",
      showLegend: p === 0 && j === 0,
    })),
    {
      name: "test accuracy",
      x: epochs(run),
      y: run.history.map((e) => e.testAcc),
      panel: p,
      axis: "y",
      color: 2,
      format: ".2%",
      group: "test",
      showLegend: p === 0,
    },
    {
      name: "train loss",
      x: epochs(run),
      y: run.history.map((e) => finite(e.trainLoss)),
      panel: p,
      axis: "y2",
      color: 0,
      dash: "dot",
      format: ".4f",
      group: "loss",
      showLegend: p === 0,
    },
  ]);
  const diverged = runs.filter((r) => r.divergedAt !== null).map((r) =>
    ` "${r.name}" diverged in epoch ${r.divergedAt}: its loss became NaN or infinite, so its ` +
    `lines stop there.`
  );
  return {
    kind: "multiples",
    title: `The ${n} runs ${scope}`,
    caption: `Each of the ${n} runs ${scope} in a panel of its own, all on the same axes: the ` +
      `test accuracy after each epoch (solid, left axis) and the train loss, the mean over each ` +
      `epoch's updates (dotted, right axis${
        logLoss ? ", logarithmic: the runs span orders of magnitude" : ""
      }); faint behind each, the other runs' test accuracy. ${sharedSettings(runs)}` +
      diverged.join(""),
    spec: {
      kind: "multiples",
      xTitle: "epoch",
      xInteger: true,
      panels: runs.map((run) => ({
        title: run.name,
        yTitle: "test accuracy",
        yFormat: ".0%",
        y2Title: "train loss",
        ...(logLoss ? { y2Log: true } : {}),
      })),
      traces,
      grid: { columns, rowHeight: GRID_ROW },
      height: Math.ceil(n / columns) * GRID_ROW + 90,
    },
    table: summaryTable(runs),
  };
}

/**
 * One row per run and per group over seeds: how it was stepped and how it
 * ended (a group's numbers as mean ± sd over its seeds, in the same
 * fractions as the runs').
 *
 * @param runs The single runs.
 * @param groups The groups over seeds.
 * @returns The table.
 */
export function summaryTable(runs: RunResult[], groups: readonly SeedRuns[] = []): TableModel {
  const stepping = (r: RunResult) => (r.config.stepsPer === "epoch" ? "per epoch" : "per update");
  const meanSd = (values: number[], accuracy = false) => {
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return "NaN";
    const s = spreadOf(finite);
    const shown = accuracy
      ? formatMeanSd(s, "accuracy")
      : `${s.mean.toFixed(4)}${s.sd === null ? "" : ` ± ${s.sd.toFixed(4)}`}`;
    return shown +
      (finite.length < values.length ? ` (${finite.length} of ${values.length})` : "");
  };
  return {
    columns: ["run", "stepping", "epochs", "final test acc", "best test acc", "final loss"],
    numeric: [false, false, true, true, true, true],
    rows: [
      ...runs.map((run) => {
        const last = run.history.at(-1);
        const best = run.history.reduce<typeof last>(
          (b, e) => (b === undefined || e.testAcc > b.testAcc ? e : b),
          undefined,
        );
        return [
          run.name,
          stepping(run),
          `${run.history.length}${run.divergedAt !== null ? " (diverged)" : ""}`,
          last ? pct(last.testAcc) : "–",
          best ? `${pct(best.testAcc)} (epoch ${best.epoch})` : "–",
          last && Number.isFinite(last.trainLoss) ? last.trainLoss.toFixed(4) : "NaN",
        ];
      }),
      ...groups.map((g) => {
        const diverged = g.runs.filter((r) => r.divergedAt !== null).length;
        const epochs = Math.max(...g.runs.map((r) => r.history.length));
        const best = (r: RunResult) => Math.max(...r.history.map((e) => e.testAcc));
        return [
          `${g.label} (${g.runs.length} seed${g.runs.length === 1 ? "" : "s"}, mean ± sd)`,
          stepping(g.runs[0]),
          `${epochs}${diverged ? ` (${diverged} of ${g.runs.length} diverged)` : ""}`,
          meanSd(g.runs.map((r) => r.history.at(-1)?.testAcc ?? NaN), true),
          meanSd(g.runs.map(best), true),
          meanSd(g.runs.map((r) => r.history.at(-1)?.trainLoss ?? NaN)),
        ];
      }),
    ],
  };
}
