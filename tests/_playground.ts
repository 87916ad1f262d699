/**
 * What the playground's tests share, in memory (`playground_test.ts`) and in
 * Chromium (`browser/playground.ts`): the chapters' curves, each chapter's
 * panel as the site should make it, what a state's curves compute, and the
 * panel's TypeScript snippet run as a module.
 *
 * @module
 */

import assert from "node:assert/strict";
import { chapters as book, playground as bookPlayground } from "../chapters/mod.ts";
import type { CellContext, CodeCell, ScheduleOutput } from "../lib/book/types.ts";
import { panelState } from "../lib/playground/presets.ts";
import { MOD_PATH, type PanelState, specOf } from "../lib/playground/state.ts";
import { scheduleRates } from "../lib/preview/recipe.ts";
import { cosine } from "../lib/schedules/mod.ts";

/** The first `n` rates of `schedule`. */
export const rates = (schedule: (t: number) => number, n: number): number[] =>
  Array.from({ length: n }, (_, t) => schedule(t));

/** The cosine chapter's schedule (the warmup chapter's adds 5 epochs of linear ramp from 0). */
export const CHAPTER_COSINE = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 };
/** The cosine chapter's curve over 30 epochs. */
export const chapterCosine = rates(cosine(CHAPTER_COSINE), 30);
/** The warmup chapter's curve over 30 epochs. */
export const chapterWarmup = rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 5 }), 30);

/**
 * Each chapter's panel as the site should make it: the chapter's schedules,
 * over the steps and in the unit of the curve that its cell plots.
 */
export const PANELS = await Promise.all(
  book.filter((c) => c.playground).map(async (chapter) => {
    const { after, schedules } = chapter.playground!;
    const cell = chapter.cells.find((c) => c.kind === "code" && c.id === after) as CodeCell;
    const curve = (await cell.run({} as CellContext)).find((o) => o.kind === "schedule");
    assert(curve, `${chapter.slug}: the cell "${after}" plots a schedule`);
    const { steps, unit } = curve as ScheduleOutput;
    return { slug: chapter.slug, after, unit, state: panelState(steps.length, schedules) };
  }),
);
/** The playground page's own panel. */
export const PAGE_PANEL = {
  unit: "step",
  state: panelState(bookPlayground.steps, bookPlayground.schedules),
};
/** The cosine chapter's panel. */
export const cosinePanel = PANELS.find((p) => p.slug === "cosine")!;

/** What each curve computes: its rates, or the library's error. */
export function outcomes(state: PanelState): (number[] | string)[] {
  return state.curves.map((c) => {
    try {
      return scheduleRates(specOf(c), state.steps);
    } catch (error) {
      return (error as Error).message;
    }
  });
}

/** Import TypeScript text as a module (its `./lib/schedules/mod.ts` import made absolute). */
async function importText(code: string): Promise<Record<string, unknown>> {
  const mod = new URL("../lib/schedules/mod.ts", import.meta.url).href;
  const text = code.replace(`"${MOD_PATH}"`, `"${mod}"`);
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return await import(`data:application/typescript;base64,${btoa(binary)}`);
}

/** Evaluate a snippet of the panel: its `rates`, as one list per curve. */
export async function snippetRates(code: string, curves: number): Promise<number[][]> {
  const { rates } = await importText(`${code}\nexport { rates };\n`) as {
    rates: number[] | number[][];
  };
  return curves === 1 ? [rates as number[]] : rates as number[][];
}
