import assert from "node:assert/strict";
import * as lib from "../schedules/mod.ts";
import {
  domainOf,
  KIND_NAMES,
  type OptionInfo,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
} from "./kinds.ts";

/** Call the factory of `kind` (plateau's returns a state, the others a schedule). */
function make(kind: string, options: Record<string, unknown>): unknown {
  const factory = (lib as unknown as Record<string, (o: unknown) => unknown>)[kind];
  return factory(options);
}

/** The rates of a function kind at 0..n-1, or plateau's full configuration. */
function probe(kind: string, options: Record<string, unknown>): unknown {
  const made = make(kind, options);
  if (typeof made === "function") return Array.from({ length: 80 }, (_, t) => made(t));
  return (made as lib.PlateauState).config;
}

function warmupProbe(options: Record<string, unknown>): number[] {
  const lr = lib.warmup(lib.constant({ baseLr: 0.5 }), options as never);
  return Array.from({ length: 12 }, (_, t) => lr(t));
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  assert.fail("no error thrown");
}

/** Values just outside the domain the table gives an option. */
function outside(option: OptionInfo): unknown[] {
  if (option.type === "steps") return [[option.min! - 1], [3, 1], [1.5]];
  const bad: unknown[] = [];
  if (option.min !== undefined) bad.push(option.min - (option.type === "integer" ? 1 : 0.5));
  if (option.above !== undefined) bad.push(option.above);
  if (option.max !== undefined) bad.push(option.max + 0.5);
  if (option.below !== undefined) bad.push(option.below);
  if (option.type === "integer") bad.push((option.min ?? 0) + 1.5);
  if (option.type === "rate" || option.type === "number" || option.type === "integer") {
    bad.push(NaN, Infinity);
  }
  return bad;
}

Deno.test("kinds: every kind lists its factory's options, in the factory's order", () => {
  assert.deepEqual(KIND_NAMES, Object.keys(SCHEDULE_KINDS));
  for (const kind of KIND_NAMES) {
    const error = errorOf(() => make(kind, { zzUnknown: 1 }));
    assert(error instanceof TypeError, kind);
    const known = error.message.match(/known options: (.*)$/)?.[1];
    assert.equal(known, SCHEDULE_KINDS[kind].options.map((o) => o.name).join(", "), kind);
  }
  const error = errorOf(() => lib.warmup(lib.constant({ baseLr: 1 }), { zz: 1 } as never));
  assert.match(
    error.message,
    new RegExp(`known options: ${WARMUP_OPTIONS.map((o) => o.name).join(", ")}$`),
  );
});

Deno.test("kinds: the example works; an option without a default is required", () => {
  for (const kind of KIND_NAMES) {
    const { example, options } = SCHEDULE_KINDS[kind];
    probe(kind, { ...example }); // does not throw
    for (const option of options) {
      const required = option.default === undefined && option.defaultFrom === undefined &&
        !option.optional;
      if (!required) continue;
      assert(option.name in example, `${kind}: the example gives ${option.name}`);
      const { [option.name]: _, ...rest } = example;
      const error = errorOf(() => make(kind, rest));
      assert(error instanceof TypeError);
      assert.equal(error.message, `${kind}: ${option.name} is required`);
    }
  }
});

Deno.test("kinds: each default is the factory's", () => {
  for (const kind of KIND_NAMES) {
    const { example, options } = SCHEDULE_KINDS[kind];
    for (const option of options) {
      const { [option.name]: _, ...without } = example;
      if (option.default !== undefined) {
        assert.deepEqual(
          probe(kind, { ...without, [option.name]: option.default }),
          probe(kind, without),
          `${kind}.${option.name} defaults to ${option.default}`,
        );
      } else if (option.defaultFrom !== undefined) {
        const from = example[option.defaultFrom] ??
          options.find((o) => o.name === option.defaultFrom)!.default;
        assert.deepEqual(
          probe(kind, { ...without, [option.name]: from }),
          probe(kind, without),
          `${kind}.${option.name} defaults to ${option.defaultFrom}`,
        );
      }
    }
  }
  for (const option of WARMUP_OPTIONS) {
    if (option.default === undefined) continue;
    assert.deepEqual(
      warmupProbe({ steps: 4, [option.name]: option.default }),
      warmupProbe({ steps: 4 }),
    );
  }
});

Deno.test("kinds: each domain is the one the factory checks", () => {
  const check = (what: string, option: OptionInfo, attempt: (value: unknown) => unknown) => {
    for (const value of outside(option)) {
      const error = errorOf(() => attempt(value));
      assert(error instanceof RangeError, `${what}.${option.name} = ${value}: ${error}`);
      assert.match(error.message, new RegExp(`: ${option.name}(\\[\\d+\\])? \\(`), error.message);
    }
    if (option.type === "choice") {
      const error = errorOf(() => attempt("zz"));
      const list = option.choices!.map((c) => `"${c}"`).join(", ");
      assert.equal(error.message.endsWith(`must be one of ${list}`), true, error.message);
    }
    if (option.type === "flag") assert(errorOf(() => attempt(1)) instanceof TypeError);
  };
  for (const kind of KIND_NAMES) {
    const { example, options } = SCHEDULE_KINDS[kind];
    for (const option of options) {
      check(kind, option, (value) => make(kind, { ...example, [option.name]: value }));
      assert.notEqual(domainOf(option), "", `${kind}.${option.name} has a domain`);
    }
  }
  for (const option of WARMUP_OPTIONS) {
    check("warmup", option, (value) => warmupProbe({ steps: 4, [option.name]: value }));
  }
});

Deno.test("kinds: an optional option may be left out or given; the playground leaves it out", () => {
  const given: Record<string, Record<string, unknown>> = {
    exponential: { maxLr: 1, gamma: 1.5 }, // a growing rate needs its cap
    sgdr: { cycles: 2 },
  };
  const optional = KIND_NAMES.flatMap((kind) =>
    SCHEDULE_KINDS[kind].options.filter((o) => o.optional).map((o) => `${kind}.${o.name}`)
  );
  assert.deepEqual(optional, ["exponential.maxLr", "sgdr.cycles"]);
  for (const [kind, options] of Object.entries(given)) {
    const { example } = SCHEDULE_KINDS[kind as keyof typeof SCHEDULE_KINDS];
    assert.notDeepEqual(probe(kind, { ...example, ...options }), probe(kind, example));
    for (const name of optional.filter((o) => o.startsWith(`${kind}.`))) {
      assert.ok(!ownOptions(kind as never).some((o) => `${kind}.${o.name}` === name), name);
    }
  }
});
