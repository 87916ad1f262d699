/**
 * A figure drawn at build time as a static SVG, for readers without JavaScript and for print:
 * the same {@linkcode PlotSpec} the client hands to Plotly, drawn as plain lines on plain axes.
 * Colours are the theme's custom properties (`var(--plot-1)`, ...), so the image follows the
 * page's light or dark palette. Small on purpose: panels stacked over one x axis, a left and a
 * right y axis, linear or logarithmic, lines straight or stepped (`hv`), a legend below.
 *
 * @module
 */

import type { PlotSpec, TraceSpec } from "./figures.ts";
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

/**
 * The figure as an SVG element.
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
  const legend = spec.traces.filter((t) => t.showLegend !== false);
  // The legend below the plot: rows of entries, wrapped at the width.
  const entries: { t: TraceSpec; x: number; row: number }[] = [];
  let x = 0, row = 0;
  for (const t of legend) {
    const w = 28 + Math.min(t.name.length, 48) * 6.4 + 16;
    if (x > 0 && x + w > WIDTH - 64) [x, row] = [0, row + 1];
    entries.push({ t, x, row });
    x += w;
  }
  const rows = legend.length > 1 ? row + 1 : 0;
  const hasY2 = spec.panels.some((p) => p.y2Title);
  const m = { l: 64, r: hasY2 ? 64 : 16, t: 12, b: 46 + rows * 18 };
  const height = Math.max(220, Math.min(spec.height, 520)) + rows * 18;
  const plotH = height - m.t - m.b;
  const gap = spec.panels.length > 1 ? 36 : 0;
  const panelH = (plotH - gap * (spec.panels.length - 1)) / spec.panels.length;
  const x0 = m.l, x1 = WIDTH - m.r;
  const xs = scale(spec.traces.flatMap((t) => t.x), spec.xLog ?? false, spec.xInteger);
  const out: string[] = [];
  const text = (tx: number, ty: number, s: string, attrs = "") =>
    out.push(`<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}"${attrs}>${escapeHtml(s)}</text>`);
  spec.panels.forEach((panel, p) => {
    const top = m.t + p * (panelH + gap), bottom = top + panelH;
    const own = (axis: "y" | "y2") =>
      spec.traces.filter((t) => t.panel === p && t.axis === axis).flatMap((t) =>
        t.y.filter((v): v is number => v !== null)
      );
    const ys = scale(own("y"), panel.yLog ?? false);
    out.push(`<g class="svg-grid">`);
    for (const t of ys.ticks) {
      const y = pos(ys, t, bottom, top);
      out.push(`<line x1="${x0}" x2="${x1}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`);
      text(x0 - 6, y + 4, tickText(t, panel.yFormat), ` text-anchor="end"`);
    }
    out.push(`</g>`);
    text(
      14,
      (top + bottom) / 2,
      panel.yTitle,
      ` transform="rotate(-90 14 ${
        ((top + bottom) / 2).toFixed(1)
      })" text-anchor="middle" class="svg-title"`,
    );
    let y2: Scale | null = null;
    if (panel.y2Title) {
      const values = own("y2");
      y2 = scale([0, ...values], false);
      for (const t of y2.ticks) {
        text(x1 + 6, pos(y2, t, bottom, top) + 4, tickText(t));
      }
      text(
        WIDTH - 8,
        (top + bottom) / 2,
        panel.y2Title,
        ` transform="rotate(90 ${WIDTH - 8} ${
          ((top + bottom) / 2).toFixed(1)
        })" text-anchor="middle" class="svg-title"`,
      );
    }
    out.push(
      `<rect class="svg-frame" x="${x0}" y="${top}" width="${x1 - x0}" height="${
        panelH.toFixed(1)
      }"/>`,
    );
    if (p === spec.panels.length - 1) {
      for (const t of xs.ticks) {
        const tx = pos(xs, t, x0, x1);
        text(tx, bottom + 15, tickText(t), ` text-anchor="middle"`);
      }
      text((x0 + x1) / 2, bottom + 34, spec.xTitle, ` text-anchor="middle" class="svg-title"`);
    }
    for (const t of spec.traces.filter((t) => t.panel === p)) {
      const s = t.axis === "y2" && y2 ? y2 : ys;
      let d = "", pen = false, last = 0;
      for (const [px, py] of points(t)) {
        if (py === null || (s.log && py <= 0) || (xs.log && px <= 0)) {
          pen = false;
          continue;
        }
        const X = pos(xs, px, x0, x1).toFixed(1), Y = pos(s, py, bottom, top).toFixed(1);
        if (!pen) d += `M${X} ${Y}`;
        else if (t.shape === "hv") d += `H${X}V${Y}`;
        else d += `L${X} ${Y}`;
        pen = true;
        last = Number(Y);
      }
      void last;
      if (!d) continue;
      const dash = t.dash === "dash"
        ? ` stroke-dasharray="6 4"`
        : t.dash === "dot"
        ? ` stroke-dasharray="2 3"`
        : "";
      out.push(`<path d="${d}" style="stroke:${color(t)}"${dash}/>`);
    }
  });
  entries.forEach(({ t, x, row }) => {
    const ly = height - 8 - (rows - 1 - row) * 18;
    const lx = m.l + x;
    const dash = t.dash === "dash"
      ? ` stroke-dasharray="6 4"`
      : t.dash === "dot"
      ? ` stroke-dasharray="2 3"`
      : "";
    out.push(`<path d="M${lx} ${ly - 4}h22" style="stroke:${color(t)}"${dash}/>`);
    text(lx + 28, ly, t.name.length > 48 ? `${t.name.slice(0, 47)}…` : t.name);
  });
  return `<svg class="plot-svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" aria-hidden="true" focusable="false">${
    out.join("")
  }</svg>`;
}
