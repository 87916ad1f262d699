/**
 * Preview a schedule from the command line:
 *
 * ```sh
 * deno task lr KIND [options] --steps N [--json | --plot FILE.html]
 * deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --steps 30
 * deno task lr plateau --base-lr 0.1 --patience 1 --metrics 0.9,0.8,0.8,0.8,0.7
 * ```
 *
 * Options are the kebab-case of the factory options (`maxUpdate` is
 * `--max-update`). Every kind also takes `--warmup-steps N [--warmup-begin-lr X]
 * [--warmup-kind linear|constant|exponential]`: for `cosine` these are its own
 * options, counted inside `--max-update` as in the chapter (a non-linear
 * `--warmup-kind` ramps the same steps); for the other kinds the schedule is
 * wrapped with `warmup()`, which puts the ramp in front of it. The default
 * output is a table of step and rate with a sparkline; `--json` prints exactly
 * one JSON array of N rates (steps 0..N-1) and nothing else; `--plot` writes
 * one self-contained HTML file with a Plotly chart. Bad input exits with code
 * 2 and a one-line message; never a stack trace.
 *
 * The pieces are importable, so tests call {@linkcode parseArgs},
 * {@linkcode computeRates} and {@linkcode main} in-process.
 *
 * @module
 */

import { flagOf, type Kind, KIND_NAMES, type OptionType, SCHEDULE_KINDS } from "./kinds.ts";
import { buildSchedule } from "./recipe.ts";
import { quote } from "../schedules/validate.ts";
import {
  booleanFlag,
  type FlagSpec,
  parseFlags,
  switchFlag,
  valueFlag,
  wantsHelp,
} from "../cli/flags.ts";
import { runMain } from "../cli/main.ts";
import { UsageError } from "../cli/usage_error.ts";
import { escapeHtml } from "../util/escape_html.ts";
import { nearest } from "../schedules/nearest.ts";
import { NUMBER_PATTERN } from "../util/number_pattern.ts";
import { writeAllSync } from "../util/write_all.ts";
import { writeAtomic } from "../util/write_atomic.ts";

export { flagOf, type Kind };

/**
 * How a command-line value is read: a schedule option's value (a number, a
 * list of numbers, a choice, or a boolean `flag`), a file name, or a switch.
 */
type ValueType = "number" | "list" | "choice" | "flag" | "file" | "switch";

const VALUE_TYPES: Record<OptionType, ValueType> = {
  rate: "number",
  number: "number",
  integer: "number",
  steps: "list",
  choice: "choice",
  flag: "flag",
};

/**
 * The kinds the CLI knows, and the factory options each takes (camelCase,
 * with value type), from the shared table of `./kinds.ts`; plateau also
 * takes the CLI-only `metrics` it is fed.
 */
const SPECS = Object.fromEntries(KIND_NAMES.map((kind) => [kind, {
  ...Object.fromEntries(SCHEDULE_KINDS[kind].options.map((o) => [o.name, VALUE_TYPES[o.type]])),
  ...(kind === "plateau" ? { metrics: "list" } : {}),
}])) as Record<Kind, Record<string, ValueType>>;

/**
 * Every kind, in the order the help lists them.
 *
 * @example The kinds
 * ```ts
 * import assert from "node:assert/strict";
 * import { KINDS } from "./cli.ts";
 * assert.equal(KINDS.length, 13);
 * assert.ok(KINDS.includes("onecycle"));
 * ```
 */
export const KINDS: readonly Kind[] = KIND_NAMES;

/** Options every kind takes (camelCase), besides its own. */
const COMMON: Record<string, ValueType> = {
  steps: "number",
  json: "switch",
  plot: "file",
  // the options of `warmup()` (./kinds.ts WARMUP_OPTIONS), as --warmup-steps and so on
  warmupSteps: "number",
  warmupBeginLr: "number",
  warmupKind: "choice",
};

/** What to print or write. */
export type Output = { type: "table" } | { type: "json" } | { type: "plot"; file: string };

/** A parsed command line. */
export interface Invocation {
  /** The schedule kind. */
  kind: Kind;
  /** The kind's factory options, camelCase, with typed values (CLI-only `metrics` removed). */
  options: Record<string, number | number[] | string | boolean>;
  /** The `--metrics` of `plateau`. */
  metrics: number[] | null;
  /** Warmup options (`--warmup-*`), if any were given. */
  warmup: { steps: number; beginLr?: number; kind?: string } | null;
  /** How many steps to show (rates at 0..steps-1); `null` to derive it (plateau only). */
  steps: number | null;
  /** What to produce. */
  output: Output;
}

function parseNumber(flag: string, text: string): number {
  if (!NUMBER_PATTERN.test(text.trim())) {
    throw new UsageError(`${flag} (${quote(text)}) is not a number`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new UsageError(`${flag} (${quote(text)}) is not a finite number`);
  }
  return value;
}

/**
 * Parse a command line (without the program name).
 *
 * @param argv The arguments, e.g. `["cosine", "--base-lr", "0.3", ...]`.
 * @returns The parsed invocation; option values are typed but not yet
 *   checked against their domains (the factories do that).
 * @throws {UsageError} For a missing or unknown kind (with the nearest one),
 *   an unknown or repeated option (with the nearest one), a missing value, a
 *   value that is not a number, `--json` with `--plot`, or stray arguments.
 *
 * @example A cosine preview
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseArgs } from "./cli.ts";
 * const inv = parseArgs(["cosine", "--base-lr", "0.3", "--max-update=20", "--steps", "30"]);
 * assert.equal(inv.kind, "cosine");
 * assert.deepEqual(inv.options, { baseLr: 0.3, maxUpdate: 20 });
 * assert.equal(inv.steps, 30);
 * assert.throws(() => parseArgs(["cosin"]), /did you mean "cosine"/);
 * ```
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const [kindText, ...rest] = argv;
  if (kindText === undefined || kindText.startsWith("-")) {
    throw new UsageError(`missing KIND; kinds: ${KINDS.join(", ")}`);
  }
  if (!Object.hasOwn(SPECS, kindText)) {
    const hint = nearest(kindText, KINDS);
    throw new UsageError(
      `unknown kind ${quote(kindText)}${hint ? ` (did you mean "${hint}"?)` : ""}; kinds: ${
        KINDS.join(", ")
      }`,
    );
  }
  const kind = kindText as Kind;
  const spec: Record<string, ValueType> = { ...SPECS[kind], ...COMMON };
  const nameOf = new Map(Object.keys(spec).map((name) => [flagOf(name).slice(2), name]));
  const { flags } = parseFlags(
    rest,
    Object.fromEntries([...nameOf].map(([flag, name]) => [flag, flagSpec(spec[name])])),
    {
      unknownHint: `${kind} takes ${Object.keys(SPECS[kind]).map(flagOf).join(", ")} ` +
        `(plus --steps, --json, --plot and --warmup-*)`,
    },
  );
  const values = new Map<string, string | boolean>();
  for (const [flag, value] of Object.entries(flags)) {
    const name = nameOf.get(flag)!;
    if (value !== undefined && !(value === false && spec[name] === "switch")) {
      values.set(name, value as string | boolean);
    }
  }

  const options: Invocation["options"] = {};
  let metrics: number[] | null = null;
  for (const [name, raw] of values) {
    if (name in COMMON) continue;
    const type = spec[name];
    const flag = flagOf(name);
    if (typeof raw === "boolean") options[name] = raw;
    else if (type === "list") {
      const items = raw.split(",").filter((s) => s.trim() !== "");
      if (items.length === 0) {
        throw new UsageError(`${flag} (${quote(raw)}) needs a list like 1,2,3`);
      }
      const list = items.map((item) => parseNumber(flag, item));
      if (name === "metrics") metrics = list;
      else options[name] = list;
    } else if (type === "number") {
      options[name] = parseNumber(flag, raw);
    } else {
      options[name] = raw;
    }
  }

  const get = (name: string) => values.get(name) as string | undefined;
  const plot = get("plot");
  if (values.has("json") && plot !== undefined) {
    throw new UsageError("give --json or --plot, not both");
  }
  const output: Output = plot !== undefined
    ? { type: "plot", file: plot }
    : values.has("json")
    ? { type: "json" }
    : { type: "table" };

  const stepsText = get("steps");
  let steps: number | null = null;
  if (stepsText !== undefined) {
    steps = parseNumber("--steps", stepsText);
    if (!Number.isInteger(steps) || steps < 1 || steps > 1_000_000) {
      throw new UsageError(`--steps (${quote(steps)}) must be an integer in [1, 1000000]`);
    }
  } else if (kind !== "plateau") {
    throw new UsageError("--steps N is required");
  }

  let warm: Invocation["warmup"] = null;
  const wSteps = get("warmupSteps");
  const wBegin = get("warmupBeginLr");
  const wKind = get("warmupKind");
  if (wSteps !== undefined) {
    warm = { steps: parseNumber("--warmup-steps", wSteps) };
    if (wBegin !== undefined) warm.beginLr = parseNumber("--warmup-begin-lr", wBegin);
    if (wKind !== undefined) warm.kind = wKind;
  } else if (wBegin !== undefined || wKind !== undefined) {
    throw new UsageError("--warmup-begin-lr and --warmup-kind need --warmup-steps N");
  }
  if (kind === "plateau" && metrics === null) {
    throw new UsageError("plateau needs --metrics, e.g. --metrics 0.9,0.8,0.8,0.8");
  }
  return { kind, options, metrics, warmup: warm, steps, output };
}

/** The flag a value of `type` is given with. */
function flagSpec(type: ValueType): FlagSpec {
  if (type === "switch") return switchFlag();
  if (type === "flag") return booleanFlag();
  return valueFlag(type === "file" ? "a file name" : "a value");
}

/** Rewrite a factory's message in command-line spelling: `maxUpdate` becomes `--max-update`. */
function toFlags(message: string, names: readonly string[], rename: Record<string, string> = {}) {
  const colon = message.indexOf(": ");
  const head = colon === -1 ? "" : message.slice(0, colon + 2);
  let body = colon === -1 ? message : message.slice(colon + 2);
  for (const name of names) {
    body = body.replace(
      new RegExp(`(?<![\\w-])${name}(?![\\w])`, "g"),
      rename[name] ?? flagOf(name),
    );
  }
  return head + body;
}

function build(inv: Invocation): { rates: (n: number) => number[]; defaultSteps: number | null } {
  // cosine's warmup is its own, counted inside maxUpdate; other kinds get warmup() in front;
  // plateau replays its metrics (plateauSchedule), holding the last rate after them
  const schedule = buildSchedule({
    kind: inv.kind,
    options: inv.options,
    warmup: inv.warmup,
    ...(inv.kind === "plateau" ? { metrics: inv.metrics! } : {}),
  });
  return {
    defaultSteps: inv.kind === "plateau" ? inv.metrics!.length + (inv.warmup?.steps ?? 0) : null,
    rates: (n) => Array.from({ length: n }, (_, t) => schedule(t)),
  };
}

/**
 * The rates of a parsed invocation at steps `0 .. steps-1`.
 *
 * @param inv A parsed command line.
 * @returns The rates, each a finite number >= 0 (the library's schedules give
 *   no others, so JSON never shows a `null`).
 * @throws {UsageError} When an option is outside its domain: the factory's
 *   message, with options spelt as flags (`cosine: --warmup-steps (25) must
 *   be <= --max-update (20)`).
 *
 * @example The chapter's cosine
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeRates, parseArgs } from "./cli.ts";
 * const argv = ["cosine", "--base-lr", "0.3", "--final-lr", "0.01", "--max-update", "20", "--steps", "30"];
 * const rates = computeRates(parseArgs(argv));
 * assert.equal(rates.length, 30);
 * assert.equal(rates[0], 0.3);
 * assert.equal(rates[29], 0.01);
 * ```
 */
export function computeRates(inv: Invocation): number[] {
  const names = [...Object.keys(SPECS[inv.kind]), "warmupSteps", "warmupBeginLr"];
  let rates: number[];
  try {
    const built = build(inv);
    rates = built.rates(inv.steps ?? built.defaultSteps!);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const fromFactory = error instanceof RangeError || error instanceof TypeError;
    const prefixes = [`${inv.kind}: `, "warmup: ", "join: ", "plateauSchedule: "];
    if (fromFactory && prefixes.some((p) => error.message.startsWith(p))) {
      // plateau's options are read by plateauSchedule, which replays the metrics
      const text = error.message.replace(/^plateauSchedule: (?!metrics)/, "plateau: ");
      const message = text.startsWith("warmup: ")
        ? toFlags(text, ["steps", "beginLr", "kind"], {
          steps: "--warmup-steps",
          beginLr: "--warmup-begin-lr",
          kind: "--warmup-kind",
        })
        : toFlags(text, names);
      throw new UsageError(message);
    }
    throw error;
  }
  return rates; // finite numbers >= 0: the library's schedules give no others
}

function formatRate(rate: number): string {
  if (rate === 0) return "0";
  const abs = Math.abs(rate);
  if (abs < 1e-4 || abs >= 1e6) return rate.toExponential(4);
  return String(Number(rate.toPrecision(6)));
}

const BARS = "▁▂▃▄▅▆▇█";

/** The least and the greatest of `values`, in one pass (`Math.min(...values)` overflows the stack past about 10^5 values). */
function range(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * A one-line terminal chart of a sequence: each character is the mean of
 * its share of the sequence, scaled between the minimum and the maximum.
 *
 * @param values The sequence.
 * @param width The most characters to use.
 * @returns The sparkline (as long as `values` when that is at most `width`).
 *
 * @example A ramp
 * ```ts
 * import assert from "node:assert/strict";
 * import { sparkline } from "./cli.ts";
 * assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█");
 * assert.equal(sparkline([5, 5, 5]), "▄▄▄");
 * ```
 */
export function sparkline(values: readonly number[], width = 80): string {
  const n = Math.min(values.length, width);
  const columns: number[] = [];
  for (let c = 0; c < n; c++) {
    const from = Math.floor(c * values.length / n);
    const to = Math.max(from + 1, Math.floor((c + 1) * values.length / n));
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i];
    columns.push(sum / (to - from));
  }
  const [lo, hi] = range(values);
  return columns.map((v) => {
    if (hi === lo) return BARS[3];
    return BARS[Math.min(BARS.length - 1, Math.round((v - lo) / (hi - lo) * (BARS.length - 1)))];
  }).join("");
}

/**
 * The default output: a heading, a table of step and rate (every step up to
 * 60, else about 40 evenly spaced rows with the first and the last), and a
 * sparkline.
 *
 * @param title What the rates are, e.g. the kind.
 * @param rates The rates at steps 0, 1, ...
 * @returns The text, ending with a newline.
 *
 * @example A short table
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./cli.ts";
 * const text = renderTable("step", [0.1, 0.1, 0.05]);
 * assert.match(text, /^ +2 +0\.05$/m);
 * assert.match(text, /▇*▁$/m);
 * ```
 */
export function renderTable(title: string, rates: readonly number[]): string {
  const n = rates.length;
  let rows = Array.from({ length: n }, (_, t) => t);
  let note = "";
  if (n > 60) {
    const every = Math.ceil(n / 40);
    rows = rows.filter((t) => t % every === 0 || t === n - 1);
    note = `(one row every ${every} steps, and the last)\n`;
  }
  const stepWidth = Math.max(4, String(n - 1).length);
  const lines = rows.map((t) => `${String(t).padStart(stepWidth)}  ${formatRate(rates[t])}`);
  const [lo, hi] = range(rates);
  return [
    `${title}: ${n} steps, lr ${formatRate(rates[0])} at step 0 -> ${
      formatRate(rates[n - 1])
    } at step ${n - 1}; min ${formatRate(lo)}, max ${formatRate(hi)}`,
    `${"step".padStart(stepWidth)}  lr`,
    ...lines,
    note + sparkline(rates),
    "",
  ].join("\n");
}

/**
 * A self-contained HTML page plotting the rates with Plotly.
 *
 * @param title The chart's title.
 * @param rates The rates at steps 0, 1, ...
 * @param plotlySource The text of Plotly's browser bundle, embedded as is.
 * @returns The page.
 *
 * @example A page without network access
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotHtml } from "./cli.ts";
 * const page = plotHtml("cosine <demo>", [0.3, 0.2], "var stub = 1;");
 * assert.match(page, /^<!DOCTYPE html>/);
 * assert.ok(page.includes("cosine &lt;demo&gt;"));
 * assert.ok(!/src="http/.test(page));
 * ```
 */
export function plotHtml(title: string, rates: readonly number[], plotlySource: string): string {
  const safeScript = (code: string) => code.replace(/<\/(script)/gi, "<\\/$1");
  const data = JSON.stringify({
    x: rates.map((_, t) => t),
    y: rates,
    title,
  }).replace(/</g, "\\u003c");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<script>${safeScript(plotlySource)}</script>
</head>
<body>
<div id="plot" style="width:100%;height:90vh"></div>
<script>
const d = ${data};
Plotly.newPlot("plot", [{ x: d.x, y: d.y, mode: "lines+markers", name: "learning rate" }], {
  title: { text: d.title },
  xaxis: { title: { text: "step" } },
  yaxis: { title: { text: "learning rate" } },
});
</script>
</body>
</html>
`;
}

/**
 * Read Plotly's browser bundle from the `plotly.js-dist` npm package.
 *
 * @returns Its source text.
 * @throws {Error} When the package is not installed.
 *
 * @example Reading the bundle
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPlotly } from "./cli.ts";
 * assert.match(await readPlotly(), /plotly/i);
 * ```
 */
export async function readPlotly(): Promise<string> {
  let url: string;
  try {
    url = import.meta.resolve("plotly.js-dist");
  } catch (error) {
    throw new Error(`cannot resolve plotly.js-dist (${(error as Error).message})`);
  }
  if (!url.startsWith("file:")) {
    throw new Error(`plotly.js-dist resolved to ${url}, not a file: run \`deno install\``);
  }
  return await Deno.readTextFile(new URL(url));
}

/**
 * The usage text that `--help` prints.
 *
 * @returns The text: synopsis, kinds with their options, warmup and output options.
 *
 * @example It lists every kind
 * ```ts
 * import assert from "node:assert/strict";
 * import { KINDS, usage } from "./cli.ts";
 * for (const kind of KINDS) assert.ok(usage().includes(`  ${kind} `));
 * ```
 */
export function usage(): string {
  const kinds = KINDS.map((kind) =>
    `  ${kind.padEnd(12)}${Object.keys(SPECS[kind]).map(flagOf).join(" ")}`
  ).join("\n");
  return `Usage: deno task lr KIND [options] --steps N [--json | --plot FILE.html]

Preview a learning-rate schedule: lr(t) for t = 0 .. N-1 (the rate used for the
update that follows t completed ones).

Kinds and their options (kebab-case of the factory options):
${kinds}

Every kind also takes --warmup-steps N [--warmup-begin-lr X]
[--warmup-kind linear|constant|exponential]. For cosine these are its own
warmup options, counted inside --max-update (the chapter's form); for the
other kinds the warmup is put in front of the schedule (warmup()).
plateau prints the rate in force before each metric, then the rate the last
one left, held; --steps defaults to the number of metrics (plus any warmup). Flags
(--three-phase, --periodic) need no value, or say =true or =false.

Output: a table and a sparkline; --json prints one JSON array of N rates;
--plot FILE.html writes a self-contained Plotly chart.

Example: deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --steps 30
`;
}

/**
 * The command line of an invocation, normalised (for titles).
 *
 * @param inv A parsed command line.
 * @returns E.g. `cosine --base-lr 0.3 --max-update 20`.
 *
 * @example A title
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe, parseArgs } from "./cli.ts";
 * const inv = parseArgs(["onecycle", "--max-lr", "1", "--total-steps", "9", "--three-phase", "--steps", "9"]);
 * assert.equal(describe(inv), "onecycle --max-lr 1 --total-steps 9 --three-phase");
 * ```
 */
export function describe(inv: Invocation): string {
  const parts: string[] = [inv.kind];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === false) return;
    if (value === true) parts.push(flagOf(name));
    else parts.push(flagOf(name), Array.isArray(value) ? value.join(",") : String(value));
  };
  for (const [name, value] of Object.entries(inv.options)) add(name, value);
  if (inv.metrics) add("metrics", inv.metrics);
  if (inv.warmup) {
    add("warmupSteps", inv.warmup.steps);
    add("warmupBeginLr", inv.warmup.beginLr);
    add("warmupKind", inv.warmup.kind);
  }
  return parts.join(" ");
}

/** Where {@linkcode main} writes. */
export interface Io {
  /** Standard output. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
}

const denoIo: Io = {
  out: (text) => writeAllSync(Deno.stdout, text),
  err: (text) => writeAllSync(Deno.stderr, text),
};

/**
 * Run the CLI.
 *
 * @param argv The arguments (without the program name).
 * @param io Where to write; default the process's stdout and stderr.
 * @returns The exit code: 0 on success, 2 for bad input, 1 for anything else
 *   (for instance a file that cannot be written). Errors are one line on
 *   stderr, never a stack trace.
 *
 * @example In-process, as the tests do
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./cli.ts";
 * let out = "";
 * let err = "";
 * const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
 * assert.equal(await main(["step", "--base-lr", "1", "--step-size", "2", "--steps", "4", "--json"], io), 0);
 * assert.deepEqual(JSON.parse(out), [1, 1, 0.1, 0.1]);
 * assert.equal(await main(["cosin", "--steps", "3"], io), 2);
 * assert.match(err, /did you mean "cosine"/);
 * ```
 */
export function main(argv: readonly string[], io: Io = denoIo): Promise<number> {
  return runMain("lr", () => run(argv, io), {
    err: io.err,
    usageHint: "run `deno task lr --help` for usage",
    reportOthers: true,
  });
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(usage());
    return 0;
  }
  const inv = parseArgs(argv);
  const rates = computeRates(inv);
  if (inv.output.type === "json") {
    io.out(JSON.stringify(rates) + "\n");
  } else if (inv.output.type === "plot") {
    const page = plotHtml(describe(inv), rates, await readPlotly());
    try {
      await writeAtomic(inv.output.file, page);
    } catch (error) {
      const reason = (error as Error).message.replace(/: \w+ '[^']*'$/, "");
      throw new Error(`cannot write ${inv.output.file}: ${reason}`);
    }
    io.out(`wrote ${inv.output.file} (${rates.length} steps of ${inv.kind})\n`);
  } else {
    io.out(renderTable(inv.kind, rates));
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
