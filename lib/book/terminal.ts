/**
 * A chapter in the terminal: Markdown as wrapped text, schedules as charts,
 * training runs as tables.
 *
 * @module
 */

import type { RunResult } from "../train/types.ts";
import { groupOutputs, isNumberLike, outcome } from "./outputs.ts";
import { seedsOf, seedsText } from "./seeds.ts";
import { formatMeanSd, formatRange, groupSpread } from "./spread.ts";
import { epochTable, seedTable } from "./spread_table.ts";
import type { Output, ScheduleOutput, SeedRuns } from "./types.ts";

/** Text styles; identity functions when colour is off. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  accent(s: string): string;
}

/** ANSI styles, or none when `color` is false. */
export function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) =>
    color ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return { bold: wrap(1, 22), dim: wrap(2, 22), accent: wrap(36, 39) };
}

/** `text` broken into lines of at most `width` characters (words longer stay whole). */
export function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** Inline Markdown made plain: links show their text, `code` and emphasis lose their marks. */
function inline(text: string, s: Style): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, (_m, t) => s.bold(t))
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, "$1$2")
    .replace(/`([^`]+)`/g, (_m, t) => s.accent(t));
}

/**
 * Markdown rendered for a terminal of `width` columns: headings stand out
 * (an anchor such as `{#answer-1}` after a heading is dropped),
 * paragraphs and list items are wrapped, code blocks, tables and display math
 * (`$$...$$`) are kept as written; TeX stays TeX.
 *
 * @param markdown The source.
 * @param width Columns.
 * @param s Styles.
 * @returns The text, lines joined with "\n".
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderMarkdown, style } from "./terminal.ts";
 * const text = renderMarkdown("# Title {#top}\n\nSome *words* here.", 40, style(false));
 * assert(text.includes("TITLE") && !text.includes("{#top}") && text.includes("Some words here."));
 * ```
 */
export function renderMarkdown(markdown: string, width: number, s: Style): string {
  const out: string[] = [];
  const blocks = markdown.replace(/\r\n/g, "\n").trim().split(/\n\s*\n/);
  let fence: string[] | null = null;
  for (const block of blocks) {
    if (fence !== null) {
      fence.push("", block);
      if (/^```\s*$/m.test(block)) {
        out.push(
          fence.join("\n").replace(/^```.*$/gm, "").replace(/^\n+|\n+$/g, "").split("\n").map((l) =>
            "    " + s.dim(l)
          ).join("\n"),
          "",
        );
        fence = null;
      }
      continue;
    }
    if (block.startsWith("```")) {
      const closed = block.split("\n").slice(1).some((l) => l.startsWith("```"));
      if (!closed) {
        fence = [block];
        continue;
      }
      const body = block.split("\n").filter((l) => !l.startsWith("```"));
      out.push(body.map((l) => "    " + s.dim(l)).join("\n"), "");
      continue;
    }
    const heading = block.match(/^(#{1,6})\s+(.*?)(?:\s+\{#[\w-]+(?:\s+\.[\w-]+)*\})?$/);
    if (heading && !block.includes("\n")) {
      const title = inline(heading[2], s);
      out.push(heading[1].length === 1 ? s.bold(title.toUpperCase()) : s.bold(title));
      if (heading[1].length <= 2) out.push(s.dim("=".repeat(Math.min(width, title.length))));
      out.push("");
      continue;
    }
    if (block.startsWith("$$") || block.startsWith("|")) {
      out.push(block.split("\n").map((l) => "    " + l.trim()).join("\n"), "");
      continue;
    }
    const items = block.split(/\n(?=\s*(?:[-*]|\d+\.)\s)/);
    if (/^\s*(?:[-*]|\d+\.)\s/.test(items[0])) {
      for (const item of items) {
        const [, marker, rest] = item.trim().match(/^((?:[-*]|\d+\.))\s+([\s\S]*)$/) ??
          [, "-", item];
        const bullet = marker === "-" || marker === "*" ? "•" : marker;
        const lines = wrap(inline(rest, s), width - 2 - bullet.length, "");
        out.push(
          ...lines.map((l, i) => (i === 0 ? `  ${bullet} ` : " ".repeat(bullet.length + 3)) + l),
        );
      }
      out.push("");
      continue;
    }
    out.push(...wrap(inline(block, s), width), "");
  }
  return out.join("\n").trimEnd();
}

/** A number in a short, readable form. */
export function short(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : Number(x.toPrecision(4)).toString();
}

/**
 * Schedules drawn as a text chart, one marker per curve, step on the x axis.
 * A curve's `log` makes those axes logarithmic (points at or below 0 are left
 * out there), and its `quantity`, or a log y axis, is named above the chart.
 *
 * @param curves The curves (same unit and axes; steps need not match).
 * @param width Plot columns.
 * @param height Plot rows.
 * @returns The chart with axis labels and a legend.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { chart } from "./terminal.ts";
 * const steps = [...Array(10).keys()];
 * const text = chart([{ kind: "schedule", label: "halving", unit: "epoch", steps, lrs: steps.map((t) => 0.5 ** t) }], 20, 5);
 * assert(text.includes("halving") && text.split("\n").length >= 7);
 * ```
 *
 * @example A power law on log–log axes is a straight line
 * ```ts
 * import assert from "node:assert/strict";
 * import { chart } from "./terminal.ts";
 * const steps = [1, 10, 100, 1000];
 * const text = chart([{ kind: "schedule", label: "1/t", unit: "update", steps, lrs: steps.map((t) => 1 / t), quantity: "error", log: "xy" }], 4, 4);
 * assert(text.startsWith("error (log scale)"));
 * assert.deepEqual(text.split("\n").slice(1, 5).map((l) => l.split("|")[1]), ["*   ", " *  ", "  * ", "   *"]);
 * ```
 *
 * @example A loss against the rate: the x axis is named by `xQuantity`
 * ```ts
 * import assert from "node:assert/strict";
 * import { chart } from "./terminal.ts";
 * const rates = [0.001, 0.01, 0.1, 1];
 * const text = chart([{ kind: "schedule", label: "range test", unit: "update", steps: rates, lrs: [2.3, 2.1, 1.4, 2.3], quantity: "loss", xQuantity: "learning rate", log: "x" }], 20, 3);
 * assert.equal(text.split("\n").at(-2)!.trim(), "learning rate (log scale)");
 * assert.equal(text.split("\n").at(-3)!.trim(), "0.001              1"); // the rates at the ends
 * ```
 */
export function chart(curves: ScheduleOutput[], width = 60, height = 12): string {
  const markers = ["*", "o", "+", "x", "#"];
  const logX = curves[0]?.log?.includes("x") ?? false;
  const logY = curves[0]?.log?.includes("y") ?? false;
  const fx = (x: number) => (logX ? Math.log10(x) : x),
    fy = (y: number) => (logY ? Math.log10(y) : y);
  // The points each axis can show: a log axis has no place for 0 or less.
  const points = curves.map((c) =>
    c.steps.flatMap((t, i) =>
      (logX && !(t > 0)) || (logY && !(c.lrs[i] > 0)) ? [] : [[fx(t), fy(c.lrs[i])]]
    )
  );
  const xs = points.flat().map((p) => p[0]), ys = points.flat().map((p) => p[1]);
  const legend = curves.map((c, k) => `${markers[k % markers.length]} ${c.label}`).join("   ");
  if (xs.length === 0) return `(no points to draw)\n${legend}`;
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [logY ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys)];
  const grid = Array.from({ length: height }, () => Array(width).fill(" "));
  points.forEach((ps, k) => {
    for (const [x, y] of ps) {
      const col = x1 === x0 ? 0 : Math.round(((x - x0) / (x1 - x0)) * (width - 1));
      const row = y1 === y0
        ? height - 1
        : height - 1 - Math.round(((y - y0) / (y1 - y0)) * (height - 1));
      grid[row][col] = markers[k % markers.length];
    }
  });
  const value = (v: number, log: boolean) => (log ? short(10 ** v) : short(v));
  const labels = grid.map((_r, i) =>
    i === 0 ? value(y1, logY) : i === height - 1 ? value(y0, logY) : ""
  );
  const pad = Math.max(...labels.map((l) => l.length));
  const lines = grid.map((r, i) => `${labels[i].padStart(pad)} |${r.join("")}`);
  const quantity = curves[0].quantity;
  if (quantity !== undefined || logY) {
    lines.unshift(`${quantity ?? "learning rate"}${logY ? " (log scale)" : ""}`);
  }
  lines.push(`${" ".repeat(pad)} +${"-".repeat(width)}`);
  const { unit, xQuantity } = curves[0];
  const [from, to] = logX
    ? [short(10 ** x0), short(10 ** x1)]
    : xQuantity !== undefined
    ? [short(x0), short(x1)]
    : [`${x0}`, `${x1}`];
  const axis = from.padEnd(width - to.length) + to;
  lines.push(`${" ".repeat(pad + 2)}${axis}`);
  const xTitle = xQuantity ?? (unit === "epoch" ? "epoch" : "update");
  lines.push(`${" ".repeat(pad + 2)}${xTitle}${logX ? " (log scale)" : ""}`);
  lines.push(legend);
  return lines.join("\n");
}

/**
 * A table with a header row. The first column is left-aligned, and so is any
 * other column of text; a column of numbers, or of numbers written out
 * ({@linkcode isNumberLike}), is right-aligned.
 *
 * @param columns The headings.
 * @param rows The rows; numbers are written with {@linkcode short}.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./terminal.ts";
 * assert.deepEqual(table(["run", "name", "acc"], [["a", "long name", "9.50%"], ["b", "x", "10.25%"]]).split("\n"), [
 *   "run  name          acc",
 *   "---  ---------  ------",
 *   "a    long name   9.50%",
 *   "b    x          10.25%",
 * ]);
 * ```
 */
export function table(columns: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === "number" ? short(v) : v)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const right = columns.map((_c, i) => i > 0 && rows.every((r) => isNumberLike(r[i])));
  const line = (r: string[]) =>
    r.map((v, i) => (right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join(
    "\n",
  );
}

/** One line describing how a run was made (epochs, data, seed, stepping). */
export function describeRun(run: RunResult): string {
  const c = run.config;
  const data = `${c.trainSize.toLocaleString("en-US")} training / ${
    c.testSize.toLocaleString("en-US")
  } test images`;
  const stepping = c.stepsPer === "epoch"
    ? "rate set once per epoch"
    : "rate set before every update";
  return `${c.epochs} epoch${
    c.epochs === 1 ? "" : "s"
  }, batch ${c.batchSize}, ${data}, seed ${c.seed}, ${stepping}` +
    (run.cached ? " (stored, not retrained)" : "");
}

/**
 * One line describing how a group over seeds was made: its seeds, then what
 * every seed shares (epochs, batch, data, stepping), and how many were stored.
 *
 * @param group The group (its runs differ only in seed).
 * @returns E.g. `5 seeds (seeds 0–4), 30 epochs, batch 256, ..., rate set once per epoch`.
 */
export function describeGroup(group: SeedRuns): string {
  const [first] = group.runs;
  const shared = describeRun({ ...first, cached: false })
    .replace(/, seed \d+, /, ", ");
  const n = group.runs.length;
  const stored = group.runs.filter((r) => r.cached).length;
  const note = stored === 0
    ? ""
    : stored === n
    ? " (stored, not retrained)"
    : ` (${stored} of ${n} stored, not retrained)`;
  return `${n} seed${n === 1 ? "" : "s"} (${seedsText(seedsOf(group))}), ${shared}${note}`;
}

/**
 * A group over seeds as text: how it was made, its seeds' table (with mean ±
 * sd and min–max rows) and its per-epoch means, and which seeds diverged.
 *
 * @param group The group.
 * @returns The text.
 */
export function groupTable(group: SeedRuns): string {
  const seeds = seedTable(group), epochs = epochTable(group);
  const diverged = group.runs.filter((r) => r.divergedAt !== null)
    .map((r) => `seed ${r.config.seed} diverged in epoch ${r.divergedAt}`);
  return [
    `${group.label}: ${describeGroup(group)}`,
    table(seeds.columns, seeds.rows),
    "",
    "per epoch, over the seeds:",
    table(epochs.columns, epochs.rows),
    ...(diverged.length ? [`${diverged.join("; ")}: the loss became NaN or infinite`] : []),
  ].join("\n");
}

/**
 * One line for a group brought in to compare against: its final test
 * accuracy over the seeds and how it was made.
 *
 * @param group The group.
 * @returns The line.
 */
export function groupLine(group: SeedRuns): string {
  const s = groupSpread(group);
  return `${group.label} (for comparison): final test accuracy ${
    formatMeanSd(s.finalTestAcc, "accuracy")
  } (mean ± sd; min–max ${formatRange(s.finalTestAcc, "accuracy")}); ${describeGroup(group)}`;
}

/** The per-epoch table of a run. */
export function runTable(run: RunResult): string {
  const rows = run.history.map((e) => [
    String(e.epoch),
    e.lr === e.lrLast ? short(e.lr) : `${short(e.lr)}→${short(e.lrLast)}`,
    Number.isFinite(e.trainLoss) ? e.trainLoss.toFixed(4) : "NaN",
    e.trainAcc.toFixed(4),
    e.testAcc.toFixed(4),
    e.seconds.toFixed(1),
  ]);
  const body = table(["epoch", "lr", "train loss", "train acc", "test acc", "s"], rows);
  const tail = run.divergedAt !== null
    ? `\ndiverged in epoch ${run.divergedAt}: the loss became NaN or infinite`
    : "";
  return `${run.name}: ${describeRun(run)}\n${body}${tail}`;
}

/** One line for a run brought in to compare against: its final accuracies and how it was made. */
export function runLine(run: RunResult): string {
  return `${run.name} (for comparison): ${outcome(run)}; ${describeRun(run)}`;
}

/**
 * A cell's outputs as terminal text. Consecutive schedules share one chart; a
 * run is a per-epoch table, or one line when it is only a reference; a group
 * over seeds is its seeds' table with mean ± sd and min–max, and its
 * per-epoch means, or one line when it is only a reference.
 *
 * @param outputs The outputs.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderOutputs } from "./terminal.ts";
 * import { fakeRun } from "./_testing.ts";
 * const run = fakeRun("base", [0.5, 0.6], [0.5, 0.55]);
 * assert.equal(renderOutputs([{ kind: "run", run, reference: true }]).split("\n").length, 1);
 * assert.ok(renderOutputs([{ kind: "run", run }]).split("\n").length >= 4);
 * ```
 */
export function renderOutputs(outputs: Output[]): string {
  return groupOutputs(outputs).map((group) => {
    if (group.kind === "curves") return chart(group.curves);
    if (group.kind === "text") return group.text;
    if (group.kind === "table") return table(group.columns, group.rows);
    if (group.kind === "runs") return group.reference ? groupLine(group) : groupTable(group);
    return group.reference ? runLine(group.run) : runTable(group.run);
  }).join("\n\n");
}
