/**
 * Figures as data: what to plot, from the numbers a chapter computed, and a
 * caption saying how they were made. The client script (`assets/site.js`)
 * turns a {@linkcode PlotSpec} into a Plotly figure in the current theme;
 * nothing here knows about colours or Plotly's layout.
 *
 * @module
 */

import { describeRun, short } from "../book/terminal.ts";
import type { ScheduleOutput } from "../book/types.ts";
import type { RunResult } from "../train/types.ts";

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
  dash?: "solid" | "dash" | "dot";
  /**
   * `"hv"`: a step from each point to the next (the rate holds from one step to the next, as a
   * schedule set once per epoch does); default: a straight line.
   */
  shape?: "linear" | "hv";
  markers?: boolean;
  /** A d3 format for the value in the hover label, e.g. `".4f"`. */
  format: string;
  /** Traces with the same group share one legend entry's toggling. */
  group?: string;
  showLegend?: boolean;
}

/** A panel: a y axis (and maybe a second one on the right). */
export interface PanelSpec {
  yTitle: string;
  y2Title?: string;
  /** d3 tick formats. */
  yFormat?: string;
  y2Format?: string;
  /** A logarithmic left axis. */
  yLog?: boolean;
}

/** Everything the client needs to draw a figure. */
export interface PlotSpec {
  kind: "schedule" | "run" | "comparison";
  xTitle: string;
  /** Whether x takes whole numbers only (epochs, updates): ticks at integers. */
  xInteger: boolean;
  /** A logarithmic x axis. */
  xLog?: boolean;
  /** Panels stacked top to bottom, sharing the x axis. */
  panels: PanelSpec[];
  traces: TraceSpec[];
  /** Plot height in CSS pixels (the width follows the page). */
  height: number;
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
  const { unit, quantity, log } = curves[0];
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
  const caption = quantity === undefined
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
      xTitle: unit === "epoch" ? "epoch" : "update (minibatch)",
      xInteger: true,
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
  const stepping = [
    perEpoch.length ? `rate set once per epoch for ${perEpoch.join(", ")}` : "",
    perUpdate.length ? `before every update for ${perUpdate.join(", ")}` : "",
  ].filter(Boolean).join("; ");
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

/** Every run of a page side by side: test accuracy and train loss per epoch. */
export function comparisonFigure(runs: RunResult[], scope = "on this page"): FigureContent {
  const losses = runs.flatMap((r) => r.history.map((e) => finite(e.trainLoss)));
  const logLoss = spansOrders(losses);
  // Beyond the palette's eight colours, lines are told apart by their dashes too.
  const dash = (i: number) => (["solid", "dash", "dot"] as const)[Math.floor(i / 8) % 3];
  return {
    kind: "comparison",
    title: scope === "on this page" ? "All runs of this page" : `The ${runs.length} runs ${scope}`,
    caption:
      `Test accuracy (top) and train loss (bottom) per epoch of ${
        runs.length === 2 ? "both" : `all ${runs.length}`
      } training runs ${scope}${
        logLoss ? " (the loss on a logarithmic axis: the runs span orders of magnitude)" : ""
      }. ${sharedSettings(runs)}` +
      runs.map(divergence).join(""),
    spec: {
      kind: "comparison",
      xTitle: "epoch",
      xInteger: true,
      panels: [{ yTitle: "test accuracy", yFormat: ".0%" }, {
        yTitle: "train loss",
        ...(logLoss ? { yLog: true } : {}),
      }],
      traces: runs.flatMap((run, i) => [
        {
          name: run.name,
          x: run.history.map((e) => e.epoch),
          y: run.history.map((e) => e.testAcc),
          panel: 0,
          axis: "y" as const,
          color: i,
          dash: dash(i),
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
          dash: dash(i),
          markers: true,
          format: ".4f",
          group: `run${i}`,
          showLegend: false,
        },
      ]),
      height: 520,
    },
    table: summaryTable(runs),
  };
}

/** One row per run: how it was stepped and how it ended. */
export function summaryTable(runs: RunResult[]): TableModel {
  return {
    columns: ["run", "stepping", "epochs", "final test acc", "best test acc", "final loss"],
    numeric: [false, false, true, true, true, true],
    rows: runs.map((run) => {
      const last = run.history.at(-1);
      const best = run.history.reduce<typeof last>(
        (b, e) => (b === undefined || e.testAcc > b.testAcc ? e : b),
        undefined,
      );
      return [
        run.name,
        run.config.stepsPer === "epoch" ? "per epoch" : "per update",
        `${run.history.length}${run.divergedAt !== null ? " (diverged)" : ""}`,
        last ? pct(last.testAcc) : "–",
        best ? `${pct(best.testAcc)} (epoch ${best.epoch})` : "–",
        last && Number.isFinite(last.trainLoss) ? last.trainLoss.toFixed(4) : "NaN",
      ];
    }),
  };
}
