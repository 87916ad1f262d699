import assert from "node:assert/strict";
import { UsageError } from "../cli/usage_error.ts";
import { parseBuildArgs } from "./cli.ts";

Deno.test("build args: defaults, every flag, --help", () => {
  assert.deepEqual(parseBuildArgs([]), {
    quick: false,
    out: "_site",
    fresh: false,
    force: false,
    quiet: false,
    help: false,
  });
  assert.deepEqual(
    parseBuildArgs(["--quick", "--out=tmp/site", "--fresh", "--force", "--quiet", "--data", "/d"]),
    {
      quick: true,
      out: "tmp/site",
      fresh: true,
      force: true,
      quiet: true,
      help: false,
      dataDir: "/d",
    },
  );
  assert.equal(parseBuildArgs(["--help"]).help, true);
  assert.equal(parseBuildArgs(["--quick=1", "-h"]).help, true);
});

Deno.test("build args: the same rules as every command line", () => {
  const cases: [string[], string][] = [
    [["--quick=1"], '--quick takes no value, got "--quick=1"'],
    [["--fresh=yes"], '--fresh takes no value, got "--fresh=yes"'],
    [["--out"], "--out needs a directory"],
    [["--out="], "--out needs a directory"],
    [["--out", "--quick"], "--out needs a directory"],
    [["--data"], "--data needs a directory"],
    [["--quik"], "unknown flag --quik (did you mean --quick?); see --help"],
    [["site"], 'unexpected argument "site"'],
    [["--quick", "--quick"], "--quick given twice"],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseBuildArgs(args), { name: UsageError.name, message }, args.join(" "));
  }
});
