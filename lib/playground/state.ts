/**
 * The playground's state: up to three schedules (each a kind, its options and
 * an optional warmup, as `lib/preview/recipe.ts` describes them) evaluated
 * over a number of steps, and everything derived from it that is text: the
 * URL hash that reproduces it, the `deno task lr` commands and the TypeScript
 * snippet.
 *
 * A state is kept canonical: an option equal to its default is left out (so
 * the command and the code show only what was changed), options are in the
 * factory's order. Encoding a canonical state and decoding the hash gives the
 * same state back, exactly.
 *
 * The hash reads like the command line, one `lr=` entry per schedule:
 *
 * ```
 * #steps=30&lr=cosine;base-lr=0.3;final-lr=0.01;max-update=20&lr=cosine;base-lr=0.3;final-lr=0.01;max-update=20;warmup-steps=5
 * ```
 *
 * @module
 */

import {
  flagOf,
  type Kind,
  KIND_NAMES,
  type OptionInfo,
  type OptionValue,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
  warmupFlagOf,
  type WarmupOptionsSpec,
} from "../preview/kinds.ts";
import {
  Call,
  commandArgs,
  numberText,
  planFunctions,
  planSchedule,
  scheduleCode,
  type ScheduleSpec,
} from "../preview/recipe.ts";
import { NUMBER_PATTERN } from "../util/number_pattern.ts";

/** One schedule of the panel (canonical: defaults left out). */
export interface Curve {
  kind: Kind;
  options: Record<string, OptionValue>;
  warmup: WarmupOptionsSpec | null;
  /** For `plateau` only (and always there): the metrics it is fed, one per epoch. */
  metrics?: number[];
}

/** The whole panel. */
export interface PanelState {
  /** The rates are plotted at steps `0 .. steps - 1`. */
  steps: number;
  /** One to {@linkcode MAX_CURVES} schedules, overlaid. */
  curves: Curve[];
}

/** The most schedules a panel overlays. */
export const MAX_CURVES = 3;

/** The most steps a panel plots. */
export const MAX_STEPS = 5000;

/** The names of the schedules in the legend and the cards. */
export const LETTERS = ["A", "B", "C"] as const;

/** The kinds the playground offers: every kind of the library. */
export const PLAY_KINDS: readonly Kind[] = KIND_NAMES;

/**
 * The metrics a new `plateau` curve is fed: a made-up validation loss, one
 * per epoch, that falls fast, levels off, drops once more and levels off
 * again. The reader types their own in the panel.
 */
export const EXAMPLE_METRICS: readonly number[] = [
  1.2,
  0.9,
  0.75,
  0.66,
  0.6,
  0.57,
  0.55,
  0.545,
  0.545,
  0.54,
  0.54,
  0.54,
  0.5,
  0.48,
  0.47,
  0.465,
  0.465,
  0.46,
  0.46,
  0.46,
  0.46,
  0.455,
  0.455,
  0.455,
  0.455,
  0.455,
  0.455,
  0.455,
  0.455,
  0.455,
];

/**
 * Metrics typed as text: numbers separated by commas or spaces.
 *
 * @param text E.g. `"0.9, 0.8, 0.8"`.
 * @returns The numbers.
 * @throws {Error} Naming the first entry that is not a finite number, or for an empty list.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMetrics } from "./state.ts";
 * assert.deepEqual(parseMetrics("0.9, 0.8 0.8,"), [0.9, 0.8, 0.8]);
 * assert.throws(() => parseMetrics("0.9, x"), { message: 'metrics[1] ("x") is not a number' });
 * ```
 */
export function parseMetrics(text: string): number[] {
  const items = text.split(/[\s,]+/).filter((x) => x !== "");
  if (items.length === 0) throw new Error("metrics needs at least one number");
  return items.map((item, i) => {
    if (!NUMBER_PATTERN.test(item)) {
      throw new Error(`metrics[${i}] (${JSON.stringify(item)}) is not a number`);
    }
    return Number(item);
  });
}

/** The URL of `lib/schedules/mod.ts` in the snippet, from the repository's root. */
export const MOD_PATH = "./lib/schedules/mod.ts";

/** The value `option` takes in `curve` (its own, its default, or the option it defaults to). */
export function effectiveValue(curve: Curve, option: OptionInfo): OptionValue | undefined {
  const own = curve.options[option.name];
  if (own !== undefined) return own;
  if (option.default !== undefined) return option.default;
  if (option.defaultFrom !== undefined) {
    const from = ownOptions(curve.kind).find((o) => o.name === option.defaultFrom);
    return from ? effectiveValue(curve, from) : undefined;
  }
  return undefined;
}

function same(a: OptionValue | undefined, b: OptionValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  return Object.is(a, b);
}

/**
 * `curve` with options equal to their defaults left out, the others in the
 * factory's order, and the warmup's defaults left out.
 *
 * @param curve Any curve.
 * @returns The canonical curve (a new object).
 *
 * @example Defaults disappear
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonical } from "./state.ts";
 * const c = canonical({
 *   kind: "cosine",
 *   options: { maxUpdate: 20, finalLr: 0, baseLr: 0.3 },
 *   warmup: { steps: 5, kind: "linear" },
 * });
 * assert.deepEqual(c, { kind: "cosine", options: { baseLr: 0.3, maxUpdate: 20 }, warmup: { steps: 5 } });
 * ```
 */
export function canonical(curve: Curve): Curve {
  const options: Record<string, OptionValue> = {};
  const own = ownOptions(curve.kind);
  for (const option of own) {
    const value = curve.options[option.name];
    if (value === undefined) continue;
    const fallback = option.default !== undefined
      ? option.default
      : option.defaultFrom !== undefined
      ? effectiveValue(
        { ...curve, options: { ...curve.options, [option.name]: undefined! } },
        option,
      )
      : undefined;
    if (fallback !== undefined && same(value, fallback)) continue;
    options[option.name] = Array.isArray(value) ? [...value] : value;
  }
  let warmup: WarmupOptionsSpec | null = null;
  if (curve.warmup) {
    warmup = { steps: curve.warmup.steps };
    const begin = curve.warmup.beginLr, shape = curve.warmup.kind;
    if (begin !== undefined && begin !== 0) warmup.beginLr = begin;
    if (shape !== undefined && shape !== "linear") warmup.kind = shape;
  }
  return curve.kind === "plateau"
    ? { kind: curve.kind, options, warmup, metrics: [...(curve.metrics ?? EXAMPLE_METRICS)] }
    : { kind: curve.kind, options, warmup };
}

/**
 * A new curve of `kind` with the table's example options (and `warmup`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveOf } from "./state.ts";
 * assert.deepEqual(curveOf("sqrt").options, { baseLr: 0.1 });
 * ```
 */
export function curveOf(kind: Kind, warmup: WarmupOptionsSpec | null = null): Curve {
  return canonical({ kind, options: { ...SCHEDULE_KINDS[kind].example }, warmup });
}

/** The curve as the library's description of a schedule. */
export function specOf(curve: Curve): ScheduleSpec {
  const spec = { kind: curve.kind, options: curve.options, warmup: curve.warmup };
  return curve.kind === "plateau" ? { ...spec, metrics: curve.metrics ?? EXAMPLE_METRICS } : spec;
}

/** The legend name of a curve: its letter, kind and warmup. */
export function curveLabel(curve: Curve, index: number): string {
  const w = curve.warmup;
  const warm = w ? ` + ${w.steps}-step ${w.kind ?? "linear"} warmup` : "";
  return `${LETTERS[index]}: ${curve.kind}${warm}`;
}

// ---- the URL hash ----

function valueText(value: OptionValue): string {
  if (typeof value === "number") return numberText(value);
  if (Array.isArray(value)) return value.map(numberText).join(",");
  return String(value);
}

/**
 * The hash (without `#`) that reproduces `state`.
 *
 * @example The chapter's cosine
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeState } from "./state.ts";
 * const hash = encodeState({
 *   steps: 30,
 *   curves: [{ kind: "cosine", options: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 }, warmup: null }],
 * });
 * assert.equal(hash, "steps=30&lr=cosine;base-lr=0.3;final-lr=0.01;max-update=20");
 * ```
 */
export function encodeState(state: PanelState): string {
  const curves = state.curves.map((raw) => {
    const curve = canonical(raw);
    const parts: string[] = [curve.kind];
    for (const option of ownOptions(curve.kind)) {
      const value = curve.options[option.name];
      if (value === undefined) continue;
      const name = flagOf(option.name).slice(2);
      parts.push(value === true ? name : `${name}=${valueText(value)}`);
    }
    if (curve.metrics) parts.push(`metrics=${valueText(curve.metrics)}`);
    if (curve.warmup) {
      for (const option of WARMUP_OPTIONS) {
        const value = curve.warmup[option.name as keyof WarmupOptionsSpec];
        if (value !== undefined) {
          parts.push(`${warmupFlagOf(option.name).slice(2)}=${valueText(value)}`);
        }
      }
    }
    return `lr=${parts.join(";")}`;
  });
  return [`steps=${numberText(state.steps)}`, ...curves].join("&");
}

/**
 * Whether a location hash holds a panel's state (rather than an anchor).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isStateHash } from "./state.ts";
 * assert(isStateHash("#steps=30&lr=sqrt;base-lr=0.1"));
 * assert(!isStateHash("#fig-1"));
 * ```
 */
export function isStateHash(hash: string): boolean {
  return /^#?(steps|lr)=/.test(hash);
}

function parseValue(option: OptionInfo, text: string | undefined, where: string): OptionValue {
  if (option.type === "flag") {
    if (text === undefined || text === "true") return true;
    if (text === "false") return false;
    throw new Error(`${where} (${JSON.stringify(text)}) must be true or false`);
  }
  if (text === undefined) throw new Error(`${where} needs a value`);
  if (option.type === "choice") {
    if (!option.choices!.includes(text)) {
      throw new Error(
        `${where} (${JSON.stringify(text)}) must be one of ${option.choices!.join(", ")}`,
      );
    }
    return text;
  }
  const number = (item: string) => {
    if (!NUMBER_PATTERN.test(item)) {
      throw new Error(`${where} (${JSON.stringify(item)}) is not a number`);
    }
    return Number(item);
  };
  if (option.type === "steps") {
    // as on the command line: at least one
    if (text === "") throw new Error(`${where} needs at least one step`);
    return text.split(",").map(number);
  }
  return number(text);
}

/**
 * The state a hash describes.
 *
 * @param hash A location hash, with or without `#`.
 * @returns The (canonical) state, or what is wrong with the hash.
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeState, encodeState } from "./state.ts";
 * const hash = "steps=50&lr=factor;base-lr=2;factor=0.9;warmup-steps=5;warmup-kind=exponential;warmup-begin-lr=0.01";
 * const decoded = decodeState(hash);
 * assert("state" in decoded);
 * assert.equal(encodeState(decoded.state), "steps=50&lr=factor;base-lr=2;factor=0.9;warmup-steps=5;warmup-begin-lr=0.01;warmup-kind=exponential");
 * assert.deepEqual(decodeState("steps=5&lr=cosin"), { error: 'unknown schedule "cosin"' });
 * ```
 */
export function decodeState(hash: string): { state: PanelState } | { error: string } {
  let text = hash.replace(/^#/, "");
  try {
    text = decodeURIComponent(text);
  } catch {
    return { error: "the link is not valid URL text" };
  }
  try {
    let steps: number | null = null;
    const curves: Curve[] = [];
    for (const part of text.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      if (key === "steps") {
        const n = Number(value);
        if (!NUMBER_PATTERN.test(value) || !Number.isInteger(n) || n < 1 || n > MAX_STEPS) {
          throw new Error(
            `steps (${JSON.stringify(value)}) must be an integer in [1, ${MAX_STEPS}]`,
          );
        }
        steps = n;
      } else if (key === "lr") {
        if (curves.length === MAX_CURVES) throw new Error(`at most ${MAX_CURVES} schedules`);
        curves.push(decodeCurve(value));
      } else throw new Error(`unknown setting "${key}"`);
    }
    if (curves.length === 0) throw new Error("no schedule (lr=...)");
    return { state: { steps: steps ?? 30, curves } };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function decodeCurve(text: string): Curve {
  const [kindText, ...items] = text.split(";");
  const kind = PLAY_KINDS.find((k) => k === kindText);
  if (kind === undefined) throw new Error(`unknown schedule ${JSON.stringify(kindText)}`);
  const own = ownOptions(kind);
  const options: Record<string, OptionValue> = {};
  let warmup: WarmupOptionsSpec | null = null;
  let metrics: number[] | undefined = undefined;
  const warm: Record<string, OptionValue> = {};
  for (const item of items) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    const option = own.find((o) => flagOf(o.name).slice(2) === name);
    const warmOption = WARMUP_OPTIONS.find((o) => warmupFlagOf(o.name).slice(2) === name);
    if (option) options[option.name] = parseValue(option, value, `${kind} ${name}`);
    else if (name === "metrics" && kind === "plateau") metrics = parseMetrics(value ?? "");
    else if (warmOption) warm[warmOption.name] = parseValue(warmOption, value, name);
    else throw new Error(`unknown option "${name}" for ${kind}`);
  }
  if (Object.keys(warm).length > 0) {
    if (warm.steps === undefined) {
      throw new Error("warmup-begin-lr and warmup-kind need warmup-steps");
    }
    warmup = warm as unknown as WarmupOptionsSpec;
  }
  for (const option of own) {
    const required = option.default === undefined && option.defaultFrom === undefined;
    if (required && options[option.name] === undefined) {
      options[option.name] = SCHEDULE_KINDS[kind].example[option.name];
    }
  }
  return canonical({ kind, options, warmup, ...(metrics ? { metrics } : {}) });
}

// ---- what to copy ----

/**
 * The `deno task lr` command that previews each schedule, one line each.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandText } from "./state.ts";
 * assert.equal(
 *   commandText({ steps: 30, curves: [{ kind: "sqrt", options: { baseLr: 0.1 }, warmup: null }] }),
 *   "deno task lr sqrt --base-lr 0.1 --steps 30",
 * );
 * ```
 */
export function commandText(state: PanelState): string {
  return state.curves.map((c) => `deno task lr ${commandArgs(specOf(c), state.steps).join(" ")}`)
    .join("\n");
}

/** The plan of a curve; for options cosine refuses, its own call (which throws the same error). */
function planOf(curve: Curve): Call {
  try {
    return planSchedule(specOf(curve));
  } catch {
    const w = curve.warmup!;
    return new Call("cosine", [{
      ...curve.options,
      warmupSteps: w.steps,
      ...(w.beginLr === undefined ? {} : { warmupBeginLr: w.beginLr }),
    }]);
  }
}

/**
 * A TypeScript module that makes the schedules and evaluates them over the
 * panel's steps, importing from `lib/schedules/mod.ts` (run from the
 * repository's root).
 *
 * @example One schedule
 * ```ts
 * import assert from "node:assert/strict";
 * import { snippetText } from "./state.ts";
 * const code = snippetText({ steps: 30, curves: [{ kind: "sqrt", options: { baseLr: 0.1 }, warmup: null }] });
 * assert.equal(code, [
 *   'import { sqrt } from "./lib/schedules/mod.ts";',
 *   "",
 *   "const lr = sqrt({ baseLr: 0.1 });",
 *   "const rates = Array.from({ length: 30 }, (_, t) => lr(t));",
 * ].join("\n"));
 * ```
 */
export function snippetText(state: PanelState): string {
  const plans = state.curves.map(planOf);
  const names = [...new Set(plans.flatMap(planFunctions))].sort();
  const single = `import { ${names.join(", ")} } from "${MOD_PATH}";`;
  const imports = single.length <= 80
    ? single
    : `import {\n${names.map((n) => `  ${n},\n`).join("")}} from "${MOD_PATH}";`;
  const one = plans.length === 1;
  const vars = one ? ["lr"] : plans.map((_, i) => LETTERS[i].toLowerCase());
  const lines = plans.map((plan, i) => {
    const head = `const ${vars[i]} = `;
    return `${head}${scheduleCode(plan, { used: head.length + 1 })};`;
  });
  const evaluate = one
    ? `const rates = Array.from({ length: ${state.steps} }, (_, t) => lr(t));`
    : `const rates = [${
      vars.join(", ")
    }].map((lr) => Array.from({ length: ${state.steps} }, (_, t) => lr(t)));`;
  return [imports, "", ...lines, evaluate].join("\n");
}
