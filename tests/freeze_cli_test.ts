/**
 * `deno task freeze` on the command line, as a subprocess: `--help`, the
 * usage errors (one line on stderr, exit 2, no stack trace) and
 * `--fingerprint` (the fingerprint this process computes too).
 */

import assert from "node:assert/strict";
import { USAGE } from "../lib/book/freeze_cli.ts";
import { engineFingerprint } from "../lib/train/fingerprint.ts";

const root = new URL("../", import.meta.url);

/** Run `deno run -A freeze.ts ...args` from the repository root (`-q`: no download messages). */
async function freezeCli(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "-q", "freeze.ts", ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("freeze --help prints the usage and exits 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await freezeCli(flag);
    assert.equal(code, 0, `${flag}: ${stderr}`);
    assert.equal(stdout, `${USAGE}\n`, flag);
    assert.equal(stderr, "", flag);
  }
  assert.match(USAGE, /^usage: deno task freeze /);
  for (const flag of ["--check", "--prune", "--fresh", "--quiet", "--data DIR", "--fingerprint"]) {
    assert.ok(USAGE.includes(flag), flag);
  }
});

Deno.test("freeze's usage errors: exit 2, one line on stderr naming the problem, no stack trace", async () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /unknown flag --bogus/],
    [["--chek"], /unknown flag --chek \(did you mean --check\?\)/],
    [["--check", "stray"], /unexpected argument "stray"/],
    [["--data"], /--data/],
    [["--fresh=yes"], /--fresh/],
  ];
  for (const [args, names] of cases) {
    const { code, stdout, stderr } = await freezeCli(...args);
    const what = args.join(" ");
    assert.equal(code, 2, `${what}: ${stderr}`);
    assert.equal(stdout, "", what);
    assert.match(stderr, /^freeze: [^\n]+\n$/, `${what}: one line: ${JSON.stringify(stderr)}`);
    assert.match(stderr, names, what);
    assert.doesNotMatch(stderr, /\bat |ERR_|TypeError|error:/, `${what}: ${stderr}`);
  }
});

Deno.test("freeze --fingerprint prints the engine fingerprint this process computes", async () => {
  const [{ code, stdout, stderr }, mine] = await Promise.all([
    freezeCli("--fingerprint"),
    engineFingerprint(),
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^[0-9a-f]{64}\n$/);
  assert.equal(stdout.trim(), mine);
});
