import assert from "node:assert/strict";
import {
  booleanFlag,
  type FlagSpecs,
  parseFlags,
  switchFlag,
  valueFlag,
  wholeNumber,
} from "./flags.ts";
import { UsageError } from "./usage_error.ts";

const SPEC = {
  epochs: valueFlag("a number", wholeNumber(1, 10_000)),
  "train-size": valueFlag("a number", wholeNumber(256, 60_000)),
  json: valueFlag("a file name"),
  lr: valueFlag("a value", Number),
  fresh: switchFlag(),
  quiet: switchFlag(),
  periodic: booleanFlag(),
} satisfies FlagSpecs;

/** The message of the UsageError that `args` make. */
function refusal(args: string[], spec: FlagSpecs = SPEC, positionals = 1): string {
  try {
    parseFlags(args, spec, { positionals });
  } catch (error) {
    assert(error instanceof UsageError, `${args.join(" ")}: ${error}`);
    assert(!error.message.includes("\n"), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail(`${args.join(" ")} was accepted`);
}

Deno.test("parseFlags: values in either spelling, switches, positionals", () => {
  const parsed = parseFlags(
    ["cosine", "--epochs", "2", "--train-size=1024", "--fresh", "--json", "out/a.json"],
    SPEC,
    { positionals: 1 },
  );
  assert.deepEqual(parsed, {
    help: false,
    flags: {
      epochs: 2,
      "train-size": 1024,
      json: "out/a.json",
      lr: undefined,
      fresh: true,
      quiet: false,
      periodic: undefined,
    },
    positionals: ["cosine"],
  });
  // after "--", everything is positional
  assert.deepEqual(parseFlags(["--", "--fresh"], SPEC, { positionals: 1 }).positionals, [
    "--fresh",
  ]);
  assert.equal(parseFlags(["--fresh", "--", "x"], SPEC, { positionals: 1 }).flags.fresh, true);
});

Deno.test("parseFlags: a negative number may follow its flag; a flag may not", () => {
  assert.equal(parseFlags(["--lr", "-0.5"], SPEC).flags.lr, -0.5);
  assert.equal(parseFlags(["--lr", "-.5"], SPEC).flags.lr, -0.5);
  assert.equal(parseFlags(["--lr=-1e-3"], SPEC).flags.lr, -0.001);
  assert.equal(parseFlags(["--json", "-"], SPEC).flags.json, "-"); // a lone dash is a value
  assert.equal(refusal(["--json", "--fresh"]), "--json needs a file name");
  assert.equal(refusal(["--epochs", "-q"]), "--epochs needs a number");
  assert.equal(
    refusal(["--epochs", "-1"]),
    '--epochs must be a whole number from 1 to 10,000, got "-1"',
  );
});

Deno.test("parseFlags: every breach is one line naming the flag and quoting the value", () => {
  const cases: [string[], string][] = [
    [["--fresh=1"], '--fresh takes no value, got "--fresh=1"'],
    [["--quiet=yes", "--fresh"], '--quiet takes no value, got "--quiet=yes"'],
    [["--json"], "--json needs a file name"],
    [["--json="], "--json needs a file name"],
    [["--json", " "], "--json needs a file name"],
    [["--epochs"], "--epochs needs a number"],
    [["--epochs", "x"], '--epochs must be a whole number from 1 to 10,000, got "x"'],
    [["--epochs", "1.5"], '--epochs must be a whole number from 1 to 10,000, got "1.5"'],
    [["--train-size", "100"], '--train-size must be a whole number from 256 to 60,000, got "100"'],
    [["--epochs", "1", "--epochs=2"], "--epochs given twice"],
    [["--fresh", "--fresh"], "--fresh given twice"],
    [["--epoch", "2"], "unknown flag --epoch (did you mean --epochs?); see --help"],
    [["--trainsize", "2"], "unknown flag --trainsize (did you mean --train-size?); see --help"],
    [["--hepl"], "unknown flag --hepl (did you mean --help?); see --help"],
    [["--zzz"], "unknown flag --zzz; see --help"],
    [["-x"], "unknown flag -x; see --help"],
    [["a", "b"], 'unexpected argument "b"'],
    [["--periodic=maybe"], '--periodic must be true or false (or no value), got "maybe"'],
    [["--periodic="], "--periodic needs true or false"],
  ];
  for (const [args, message] of cases) assert.equal(refusal(args), message, args.join(" "));
  // the first argument at fault is the one reported
  assert.match(refusal(["--zzz", "--fresh=1"]), /^unknown flag --zzz/);
  assert.match(refusal(["--fresh=1", "--zzz"]), /^--fresh takes no value/);
  // no positionals unless allowed
  assert.equal(refusal(["x"], SPEC, 0), 'unexpected argument "x"');
});

Deno.test("parseFlags: the end of an unknown flag's message can say what there is", () => {
  const spec = { "base-lr": valueFlag() };
  assert.throws(
    () => parseFlags(["--base-LR", "1"], spec, { unknownHint: "cosine takes --base-lr" }),
    {
      message: "unknown flag --base-LR (did you mean --base-lr?); cosine takes --base-lr",
    },
  );
});

Deno.test("parseFlags: boolean flags say true alone, or =true / =false", () => {
  assert.equal(parseFlags(["--periodic"], SPEC).flags.periodic, true);
  assert.equal(parseFlags(["--periodic=true"], SPEC).flags.periodic, true);
  assert.equal(parseFlags(["--periodic=false"], SPEC).flags.periodic, false);
  assert.equal(parseFlags(["--fresh"], SPEC).flags.periodic, undefined);
  // alone, it takes no next argument as its value
  assert.deepEqual(parseFlags(["--periodic", "x"], SPEC, { positionals: 1 }).positionals, ["x"]);
});

Deno.test("parseFlags: --help and -h win over anything else before a --", () => {
  for (const args of [["--help"], ["-h"], ["--zzz", "--help"], ["--fresh=1", "-h", "a", "b"]]) {
    const parsed = parseFlags(args, SPEC);
    assert.equal(parsed.help, true, args.join(" "));
    assert.equal(parsed.flags.fresh, false);
    assert.equal(parsed.flags.epochs, undefined);
  }
  assert.deepEqual(parseFlags(["--", "--help"], SPEC, { positionals: 1 }).positionals, ["--help"]);
  assert.throws(() => parseFlags([], { help: switchFlag() }), TypeError);
});

Deno.test("wholeNumber: safe integers in the range only", () => {
  const read = wholeNumber(0, 10);
  assert.equal(read("0", "--n"), 0);
  assert.equal(read("010", "--n"), 10);
  for (const bad of ["11", "-0", "+1", "1e1", "0x5", " 5", "", "9".repeat(20)]) {
    assert.throws(() => read(bad, "--n"), {
      name: "UsageError",
      message: `--n must be a whole number from 0 to 10, got ${JSON.stringify(bad)}`,
    });
  }
});
