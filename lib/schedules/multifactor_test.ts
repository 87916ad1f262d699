import assert from "node:assert/strict";
import { multifactor } from "./multifactor.ts";
import {
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => multifactor(o as never);
const base = { baseLr: 0.5, milestones: [15, 30], factor: 0.5 };

/** PyTorch 1.13's MultiStepLR.get_lr (a Counter of milestones), stepped in order. */
function torchMultiStepLR(baseLr: number, milestones: number[], gamma: number, n: number) {
  const counts = new Map<number, number>();
  for (const m of milestones) counts.set(m, (counts.get(m) ?? 0) + 1);
  let lr = baseLr;
  const out: number[] = [];
  for (let epoch = 0; epoch < n; epoch++) {
    if (counts.has(epoch)) lr *= gamma ** counts.get(epoch)!;
    out.push(lr);
  }
  return out;
}

Deno.test("multifactor: matches PyTorch's MultiStepLR on other milestones", () => {
  for (
    const [milestones, gamma] of [[[0, 3], 0.5], [[1, 2, 3, 50], 0.8], [[7], 0.1], [
      [],
      0.3,
    ]] as const
  ) {
    const lr = multifactor({ baseLr: 0.4, milestones: [...milestones], factor: gamma });
    assertSequence(lr, torchMultiStepLR(0.4, [...milestones], gamma, 80), 1e-12);
  }
});

Deno.test("multifactor: decays at the milestone itself; default factor 0.1", () => {
  const lr = multifactor({ baseLr: 1, milestones: [2] });
  assert.deepEqual([0, 1, 1.5, 1.99].map(lr), [1, 1, 1, 1]);
  assert.equal(lr(2), 0.1);
  assertPure(multifactor(base));
  probeSteps("multifactor", lr);
});

Deno.test("multifactor: validates every option", () => {
  probeOption("multifactor", make, base, "baseLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("multifactor", make, base, "factor", [R, R, R, R, R, "ok", T]);
  // milestones must be an array: every scalar probe is a TypeError ...
  probeOption("multifactor", make, base, "milestones", [T, T, T, T, T, T, T]);
  // ... and every probe as an entry is checked too.
  for (
    const [entry, error] of [
      [NaN, R],
      [Infinity, R],
      [-Infinity, R],
      [-1, R],
      [2.5, R],
      ["5", T],
    ] as const
  ) {
    assert.throws(() => make({ ...base, milestones: [entry, 30] }), (e: unknown) => {
      assert.ok(e instanceof error, String(e));
      assert.match((e as Error).message, /^multifactor: milestones\[0\] /);
      return true;
    });
  }
  assert.doesNotThrow(() => make({ ...base, milestones: [0, 30] }));
  assert.throws(() => make({ ...base, milestones: [30, 15] }), {
    name: "RangeError",
    message: "multifactor: milestones ([30,15]) must be strictly increasing: 15 follows 30",
  });
  assert.throws(
    () => make({ ...base, milestones: [15, 15] }),
    /strictly increasing: 15 follows 15/,
  );
  probeUnknown("multifactor", make, base, "milestone", "milestones");
});

Deno.test("multifactor: a hole in the milestones is refused, not skipped", () => {
  // deno-lint-ignore no-sparse-arrays
  const milestones = [5, , 1] as number[];
  assert.throws(() => multifactor({ baseLr: 1, milestones, factor: 0.5 }), {
    name: "TypeError",
    message: "multifactor: milestones[1] (a hole) must be a number",
  });
});

Deno.test("multifactor: a factor above 1 steps the rate up, as far as a number goes", () => {
  const lr = multifactor({ baseLr: 0.01, milestones: [2, 4], factor: 10 });
  assert.deepEqual([0, 2, 4, 1e308].map(lr), [0.01, 0.1, 1, 1]);
  assert.throws(() => multifactor({ baseLr: 1, milestones: [1, 2, 3], factor: 1e200 }), {
    name: "RangeError",
    message:
      "multifactor: factor (1e+200) at 3 milestones takes baseLr (1) past the largest number",
  });
  assert.throws(
    () => multifactor({ baseLr: 1e-300, milestones: [1, 2], factor: 1e200 }),
    /factor \(1e\+200\) at 2 milestones/,
  );
});
