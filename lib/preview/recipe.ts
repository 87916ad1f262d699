/**
 * A schedule described as data, `{ kind, options, warmup }`, and the three
 * things made from one description, so that they always agree:
 *
 * - the schedule itself ({@linkcode buildSchedule}): the factories of
 *   `lib/schedules/mod.ts` called with those options;
 * - the TypeScript that makes it ({@linkcode scheduleCode}): the same calls,
 *   printed;
 * - the `deno task lr` command that previews it ({@linkcode commandArgs}).
 *
 * Both come from one plan ({@linkcode planSchedule}), a tree of factory
 * calls. The preview CLI (`./cli.ts`) builds its schedules here, and so does
 * the site's playground, in the browser.
 *
 * Warmup works as in the CLI: for `cosine` it is the schedule's own warmup,
 * counted inside `maxUpdate` (the chapter's form; a non-linear ramp covers
 * the same steps); every other kind is wrapped with `warmup()`, which puts
 * the ramp in front of it.
 *
 * `plateau` reacts to metrics rather than to the step, so its description
 * carries the metrics it is fed (one per epoch) and is made with
 * `plateauSchedule`, which replays them.
 *
 * @example One description, three forms
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildSchedule, commandArgs, scheduleCode } from "./recipe.ts";
 * const spec = { kind: "factor", options: { baseLr: 2, factor: 0.9 }, warmup: { steps: 5 } } as const;
 * assert.equal(buildSchedule(spec)(5), 2);
 * assert.equal(scheduleCode(spec), "warmup(factor({ baseLr: 2, factor: 0.9 }), { steps: 5 })");
 * assert.equal(
 *   commandArgs(spec, 50).join(" "),
 *   "factor --base-lr 2 --factor 0.9 --warmup-steps 5 --steps 50",
 * );
 * ```
 *
 * @module
 */

import {
  constant,
  cosine,
  cyclic,
  exponential,
  factor,
  join,
  linear,
  multifactor,
  onecycle,
  plateauSchedule,
  poly,
  type Schedule,
  sgdr,
  sqrt,
  step,
  warmup,
} from "../schedules/mod.ts";
import {
  flagOf,
  type Kind,
  type OptionValue,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
  warmupFlagOf,
  type WarmupOptionsSpec,
} from "./kinds.ts";

export type { Schedule };

/** A schedule as data: a kind, its options, and an optional warmup in front. */
export interface ScheduleSpec {
  /** The kind: the factory to call. */
  readonly kind: Kind;
  /** The kind's options, by name (cosine's warmup options go in `warmup`). */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** For `plateau` only: the metrics it is fed, one per epoch. */
  readonly metrics?: readonly number[];
  /** `{ steps, beginLr?, kind? }`, or `null`/absent for none. */
  readonly warmup?: Readonly<WarmupOptionsSpec> | null;
}

/** The functions a plan calls: the factories, `warmup` and `join`. */
const FUNCTIONS: Readonly<Record<PlanFunction, (...args: never[]) => Schedule>> = {
  constant,
  sqrt,
  factor,
  step,
  multifactor,
  exponential,
  cosine,
  sgdr,
  linear,
  poly,
  onecycle,
  cyclic,
  plateauSchedule,
  warmup,
  join,
};

/** A function a plan can call: a factory of the kinds, `plateauSchedule`, `warmup` or `join`. */
export type PlanFunction =
  | Exclude<Kind, "plateau">
  | "plateauSchedule"
  | "warmup"
  | "join";

/** An argument of a call in a plan. */
export type PlanArg =
  | Call
  | OptionValue
  | readonly PlanArg[]
  | { readonly [name: string]: PlanArg | undefined };

/** One call of a plan: a library function and its arguments. */
export class Call {
  /**
   * A call.
   *
   * @param fn The function's name (an export of `lib/schedules/mod.ts`).
   * @param args Its arguments.
   */
  constructor(readonly fn: PlanFunction, readonly args: readonly PlanArg[]) {}
}

function warmupArgs(warm: Readonly<WarmupOptionsSpec>): Record<string, PlanArg> {
  const options: Record<string, PlanArg> = { steps: warm.steps };
  if (warm.beginLr !== undefined) options.beginLr = warm.beginLr;
  if (warm.kind !== undefined) options.kind = warm.kind;
  return options;
}

/**
 * The calls that make the schedule `spec` describes.
 *
 * @param spec The description.
 * @returns The outermost call.
 * @throws {RangeError|TypeError} The library's own error, when cosine's
 *   options are invalid with a non-linear warmup (they are checked as the
 *   schedule's own warmup first, as the CLI does).
 *
 * @example Cosine's own warmup
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSchedule } from "./recipe.ts";
 * const plan = planSchedule({ kind: "cosine", options: { baseLr: 0.3, maxUpdate: 20 }, warmup: { steps: 5 } });
 * assert.equal(plan.fn, "cosine");
 * assert.deepEqual(plan.args, [{ baseLr: 0.3, maxUpdate: 20, warmupSteps: 5 }]);
 * ```
 */
export function planSchedule(spec: ScheduleSpec): Call {
  const { kind, options } = spec;
  const warm = spec.warmup ?? null;
  if (kind === "cosine" && warm !== null) {
    const native = new Call("cosine", [{
      ...options,
      warmupSteps: warm.steps,
      ...(warm.beginLr === undefined ? {} : { warmupBeginLr: warm.beginLr }),
    }]);
    const shape = warm.kind ?? "linear";
    if (shape === "linear") return native;
    run(native); // the options must be valid as cosine's own warmup first
    const o = options as { baseLr: number; finalLr?: number; maxUpdate: number };
    const ramp = { ...warmupArgs(warm), kind: shape };
    return warm.steps < o.maxUpdate
      ? new Call("warmup", [
        new Call("cosine", [{ ...options, maxUpdate: o.maxUpdate - warm.steps }]),
        ramp,
      ])
      : new Call("join", [
        [
          new Call("warmup", [new Call("constant", [{ baseLr: o.baseLr }]), ramp]),
          new Call("constant", [{ baseLr: o.finalLr ?? 0 }]),
        ],
        [warm.steps],
      ]);
  }
  if (kind !== "plateau" && spec.metrics !== undefined) {
    throw new TypeError(`${kind}: metrics are for plateau only`);
  }
  const plain = kind === "plateau"
    ? new Call("plateauSchedule", [{ ...options }, [...(spec.metrics ?? [])]])
    : new Call(kind, [{ ...options }]);
  return warm === null ? plain : new Call("warmup", [plain, warmupArgs(warm)]);
}

function value(arg: PlanArg | undefined): unknown {
  if (arg instanceof Call) return run(arg);
  if (Array.isArray(arg)) return arg.map(value);
  if (typeof arg === "object" && arg !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(arg)) if (v !== undefined) out[k] = value(v);
    return out;
  }
  return arg;
}

function run(call: Call): Schedule {
  const fn = FUNCTIONS[call.fn] as (...args: unknown[]) => Schedule;
  return fn(...call.args.map(value));
}

/**
 * The schedule `spec` describes, made by the library's factories.
 *
 * @param spec The description.
 * @returns The schedule.
 * @throws {RangeError|TypeError} The factory's own error for invalid options,
 *   e.g. `cosine: warmupSteps (25) must be <= maxUpdate (20)`.
 *
 * @example The chapter's cosine with warmup
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildSchedule } from "./recipe.ts";
 * const lr = buildSchedule({
 *   kind: "cosine",
 *   options: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 },
 *   warmup: { steps: 5 },
 * });
 * assert.equal(lr(5), 0.3);
 * assert.throws(
 *   () => buildSchedule({ kind: "cosine", options: { baseLr: 0.3, maxUpdate: 20 }, warmup: { steps: 25 } }),
 *   { name: "RangeError", message: "cosine: warmupSteps (25) must be <= maxUpdate (20)" },
 * );
 * ```
 */
export function buildSchedule(spec: ScheduleSpec): Schedule {
  return run(planSchedule(spec));
}

/**
 * The rates of `spec` at steps `0 .. steps - 1`.
 *
 * @param spec The description.
 * @param steps How many steps.
 * @returns The rates.
 * @throws {RangeError|TypeError} The library's error for invalid options.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleRates } from "./recipe.ts";
 * assert.deepEqual(scheduleRates({ kind: "step", options: { baseLr: 1, stepSize: 2 } }, 4), [1, 1, 0.1, 0.1]);
 * ```
 */
export function scheduleRates(spec: ScheduleSpec, steps: number): number[] {
  const lr = buildSchedule(spec);
  return Array.from({ length: steps }, (_, t) => lr(t));
}

// ---- printing ----

/** A number as TypeScript (and as a command-line value) writes it. */
export function numberText(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

function inline(arg: PlanArg | undefined): string {
  if (arg instanceof Call) return `${arg.fn}(${arg.args.map(inline).join(", ")})`;
  if (Array.isArray(arg)) return `[${arg.map(inline).join(", ")}]`;
  if (typeof arg === "object" && arg !== null) {
    const entries = Object.entries(arg).filter(([, v]) => v !== undefined);
    return entries.length === 0
      ? "{}"
      : `{ ${entries.map(([k, v]) => `${k}: ${inline(v)}`).join(", ")} }`;
  }
  if (typeof arg === "number") return numberText(arg);
  if (typeof arg === "string") return JSON.stringify(arg);
  return String(arg);
}

function isComposite(arg: PlanArg | undefined): boolean {
  return arg instanceof Call || Array.isArray(arg) || (typeof arg === "object" && arg !== null);
}

/** `arg` printed at `indent`, starting `used` columns into its first line, within `width`. */
function pretty(arg: PlanArg | undefined, indent: string, used: number, width: number): string {
  const flat = inline(arg);
  if (used + flat.length <= width || !isComposite(arg)) return flat;
  const inner = indent + "  ";
  const block = (open: string, items: string[], close: string) =>
    `${open}\n${items.map((item) => `${inner}${item},\n`).join("")}${indent}${close}`;
  if (arg instanceof Call) {
    const head = `${arg.fn}(`;
    if (arg.args.length === 1 && isComposite(arg.args[0]) && !(arg.args[0] instanceof Call)) {
      return `${head}${pretty(arg.args[0], indent, used + head.length, width)})`;
    }
    return block(head, arg.args.map((a) => pretty(a, inner, inner.length, width)), ")");
  }
  if (Array.isArray(arg)) {
    return block("[", arg.map((a) => pretty(a, inner, inner.length, width)), "]");
  }
  const entries = Object.entries(arg as Record<string, PlanArg | undefined>)
    .filter(([, v]) => v !== undefined);
  return block(
    "{",
    entries.map(([k, v]) => `${k}: ${pretty(v, inner, inner.length + k.length + 2, width)}`),
    "}",
  );
}

/**
 * The TypeScript expression that makes the schedule, as `deno fmt` would lay
 * it out (one line when it fits).
 *
 * @param spec The description (or a plan).
 * @param options `used`: columns already taken on the first line (e.g. by
 *   `const lr = `); `width`: the line width (default 80).
 * @returns The expression.
 * @throws {RangeError|TypeError} As {@linkcode planSchedule}.
 *
 * @example A long call is broken after its brace
 * ```ts
 * import assert from "node:assert/strict";
 * import { scheduleCode } from "./recipe.ts";
 * const code = scheduleCode(
 *   { kind: "onecycle", options: { maxLr: 0.3, totalSteps: 30, pctStart: 0.25, anneal: "linear" } },
 *   { width: 60 },
 * );
 * assert.equal(code, 'onecycle({\n  maxLr: 0.3,\n  totalSteps: 30,\n  pctStart: 0.25,\n  anneal: "linear",\n})');
 * ```
 */
export function scheduleCode(
  spec: ScheduleSpec | Call,
  options: { used?: number; width?: number } = {},
): string {
  const plan = spec instanceof Call ? spec : planSchedule(spec);
  return pretty(plan, "", options.used ?? 0, options.width ?? 80);
}

/**
 * The library functions a plan calls, sorted (for its `import` line).
 *
 * @param plan The plan.
 * @returns Function names.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFunctions, planSchedule } from "./recipe.ts";
 * const plan = planSchedule({ kind: "sqrt", options: { baseLr: 0.1 }, warmup: { steps: 3 } });
 * assert.deepEqual(planFunctions(plan), ["sqrt", "warmup"]);
 * ```
 */
export function planFunctions(plan: Call): PlanFunction[] {
  const found = new Set<PlanFunction>();
  const visit = (arg: PlanArg | undefined) => {
    if (arg instanceof Call) {
      found.add(arg.fn);
      arg.args.forEach(visit);
    } else if (Array.isArray(arg)) arg.forEach(visit);
    else if (typeof arg === "object" && arg !== null) Object.values(arg).forEach(visit);
  };
  visit(plan);
  return [...found].sort();
}

function flagValue(value: OptionValue): string {
  if (typeof value === "number") return numberText(value);
  if (Array.isArray(value)) return value.map(numberText).join(",");
  return String(value);
}

/**
 * The arguments of `deno task lr` that preview `spec` over `steps` steps:
 * the kind, its options in the table's order as flags, the warmup, `--steps`.
 *
 * @param spec The description.
 * @param steps The number of steps to show.
 * @returns The arguments (without `deno task lr`).
 *
 * @example Cosine with warmup
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandArgs } from "./recipe.ts";
 * const args = commandArgs({
 *   kind: "cosine",
 *   options: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: true },
 *   warmup: { steps: 5, kind: "exponential", beginLr: 0.01 },
 * }, 30);
 * assert.equal(
 *   args.join(" "),
 *   "cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --periodic " +
 *     "--warmup-steps 5 --warmup-begin-lr 0.01 --warmup-kind exponential --steps 30",
 * );
 * ```
 */
export function commandArgs(spec: ScheduleSpec, steps: number): string[] {
  const args: string[] = [spec.kind];
  const known = SCHEDULE_KINDS[spec.kind].options.map((o) => o.name);
  const names = [...known, ...Object.keys(spec.options).filter((n) => !known.includes(n))];
  for (const name of names) {
    const v = spec.options[name];
    if (v === undefined) continue;
    if (v === true) args.push(flagOf(name));
    else if (v === false) args.push(`${flagOf(name)}=false`);
    else args.push(flagOf(name), flagValue(v));
  }
  const warm = spec.warmup ?? null;
  if (warm !== null) {
    for (const option of WARMUP_OPTIONS) {
      const v = warm[option.name as keyof WarmupOptionsSpec];
      if (v !== undefined) args.push(warmupFlagOf(option.name), flagValue(v));
    }
  }
  if (spec.kind === "plateau") args.push("--metrics", flagValue(spec.metrics ?? []));
  args.push("--steps", numberText(steps));
  return args;
}
