import assert from "node:assert/strict";
import { fakeGroup } from "./_testing.ts";
import { describeGroup, renderOutputs } from "./terminal.ts";

const group = fakeGroup("cosine", [[0.5, 0.88], [0.5, 0.8824], [0.5, 0.881]]);

Deno.test("terminal: a group over seeds is its seeds' table, mean ± sd and min–max, and per-epoch means", () => {
  const text = renderOutputs([group]);
  const lines = text.split("\n");
  assert.match(lines[0], /^cosine: 3 seeds \(seeds 0–2\), 2 epochs, batch 256, 1,024 training/);
  assert.doesNotMatch(lines[0], /seed 0,/, "the shared settings leave out the seed");
  assert.ok(lines.some((l) => /^mean ± sd\s+88\.11% ± 0\.12 pp/.test(l)), text);
  assert.ok(lines.some((l) => /^min–max\s+2\s+88\.00%–88\.24%/.test(l)), text);
  for (const seed of ["0", "1", "2"]) assert.ok(lines.some((l) => l.startsWith(`${seed} `)), seed);
  const perEpoch = lines.indexOf("per epoch, over the seeds:");
  assert.ok(perEpoch > 0);
  // Heading, its rule, epoch 1, then epoch 2: losses 1 − (test + 0.05).
  assert.match(
    lines[perEpoch + 4],
    /^2\s+0\.1\s+0\.0689 ± 0\.0012\s+88\.11% ± 0\.12 pp\s+88\.00%–88\.24%$/,
  );
});

Deno.test("terminal: a group shown for comparison is one line", () => {
  const text = renderOutputs([{ ...group, reference: true }]);
  assert.equal(text.split("\n").length, 1);
  assert.match(
    text,
    /^cosine \(for comparison\): final test accuracy 88\.11% ± 0\.12 pp \(mean ± sd; min–max 88\.00%–88\.24%\); 3 seeds/,
  );
});

Deno.test("terminal: how a group was made says how many of its runs were stored", () => {
  const stored = { ...group, runs: group.runs.map((r, i) => ({ ...r, cached: i > 0 })) };
  assert.match(describeGroup(stored), /\(2 of 3 stored, not retrained\)$/);
  const all = { ...group, runs: group.runs.map((r) => ({ ...r, cached: true })) };
  assert.match(describeGroup(all), /rate set once per epoch \(stored, not retrained\)$/);
  assert.doesNotMatch(describeGroup(group), /stored/);
});
