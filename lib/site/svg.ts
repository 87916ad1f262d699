/**
 * A figure drawn at build time as a static SVG, for readers without JavaScript and for print:
 * the same {@linkcode PlotSpec} the client hands to Plotly, drawn as plain lines on plain axes.
 * Colours are the theme's custom properties (`var(--plot-1)`, ...), so the image follows the
 * page's light or dark palette. Small on purpose: panels stacked over one x axis or in a grid of
 * small multiples, a left and a right y axis, linear or logarithmic, lines straight or stepped
 * (`hv`) with their dashes and marker shapes, bands, a legend below.
 *
 * @module
 */

import type { PlotSpec, TraceSpec } from "./figures.ts";
import type { MarkerSymbol } from "./line_style.ts";
import { escapeHtml } from "../util/escape_html.ts";

/** The drawing's width in SVG units (it scales to the column). */
const WIDTH = 720;
/** The most points a line keeps (evenly thinned beyond that: the image is a sketch). */
const MAX_POINTS = 400;

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
}

/** About five round numbers spanning `lo`..`hi`. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

function scale(values: number[], log: boolean, integer = false): Scale {
  const shown = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = shown.length ? Math.min(...shown) : 0, hi = shown.length ? Math.max(...shown) : 1;
  if (log) {
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const ticks = [];
    const every = Math.max(1, Math.ceil((b - a) / 6));
    for (let e = a; e <= b; e += every) ticks.push(10 ** e);
    return { lo: 10 ** a, hi: 10 ** Math.max(b, a + 1), log, ticks };
  }
  if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  const ticks = niceTicks(lo, hi).filter((t) => !integer || Number.isInteger(t));
  return { lo, hi, log, ticks };
}

const pos = (s: Scale, v: number, from: number, to: number) => {
  const f = s.log
    ? (Math.log10(v) - Math.log10(s.lo)) / (Math.log10(s.hi) - Math.log10(s.lo))
    : (v - s.lo) / (s.hi - s.lo);
  return from + f * (to - from);
};

/** A tick's label: short, as Plotly writes them. */
function tickText(v: number, format?: string): string {
  if (format?.endsWith("%")) return `${Number((100 * v).toPrecision(4))}%`;
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

function color(t: TraceSpec): string {
  return t.color === "muted" ? "var(--muted)" : `var(--plot-${(t.color % 8) + 1})`;
}

/** The points of a trace, thinned to {@linkcode MAX_POINTS}. */
function points(t: TraceSpec): [number, number | null][] {
  const all = t.x.map((x, i) => [x, t.y[i]] as [number, number | null]);
  if (all.length <= MAX_POINTS) return all;
  const every = Math.ceil(all.length / MAX_POINTS);
  return all.filter((_p, i) => i % every === 0 || i === all.length - 1);
}

/** Plotly's dashes, as SVG's `stroke-dasharray` (for a line 2 units wide). */
const DASHES = {
  solid: null,
  dash: "6 4",
  dot: "2 3",
  dashdot: "6 3 2 3",
  longdash: "11 4",
  longdashdot: "11 3 2 3",
} as const;

const f1 = (v: number) => v.toFixed(1);

/**
 * The path of a marker of shape `symbol` centred on (`x`, `y`), about as large as Plotly's of
 * size 6: filled, except the cross, which is stroked.
 *
 * @param symbol The shape.
 * @param x The centre's x.
 * @param y The centre's y.
 * @returns The path's `d`.
 *
 * @example A square is four sides round its centre
 * ```ts
 * import assert from "node:assert/strict";
 * import { markerPath } from "./svg.ts";
 * assert.equal(markerPath("square", 10, 10), "M7.3 7.3h5.4v5.4h-5.4z");
 * ```
 */
export function markerPath(symbol: MarkerSymbol, x: number, y: number): string {
  const r = 3, d = 3.9, s = 2.7;
  switch (symbol) {
    case "circle":
      return `M${f1(x - r)} ${f1(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0z`;
    case "square":
      return `M${f1(x - s)} ${f1(y - s)}h${2 * s}v${2 * s}h${-2 * s}z`;
    case "diamond":
      return `M${f1(x)} ${f1(y - d)}l${d} ${d}l${-d} ${d}l${-d} ${-d}z`;
    case "triangle-up":
      return `M${f1(x)} ${f1(y - d)}l${d} ${f1(1.7 * d)}h${f1(-2 * d)}z`;
    case "triangle-down":
      return `M${f1(x)} ${f1(y + d)}l${d} ${f1(-1.7 * d)}h${f1(-2 * d)}z`;
    case "x":
      return `M${f1(x - s)} ${f1(y - s)}l${2 * s} ${2 * s}M${f1(x + s)} ${f1(y - s)}l${-2 * s} ${
        2 * s
      }`;
  }
}

/** A box of the drawing, in SVG units. */
interface Box {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

/** Where each panel goes, and which of its axes are labelled. */
interface PanelPlace {
  box: Box;
  /** The x axis' numbers and title under it (nothing under it to carry them). */
  xLabels: boolean;
  /** The left axis' numbers and title (the first column, or every stacked panel). */
  yLabels: boolean;
  /** The right axis' numbers and title. */
  y2Labels: boolean;
}

/**
 * The figure as an SVG element, drawn as the client draws it with Plotly: the same panels
 * (stacked, or small multiples in a grid), axes, lines, dashes, marker shapes and bands, so that
 * its lines are told apart on paper as on screen, without colour too. Lines only shown once a
 * legend entry is clicked are left out; the legend goes below.
 *
 * @param spec What the client would draw.
 * @returns The markup of an `<svg>` (decorative: the figure's caption and table say the same).
 *
 * @example A line on a plot
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotSvg } from "./svg.ts";
 * const svg = plotSvg({
 *   kind: "schedule", xTitle: "epoch", xInteger: true, height: 300,
 *   panels: [{ yTitle: "learning rate" }],
 *   traces: [{ name: "halving", x: [0, 1, 2], y: [1, 0.5, 0.25], panel: 0, axis: "y", color: 0, format: ".2f", shape: "hv" }],
 * });
 * assert(svg.startsWith("<svg") && svg.includes("<path") && svg.includes("halving"));
 * ```
 */
export function plotSvg(spec: PlotSpec): string {
  const drawn = spec.traces.filter((t) => !t.hidden);
  const legend = drawn.filter((t) => t.showLegend !== false);
  /** Each drawn trace with its place in the spec (which `data-trace` gives). */
  const indexed = spec.traces.map((t, i) => ({ t, i })).filter(({ t }) => !t.hidden);
  // The legend below the plot: rows of entries, wrapped at the width.
  const entries: { t: TraceSpec; x: number; row: number }[] = [];
  let x = 0, row = 0;
  for (const t of legend) {
    const w = 34 + Math.min(t.name.length, 48) * 6.4 + 16;
    if (x > 0 && x + w > WIDTH - 64) [x, row] = [0, row + 1];
    entries.push({ t, x, row });
    x += w;
  }
  const rows = legend.length > 1 ? row + 1 : 0;
  const hasY2 = spec.panels.some((p) => p.y2Title);
  const grid = spec.grid;
  const m = { l: 64, r: hasY2 ? 64 : 16, t: grid ? 30 : 12, b: 46 + rows * 18 };
  const n = spec.panels.length;
  const columns = grid ? Math.max(1, Math.min(grid.columns, n)) : 1;
  const gridRows = Math.ceil(n / columns);
  const plotH = grid
    ? gridRows * grid.rowHeight
    : Math.max(220, Math.min(spec.height, 520)) - 12 - 46;
  const height = plotH + m.t + m.b;
  const x0 = m.l, x1 = WIDTH - m.r;
  // Stacked: one above the other. A grid: columns and rows, a title's room above each.
  const gapX = grid ? 14 : 0, gapY = grid ? 30 : n > 1 ? 36 : 0;
  const cellW = (x1 - x0 - gapX * (columns - 1)) / columns;
  const cellH = (plotH - gapY * (gridRows - 1)) / gridRows;
  const places: PanelPlace[] = spec.panels.map((_p, i) => {
    const col = i % columns, r = Math.floor(i / columns);
    const left = x0 + col * (cellW + gapX), top = m.t + r * (cellH + gapY);
    return {
      box: { x0: left, x1: left + cellW, top, bottom: top + cellH },
      xLabels: i + columns >= n,
      yLabels: col === 0,
      y2Labels: col === columns - 1 || i === n - 1,
    };
  });
  const xs = scale(drawn.flatMap((t) => t.x), spec.xLog ?? false, spec.xInteger);
  const values = (panels: number[], axis: "y" | "y2") =>
    drawn.filter((t) => panels.includes(t.panel) && t.axis === axis).flatMap((t) =>
      t.y.filter((v): v is number => v !== null)
    );
  const all = spec.panels.map((_p, i) => i);
  // A grid's panels share their axes; stacked ones each have their own y axes.
  const yScale = (p: number) => scale(values(grid ? all : [p], "y"), spec.panels[p].yLog ?? false);
  const y2Scale = (p: number) => {
    const log = spec.panels[p].y2Log ?? false;
    const v = values(grid ? all : [p], "y2");
    return scale(log ? v : [0, ...v], log);
  };
  const out: string[] = [];
  const text = (tx: number, ty: number, s: string, attrs = "") =>
    out.push(`<text x="${f1(tx)}" y="${f1(ty)}"${attrs}>${escapeHtml(s)}</text>`);
  const rotated = (tx: number, ty: number, s: string, angle: number) =>
    text(
      tx,
      ty,
      s,
      ` transform="rotate(${angle} ${f1(tx)} ${f1(ty)})" text-anchor="middle" class="svg-title"`,
    );
  spec.panels.forEach((panel, p) => {
    const { box, xLabels, yLabels, y2Labels } = places[p];
    const { top, bottom } = box;
    const ys = yScale(p);
    out.push(`<g class="svg-grid">`);
    for (const t of ys.ticks) {
      const y = pos(ys, t, bottom, top);
      out.push(`<line x1="${f1(box.x0)}" x2="${f1(box.x1)}" y1="${f1(y)}" y2="${f1(y)}"/>`);
      if (yLabels) text(box.x0 - 6, y + 4, tickText(t, panel.yFormat), ` text-anchor="end"`);
    }
    out.push(`</g>`);
    if (yLabels) rotated(14, (top + bottom) / 2, panel.yTitle, -90);
    const y2 = panel.y2Title ? y2Scale(p) : null;
    if (y2 && panel.y2Title && y2Labels) {
      for (const t of y2.ticks) {
        text(box.x1 + 6, pos(y2, t, bottom, top) + 4, tickText(t, panel.y2Format));
      }
      rotated(Math.min(WIDTH - 8, box.x1 + 56), (top + bottom) / 2, panel.y2Title, 90);
    }
    out.push(
      `<rect class="svg-frame" x="${f1(box.x0)}" y="${f1(top)}" width="${f1(box.x1 - box.x0)}" ` +
        `height="${f1(bottom - top)}"/>`,
    );
    if (panel.title) {
      const chars = Math.floor((box.x1 - box.x0) / 6.6);
      const title = panel.title.length > chars
        ? `${panel.title.slice(0, chars - 1)}…`
        : panel.title;
      text(box.x0, top - 6, title, ` class="svg-title svg-panel-title"`);
    }
    if (xLabels) {
      const ticks = grid && columns > 2
        ? xs.ticks.filter((_t, i) => i % 2 === 0 || xs.ticks.length <= 4)
        : xs.ticks;
      for (const t of ticks) {
        text(pos(xs, t, box.x0, box.x1), bottom + 15, tickText(t), ` text-anchor="middle"`);
      }
      if (!grid || p === n - 1 || p + columns >= n) {
        text(
          (box.x0 + box.x1) / 2,
          bottom + 34,
          spec.xTitle,
          ` text-anchor="middle" class="svg-title"`,
        );
      }
    }
    const inPanel = indexed.filter(({ t }) => t.panel === p);
    // Context lines first (behind), then bands, then the lines.
    const order = [
      ...inPanel.filter(({ t }) => t.context),
      ...inPanel.filter(({ t }) => t.band && !t.context),
      ...inPanel.filter(({ t }) => !t.band && !t.context),
    ];
    for (const { t, i } of order) {
      const s = t.axis === "y2" && y2 ? y2 : ys;
      const at = (px: number, py: number | null): [number, number] | null =>
        py === null || (s.log && py <= 0) || (xs.log && px <= 0)
          ? null
          : [pos(xs, px, box.x0, box.x1), pos(s, py, bottom, top)];
      if (t.band === "lower") continue; // drawn with its upper bound, the trace after it
      if (t.band === "upper") {
        const lower = spec.traces[i - 1];
        if (lower?.band !== "lower") continue;
        out.push(bandPath(t, lower, at));
        continue;
      }
      let d = "", pen = false;
      const marks: string[] = [];
      for (const [px, py] of points(t)) {
        const q = at(px, py);
        if (q === null) {
          pen = false;
          continue;
        }
        const [X, Y] = [f1(q[0]), f1(q[1])];
        if (!pen) d += `M${X} ${Y}`;
        else if (t.shape === "hv") d += `H${X}V${Y}`;
        else d += `L${X} ${Y}`;
        pen = true;
        if (t.markers) marks.push(markerPath(t.symbol ?? "circle", q[0], q[1]));
      }
      if (!d) continue;
      out.push(traceGroup(t, i, d, marks.join("")));
    }
  });
  entries.forEach(({ t, x, row }) => {
    const ly = height - 8 - (rows - 1 - row) * 18;
    const lx = m.l + x;
    const marks = t.markers ? markerPath(t.symbol ?? "circle", lx + 14, ly - 4) : "";
    out.push(
      t.band
        ? `<g class="svg-legend"><path d="M${lx} ${ly - 9}h28v10h-28z" style="fill:${
          color(t)
        };fill-opacity:0.2;stroke:none"/></g>`
        : traceGroup(t, null, `M${lx} ${ly - 4}h28`, marks, "svg-legend"),
    );
    text(lx + 34, ly, t.name.length > 48 ? `${t.name.slice(0, 47)}…` : t.name);
  });
  return `<svg class="plot-svg" viewBox="0 0 ${WIDTH} ${f1(height)}" width="${WIDTH}" height="${
    f1(height)
  }" aria-hidden="true" focusable="false">${out.join("")}</svg>`;
}

/**
 * A line with its markers: `data-dash` and `data-symbol` say how it is drawn (and tests read
 * them against Plotly's figure).
 */
function traceGroup(
  t: TraceSpec,
  index: number | null,
  d: string,
  marks: string,
  className = "svg-trace",
): string {
  const dash = DASHES[t.dash ?? "solid"];
  const style = t.context
    ? `stroke:${color(t)};stroke-width:1;stroke-opacity:0.45`
    : `stroke:${color(t)}`;
  const symbol = t.symbol ?? "circle";
  const markers = marks
    ? `<path class="svg-markers" d="${marks}" style="${
      symbol === "x" ? `stroke:${color(t)};stroke-width:1.5` : `fill:${color(t)};stroke:none`
    }"/>`
    : "";
  return `<g class="${className}"${index === null ? "" : ` data-trace="${index}"`} data-dash="${
    t.dash ?? "solid"
  }"${t.markers ? ` data-symbol="${symbol}"` : ""}><path d="${d}" style="${style}"${
    dash ? ` stroke-dasharray="${dash}"` : ""
  }/>${markers}</g>`;
}

/** A band between two bounds, filled in a translucent shade of the upper bound's colour. */
function bandPath(
  upper: TraceSpec,
  lower: TraceSpec,
  at: (x: number, y: number | null) => [number, number] | null,
): string {
  // Runs of points where both bounds are there, each a closed shape.
  const shapes: string[] = [];
  let top: [number, number][] = [], under: [number, number][] = [];
  const flush = () => {
    if (top.length > 1) {
      const line = (pts: [number, number][]) => pts.map(([x, y]) => `${f1(x)} ${f1(y)}`);
      shapes.push(`M${line(top).join("L")}L${line(under.reverse()).join("L")}z`);
    }
    top = [];
    under = [];
  };
  upper.x.forEach((x, i) => {
    const a = at(x, upper.y[i]), b = at(x, lower.y[i]);
    if (a === null || b === null) flush();
    else {
      top.push(a);
      under.push(b);
    }
  });
  flush();
  return shapes.length
    ? `<path class="svg-band" d="${shapes.join("")}" style="fill:${
      color(upper)
    };fill-opacity:0.2;stroke:none"/>`
    : "";
}
