/**
 * A seeded fuzz of every factory and composition tool of the package: options
 * taken from a working example and changed one to three at a time, to values
 * from pools of ordinary, huge, subnormal, negative, non-finite and wrongly
 * typed values, arrays with holes, unsorted or very long, unknown option names
 * and options that are not objects; then every schedule made is called at
 * steps from 0 to `Number.MAX_VALUE`, subnormal and fractional ones included,
 * and at steps that are not steps. The rule checked is the library's promise:
 *
 * - a factory either makes its schedule or throws its own `TypeError` or
 *   `RangeError`, whose message starts with the factory's name and names the
 *   option (or argument) at fault;
 * - a schedule gives a finite number >= 0 at every valid step, and refuses an
 *   invalid step with its own error; a composition tool (warmup, join, scale,
 *   multiply, custom) may also refuse, with its own error, a rate a function
 *   it wraps returns or a product that passes the largest number.
 *
 * The same seed gives the same cases: a failure names the case to replay.
 *
 * @module
 */

import assert from "node:assert/strict";
import { mulberry32 } from "../train/rng.ts";
import * as lib from "./mod.ts";
import type { Schedule } from "./types.ts";
import { quote } from "./validate.ts";

const SEED = 20261201;
const CASES = 12_000;

type Options = Record<string, unknown>;

/** A working example of each factory's options. */
const EXAMPLES: Record<string, Options> = {
  constant: { baseLr: 0.1 },
  sqrt: { baseLr: 0.1 },
  factor: { baseLr: 2, factor: 0.9, stopFactorLr: 0.01 },
  step: { baseLr: 0.1, stepSize: 10, gamma: 0.5 },
  multifactor: { baseLr: 0.5, milestones: [15, 30], factor: 0.5 },
  piecewiseConstant: { boundaries: [10, 20], values: [0.1, 0.05, 0.01] },
  piecewiseLinear: { boundaries: [0, 10, 50], values: [0, 0.1, 0] },
  exponential: { baseLr: 0.1, gamma: 0.9 },
  inverseTime: { baseLr: 0.1, decayRate: 0.5, decaySteps: 10 },
  cosine: { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 },
  sgdr: { baseLr: 0.1, finalLr: 0.001, t0: 10, tMult: 2 },
  linear: { startLr: 0.01, endLr: 0.1, maxUpdate: 5 },
  poly: { baseLr: 0.1, maxUpdate: 40, power: 2 },
  onecycle: { maxLr: 0.3, totalSteps: 100 },
  onecycleMomentum: { maxLr: 0.3, totalSteps: 100, baseMomentum: 0.85 },
  cyclic: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 },
  cyclicMomentum: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, maxMomentum: 0.95 },
  plateau: { baseLr: 0.1, patience: 2 },
};

/** Each factory's option names, read from its own "unknown option" message. */
const NAMES: Record<string, string[]> = Object.fromEntries(
  Object.keys(EXAMPLES).map((name) => {
    const factory = (lib as unknown as Record<string, (o: unknown) => unknown>)[name];
    try {
      factory({ zzUnknown: 1 });
    } catch (error) {
      const known = (error as Error).message.match(/known options: (.*)$/)?.[1];
      if (known) return [name, known.split(", ")];
    }
    throw new Error(`${name}: cannot read its option names`);
  }),
);

const CHOICES: Record<string, readonly string[]> = {
  mode: ["min", "max", "triangular", "triangular2", "exp_range"],
  anneal: ["cos", "linear"],
  thresholdMode: ["rel", "abs"],
  style: ["pytorch", "keras"],
  kind: ["linear", "constant", "exponential"],
};

const NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  2,
  3,
  5,
  10,
  20,
  100,
  1000,
  0.5,
  0.9,
  0.99,
  0.1,
  0.01,
  1e-4,
  1.5,
  2.5,
  1e9,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e15,
  1e100,
  1e300,
  1e307,
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e-310,
  2 ** -1022,
  1e-300,
  -1,
  -0.5,
  -1e-300,
  -Number.MIN_VALUE,
  -Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
];

const ODD: readonly unknown[] = [
  "0.1",
  "",
  "min",
  null,
  undefined,
  true,
  false,
  {},
  [],
  [1, 2],
  () => 0.1,
  3n,
  Symbol("x"),
  new Date(0),
  Object.create({ baseLr: 1 }),
];

const VALID_STEPS: readonly number[] = [
  0,
  -0,
  Number.MIN_VALUE,
  1e-300,
  0.5,
  1,
  2.5,
  4,
  5,
  7,
  9.999,
  10,
  19,
  20,
  21,
  29,
  99,
  100,
  101,
  1e4 + 0.5,
  1e6,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e15 + 0.5,
  1e100,
  1e300,
  1e308,
  Number.MAX_VALUE,
];

const BAD_STEPS: readonly unknown[] = [
  -1,
  -Number.MIN_VALUE,
  NaN,
  Infinity,
  -Infinity,
  "3",
  null,
  undefined,
  3n,
];

/** Words an error message may name its culprit by, besides the options' own names. */
const ARGUMENTS = [
  "options",
  "unknown option",
  "step",
  "schedule",
  "schedules",
  "boundaries",
  "by",
  "rate",
  "metrics",
  "metric",
  "state",
  "start",
  "values",
  "milestones",
  "lr",
  "best",
  "numBadEpochs",
  "cooldownCounter",
  "epochs",
  "kind",
  "config",
  "momentum",
];

const random = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const chance = (p: number) => random() < p;

function randomNumber(): number {
  if (chance(0.6)) return pick(NUMBERS);
  if (chance(0.5)) return Math.floor(random() * 200);
  return random() * 10 ** (Math.floor(random() * 40) - 20);
}

function randomList(forValues: boolean): unknown {
  const roll = random();
  if (roll < 0.05) return new Array(2 ** 32 - 1); // the longest array, all holes
  if (roll < 0.15) {
    const list: unknown[] = [randomNumber(), randomNumber(), randomNumber()];
    delete list[Math.floor(random() * 3)]; // a hole
    return list;
  }
  const length = chance(0.1) ? 1000 : Math.floor(random() * 5);
  const list = Array.from({ length }, () => (chance(0.9) ? randomNumber() : pick(ODD)));
  if (!forValues && chance(0.6)) {
    // sorted, positive integers, as milestones and boundaries want
    const numbers = list.filter((x): x is number => typeof x === "number");
    const steps = [...new Set(numbers.map((x) => Math.abs(Math.floor(x)) || 1))];
    return steps.filter(Number.isFinite).sort((a, b) => a - b);
  }
  return list;
}

/** A value for option `name`: usually of the right sort, sometimes anything at all. */
function randomValue(name: string): unknown {
  if (chance(0.1)) return pick(ODD);
  if (Object.hasOwn(CHOICES, name)) return chance(0.8) ? pick(CHOICES[name]) : "zz";
  if (["periodic", "threePhase", "staircase"].includes(name)) return chance(0.8) ? chance(0.5) : 1;
  if (["milestones", "boundaries"].includes(name)) return randomList(false);
  if (name === "values") return randomList(true);
  return randomNumber();
}

function randomOptions(factory: string): unknown {
  if (chance(0.02)) return pick([null, undefined, 0.1, "options", [], () => ({})]);
  const options: Options = { ...EXAMPLES[factory] };
  if (factory.startsWith("piecewise") && chance(0.5)) {
    // boundaries and values that agree in number, the values from the pools
    const n = Math.floor(random() * 6);
    const steps = new Set(Array.from({ length: n }, () => 1 + Math.floor(random() * 200)));
    const boundaries = [...steps].sort((a, b) => a - b);
    options.boundaries = boundaries;
    const count = boundaries.length + (factory === "piecewiseConstant" ? 1 : 0);
    options.values = Array.from({ length: count }, () => Math.abs(randomNumber()));
    return options;
  }
  for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
    const name = chance(0.05)
      ? pick(["zzUnknown", "base_lr", "lr", "__proto__"])
      : pick(NAMES[factory]);
    if (chance(0.1)) delete options[name];
    else options[name] = randomValue(name);
  }
  return options;
}

/** A case's options, for a failure's message. */
function show(options: unknown): string {
  if (typeof options !== "object" || options === null) return quote(options);
  const proto = Object.getPrototypeOf(options) === Object.prototype ? "" : " (prototype changed)";
  return `{ ${
    Object.entries(options).map(([k, v]) =>
      `${k}: ${Array.isArray(v) ? `array(${v.length})` : quote(v)}`
    ).join(", ")
  } }${proto}`;
}

/** Assert `error` is the library's own: a TypeError or RangeError from `name`, naming its culprit. */
function assertOwn(error: unknown, name: string, known: readonly string[], what: string): void {
  assert.ok(
    error instanceof TypeError || error instanceof RangeError,
    `${what}: threw ${error instanceof Error ? error.name : typeof error}: ${String(error)}`,
  );
  const { message } = error as Error;
  assert.ok(message.startsWith(`${name}: `), `${what}: message "${message}"`);
  const words = [...known, ...ARGUMENTS];
  assert.ok(words.some((w) => message.includes(w)), `${what}: "${message}" names no culprit`);
  assert.ok(!/undefined is not|Cannot read|is not a function|Maximum call stack/.test(message));
}

function attempt<T>(make: () => T, name: string, known: readonly string[], what: string): T | null {
  try {
    return make();
  } catch (error) {
    assertOwn(error, name, known, what);
    return null;
  }
}

/** Call a schedule at every step of the pools; `wraps` lets it refuse a rate it did not make. */
function exercise(schedule: Schedule, name: string, what: string, wraps: boolean): number {
  let calls = 0;
  const steps = [...VALID_STEPS, pick(VALID_STEPS) * random(), Math.floor(random() * 1e6)];
  for (const t of steps) {
    calls++;
    let rate: number;
    try {
      rate = schedule(t);
    } catch (error) {
      if (!wraps) throw new Error(`${what}: step ${quote(t)} threw ${error}`);
      assertOwn(error, name, [], `${what} at step ${quote(t)}`);
      continue;
    }
    assert.ok(
      typeof rate === "number" && rate >= 0 && rate <= Number.MAX_VALUE,
      `${what}: step ${quote(t)} gave ${quote(rate)}`,
    );
  }
  for (const t of BAD_STEPS) {
    calls++;
    try {
      schedule(t as number);
    } catch (error) {
      assertOwn(error, name, ["step"], `${what} at bad step ${quote(t)}`);
      continue;
    }
    assert.fail(`${what}: bad step ${quote(t)} was accepted`);
  }
  return calls;
}

/** Functions that are not the library's schedules: some behave, some return what no rate is. */
const FOREIGN: readonly ((t: number) => unknown)[] = [
  () => 0.1,
  (t) => 1 / (1 + t),
  () => -1,
  () => NaN,
  () => Infinity,
  () => "0.1",
  () => undefined,
  (t) => (t < 10 ? 0.1 : -0.1),
  () => Number.MAX_VALUE,
  () => Number.MIN_VALUE,
];

Deno.test(`fuzz: ${CASES} seeded cases of every factory and composition tool keep the library's promise`, () => {
  const started = performance.now();
  const made: Schedule[] = [];
  const counts: Record<string, { cases: number; made: number }> = {};
  let calls = 0;
  const factories = [
    ...Object.keys(EXAMPLES),
    "warmup",
    "join",
    "scale",
    "multiply",
    "custom",
    "plateauSchedule",
    "plateauRates",
    "updatePlateau",
    "restorePlateau",
  ];
  for (let i = 0; i < CASES; i++) {
    const name = factories[i % factories.length];
    let what = `case ${i} (${name})`;
    const count = counts[name] ??= { cases: 0, made: 0 };
    count.cases++;
    const inner = (): unknown =>
      chance(0.7) && made.length > 0 ? pick(made) : chance(0.8) ? pick(FOREIGN) : pick(ODD);
    let result: unknown = null;
    if (name in EXAMPLES) {
      const factory = (lib as unknown as Record<string, (o: unknown) => unknown>)[name];
      const options = randomOptions(name);
      what = `${what} ${show(options)}`;
      result = attempt(() => factory(options), name, NAMES[name], what);
    } else if (name === "warmup") {
      const options = { steps: pick([0, 1, 5, 1e9, 2.5, -1]), beginLr: randomValue("beginLr") };
      if (chance(0.6)) Object.assign(options, { kind: randomValue("kind") });
      result = attempt(() => lib.warmup(inner() as Schedule, options as never), name, [
        "steps",
        "beginLr",
        "kind",
      ], what);
    } else if (name === "join" || name === "multiply") {
      const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, inner);
      if (chance(0.1)) delete parts[Math.floor(random() * parts.length)];
      const bounds = chance(0.8)
        ? Array.from({ length: parts.length - 1 }, (_, k) => (k + 1) * pick([1, 5, 10, 1e15]))
        : randomList(false);
      result = attempt(
        () => (name === "join"
          ? lib.join(parts as Schedule[], bounds as number[])
          : lib.multiply(parts as Schedule[])),
        name,
        [],
        what,
      );
    } else if (name === "scale") {
      result = attempt(() => lib.scale(inner() as Schedule, randomNumber()), name, [], what);
    } else if (name === "custom") {
      result = attempt(() => lib.custom(inner() as (t: number) => number), name, [], what);
    } else {
      const options = randomOptions("plateau");
      const metrics = chance(0.8)
        ? Array.from({ length: Math.floor(random() * 30) }, randomNumber)
        : randomList(true);
      if (name === "plateauSchedule") {
        result = attempt(() => lib.plateauSchedule(options as never, metrics as number[]), name, [
          ...NAMES.plateau,
        ], what);
      } else {
        const state = attempt(() => lib.plateau(options as never), "plateau", NAMES.plateau, what);
        if (state !== null) {
          let s = state;
          for (let k = 0; k < 20; k++) s = lib.updatePlateau(s, Math.floor(random() * 3) / 2);
          const changed: Record<string, unknown> = JSON.parse(JSON.stringify(s));
          const field = pick([
            "lr",
            "best",
            "numBadEpochs",
            "cooldownCounter",
            "epochs",
            "kind",
            "config",
          ]);
          if (chance(0.5)) {
            changed[field] = field === "config"
              ? randomOptions("plateau")
              : pick([...NUMBERS, ...ODD]);
          }
          const known = [...NAMES.plateau];
          if (name === "plateauRates") {
            const rates = attempt(
              () =>
                lib.plateauRates(
                  chance(0.5) ? changed as never : options as never,
                  metrics as number[],
                ),
              name,
              known,
              what,
            );
            if (rates !== null) {
              count.made++;
              for (const r of rates) assert.ok(r >= 0 && r <= Number.MAX_VALUE, `${what}: ${r}`);
            }
          } else if (name === "updatePlateau") {
            const next = attempt(
              () =>
                lib.updatePlateau(
                  changed as never,
                  (chance(0.7) ? random() : pick([...NUMBERS, ...ODD])) as number,
                ),
              name,
              known,
              what,
            );
            if (next !== null) {
              count.made++;
              assert.ok(next.lr >= 0 && next.lr <= next.config.baseLr, `${what}: lr ${next.lr}`);
            }
          } else {
            const restored = attempt(() => lib.restorePlateau(changed), name, known, what);
            if (restored !== null) count.made++;
          }
        }
      }
    }
    if (name === "plateau" && result !== null) {
      count.made++;
      const state = result as lib.PlateauState;
      assert.ok(state.lr >= 0 && state.lr <= Number.MAX_VALUE, `${what}: lr ${state.lr}`);
    }
    if (typeof result === "function") {
      count.made++;
      const wraps = ["warmup", "join", "scale", "multiply", "custom"].includes(name);
      calls += exercise(result as Schedule, name, what, wraps);
      if (!wraps) made.push(result as Schedule);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = Object.entries(counts).map(([n, c]) => `${n} ${c.made}/${c.cases}`).join(", ");
  console.log(
    `fuzz: ${CASES} cases, ${calls} schedule calls in ${
      seconds.toFixed(2)
    } s (made/tried: ${summary})`,
  );
  for (const [n, c] of Object.entries(counts)) {
    // every factory is exercised, not only refused: a tenth of its cases at least succeed
    assert.ok(c.made > c.cases / 10, `${n}: only ${c.made} of ${c.cases} succeeded`);
  }
  assert.ok(seconds < 20, `the fuzz took ${seconds.toFixed(1)} s`);
});
