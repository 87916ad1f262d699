/**
 * `.ci/summary`, which turns the log of `deno test` into CI's last line "N passed, N failed"
 * and its exit status, fed made-up logs and the logs of real `deno test` runs.
 *
 * @module
 */

import assert from "node:assert/strict";

const SCRIPT = new URL("./summary", import.meta.url).pathname;

interface Outcome {
  /** The last line printed. */
  line: string;
  /** The exit status. */
  code: number;
}

/** Run `.ci/summary` on `log` with deno's exit status `status`. */
async function summarize(log: string, status: number | string): Promise<Outcome> {
  const dir = await Deno.makeTempDir({ prefix: "summary_test_" });
  try {
    await Deno.writeTextFile(`${dir}/log`, log);
    const { code, stdout } = await new Deno.Command("bash", {
      args: [SCRIPT, `${dir}/log`, String(status)],
      stderr: "null",
    }).output();
    return { line: new TextDecoder().decode(stdout).trimEnd().split("\n").at(-1)!, code };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ci summary: the counts of deno's summary line decide, whatever deno's status", async () => {
  const cases: Array<[string, number, Outcome]> = [
    ["running 5 tests\nok | 5 passed | 0 failed (3s)\n", 0, {
      line: "5 passed, 0 failed",
      code: 0,
    }],
    // A run that printed failures but reported success: a failure all the same.
    ["FAILED | 396 passed | 3 failed (2m)\n", 0, { line: "396 passed, 3 failed", code: 1 }],
    // Steps are not tests: only the numbers before "passed" and "failed" count.
    [
      "ok | 435 passed (12 steps) | 0 failed | 2 ignored (3s)\n",
      0,
      { line: "435 passed, 0 failed", code: 0 },
    ],
    [
      "FAILED | 2 passed (2 steps) | 2 failed (1 step) | 1 ignored (133ms)\n",
      0,
      { line: "2 passed, 2 failed", code: 1 },
    ],
    // No test at all, or no summary at all: a failure.
    ["ok | 0 passed | 0 failed | 3 filtered out (10ms)\n", 0, {
      line: "0 passed, 0 failed",
      code: 1,
    }],
    ["", 0, { line: "0 passed, 1 failed", code: 1 }],
    ["error: No test modules found\n", 1, { line: "0 passed, 1 failed", code: 1 }],
    // Clean counts, but deno said it failed: its status is kept.
    ["ok | 5 passed | 0 failed (3s)\n", 1, { line: "5 passed, 0 failed", code: 1 }],
    ["ok | 5 passed | 0 failed (3s)\n", 3, { line: "5 passed, 0 failed", code: 3 }],
    // Colours and a terminal's carriage returns are no obstacle.
    [
      "\x1b[0m\x1b[31mFAILED\x1b[0m | 2 passed | 1 failed \x1b[0m\x1b[38;5;245m(9ms)\x1b[0m\r\n",
      0,
      { line: "2 passed, 1 failed", code: 1 },
    ],
    // The last summary counts; text merely quoting one (indented, mid-line) does not.
    [
      "ok | 1 passed | 0 failed (1ms)\nFAILED | 7 passed | 2 failed (1s)\n" +
      "  ok | 9 passed | 0 failed\nlog: ok | 9 passed | 0 failed\n",
      0,
      { line: "7 passed, 2 failed", code: 1 },
    ],
  ];
  for (const [log, status, expected] of cases) {
    assert.deepEqual(await summarize(log, status), expected, JSON.stringify([log, status]));
  }
});

Deno.test("ci summary: a status that is not a number is a usage error", async () => {
  assert.deepEqual(await summarize("ok | 5 passed | 0 failed (3s)\n", "x"), { line: "", code: 2 });
});

Deno.test("ci summary: the logs of real deno test runs, passing and failing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "summary_test_" });
  try {
    await Deno.writeTextFile(
      `${dir}/pass_test.ts`,
      `Deno.test("a", () => {});
Deno.test("steps", async (t) => {
  await t.step("one", () => {});
  await t.step("two", () => {});
});
Deno.test({ name: "ignored", ignore: true, fn() {} });
`,
    );
    await Deno.writeTextFile(
      `${dir}/fail_test.ts`,
      `Deno.test("fails", () => { throw new Error("no"); });
Deno.test("a step fails", async (t) => {
  await t.step("one", () => { throw new Error("no"); });
});
`,
    );
    const run = async (...files: string[]) => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["test", "--no-config", "--no-check", ...files],
        cwd: dir,
        env: { NO_COLOR: "1" },
      }).output();
      const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      return summarize(decode(stdout) + decode(stderr), code);
    };
    assert.deepEqual(await run("pass_test.ts"), { line: "2 passed, 0 failed", code: 0 });
    assert.deepEqual(await run("pass_test.ts", "fail_test.ts"), {
      line: "2 passed, 2 failed",
      code: 1,
    });
    assert.deepEqual(await run("--filter", "nothing", "pass_test.ts"), {
      line: "0 passed, 0 failed",
      code: 1,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
