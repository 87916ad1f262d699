/**
 * The committed reference file `testdata/torch_lr_schedules.json` is what `torch_reference.py`
 * gives: the script is run through PyTorch and its output compared with the file, numbers to
 * 1e-12 relative and everything else (labels, arguments, protocol, PyTorch's version) exactly.
 * Runs where `/usr/bin/python3 -c "import torch"` works (Debian's `python3-torch`); skipped
 * otherwise.
 *
 * @module
 */

import assert from "node:assert/strict";
import { REFERENCE_URL } from "./_reference.ts";
import { haveTorch, PYTHON, runPython } from "./_torch.ts";

/**
 * Assert two parsed JSON values are the same: numbers to `rel` relative (exactly when the
 * expected one is 0), everything else exactly, object keys in any order.
 */
function assertSameJson(actual: unknown, expected: unknown, rel: number, path = "$"): void {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${path}: ${JSON.stringify(actual)} is not a number`);
    const a = actual as number;
    const close = a === expected || Math.abs(a - expected) <= rel * Math.abs(expected);
    assert.ok(close, `${path}: ${a} differs from ${expected} by more than ${rel} relative`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: ${JSON.stringify(actual)} is not an array`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, i) => assertSameJson(actual[i], e, rel, `${path}[${i}]`));
  } else if (typeof expected === "object" && expected !== null) {
    const isObject = typeof actual === "object" && actual !== null && !Array.isArray(actual);
    assert.ok(isObject, `${path}: ${JSON.stringify(actual)} is not an object`);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${path}: keys`);
    for (const key of Object.keys(e)) assertSameJson(a[key], e[key], rel, `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

Deno.test("torch reference: the comparison allows 1e-12 relative in numbers, nothing else", () => {
  const file = { v: "1.13", lrs: [0.1, 0, 2e-6], args: { mode: "min", on: true, none: null } };
  const same = (actual: unknown) => assertSameJson(actual, file, 1e-12);
  same(structuredClone(file));
  same({ args: file.args, lrs: [0.1 * (1 + 9e-13), 0, 2e-6 * (1 - 9e-13)], v: "1.13" });
  const differs = (actual: unknown, where: RegExp) =>
    assert.throws(() => same(actual), { name: "AssertionError", message: where });
  differs({ ...file, lrs: [0.1 * (1 + 2e-12), 0, 2e-6] }, /^\$\.lrs\[0\]: /);
  differs({ ...file, lrs: [0.1, 1e-300, 2e-6] }, /^\$\.lrs\[1\]: /);
  differs({ ...file, lrs: [0.1, 0] }, /^\$\.lrs: length/);
  differs({ ...file, lrs: [0.1, "0", 2e-6] }, /^\$\.lrs\[1\]: "0" is not a number/);
  differs({ ...file, v: "1.13.0" }, /^\$\.v/);
  differs({ ...file, args: { ...file.args, on: 1 } }, /^\$\.args\.on/);
  differs({ ...file, args: { ...file.args, none: 0 } }, /^\$\.args\.none/);
  differs({ ...file, args: { mode: "min", on: true } }, /^\$\.args: keys/);
  differs({ ...file, extra: 1 }, /^\$: keys/);
  differs({ ...file, args: [] }, /^\$\.args: \[\] is not an object/);
  differs({ ...file, lrs: {} }, /^\$\.lrs: \{\} is not an array/);
});

const torch = await haveTorch();
if (!torch) console.warn(`torch_reference_test: skipped, ${PYTHON} cannot import torch`);

Deno.test({
  name: "torch reference: torch_reference.py regenerates testdata/torch_lr_schedules.json",
  ignore: !torch,
  async fn() {
    const script = new URL("./torch_reference.py", import.meta.url).pathname;
    const generated = JSON.parse(await runPython(script));
    const committed = JSON.parse(await Deno.readTextFile(REFERENCE_URL));
    assertSameJson(generated, committed, 1e-12);
    assert.match(generated.torch_version, /^1\.13\./);
  },
});
