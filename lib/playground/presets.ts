/**
 * What a playground panel starts with, as the page hands it to the panel's
 * script: the schedules (canonical {@linkcode Curve}s), the number of steps
 * and what a step is. The book says where panels go and what they start
 * with (a chapter's `playground` field in `lib/book/types.ts`, the
 * playground page's own start in `chapters/playground.ts`); the site's build
 * turns that into {@linkcode PanelData}, so nothing here knows the chapters.
 *
 * @module
 */

import type { ScheduleSpec } from "../preview/recipe.ts";
import type { TrainRequest } from "../train/types.ts";
import { canonical, type PanelState } from "./state.ts";

/** What a step is on a page's x axis. */
export type StepUnit = "epoch" | "update" | "step";

/** What a panel's page gives its script (as JSON in the panel). */
export interface PanelData {
  /** The schedules and steps the panel starts with. */
  state: PanelState;
  /** What a step is: the x axis' title. */
  unit: StepUnit;
  /** The playground page, for the "open in the playground" link (`null` on that page). */
  playground: string | null;
}

/** The playground page's own panel, as the book gives it. */
export interface PlaygroundStart {
  /** The number of steps plotted. */
  steps: number;
  /** The schedules overlaid, as the library describes them (one to three). */
  schedules: readonly ScheduleSpec[];
  /** The book's full-size run of the first schedule, drawn beside a run trained in the page. */
  fullRun?: () => TrainRequest;
}

/** The page of the playground. */
export const PLAYGROUND_HREF = "playground.html";

/**
 * A panel's starting state: `schedules` over `steps` steps, each made
 * canonical (options equal to their defaults left out), so that the panel,
 * its link and its command show only what was chosen.
 *
 * @param steps The number of steps plotted.
 * @param schedules The schedules, as the library describes them.
 * @returns The state.
 *
 * @example The cosine chapter's schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { panelState } from "./presets.ts";
 * const state = panelState(30, [
 *   { kind: "cosine", options: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: false } },
 * ]);
 * assert.deepEqual(state, {
 *   steps: 30,
 *   curves: [{ kind: "cosine", options: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 }, warmup: null }],
 * });
 * ```
 */
export function panelState(steps: number, schedules: readonly ScheduleSpec[]): PanelState {
  return {
    steps,
    curves: schedules.map((s) =>
      canonical({
        kind: s.kind,
        options: { ...s.options },
        warmup: s.warmup ? { ...s.warmup } : null,
        ...(s.metrics ? { metrics: [...s.metrics] } : {}),
      })
    ),
  };
}
