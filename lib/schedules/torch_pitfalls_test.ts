/**
 * The committed `testdata/torch_pitfalls.json`, which the "frameworks" chapter
 * quotes, is what `torch_pitfalls.py` gives: the script is run through PyTorch
 * and its output compared with the file exactly (same torch, same arithmetic).
 * Runs where `/usr/bin/python3 -c "import torch"` works; skipped otherwise. The
 * file's shape is checked everywhere.
 *
 * @module
 */

import assert from "node:assert/strict";
import { haveTorch, PYTHON, runPython } from "./_torch.ts";

const FILE = new URL("./testdata/torch_pitfalls.json", import.meta.url);

Deno.test("torch pitfalls: the committed file has every part the chapter reads", async () => {
  const p = JSON.parse(await Deno.readTextFile(FILE));
  assert.match(p.torch_version, /^1\.13\./);
  assert.equal(p.order.right.length, p.order.reversed.length);
  assert.match(p.order.warning, /before `optimizer\.step\(\)`/);
  assert.equal(p.resume.continuous.length, 25);
  assert.equal(p.resume.state_dict.length, 10);
  assert.equal(p.resume.last_epoch.length, 10);
  assert.match(p.resume.last_epoch_error, /initial_lr/);
  assert.match(p.onecycle_error, /total steps is 5/);
});

const torch = await haveTorch();
if (!torch) console.warn(`torch_pitfalls_test: skipped, ${PYTHON} cannot import torch`);

Deno.test({
  name: "torch pitfalls: torch_pitfalls.py regenerates testdata/torch_pitfalls.json",
  ignore: !torch,
  async fn() {
    const script = new URL("./torch_pitfalls.py", import.meta.url).pathname;
    const generated = JSON.parse(await runPython(script));
    assert.deepEqual(generated, JSON.parse(await Deno.readTextFile(FILE)));
  },
});
