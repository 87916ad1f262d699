import assert from "node:assert/strict";
import { computeRates, parseArgs } from "./cli.ts";
import { UsageError } from "../cli/usage_error.ts";
import {
  type FunctionKind,
  KIND_NAMES,
  type OptionInfo,
  type OptionValue,
  ownOptions,
  SCHEDULE_KINDS,
} from "./kinds.ts";
import {
  commandArgs,
  planFunctions,
  planSchedule,
  scheduleCode,
  type ScheduleSpec,
} from "./recipe.ts";
import { scheduleRates } from "./recipe.ts";
import { plateauRates } from "../schedules/mod.ts";
import { mulberry32 as random } from "../train/rng.ts";

/** A value for `option`, usually valid, sometimes not. */
function pick(option: OptionInfo, rand: () => number): OptionValue {
  const one = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  switch (option.type) {
    case "rate":
      return one([0, 0.001, 0.01, 0.1, 0.3, 1, 2.5]);
    case "integer":
      return (option.min ?? 0) + Math.floor(rand() * 30);
    case "number": {
      const lo = option.above ?? option.min ?? 0;
      const hi = option.max ?? option.below ?? lo + 100;
      return one([lo + (hi - lo) * 0.5, lo + (hi - lo) * 0.9, hi, lo + 1e-3, 1e4]);
    }
    case "choice":
      return one(option.choices!);
    case "flag":
      return rand() < 0.5;
    case "steps": {
      const a = Math.floor(rand() * 20), b = a + 1 + Math.floor(rand() * 20);
      return rand() < 0.9 ? [a, b] : [b, a];
    }
  }
}

function randomSpec(rand: () => number): ScheduleSpec {
  const kinds = KIND_NAMES.filter((k) => k !== "plateau") as FunctionKind[];
  const kind = kinds[Math.floor(rand() * kinds.length)];
  const options: Record<string, OptionValue> = { ...SCHEDULE_KINDS[kind].example };
  for (const option of ownOptions(kind)) {
    if (rand() < 0.4) options[option.name] = pick(option, rand);
  }
  const warm = rand() < 0.5 ? null : {
    steps: Math.floor(rand() * 12),
    ...(rand() < 0.5 ? {} : { beginLr: [0, 0.01, 0.1][Math.floor(rand() * 3)] }),
    ...(rand() < 0.5
      ? {}
      : { kind: ["linear", "constant", "exponential"][Math.floor(rand() * 3)] }),
  };
  return { kind, options, warmup: warm };
}

function outcome(fn: () => number[]): number[] | string {
  try {
    return fn();
  } catch (error) {
    return `${(error as Error).name}`;
  }
}

const SPECS = (() => {
  const rand = random(8);
  return Array.from({ length: 400 }, () => randomSpec(rand));
})();

Deno.test("recipe: the command shown previews exactly the schedule (CLI = library)", () => {
  let valid = 0;
  for (const spec of SPECS) {
    const steps = 40;
    const args = commandArgs(spec, steps);
    const library = outcome(() => scheduleRates(spec, steps));
    const cli = outcome(() => computeRates(parseArgs(args)));
    if (typeof library === "string") {
      assert.equal(cli, "UsageError", `${args.join(" ")}: the CLI refuses it too`);
    } else {
      valid++;
      assert.deepEqual(cli, library, args.join(" "));
    }
  }
  assert(valid > 150, `enough valid specs (${valid})`);
  // The CLI's message is the library's, in flag spelling.
  const spec: ScheduleSpec = {
    kind: "cosine",
    options: { baseLr: 0.3, maxUpdate: 20 },
    warmup: { steps: 25 },
  };
  assert.throws(() => computeRates(parseArgs(commandArgs(spec, 30))), {
    name: UsageError.name,
    message: "cosine: --warmup-steps (25) must be <= --max-update (20)",
  });
  assert.throws(() => scheduleRates(spec, 30), {
    name: "RangeError",
    message: "cosine: warmupSteps (25) must be <= maxUpdate (20)",
  });
});

Deno.test("recipe: the code shown makes exactly the schedule", async () => {
  const mod = new URL("../schedules/mod.ts", import.meta.url).href;
  const cases = SPECS.flatMap((spec) => {
    try {
      return [{ spec, plan: planSchedule(spec), rates: scheduleRates(spec, 40) }];
    } catch {
      return [];
    }
  });
  const names = [...new Set(cases.flatMap((c) => planFunctions(c.plan)))].sort();
  const source = `import { ${names.join(", ")} } from "${mod}";\n` +
    `export const schedules = [\n${
      cases.map((c) => `${scheduleCode(c.plan, { width: 60 })},\n`).join("")
    }];\n`;
  const url = `data:application/typescript;base64,${
    btoa(String.fromCharCode(...new TextEncoder().encode(source)))
  }`;
  const { schedules } = await import(url);
  assert.equal(schedules.length, cases.length);
  cases.forEach((c, i) => {
    const rates = Array.from({ length: 40 }, (_, t) => schedules[i](t));
    assert.deepEqual(rates, c.rates, scheduleCode(c.plan));
  });
});

Deno.test("recipe: cosine with a non-linear warmup is the CLI's composition, printed", () => {
  const base = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 };
  assert.equal(
    scheduleCode({ kind: "cosine", options: base, warmup: { steps: 5, kind: "constant" } }),
    "warmup(\n" +
      "  cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 15 }),\n" +
      '  { steps: 5, kind: "constant" },\n' +
      ")",
  );
  assert.equal(
    scheduleCode({ kind: "cosine", options: base, warmup: { steps: 20, kind: "constant" } }),
    "join(\n" +
      "  [\n" +
      '    warmup(constant({ baseLr: 0.3 }), { steps: 20, kind: "constant" }),\n' +
      "    constant({ baseLr: 0.01 }),\n" +
      "  ],\n" +
      "  [20],\n" +
      ")",
  );
  assert.equal(
    scheduleCode({ kind: "multifactor", options: { baseLr: 0.5, milestones: [15, 30] } }),
    "multifactor({ baseLr: 0.5, milestones: [15, 30] })",
  );
});

Deno.test("recipe: plateau replays its metrics, in all three forms", () => {
  const spec = {
    kind: "plateau",
    options: { baseLr: 1, factor: 0.5, patience: 0 },
    metrics: [3, 2, 2, 2],
    warmup: { steps: 2 },
  } as const;
  const rates = plateauRates(spec.options, [...spec.metrics, 0]);
  assert.deepEqual(scheduleRates(spec, 8), [0, 0.5, ...rates, rates[4]]);
  assert.equal(
    scheduleCode(spec, { width: 100 }),
    "warmup(plateauSchedule({ baseLr: 1, factor: 0.5, patience: 0 }, [3, 2, 2, 2]), { steps: 2 })",
  );
  assert.equal(
    commandArgs(spec, 8).join(" "),
    "plateau --base-lr 1 --factor 0.5 --patience 0 --warmup-steps 2 --metrics 3,2,2,2 --steps 8",
  );
  assert.throws(() => planSchedule({ kind: "sqrt", options: { baseLr: 1 }, metrics: [1] }), {
    name: "TypeError",
    message: "sqrt: metrics are for plateau only",
  });
});
