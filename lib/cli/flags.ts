/**
 * The project's one command-line parser, on `node:util`'s `parseArgs`
 * (strict): `deno task chapter`, `deno task build` and `deno task lr` declare
 * their flags with it, and so does any new command.
 *
 * ```ts ignore
 * const FLAGS = {
 *   epochs: valueFlag("a number", wholeNumber(1, 10_000)), // --epochs N, --epochs=N
 *   out: valueFlag("a directory"),                         // --out DIR
 *   fresh: switchFlag(),                                   // --fresh
 * };
 * const { help, flags, positionals } = parseFlags(args, FLAGS, { positionals: 1 });
 * // flags.epochs: number | undefined, flags.out: string | undefined, flags.fresh: boolean
 * ```
 *
 * The rules are the same everywhere, and every breach is a
 * {@linkcode UsageError} with a one-line message that quotes what was typed:
 *
 * - `--help` and `-h` are always there: given anywhere (before a `--`), the
 *   result says `help` and nothing else is checked.
 * - A switch takes no value: `--fresh=1` is an error.
 * - A value flag needs its value, as `--out DIR` or `--out=DIR`; an empty one
 *   or another flag in its place is an error. A negative number may follow
 *   the flag directly (`--warmup-steps -2`).
 * - An unknown flag is an error, with the nearest known one as a hint.
 * - A flag given twice is an error.
 * - Positional arguments beyond the allowed number are an error.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { nearest } from "../schedules/nearest.ts";
import { UsageError } from "./usage_error.ts";

/** A flag that takes no value: `--fresh`. Its value is `true` when given, else `false`. */
export interface SwitchFlag {
  /** What kind of flag this is. */
  readonly kind: "switch";
}

/**
 * A flag that is on when given (`--three-phase`) and may also say so
 * (`--three-phase=true`, `--three-phase=false`): an option whose value is a
 * boolean, as `deno task lr`'s schedule options are. Its value is `undefined`
 * when the flag is not given.
 */
export interface BooleanFlag {
  /** What kind of flag this is. */
  readonly kind: "boolean";
}

/** A flag with one value, `--out DIR` or `--out=DIR`, read by `parse`. */
export interface ValueFlag<T> {
  /** What kind of flag this is. */
  readonly kind: "value";
  /** What the value is, for the message when it is missing: `--out needs a directory`. */
  readonly needs: string;
  /**
   * Read the value's text (never empty).
   *
   * @param text The value as typed.
   * @param flag The flag as typed, e.g. `--epochs`, for messages.
   * @returns The value.
   * @throws {UsageError} naming the flag and quoting the text when it is not a valid value.
   */
  readonly parse: (text: string, flag: string) => T;
}

/** Any flag. */
export type FlagSpec = SwitchFlag | BooleanFlag | ValueFlag<unknown>;

/** A command's flags, by name without the leading `--` (`"train-size"`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The values of parsed flags: switches are booleans, other flags `undefined` when not given. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]: S[K] extends ValueFlag<infer T> ? T | undefined
    : S[K] extends BooleanFlag ? boolean | undefined
    : boolean;
};

/** What {@linkcode parseFlags} found. */
export interface ParsedFlags<S extends FlagSpecs> {
  /** `--help` or `-h` was given: print the usage, and look at nothing else. */
  help: boolean;
  /** The flags' values (all unset when `help`). */
  flags: FlagValues<S>;
  /** The arguments that are not flags, in order (and everything after a `--`). */
  positionals: string[];
}

/** How {@linkcode parseFlags} treats what is not a declared flag. */
export interface ParseOptions {
  /** How many positional arguments the command takes at most (default 0). */
  positionals?: number;
  /**
   * What an unknown flag's message ends with, after `; ` (default `see --help`):
   * for instance the flags there are.
   */
  unknownHint?: string;
}

/**
 * A flag that takes no value.
 *
 * @returns The flag's spec.
 *
 * @example `--fresh`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags, switchFlag } from "./flags.ts";
 * assert.equal(parseFlags(["--fresh"], { fresh: switchFlag() }).flags.fresh, true);
 * assert.throws(() => parseFlags(["--fresh=1"], { fresh: switchFlag() }), /--fresh takes no value/);
 * ```
 */
export function switchFlag(): SwitchFlag {
  return { kind: "switch" };
}

/**
 * A flag whose value is a boolean: given alone, it is `true`; it may also be
 * given as `=true` or `=false`.
 *
 * @returns The flag's spec.
 *
 * @example `--periodic`
 * ```ts
 * import assert from "node:assert/strict";
 * import { booleanFlag, parseFlags } from "./flags.ts";
 * const spec = { periodic: booleanFlag() };
 * assert.equal(parseFlags(["--periodic"], spec).flags.periodic, true);
 * assert.equal(parseFlags(["--periodic=false"], spec).flags.periodic, false);
 * assert.equal(parseFlags([], spec).flags.periodic, undefined);
 * ```
 */
export function booleanFlag(): BooleanFlag {
  return { kind: "boolean" };
}

/**
 * A flag that takes a value: its text as typed, or what `parse` makes of it.
 *
 * @param needs What the value is, for the message when it is missing
 *   (default `"a value"`): `--json needs a file name`.
 * @param parse How to read the value (default: the text itself).
 * @returns The flag's spec.
 *
 * @example `--out DIR`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags, valueFlag } from "./flags.ts";
 * const spec = { out: valueFlag("a directory") };
 * assert.equal(parseFlags(["--out", "_site"], spec).flags.out, "_site");
 * assert.equal(parseFlags(["--out=_site"], spec).flags.out, "_site");
 * assert.throws(() => parseFlags(["--out"], spec), { message: "--out needs a directory" });
 * ```
 */
export function valueFlag(needs?: string): ValueFlag<string>;
/**
 * A flag that takes a value, read by `parse`.
 *
 * @param needs What the value is, for the message when it is missing: `--epochs needs a number`.
 * @param parse How to read the value; it throws a {@linkcode UsageError} for a bad one.
 * @returns The flag's spec.
 *
 * @example `--lr X`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags, valueFlag } from "./flags.ts";
 * assert.equal(parseFlags(["--lr", "-0.5"], { lr: valueFlag("a rate", Number) }).flags.lr, -0.5);
 * ```
 */
export function valueFlag<T>(needs: string, parse: (text: string, flag: string) => T): ValueFlag<T>;
export function valueFlag<T>(
  needs = "a value",
  parse?: (text: string, flag: string) => T,
): ValueFlag<T | string> {
  return { kind: "value", needs, parse: parse ?? ((text) => text) };
}

/**
 * A reader of whole numbers from `min` to `max`, for {@linkcode valueFlag}.
 *
 * @param min The smallest allowed.
 * @param max The largest allowed.
 * @returns The reader: it throws a {@linkcode UsageError} like
 *   `--epochs must be a whole number from 1 to 10,000, got "x"`.
 *
 * @example `--epochs N`
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags, valueFlag, wholeNumber } from "./flags.ts";
 * const spec = { epochs: valueFlag("a number", wholeNumber(1, 10_000)) };
 * assert.equal(parseFlags(["--epochs", "30"], spec).flags.epochs, 30);
 * assert.throws(() => parseFlags(["--epochs", "x"], spec), {
 *   message: '--epochs must be a whole number from 1 to 10,000, got "x"',
 * });
 * ```
 */
export function wholeNumber(min: number, max: number): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(
        `${flag} must be a whole number from ${min.toLocaleString("en-US")} to ${
          max.toLocaleString("en-US")
        }, got ${JSON.stringify(text)}`,
      );
    }
    return n;
  };
}

/**
 * Whether `args` ask for help: `--help` or `-h` anywhere before a `--`.
 * {@linkcode parseFlags} checks this first; a command that reads an argument
 * before its flags (`deno task lr KIND`) asks it itself.
 *
 * @param args The arguments.
 * @returns Whether to print the usage.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { wantsHelp } from "./flags.ts";
 * assert(wantsHelp(["cosine", "-h"]));
 * assert(!wantsHelp(["cosine", "--", "--help"]));
 * ```
 */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** A negative number, which may follow its flag directly (`--warmup-steps -2`). */
const NEGATIVE = /^-(\d|\.\d)/;

/**
 * Parse a command line against its flags.
 *
 * @param args The arguments (without the program and the task name).
 * @param spec The command's flags, by name without `--`.
 * @param options How many positional arguments there may be, and the end of
 *   an unknown flag's message.
 * @returns Whether help was asked for, the flags' values and the positional
 *   arguments.
 * @throws {UsageError} For an unknown flag (with the nearest known one), a
 *   switch given a value, a value flag without one, a flag given twice, a
 *   value its flag refuses, or too many positional arguments.
 *
 * @example A chapter's command line
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags, switchFlag, valueFlag, wholeNumber } from "./flags.ts";
 * const spec = { epochs: valueFlag("a number", wholeNumber(1, 10_000)), fresh: switchFlag() };
 * const { flags, positionals } = parseFlags(["cosine", "--epochs=2"], spec, { positionals: 1 });
 * assert.deepEqual(flags, { epochs: 2, fresh: false });
 * assert.deepEqual(positionals, ["cosine"]);
 * assert.throws(() => parseFlags(["--epoch", "2"], spec), {
 *   name: "UsageError",
 *   message: "unknown flag --epoch (did you mean --epochs?); see --help",
 * });
 * assert.equal(parseFlags(["--bogus", "-h"], spec).help, true);
 * ```
 */
export function parseFlags<S extends FlagSpecs>(
  args: readonly string[],
  spec: S,
  options: ParseOptions = {},
): ParsedFlags<S> {
  if ("help" in spec) throw new TypeError("parseFlags: --help is built in; do not declare it");
  if (wantsHelp(args)) return { help: true, flags: unset(spec), positionals: [] };
  const normal = normalise(args, spec);
  let parsed;
  try {
    parsed = parseArgs({
      args: normal,
      options: parseArgsOptions(spec),
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    throw explain(normal, spec, options, error as Error);
  }
  const seen = new Set<string>();
  const flags: Record<string, unknown> = unset(spec);
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`${token.rawName} given twice`);
    seen.add(token.name);
    const flag = spec[token.name];
    const text = token.value;
    if (flag.kind === "switch") flags[token.name] = true;
    else if (text === undefined || text.trim() === "") {
      throw new UsageError(`${token.rawName} needs ${needs(flag)}`);
    } else if (flag.kind === "boolean") {
      if (text !== "true" && text !== "false") {
        throw new UsageError(
          `${token.rawName} must be true or false (or no value), got ${JSON.stringify(text)}`,
        );
      }
      flags[token.name] = text === "true";
    } else flags[token.name] = flag.parse(text, token.rawName);
  }
  const most = options.positionals ?? 0;
  if (parsed.positionals.length > most) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[most])}`);
  }
  return { help: false, flags: flags as FlagValues<S>, positionals: parsed.positionals };
}

/** The flags as `parseArgs` declares them: a boolean flag's `=true`/`=false` is a string. */
function parseArgsOptions(spec: FlagSpecs): Record<string, { type: "boolean" | "string" }> {
  return Object.fromEntries(
    Object.entries(spec).map((
      [name, flag],
    ) => [name, { type: flag.kind === "switch" ? "boolean" : "string" }]),
  );
}

function unset<S extends FlagSpecs>(spec: S): FlagValues<S> {
  return Object.fromEntries(
    Object.entries(spec).map(([name, flag]) => [name, flag.kind === "switch" ? false : undefined]),
  ) as FlagValues<S>;
}

function needs(flag: FlagSpec): string {
  return flag.kind === "value" ? flag.needs : "true or false";
}

/**
 * The arguments as `parseArgs` should read them: a boolean flag given alone
 * says `=true`, and a negative number after a value flag is its value.
 */
function normalise(args: readonly string[], spec: FlagSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const flag = arg.startsWith("--") ? spec[arg.slice(2)] : undefined;
    if (flag?.kind === "boolean") out.push(`${arg}=true`);
    else if (flag?.kind === "value" && NEGATIVE.test(args[i + 1] ?? "")) {
      out.push(`${arg}=${args[++i]}`);
    } else out.push(arg);
  }
  return out;
}

/** The one-line message of what `parseArgs` refused: the first argument at fault. */
function explain(
  args: string[],
  spec: FlagSpecs,
  options: ParseOptions,
  error: Error,
): UsageError {
  const { tokens } = parseArgs({
    args,
    options: parseArgsOptions(spec),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const flag = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (flag === undefined) {
      const hint = nearest(token.name, [...Object.keys(spec), "help"]);
      return new UsageError(
        `unknown flag ${token.rawName}${hint ? ` (did you mean --${hint}?)` : ""}; ${
          options.unknownHint ?? "see --help"
        }`,
      );
    }
    if (flag.kind === "switch" && token.value !== undefined) {
      return new UsageError(
        `${token.rawName} takes no value, got ${JSON.stringify(args[token.index])}`,
      );
    }
    if (
      flag.kind !== "switch" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
    ) {
      return new UsageError(`${token.rawName} needs ${needs(flag)}`);
    }
  }
  return new UsageError(error.message.split("\n")[0]);
}
