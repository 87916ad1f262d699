/**
 * The schedule kinds and their options, as data: the one table the preview
 * CLI (`./cli.ts`, `deno task lr`) reads its flags from and the site's
 * schedule playground (`lib/playground/`) builds its controls from. It
 * describes the factories of the schedules package (`lib/schedules/mod.ts`)
 * from outside it: the kinds the previews offer (the composition tools and
 * the piecewise schedules are for code), for the book's tools, not for the
 * package's users.
 *
 * Each option is described as its factory reads it: its name (camelCase, as
 * in the options object; the CLI spells it in kebab-case, {@linkcode flagOf}),
 * its type, its default (absent: required) and its domain, as the factory
 * validates it. `./kinds_test.ts` checks every entry against the factories
 * themselves, so the table cannot drift from the code.
 *
 * @example The cosine's options, as flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagOf, SCHEDULE_KINDS } from "./kinds.ts";
 * const flags = SCHEDULE_KINDS.cosine.options.map((o) => flagOf(o.name));
 * assert.deepEqual(flags.slice(0, 3), ["--base-lr", "--final-lr", "--max-update"]);
 * ```
 *
 * @module
 */

/** A schedule kind: the name of a factory of `lib/schedules/mod.ts`. */
export type Kind =
  | "constant"
  | "sqrt"
  | "factor"
  | "step"
  | "multifactor"
  | "exponential"
  | "cosine"
  | "sgdr"
  | "linear"
  | "poly"
  | "onecycle"
  | "cyclic"
  | "plateau";

/** The kinds that are plain functions of the step (every kind but `plateau`). */
export type FunctionKind = Exclude<Kind, "plateau">;

/**
 * How an option's value is read:
 *
 * - `rate`: a learning rate, a finite number >= 0;
 * - `number`: a finite number in the option's domain;
 * - `integer`: an integer in the option's domain (a count of steps);
 * - `steps`: a list of strictly increasing integer steps (milestones);
 * - `choice`: one of a few strings;
 * - `flag`: `true` or `false`.
 */
export type OptionType = "rate" | "number" | "integer" | "steps" | "choice" | "flag";

/** A value an option can take. */
export type OptionValue = number | boolean | string | readonly number[];

/** One option of a factory. */
export interface OptionInfo {
  /** The name in the options object, e.g. `maxUpdate`. */
  readonly name: string;
  /** How its value is read (see {@linkcode OptionType}). */
  readonly type: OptionType;
  /** What it is, in a sentence. */
  readonly doc: string;
  /** The value used when it is left out; absent for a required option. */
  readonly default?: number | boolean | string;
  /** When left out, the option takes this other option's value (cyclic's `stepSizeDown`). */
  readonly defaultFrom?: string;
  /**
   * The option may be left out and has no default value: leaving it out
   * means what its factory says (no cap, no cycle limit). The command line
   * takes it; the playground, which shows a value for every option it
   * offers, leaves it out ({@linkcode ownOptions}).
   */
  readonly optional?: boolean;
  /** Inclusive lower bound (`rate` implies 0). */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /** The allowed values of a `choice`. */
  readonly choices?: readonly string[];
  /**
   * This option is the kind's own form of the warmup every kind takes
   * (cosine's `warmupSteps` and `warmupBeginLr`): the CLI's `--warmup-*` and
   * the playground's warmup controls set it, counted inside the schedule.
   */
  readonly warmup?: keyof WarmupOptionsSpec;
}

/** A kind: its factory's options, in the factory's order. */
export interface KindInfo {
  /** The kind: its factory's name. */
  readonly kind: Kind;
  /** A one-line description. */
  readonly doc: string;
  /** Its factory's options, in the order the factory lists them. */
  readonly options: readonly OptionInfo[];
  /** Values for the required options (and a few others) that draw a typical curve. */
  readonly example: Readonly<Record<string, OptionValue>>;
  /** True for `plateau`, whose rates depend on the metrics fed to it. */
  readonly stateful?: boolean;
}

/** The options of the warmup any kind can take (`warmup(schedule, { steps, beginLr, kind })`). */
export interface WarmupOptionsSpec {
  /** Steps of warmup; an integer >= 0. */
  steps: number;
  /** The rate at step 0. Default 0. */
  beginLr?: number;
  /** The shape of the ramp: `"linear"` (default), `"constant"` or `"exponential"`. */
  kind?: string;
}

const rate = (name: string, doc: string, fallback?: number): OptionInfo => ({
  name,
  type: "rate",
  doc,
  min: 0,
  ...(fallback === undefined ? {} : { default: fallback }),
});

const DECAY = { above: 0, max: 1 } as const;

/**
 * Every kind and its options, in the order `deno task lr --help` lists them.
 */
export const SCHEDULE_KINDS: Readonly<Record<Kind, KindInfo>> = {
  constant: {
    kind: "constant",
    doc: "The same rate at every step.",
    options: [rate("baseLr", "The rate at every step.")],
    example: { baseLr: 0.1 },
  },
  sqrt: {
    kind: "sqrt",
    doc: "Inverse square-root decay: baseLr / sqrt(t + 1).",
    options: [rate("baseLr", "The rate at step 0.")],
    example: { baseLr: 0.1 },
  },
  factor: {
    kind: "factor",
    doc: "Multiplicative decay with a floor: max(stopFactorLr, baseLr * factor^t).",
    options: [
      rate("baseLr", "The rate at step 0."),
      { name: "factor", type: "number", doc: "The decay per step.", ...DECAY },
      rate("stopFactorLr", "The floor the rate never goes below; at most baseLr.", 0),
    ],
    example: { baseLr: 2, factor: 0.9, stopFactorLr: 0.01 },
  },
  step: {
    kind: "step",
    doc: "Multiply the rate by gamma every stepSize steps.",
    options: [
      rate("baseLr", "The rate for the first stepSize steps."),
      { name: "stepSize", type: "integer", doc: "How many steps each level lasts.", min: 1 },
      {
        name: "gamma",
        type: "number",
        doc: "The decay applied every stepSize steps.",
        default: 0.1,
        ...DECAY,
      },
    ],
    example: { baseLr: 0.1, stepSize: 10, gamma: 0.5 },
  },
  multifactor: {
    kind: "multifactor",
    doc: "Multiply the rate by factor at each milestone.",
    options: [
      rate("baseLr", "The rate before the first milestone."),
      {
        name: "milestones",
        type: "steps",
        doc: "The steps at which the rate is multiplied by factor, strictly increasing.",
        min: 0,
      },
      {
        name: "factor",
        type: "number",
        doc: "The factor applied at each milestone (usually below 1).",
        default: 0.1,
        above: 0,
      },
    ],
    example: { baseLr: 0.5, milestones: [15, 30], factor: 0.5 },
  },
  exponential: {
    kind: "exponential",
    doc: "Exponential decay: baseLr * gamma^t.",
    options: [
      rate("baseLr", "The rate at step 0."),
      {
        name: "gamma",
        type: "number",
        doc: "The factor per step (above 1 it grows, up to maxLr).",
        above: 0,
      },
      {
        ...rate("maxLr", "The cap a growing rate stops at; at least baseLr; needed for gamma > 1."),
        optional: true,
      },
    ],
    example: { baseLr: 0.1, gamma: 0.9 },
  },
  cosine: {
    kind: "cosine",
    doc: "Cosine decay from baseLr to finalLr at maxUpdate, with optional linear warmup.",
    options: [
      rate("baseLr", "The rate at the top of the cosine (after any warmup)."),
      rate("finalLr", "The rate reached at maxUpdate and held after it; at most baseLr.", 0),
      {
        name: "maxUpdate",
        type: "integer",
        doc: "The step at which the cosine reaches finalLr.",
        min: 1,
      },
      {
        name: "warmupSteps",
        type: "integer",
        doc: "Steps of linear warmup, counted inside maxUpdate.",
        default: 0,
        min: 0,
        warmup: "steps",
      },
      { ...rate("warmupBeginLr", "The rate at step 0 when warming up.", 0), warmup: "beginLr" },
      {
        name: "periodic",
        type: "flag",
        doc: "Keep following the cosine after maxUpdate instead of holding finalLr.",
        default: false,
      },
    ],
    example: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 },
  },
  sgdr: {
    kind: "sgdr",
    doc: "Cosine annealing with warm restarts (SGDR).",
    options: [
      rate("baseLr", "The rate at the start of every cycle."),
      rate("finalLr", "The rate each cycle decays towards; at most baseLr.", 0),
      { name: "t0", type: "integer", doc: "The length of the first cycle.", min: 1 },
      {
        name: "tMult",
        type: "number",
        doc: "Each cycle is tMult times longer than the one before.",
        default: 1,
        min: 1,
      },
      {
        name: "peakDecay",
        type: "number",
        doc: "Each restart's peak is peakDecay times the one before.",
        default: 1,
        ...DECAY,
      },
      {
        name: "cycles",
        type: "integer",
        doc: "How many cycles run before the rate stays at finalLr (default: no limit).",
        min: 1,
        optional: true,
      },
    ],
    example: { baseLr: 0.1, finalLr: 0.001, t0: 10, tMult: 2 },
  },
  linear: {
    kind: "linear",
    doc: "A straight line from startLr to endLr at maxUpdate, then held.",
    options: [
      rate("startLr", "The rate at step 0."),
      rate("endLr", "The rate reached at maxUpdate and held after it."),
      { name: "maxUpdate", type: "integer", doc: "The step at which endLr is reached.", min: 1 },
    ],
    example: { startLr: 0.1, endLr: 0.001, maxUpdate: 20 },
  },
  poly: {
    kind: "poly",
    doc: "Polynomial decay from baseLr to finalLr at maxUpdate.",
    options: [
      rate("baseLr", "The rate at step 0."),
      rate("finalLr", "The rate reached at maxUpdate and held after it; at most baseLr.", 0),
      { name: "maxUpdate", type: "integer", doc: "The step at which finalLr is reached.", min: 1 },
      {
        name: "power",
        type: "number",
        doc: "The exponent (1: a straight line).",
        default: 1,
        above: 0,
      },
    ],
    example: { baseLr: 0.1, finalLr: 0.001, maxUpdate: 20, power: 2 },
  },
  onecycle: {
    kind: "onecycle",
    doc: "The one-cycle policy: up to maxLr, then far below the start.",
    options: [
      rate("maxLr", "The peak rate."),
      { name: "totalSteps", type: "integer", doc: "The length of the cycle.", min: 2 },
      {
        name: "pctStart",
        type: "number",
        doc: "The fraction of the cycle spent rising.",
        default: 0.3,
        above: 0,
        below: 1,
      },
      {
        name: "divFactor",
        type: "number",
        doc: "The starting rate is maxLr / divFactor.",
        default: 25,
        min: 1,
      },
      {
        name: "finalDivFactor",
        type: "number",
        doc: "The final rate is maxLr / divFactor / finalDivFactor.",
        default: 1e4,
        min: 1,
      },
      {
        name: "anneal",
        type: "choice",
        doc: "The shape of each phase.",
        default: "cos",
        choices: ["cos", "linear"],
      },
      {
        name: "threePhase",
        type: "flag",
        doc: "Come back down to the starting rate before the final descent.",
        default: false,
      },
    ],
    example: { maxLr: 0.3, totalSteps: 30 },
  },
  cyclic: {
    kind: "cyclic",
    doc: "Triangular cycles between baseLr and maxLr.",
    options: [
      rate("baseLr", "The bottom of each cycle."),
      rate("maxLr", "The top of each cycle; at least baseLr."),
      {
        name: "stepSizeUp",
        type: "integer",
        doc: "Steps from the bottom to the top.",
        default: 2000,
        min: 1,
      },
      {
        name: "stepSizeDown",
        type: "integer",
        doc: "Steps from the top back to the bottom (default: stepSizeUp).",
        defaultFrom: "stepSizeUp",
        min: 1,
      },
      {
        name: "mode",
        type: "choice",
        doc: "triangular: every cycle the same; triangular2: halve the amplitude each cycle; " +
          "exp_range: scale it by gamma^t.",
        default: "triangular",
        choices: ["triangular", "triangular2", "exp_range"],
      },
      {
        name: "gamma",
        type: "number",
        doc: "The per-step amplitude decay of exp_range.",
        default: 1,
        ...DECAY,
      },
    ],
    example: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 },
  },
  plateau: {
    kind: "plateau",
    doc: "Reduce the rate when a metric stops improving.",
    stateful: true,
    options: [
      rate("baseLr", "The starting rate."),
      {
        name: "mode",
        type: "choice",
        doc: "min: lower metrics are better; max: higher are better.",
        default: "min",
        choices: ["min", "max"],
      },
      {
        name: "factor",
        type: "number",
        doc: "The rate is multiplied by factor on a plateau.",
        default: 0.1,
        above: 0,
        below: 1,
      },
      {
        name: "patience",
        type: "integer",
        doc: "Epochs without improvement tolerated before reducing.",
        default: 10,
        min: 0,
      },
      {
        name: "threshold",
        type: "number",
        doc: "How much better a metric must be to count as an improvement.",
        default: 1e-4,
        min: 0,
      },
      {
        name: "thresholdMode",
        type: "choice",
        doc: "rel: relative to the best so far; abs: absolute.",
        default: "rel",
        choices: ["rel", "abs"],
      },
      {
        name: "cooldown",
        type: "integer",
        doc: "Epochs to wait after a reduction before counting bad epochs again.",
        default: 0,
        min: 0,
      },
      rate("minLr", "The rate never goes below minLr; at most baseLr.", 0),
      {
        name: "eps",
        type: "number",
        doc: "Reductions smaller than eps are skipped (PyTorch's rule; 0 for keras).",
        default: 1e-8,
        min: 0,
      },
      {
        name: "style",
        type: "choice",
        doc: "pytorch: reduce when the bad epochs exceed patience; keras: when they reach it.",
        default: "pytorch",
        choices: ["pytorch", "keras"],
      },
    ],
    example: { baseLr: 0.1, patience: 1 },
  },
};

/** Every kind, in the order of {@linkcode SCHEDULE_KINDS}. */
export const KIND_NAMES: readonly Kind[] = Object.keys(SCHEDULE_KINDS) as Kind[];

/** The options of `warmup(schedule, { steps, beginLr, kind })`, which every kind can take. */
export const WARMUP_OPTIONS: readonly OptionInfo[] = [
  { name: "steps", type: "integer", doc: "Steps of warmup (0: none).", min: 0 },
  rate("beginLr", "The rate at step 0.", 0),
  {
    name: "kind",
    type: "choice",
    doc: "The shape of the ramp.",
    default: "linear",
    choices: ["linear", "constant", "exponential"],
  },
];

/**
 * The kebab-case spelling of a camelCase option name, as a flag.
 *
 * @param name A factory option, e.g. `maxUpdate`.
 * @returns Its flag, e.g. `--max-update`.
 *
 * @example Spellings
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagOf } from "./kinds.ts";
 * assert.equal(flagOf("stepSizeUp"), "--step-size-up");
 * assert.equal(flagOf("t0"), "--t0");
 * assert.equal(flagOf("tMult"), "--t-mult");
 * ```
 */
export function flagOf(name: string): string {
  return "--" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/**
 * The flag of a warmup option: `steps` is `--warmup-steps`.
 *
 * @param name An option of {@linkcode WARMUP_OPTIONS}.
 * @returns Its flag.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { warmupFlagOf } from "./kinds.ts";
 * assert.equal(warmupFlagOf("beginLr"), "--warmup-begin-lr");
 * ```
 */
export function warmupFlagOf(name: string): string {
  return flagOf(`warmup${name[0].toUpperCase()}${name.slice(1)}`);
}

/**
 * The options a kind takes besides the warmup, as the playground offers
 * them: cosine's own warmup options are left out, since the common warmup
 * sets them, and so are the {@linkcode OptionInfo.optional} ones.
 *
 * @param kind The kind.
 * @returns Its options, in order.
 *
 * @example Cosine
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownOptions } from "./kinds.ts";
 * assert.deepEqual(ownOptions("cosine").map((o) => o.name), ["baseLr", "finalLr", "maxUpdate", "periodic"]);
 * ```
 */
export function ownOptions(kind: Kind): readonly OptionInfo[] {
  return SCHEDULE_KINDS[kind].options.filter((o) => o.warmup === undefined && !o.optional);
}

/**
 * The domain of a numeric option in words, as the factories' messages say it.
 *
 * @param option The option.
 * @returns E.g. `>= 0`, `in (0, 1]`, `an integer >= 1`; `""` for other types.
 *
 * @example Domains
 * ```ts
 * import assert from "node:assert/strict";
 * import { domainOf, SCHEDULE_KINDS } from "./kinds.ts";
 * const [baseLr, factor] = SCHEDULE_KINDS.factor.options;
 * assert.equal(domainOf(baseLr), ">= 0");
 * assert.equal(domainOf(factor), "in (0, 1]");
 * assert.equal(domainOf(SCHEDULE_KINDS.step.options[1]), "an integer >= 1");
 * ```
 */
export function domainOf(option: OptionInfo): string {
  if (option.type === "choice") return option.choices!.join(" | ");
  if (option.type === "flag") return "true | false";
  const low = option.above !== undefined
    ? `(${option.above}`
    : option.min !== undefined
    ? `[${option.min}`
    : "";
  const high = option.below !== undefined
    ? `${option.below})`
    : option.max !== undefined
    ? `${option.max}]`
    : "";
  const bounds = low && high
    ? `in ${low}, ${high}`
    : option.above !== undefined
    ? `> ${option.above}`
    : option.min !== undefined
    ? `>= ${option.min}`
    : "finite";
  if (option.type === "integer") return `an integer ${bounds}`;
  if (option.type === "steps") return `increasing integers ${bounds}`;
  return bounds;
}
