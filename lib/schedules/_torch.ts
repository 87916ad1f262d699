/**
 * Running PyTorch for the tests that compare the schedules with it (not part of the public
 * API). They need Debian's `python3-torch`, so they use `/usr/bin/python3` (not whatever
 * `python3` is first on the `PATH`) and are skipped where it cannot import torch.
 *
 * @module
 */

/** The Python that has Debian's `python3-torch`. */
export const PYTHON = "/usr/bin/python3";

/**
 * Whether {@link PYTHON} can import torch.
 *
 * @returns `true` when `PYTHON -c "import torch"` succeeds; `false` when it fails or there is
 *   no such program.
 *
 * @example Decide whether to skip (a test would pass `ignore: !torch`)
 * ```ts
 * import assert from "node:assert/strict";
 * import { haveTorch } from "./_torch.ts";
 *
 * const torch = await haveTorch();
 * assert.equal(typeof torch, "boolean");
 * ```
 */
export async function haveTorch(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import torch"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/**
 * Run a Python script with {@link PYTHON} and return what it printed.
 *
 * @param script The script's path.
 * @param args Its arguments.
 * @returns Its standard output.
 * @throws {Error} When it exits with a failure, with its standard error.
 *
 * @example Where PyTorch is installed
 * ```ts
 * import assert from "node:assert/strict";
 * import { haveTorch, runPython } from "./_torch.ts";
 *
 * if (await haveTorch()) {
 *   const dir = await Deno.makeTempDir();
 *   await Deno.writeTextFile(`${dir}/hello.py`, "import sys; print(sys.argv[1])");
 *   assert.equal(await runPython(`${dir}/hello.py`, "hi"), "hi\n");
 *   await assert.rejects(runPython(`${dir}/missing.py`), /missing\.py: exit 2/);
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function runPython(script: string, ...args: string[]): Promise<string> {
  const { success, code, stdout, stderr } = await new Deno.Command(PYTHON, {
    args: [script, ...args],
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (!success) throw new Error(`${PYTHON} ${script}: exit ${code}\n${decode(stderr)}`);
  return decode(stdout);
}
