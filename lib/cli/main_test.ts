import assert from "node:assert/strict";
import { runMain } from "./main.ts";
import { UsageError } from "./usage_error.ts";

class DataProblem extends Error {}

async function run(main: () => number | Promise<number>, options = {}) {
  let err = "";
  const code = await runMain("demo", main, { err: (t) => void (err += t), ...options });
  return { code, err };
}

Deno.test("runMain: the exit code of main, and nothing printed", async () => {
  assert.deepEqual(await run(() => 0), { code: 0, err: "" });
  assert.deepEqual(await run(() => Promise.resolve(1)), { code: 1, err: "" });
});

Deno.test("runMain: usage errors and the user's errors are one line, exit 2", async () => {
  const usage = () => {
    throw new UsageError("--epochs needs a number");
  };
  assert.deepEqual(await run(usage), { code: 2, err: "demo: --epochs needs a number\n" });
  assert.deepEqual(await run(usage, { usageHint: "see `demo --help`" }), {
    code: 2,
    err: "demo: --epochs needs a number\nsee `demo --help`\n",
  });
  const data = () => Promise.reject(new DataProblem("no data in /tmp/x"));
  assert.deepEqual(await run(data, { userErrors: [DataProblem], usageHint: "hint" }), {
    code: 2,
    err: "demo: no data in /tmp/x\n",
  });
});

Deno.test("runMain: other errors go through, or are one line with exit 1 when asked", async () => {
  const bug = () => {
    throw new TypeError("x is undefined");
  };
  await assert.rejects(() => run(bug), TypeError);
  await assert.rejects(() => run(() => Promise.reject(new DataProblem("y"))), DataProblem);
  assert.deepEqual(await run(bug, { reportOthers: true }), {
    code: 1,
    err: "demo: x is undefined\n",
  });
});
