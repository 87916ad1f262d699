/**
 * What the playground page's own panel starts with: the warmup chapter's
 * cosine with warmup against a one-cycle policy of the same peak rate, over
 * the same 30 steps; its training panel compares with the warmup chapter's run.
 *
 * @module
 */

import type { PlaygroundStart } from "../lib/playground/presets.ts";
import { COSINE_OPTIONS, COSINE_WARMUP_SPEC } from "./cosine.ts";
import { warmupRequest } from "./warmup.ts";

/** The playground page's start. */
export const playground: PlaygroundStart = {
  steps: 30,
  schedules: [
    COSINE_WARMUP_SPEC,
    { kind: "onecycle", options: { maxLr: COSINE_OPTIONS.baseLr, totalSteps: 30 } },
  ],
  // The first schedule is the warmup chapter's: its run is drawn beside one trained in the page.
  fullRun: warmupRequest,
};
