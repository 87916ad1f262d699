/**
 * Where the playground appears and what it starts with: on the schedule
 * chapters, right after the cell that plots the chapter's schedule, preset
 * to exactly that schedule (same options, same number of steps); and on a
 * page of its own. `tests/playground_test.ts` checks that each preset draws
 * the very curve of its chapter's figure.
 *
 * @module
 */

import type {
  CosineOptions,
  FactorOptions,
  MultifactorOptions,
  OnecycleOptions,
  SqrtOptions,
} from "../schedules/mod.ts";
import { canonical, type Curve, type PanelState } from "./state.ts";

/** What a step is on a page's x axis. */
export type StepUnit = "epoch" | "update" | "step";

/** What a panel's page gives its script (as JSON in the panel). */
export interface PanelData {
  state: PanelState;
  unit: StepUnit;
  /** The playground page, for the "open in the playground" link (`null` on that page). */
  playground: string | null;
}

/** A panel's starting point. */
export interface Preset {
  /** The code cell the panel follows (it goes at the end of the page if there is none). */
  after: string | null;
  unit: StepUnit;
  state: PanelState;
}

/** The chapters' schedules. */
const chapterCosine = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 } satisfies CosineOptions;
const chapterFactor = { baseLr: 2, factor: 0.9, stopFactorLr: 0.01 } satisfies FactorOptions;
const chapterMultifactor = {
  baseLr: 0.5,
  milestones: [15, 30],
  factor: 0.5,
} satisfies MultifactorOptions;
const chapterSqrt = { baseLr: 0.1 } satisfies SqrtOptions;

const cosine = canonical({ kind: "cosine", options: chapterCosine, warmup: null });
/** The warmup chapter's: the same cosine, its first 5 of T = 20 epochs a linear ramp from 0. */
const cosineWarmup = canonical({ kind: "cosine", options: chapterCosine, warmup: { steps: 5 } });

const preset = (after: string, unit: StepUnit, steps: number, curves: Curve[]): Preset => ({
  after,
  unit,
  state: { steps, curves },
});

/** The panels on chapter pages, by chapter slug. */
export const CHAPTER_PRESETS: Readonly<Record<string, Preset>> = {
  schedulers: preset("sqrt-plot", "epoch", 30, [
    canonical({ kind: "sqrt", options: chapterSqrt, warmup: null }),
  ]),
  factor: preset("factor-plot", "update", 50, [
    canonical({ kind: "factor", options: chapterFactor, warmup: null }),
  ]),
  multifactor: preset("multifactor-plot", "epoch", 30, [
    canonical({ kind: "multifactor", options: chapterMultifactor, warmup: null }),
  ]),
  cosine: preset("cosine-plot", "epoch", 30, [cosine, cosineWarmup]),
  warmup: preset("warmup-plot", "epoch", 30, [cosineWarmup, cosine]),
};

/** The playground page's own panel: a cosine with warmup against a one-cycle policy. */
export const PLAYGROUND_PRESET: Preset = {
  after: null,
  unit: "step",
  state: {
    steps: 30,
    curves: [
      cosineWarmup,
      canonical({
        kind: "onecycle",
        options: { maxLr: 0.3, totalSteps: 30 } satisfies OnecycleOptions,
        warmup: null,
      }),
    ],
  },
};

/** The page of the playground. */
export const PLAYGROUND_HREF = "playground.html";
