import assert from "node:assert/strict";
import { REFERENCE_URL } from "../schedules/_reference.ts";
import {
  computeRates,
  describe,
  flagOf,
  type Io,
  KINDS,
  main,
  parseArgs,
  renderTable,
  sparkline,
} from "./cli.ts";
import { UsageError } from "../cli/usage_error.ts";
import {
  constant,
  cosine,
  cyclic,
  exponential,
  factor,
  linear,
  multifactor,
  onecycle,
  plateauRates,
  poly,
  sgdr,
  sqrt,
  step,
  warmup,
} from "../schedules/mod.ts";
import type { Schedule } from "../schedules/types.ts";

const reference = JSON.parse(
  await Deno.readTextFile(REFERENCE_URL),
) as Record<"d2l_chapter_schedulers" | "torch_schedulers", Entry[]>;

interface Entry {
  label: string;
  lrs: number[];
  metrics?: number[];
}

const entry = (label: string): Entry =>
  [...reference.d2l_chapter_schedulers, ...reference.torch_schedulers].find((e) =>
    e.label === label
  )!;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

const rates = (...argv: string[]) => computeRates(parseArgs(argv));
const first = (schedule: Schedule, n: number) => Array.from({ length: n }, (_, t) => schedule(t));

/**
 * A command line for every kind but plateau (which needs metrics; tested on its own below),
 * its options spelt in kebab-case (`--max-update` for `maxUpdate`), with the factory call it
 * must build.
 */
const SPELLINGS: Array<[string[], Schedule]> = [
  [["constant", "--base-lr", "0.1"], constant({ baseLr: 0.1 })],
  [["sqrt", "--base-lr", "0.1"], sqrt({ baseLr: 0.1 })],
  [
    ["factor", "--base-lr", "2", "--factor", "0.9", "--stop-factor-lr", "0.01"],
    factor({ baseLr: 2, factor: 0.9, stopFactorLr: 0.01 }),
  ],
  [
    ["step", "--base-lr", "0.1", "--step-size", "10", "--gamma", "0.5"],
    step({ baseLr: 0.1, stepSize: 10, gamma: 0.5 }),
  ],
  [
    ["multifactor", "--base-lr", "0.5", "--milestones", "15,30", "--factor", "0.5"],
    multifactor({ baseLr: 0.5, milestones: [15, 30], factor: 0.5 }),
  ],
  [["exponential", "--base-lr", "0.1", "--gamma", "0.9"], exponential({ baseLr: 0.1, gamma: 0.9 })],
  [
    ["cosine", "--base-lr", "0.3", "--final-lr", "0.01", "--max-update", "20"],
    cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 }),
  ],
  [
    ["sgdr", "--base-lr", "0.1", "--final-lr", "0.001", "--t0", "10", "--t-mult", "2"],
    sgdr({ baseLr: 0.1, finalLr: 0.001, t0: 10, tMult: 2 }),
  ],
  [
    ["linear", "--start-lr", "0.01", "--end-lr", "0.1", "--max-update", "5"],
    linear({ startLr: 0.01, endLr: 0.1, maxUpdate: 5 }),
  ],
  [
    ["poly", "--base-lr", "0.1", "--final-lr", "0.01", "--max-update", "30", "--power", "2"],
    poly({ baseLr: 0.1, finalLr: 0.01, maxUpdate: 30, power: 2 }),
  ],
  [
    ["onecycle", "--max-lr", "0.5", "--total-steps", "60"],
    onecycle({ maxLr: 0.5, totalSteps: 60 }),
  ],
  [
    [
      "onecycle",
      "--max-lr",
      "0.5",
      "--total-steps",
      "60",
      "--pct-start",
      "0.25",
      "--div-factor",
      "10",
      "--final-div-factor",
      "100",
      "--anneal",
      "linear",
      "--three-phase",
    ],
    onecycle({
      maxLr: 0.5,
      totalSteps: 60,
      pctStart: 0.25,
      divFactor: 10,
      finalDivFactor: 100,
      anneal: "linear",
      threePhase: true,
    }),
  ],
  [
    ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "5"],
    cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 }),
  ],
  [
    [
      "cyclic",
      "--base-lr",
      "0.01",
      "--max-lr",
      "0.1",
      "--step-size-up",
      "4",
      "--step-size-down",
      "6",
      "--mode",
      "exp_range",
      "--gamma",
      "0.99",
    ],
    cyclic({
      baseLr: 0.01,
      maxLr: 0.1,
      stepSizeUp: 4,
      stepSizeDown: 6,
      mode: "exp_range",
      gamma: 0.99,
    }),
  ],
];

Deno.test("cli: the kebab-case options of every kind build the same schedule as the factory", () => {
  for (const [argv, schedule] of SPELLINGS) {
    assert.deepEqual(rates(...argv, "--steps", "70"), first(schedule, 70), argv.join(" "));
  }
  const kinds = new Set(SPELLINGS.map(([argv]) => argv[0]));
  assert.deepEqual([...kinds, "plateau"].sort(), [...KINDS].sort());
});

Deno.test("cli: the chapter's curve, and onecycle with PyTorch's defaults", () => {
  const chapter = rates(
    "cosine",
    "--base-lr",
    "0.3",
    "--final-lr",
    "0.01",
    "--max-update",
    "20",
    "--steps",
    "30",
  );
  assert.equal(chapter.length, 30);
  const expected = entry("d2l_CosineScheduler_T20_0.3_to_0.01").lrs;
  chapter.forEach((v, t) => assert.ok(Math.abs(v - expected[t]) <= 1e-12, `step ${t}`));
  const cycle = rates("onecycle", "--max-lr", "0.5", "--total-steps", "60", "--steps", "60");
  const torch = entry("OneCycleLR_cos").lrs;
  cycle.forEach((v, t) => assert.ok(Math.abs(v - torch[t]) <= 1e-6 * torch[t], `step ${t}`));
});

Deno.test("cli: plateau gives one rate per metric; --steps defaults to their number", () => {
  const e = entry("ReduceLROnPlateau_cooldown2_abs");
  const args = [
    "plateau",
    "--base-lr",
    "0.1",
    "--mode",
    "min",
    "--factor",
    "0.1",
    "--patience",
    "2",
    "--threshold",
    "0.005",
    "--threshold-mode",
    "abs",
    "--cooldown",
    "2",
    "--min-lr",
    "1e-5",
    "--metrics",
    e.metrics!.join(","),
  ];
  const all = rates(...args);
  assert.equal(all.length, e.metrics!.length);
  all.forEach((v, t) => assert.ok(Math.abs(v - e.lrs[t]) <= 1e-6 * e.lrs[t], `step ${t}`));
  assert.deepEqual(rates(...args, "--steps", "10"), all.slice(0, 10));
  // with --steps left out, one rate per metric; past the last metric, the rate it left is held
  const small = ["plateau", "--base-lr", "1", "--patience", "0", "--factor", "0.5"];
  const smallRates = plateauRates({ baseLr: 1, patience: 0, factor: 0.5 }, [3, 2, 2, 2, 0]);
  assert.deepEqual(rates(...small, "--metrics", "3,2,2,2"), smallRates.slice(0, 4));
  assert.deepEqual(rates(...small, "--metrics", "3,2,2,2", "--steps", "7").slice(4), [
    smallRates[4],
    smallRates[4],
    smallRates[4],
  ]);
});

Deno.test("cli: --warmup-* works for every kind", () => {
  for (const [argv, schedule] of SPELLINGS) {
    if (argv[0] === "cosine") continue;
    const got = rates(
      ...argv,
      "--warmup-steps",
      "4",
      "--warmup-begin-lr",
      "0.001",
      "--steps",
      "40",
    );
    assert.deepEqual(got, first(warmup(schedule, { steps: 4, beginLr: 0.001 }), 40), argv[0]);
    const exp = rates(
      ...argv,
      "--warmup-steps",
      "3",
      "--warmup-begin-lr",
      "0.001",
      "--warmup-kind",
      "exponential",
      "--steps",
      "40",
    );
    assert.deepEqual(
      exp,
      first(warmup(schedule, { steps: 3, beginLr: 0.001, kind: "exponential" }), 40),
      argv[0],
    );
  }
  // plateau: the ramp, then one rate per metric
  assert.deepEqual(
    rates("plateau", "--base-lr", "1", "--metrics", "1,1", "--warmup-steps", "2"),
    [0, 0.5, 1, 1],
  );
  // cosine: its own warmup, inside --max-update, as in the chapter
  const cos = ["cosine", "--base-lr", "0.3", "--final-lr", "0.01", "--max-update", "20"];
  const chapter = entry("d2l_CosineScheduler_T20_warmup5_0.3_to_0.01").lrs;
  const warm = rates(...cos, "--warmup-steps", "5", "--steps", "60");
  warm.forEach((v, t) => assert.ok(Math.abs(v - chapter[t]) <= 1e-12, `step ${t}`));
  const constantRamp = rates(
    ...cos,
    "--warmup-steps",
    "5",
    "--warmup-begin-lr",
    "0.05",
    "--warmup-kind",
    "constant",
    "--steps",
    "30",
  );
  assert.deepEqual(constantRamp.slice(0, 5), [0.05, 0.05, 0.05, 0.05, 0.05]);
  assert.deepEqual(constantRamp.slice(5), warm.slice(5, 30));
  const whole = rates(
    ...cos,
    "--warmup-steps",
    "20",
    "--warmup-begin-lr",
    "0.1",
    "--warmup-kind",
    "exponential",
    "--steps",
    "22",
  );
  assert.ok(Math.abs(whole[10] - 0.1 * 3 ** 0.5) < 1e-12);
  assert.deepEqual(whole.slice(20), [0.01, 0.01]);
});

Deno.test("cli: --json prints exactly one JSON array of N numbers and nothing else", async () => {
  const r = await run(
    "step",
    "--base-lr",
    "1",
    "--step-size",
    "2",
    "--gamma",
    "0.5",
    "--steps",
    "5",
    "--json",
  );
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  assert.equal(r.out, "[1,1,0.5,0.5,0.25]\n");
  const parsed = JSON.parse(r.out);
  assert.ok(Array.isArray(parsed) && parsed.length === 5);
});

Deno.test("cli: the default output is a table and a sparkline", async () => {
  const r = await run(
    "cosine",
    "--base-lr",
    "0.3",
    "--final-lr",
    "0.01",
    "--max-update",
    "20",
    "--steps",
    "30",
  );
  assert.equal(r.code, 0);
  assert.equal(r.err, "");
  const lines = r.out.trimEnd().split("\n");
  assert.match(lines[0], /^cosine: 30 steps, lr 0\.3 at step 0 -> 0\.01 at step 29/);
  assert.match(lines[1], /step +lr/);
  assert.equal(lines.length, 2 + 30 + 1);
  assert.match(lines[2], /^ +0 +0\.3$/);
  assert.match(lines[12], /^ +10 +0\.155$/);
  assert.match(lines.at(-1)!, /^█[▁-█]{28}▁$/);
  // long runs are sampled
  const long = renderTable("x", Array.from({ length: 1000 }, (_, t) => t));
  assert.match(long, /one row every 25 steps, and the last/);
  assert.match(long, /^ 999 {2}999$/m);
  assert.equal(sparkline(Array.from({ length: 1000 }, (_, t) => t)).length, 80);
});

Deno.test("cli: --plot writes one self-contained Plotly page, atomically", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/cosine.html`;
  await Deno.writeTextFile(file, "old");
  const r = await run(
    "cosine",
    "--base-lr",
    "0.3",
    "--max-update",
    "20",
    "--steps",
    "25",
    "--plot",
    file,
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote .*cosine\.html \(25 steps of cosine\)/);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["cosine.html"]); // no temp file left
  const page = await Deno.readTextFile(file);
  assert.match(page, /^<!DOCTYPE html>/);
  assert.ok(page.includes("plotly.js v3"), "the Plotly bundle is embedded");
  assert.ok(!/<script[^>]+src=/i.test(page), "no external script");
  assert.ok(page.includes('"title":"cosine --base-lr 0.3 --max-update 20"'));
  assert.ok(
    page.includes(
      `"y":${
        JSON.stringify(rates("cosine", "--base-lr", "0.3", "--max-update", "20", "--steps", "25"))
      }`,
    ),
  );
  const plotTo = (target: string) =>
    run("constant", "--base-lr", "1", "--steps", "2", "--plot", target);
  // a missing directory is created, as `deno task chapter --json` does
  const nested = await plotTo(`${dir}/a/b.html`);
  assert.equal(nested.code, 0, nested.err);
  assert.match(await Deno.readTextFile(`${dir}/a/b.html`), /^<!DOCTYPE html>/);
  await Deno.remove(`${dir}/a`, { recursive: true });
  // an unwritable target (under a file): exit 1, a one-line message, the old file untouched,
  // no temp file
  const bad = await plotTo(`${file}/x.html`);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim().split("\n").length, 1);
  assert.match(bad.err, /^lr: cannot write .*cosine\.html\/x\.html: /);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["cosine.html"]);
  assert.match(await Deno.readTextFile(file), /^<!DOCTYPE html>/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: bad input is one message naming the problem, exit 2", async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /missing KIND; kinds: constant, sqrt/],
    [
      ["cosin", "--steps", "3"],
      /unknown kind "cosin" \(did you mean "cosine"\?\); kinds: constant, /,
    ],
    [["onecylce"], /did you mean "onecycle"/],
    [["zzz"], /^lr: unknown kind "zzz"; kinds: /],
    [
      ["cosine", "--base-LR", "1", "--steps", "3"],
      /unknown flag --base-LR \(did you mean --base-lr\?\); cosine takes --base-lr/,
    ],
    [
      ["cosine", "--t0", "1", "--steps", "3"],
      /unknown flag --t0; cosine takes --base-lr/,
    ],
    [["cosine", "--base-lr", "abc", "--steps", "3"], /--base-lr \("abc"\) is not a number/],
    [
      ["cosine", "--base-lr", "-1", "--max-update", "5", "--steps", "3"],
      /cosine: --base-lr \(-1\) must be >= 0/,
    ],
    [
      ["cosine", "--base-lr", "0.3", "--max-update", "20", "--warmup-steps", "25", "--steps", "3"],
      /cosine: --warmup-steps \(25\) must be <= --max-update \(20\)/,
    ],
    [["cosine", "--base-lr", "0.3", "--steps", "3"], /cosine: --max-update is required/],
    [
      ["step", "--base-lr", "1", "--step-size", "2.5", "--steps", "3"],
      /step: --step-size \(2\.5\) must be an integer/,
    ],
    [
      ["factor", "--base-lr", "1", "--factor", "1.5", "--steps", "3"],
      /factor: --factor \(1\.5\) must be in \(0, 1\]/,
    ],
    [
      ["multifactor", "--base-lr", "1", "--milestones", "30,15", "--steps", "3"],
      /--milestones \(\[30,15\]\) must be strictly increasing/,
    ],
    [
      ["multifactor", "--base-lr", "1", "--milestones", "3,x", "--steps", "3"],
      /--milestones \("x"\) is not a number/,
    ],
    [
      ["cyclic", "--base-lr", "1", "--max-lr", "0.5", "--steps", "3"],
      /cyclic: --base-lr \(1\) must be <= --max-lr \(0\.5\)/,
    ],
    [
      ["onecycle", "--max-lr", "1", "--total-steps", "9", "--anneal", "cosine", "--steps", "3"],
      /--anneal \("cosine"\) must be one of "cos", "linear"/,
    ],
    [
      ["onecycle", "--max-lr", "1", "--total-steps", "9", "--three-phase=maybe", "--steps", "3"],
      /--three-phase must be true or false \(or no value\), got "maybe"/,
    ],
    [["plateau", "--base-lr", "1", "--steps", "3"], /plateau needs --metrics/],
    [["plateau", "--base-lr", "1", "--metrics", "1,NaN"], /--metrics \("NaN"\) is not a number/],
    [
      ["plateau", "--base-lr", "1", "--metrics", "1,2", "--threshold-mode", "ab"],
      /--threshold-mode \("ab"\) must be one of "rel", "abs"/,
    ],
    [["constant", "--base-lr", "1"], /--steps N is required/],
    [
      ["constant", "--base-lr", "1e999", "--steps", "3"],
      /--base-lr \("1e999"\) is not a finite number/,
    ],
    [
      ["constant", "--base-lr", "1", "--steps", "0"],
      /--steps \(0\) must be an integer in \[1, 1000000\]/,
    ],
    [["constant", "--base-lr", "1", "--steps", "2.5"], /--steps \(2\.5\) must be an integer/],
    [["constant", "--base-lr", "--steps", "3"], /--base-lr needs a value/],
    [
      ["constant", "--base-lr", "1", "--base-lr", "2", "--steps", "3"],
      /--base-lr given twice/,
    ],
    [
      ["constant", "--base-lr", "1", "--steps", "3", "--json", "--plot", "a.html"],
      /give --json or --plot, not both/,
    ],
    [["constant", "--base-lr", "1", "--steps", "3", "extra"], /unexpected argument "extra"/],
    [
      ["constant", "--base-lr", "1", "--steps", "3", "--warmup-kind", "linear"],
      /need --warmup-steps/,
    ],
    [[
      "poly",
      "--base-lr",
      "1",
      "--max-update",
      "5",
      "--warmup-steps",
      "2",
      "--warmup-kind",
      "exp",
      "--steps",
      "3",
    ], /--warmup-kind \("exp"\) must be one of "linear", "constant", "exponential"/],
    [
      ["poly", "--base-lr", "1", "--max-update", "5", "--warmup-steps", "-2", "--steps", "3"],
      /warmup: --warmup-steps \(-2\) must be >= 0/,
    ],
  ];
  for (const [argv, pattern] of cases) {
    const r = await run(...argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: exit ${r.code}, ${r.err}`);
    assert.equal(r.out, "", argv.join(" "));
    assert.match(r.err, pattern, argv.join(" "));
    assert.match(r.err, /^lr: [^\n]+\nrun `deno task lr --help` for usage\n$/, argv.join(" "));
  }
});

Deno.test("cli: --help lists every kind and its options", async () => {
  const r = await run("--help");
  assert.equal(r.code, 0);
  for (const kind of KINDS) assert.match(r.out, new RegExp(`^  ${kind} `, "m"));
  assert.ok(r.out.includes("--step-size-up"));
  assert.ok(r.out.includes("--warmup-kind linear|constant|exponential"));
});

Deno.test("cli: parse helpers", () => {
  assert.equal(flagOf("finalDivFactor"), "--final-div-factor");
  assert.equal(flagOf("thresholdMode"), "--threshold-mode");
  const inv = parseArgs(["multifactor", "--base-lr=0.5", "--milestones=15,30", "--steps", "3"]);
  assert.deepEqual(inv.options, { baseLr: 0.5, milestones: [15, 30] });
  assert.equal(describe(inv), "multifactor --base-lr 0.5 --milestones 15,30");
  assert.ok(new UsageError("x") instanceof Error);
  assert.deepEqual(parseArgs(["cosine", "--periodic=false", "--steps", "1"]).options, {
    periodic: false,
  });
});

async function subprocess(...args: string[]) {
  const cli = new URL("./cli.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("cli: as a real process: exit codes, stdout and stderr", async () => {
  const bad = await subprocess("cosin", "--steps", "3");
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^lr: unknown kind "cosin" \(did you mean "cosine"\?\)/);
  assert.ok(!/\n\s+at /.test(bad.stderr) && !/Stack|Error:/.test(bad.stderr), "no stack trace");

  const badValue = await subprocess(
    "cosine",
    "--base-lr",
    "0.3",
    "--max-update",
    "20",
    "--warmup-steps",
    "25",
    "--steps",
    "3",
  );
  assert.equal(badValue.code, 2);
  assert.equal(
    badValue.stderr.split("\n")[0],
    "lr: cosine: --warmup-steps (25) must be <= --max-update (20)",
  );

  const ok = await subprocess(
    "cosine",
    "--base-lr",
    "0.3",
    "--final-lr",
    "0.01",
    "--max-update",
    "20",
    "--steps",
    "30",
    "--json",
  );
  assert.equal(ok.code, 0);
  assert.equal(ok.stderr, "");
  const values = JSON.parse(ok.stdout);
  assert.equal(values.length, 30);
  assert.equal(values[0], 0.3);
  assert.equal(values[29], 0.01);
});

Deno.test("cli: survives the largest --steps, in the table and as JSON", async () => {
  const argv = ["cosine", "--base-lr", "0.3", "--final-lr", "0.01", "--max-update", "500000"];
  const table = await run(...argv, "--steps", "1000000");
  assert.equal(table.code, 0, table.err);
  assert.match(
    table.out,
    /^cosine: 1000000 steps, lr 0\.3 at step 0 -> 0\.01 at step 999999; min 0\.01, max 0\.3$/m,
  );
  const json = await run(...argv, "--steps", "500000", "--json");
  assert.equal(json.code, 0, json.err);
  assert.equal(JSON.parse(json.out).length, 500000);
  assert.equal(sparkline(Array.from({ length: 300_000 }, (_, i) => i)).length, 80);
});

Deno.test("cli: Object.prototype's names are not kinds", async () => {
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
    const { code, err } = await run(name, "--steps", "3");
    assert.equal(code, 2, name);
    assert.match(err, new RegExp(`^lr: unknown kind "${name}"`), name);
  }
});

Deno.test("cli: the new options of the kinds are flags too", () => {
  assert.deepEqual(
    rates("exponential", "--base-lr", "0.001", "--gamma", "10", "--max-lr", "1", "--steps", "5"),
    [0.001, 0.01, 0.1, 1, 1],
  );
  const cycles = rates(
    "sgdr",
    "--base-lr",
    "1",
    "--t0",
    "2",
    "--peak-decay",
    "0.5",
    "--cycles",
    "2",
    "--steps",
    "6",
  );
  assert.deepEqual(cycles.map((r) => +r.toFixed(12)), [1, 0.5, 0.5, 0.25, 0, 0]);
  assert.throws(() => rates("exponential", "--base-lr", "0.1", "--gamma", "1.5", "--steps", "3"), {
    name: UsageError.name,
    message: "exponential: --gamma (1.5) > 1 needs --max-lr, the cap the growing rate stops at",
  });
});

Deno.test("cli: the rates of the issue's extremes are finite, so JSON has no null", async () => {
  const cases = [
    ["linear", "--start-lr", "0", "--end-lr", "1e300", "--max-update", "1000000000"],
    ["cosine", "--base-lr", "1e308", "--max-update", "10"],
    ["sgdr", "--base-lr", "1", "--t0", "1", "--t-mult", "1e300"],
    [
      "constant",
      "--base-lr",
      "0.1",
      "--warmup-steps",
      "5",
      "--warmup-kind",
      "exponential",
      "--warmup-begin-lr",
      "5e-324",
    ],
  ];
  for (const argv of cases) {
    const { code, out, err } = await run(...argv, "--steps", "50", "--json");
    assert.equal(code, 0, `${argv.join(" ")}: ${err}`);
    const values = JSON.parse(out) as unknown[];
    assert.ok(values.every((v) => typeof v === "number" && v >= 0), argv.join(" "));
  }
});
