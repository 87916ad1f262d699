/**
 * The range each slider of the playground covers. The library's table says
 * what an option may be (its domain); this says what is worth sliding over:
 * a decay per step between 0.5 and 1 rather than anywhere in (0, 1], a count
 * of steps up to the number of steps plotted, a ratio on a log scale. The
 * number field beside a slider takes any value; the slider widens to show it.
 *
 * @module
 */

import type { Kind, OptionInfo } from "../preview/kinds.ts";

/** What a slider covers. */
export interface SliderRange {
  min: number;
  max: number;
  /** The slider's step (in the exponent for a log slider). */
  step: number;
  /** The slider moves through powers of ten; values are kept to three significant digits. */
  log?: boolean;
}

/** Ranges chosen for particular options, by `kind.option`. */
const CHOSEN: Record<string, Omit<SliderRange, "step"> & { step?: number }> = {
  "factor.factor": { min: 0.5, max: 1, step: 0.001 },
  "exponential.gamma": { min: 0.5, max: 1, step: 0.001 },
  "cyclic.gamma": { min: 0.9, max: 1, step: 0.0005 },
  "step.gamma": { min: 0.01, max: 1, step: 0.01 },
  "multifactor.factor": { min: 0.01, max: 1, step: 0.01 },
  "poly.power": { min: 0.1, max: 5, step: 0.1 },
  "onecycle.pctStart": { min: 0.02, max: 0.98, step: 0.01 },
  "onecycle.divFactor": { min: 1, max: 1000, log: true },
  "onecycle.finalDivFactor": { min: 1, max: 1e6, log: true },
  "sgdr.tMult": { min: 1, max: 4, step: 1 },
  "sgdr.peakDecay": { min: 0.05, max: 1, step: 0.01 },
  "plateau.factor": { min: 0.05, max: 0.95, step: 0.01 },
  "plateau.threshold": { min: 1e-6, max: 0.1, log: true },
  "plateau.eps": { min: 1e-12, max: 1e-2, log: true },
};

/** The smallest of 1, 2, 5, 10, 20, 50, ... that is >= x. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * power >= x * (1 - 1e-12)) return m * power;
  return 10 * power;
}

/** A round step near `span / 1000`. */
function stepFor(span: number): number {
  const raw = span / 1000;
  const power = 10 ** Math.floor(Math.log10(raw));
  return Number(
    (raw / power >= 5 ? 5 * power : raw / power >= 2 ? 2 * power : power).toPrecision(1),
  );
}

/**
 * The slider range of a numeric option.
 *
 * @param kind The schedule kind (`"warmup"` for the warmup's options, `"panel"` for the steps).
 * @param option The option (its type and domain).
 * @param value Its current value (the range always contains it).
 * @param steps The number of steps plotted (counts of steps range up to it).
 * @returns The range.
 *
 * @example A rate and a count of steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliderRange } from "./ranges.ts";
 * assert.deepEqual(sliderRange("cosine", { name: "baseLr", type: "rate", doc: "", min: 0 }, 0.3, 30), { min: 0, max: 1, step: 0.001 });
 * assert.deepEqual(sliderRange("cosine", { name: "maxUpdate", type: "integer", doc: "", min: 1 }, 20, 30), { min: 1, max: 30, step: 1 });
 * assert.deepEqual(sliderRange("factor", { name: "baseLr", type: "rate", doc: "", min: 0 }, 2, 50), { min: 0, max: 5, step: 0.005 });
 * ```
 */
export function sliderRange(
  kind: Kind | "warmup" | "panel",
  option: OptionInfo,
  value: number,
  steps: number,
): SliderRange {
  const chosen = CHOSEN[`${kind}.${option.name}`];
  let range: SliderRange;
  if (chosen) {
    range = { step: chosen.log ? 0.01 : stepFor(chosen.max - chosen.min), ...chosen };
  } else if (kind === "panel") {
    range = { min: 1, max: Math.max(120, niceCeil(value)), step: 1 };
  } else if (option.type === "integer" || option.type === "steps") {
    const min = option.min ?? 0;
    range = { min, max: Math.max(steps, min + 1), step: 1 };
  } else if (option.type === "rate") {
    const max = niceCeil(Math.max(1, value * 1.5));
    range = { min: 0, max, step: stepFor(max) };
  } else {
    const min = option.min ?? option.above ?? 0;
    const max = option.max ?? option.below ?? niceCeil(Math.max(1, value * 2));
    range = { min, max, step: stepFor(max - min) };
  }
  if (Number.isFinite(value)) {
    if (value > range.max) {
      range.max = range.log ? 10 ** Math.ceil(Math.log10(value)) : niceCeil(value);
    }
    if (value < range.min && (!range.log || value > 0)) {
      range.min = range.log ? 10 ** Math.floor(Math.log10(value)) : Math.floor(value);
    }
  }
  return range;
}

/** The number of decimals of a slider step (to round a slider's value to it). */
export function decimalsOf(step: number): number {
  const text = String(step);
  const e = text.match(/e-(\d+)$/);
  if (e) return Number(e[1]);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

/**
 * The option value at a slider position.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromSlider } from "./ranges.ts";
 * assert.equal(fromSlider({ min: 0, max: 1, step: 0.001 }, 0.30000000000000004), 0.3);
 * assert.equal(fromSlider({ min: 1, max: 1000, step: 0.01, log: true }, 1.4), 25.1);
 * ```
 */
export function fromSlider(range: SliderRange, position: number): number {
  if (range.log) return Number((10 ** position).toPrecision(3));
  return Number(position.toFixed(decimalsOf(range.step)));
}

/** The slider position of an option value (clamped to the range). */
export function toSlider(range: SliderRange, value: number): number {
  const x = Math.min(range.max, Math.max(range.min, value));
  return range.log ? Math.log10(x) : x;
}
