/**
 * How a figure's lines are told apart without colour, on screen (Plotly) and in the static image
 * (./svg.ts) alike: marker shapes, then dashes. Imports nothing, so that the playground's bundle
 * may use it too.
 *
 * @module
 */

/** The marker shapes a figure uses, in the order it hands them out. */
export const MARKER_SYMBOLS = [
  "circle",
  "square",
  "diamond",
  "triangle-up",
  "triangle-down",
  "x",
] as const;

/** A marker's shape (Plotly's name for it; `lib/site/svg.ts` draws the same). */
export type MarkerSymbol = typeof MARKER_SYMBOLS[number];

/** The dashes a figure uses, in the order it hands them out (Plotly's names). */
export const LINE_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"] as const;

/** A line's dash (Plotly's name for it; `lib/site/svg.ts` draws the same). */
export type LineDash = typeof LINE_DASHES[number];

/**
 * How the `i`-th line of a figure with markers is told apart without colour: its marker's shape,
 * and, once the six shapes come round again, a dash (so the first eighteen lines all differ in
 * shape or dash, whatever their colours).
 *
 * @param i The line's place in the figure (its colour index).
 * @returns The marker shape and the dash.
 *
 * @example The seventh line has the first shape again, so a dash of its own
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineStyle } from "./line_style.ts";
 * assert.deepEqual(lineStyle(0), { symbol: "circle", dash: "solid" });
 * assert.deepEqual(lineStyle(6), { symbol: "circle", dash: "dash" });
 * ```
 */
export function lineStyle(i: number): { symbol: MarkerSymbol; dash: LineDash } {
  if (!Number.isInteger(i) || i < 0) {
    throw new RangeError(`lineStyle: i must be a whole number from 0 (got ${i})`);
  }
  const n = MARKER_SYMBOLS.length;
  return { symbol: MARKER_SYMBOLS[i % n], dash: LINE_DASHES[Math.floor(i / n) % 3] };
}
