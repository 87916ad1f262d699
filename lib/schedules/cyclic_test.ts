import assert from "node:assert/strict";
import { cyclic, cyclicMomentum } from "./cyclic.ts";
import {
  assertClose,
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => cyclic(o as never);
const base = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: "exp_range", gamma: 0.99 };

type Mode = "triangular" | "triangular2" | "exp_range";

/** PyTorch 1.13's CyclicLR.get_lr, with its scale functions and scale modes. */
function torchCyclicLR(
  baseLr: number,
  maxLr: number,
  up: number,
  down: number,
  mode: Mode,
  gamma: number,
  n: number,
): number[] {
  const totalSize = up + down;
  const stepRatio = up / totalSize;
  const scaleFn = mode === "triangular"
    ? () => 1
    : mode === "triangular2"
    ? (x: number) => 1 / 2 ** (x - 1)
    : (x: number) => gamma ** x;
  const scaleMode = mode === "exp_range" ? "iterations" : "cycle";
  const out: number[] = [];
  for (let lastEpoch = 0; lastEpoch < n; lastEpoch++) {
    const cycle = Math.floor(1 + lastEpoch / totalSize);
    const x = 1 + lastEpoch / totalSize - cycle;
    const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    const baseHeight = (maxLr - baseLr) * scaleFactor;
    out.push(baseLr + baseHeight * scaleFn(scaleMode === "cycle" ? cycle : lastEpoch));
  }
  return out;
}

Deno.test("cyclic: matches PyTorch's CyclicLR, exp_range and uneven cycles included", () => {
  const configs: Array<[number, number, number, number, Mode, number]> = [
    [0.01, 0.1, 5, 5, "exp_range", 0.9],
    [0.001, 0.006, 4, 7, "exp_range", 0.995],
    [0.1, 1, 3, 1, "triangular", 1],
    [0, 2, 2, 6, "triangular2", 1],
  ];
  for (const [b, m, up, down, mode, gamma] of configs) {
    const lr = cyclic({ baseLr: b, maxLr: m, stepSizeUp: up, stepSizeDown: down, mode, gamma });
    assertSequence(
      lr,
      torchCyclicLR(b, m, up, down, mode, gamma, 120),
      1e-12,
      `${mode} ${up}/${down}`,
    );
  }
});

Deno.test("cyclic: hand-checked exp_range values", () => {
  const lr = cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: "exp_range", gamma: 0.9 });
  assertClose(lr(5), 0.0631441, 1e-12);
  assertClose(lr(3), 0.049366, 1e-12);
  assertClose(lr(10), 0.01, 1e-12);
  assertPure(lr);
  probeSteps("cyclic", lr);
});

Deno.test("cyclic: stepSizeDown defaults to stepSizeUp; stepSizeUp defaults to 2000", () => {
  const lr = cyclic({ baseLr: 0, maxLr: 1 });
  assert.equal(lr(2000), 1);
  assert.equal(lr(4000), 0);
  assert.equal(lr(3000), 0.5);
});

Deno.test("cyclic: validates every option", () => {
  probeOption("cyclic", make, base, "baseLr", [R, R, R, R, "ok", R, T]); // 2.5 > maxLr
  probeOption("cyclic", make, base, "maxLr", [R, R, R, R, R, "ok", T]); // 0 < baseLr
  probeOption("cyclic", make, base, "stepSizeUp", [R, R, R, R, R, R, T]);
  probeOption("cyclic", make, base, "stepSizeDown", [R, R, R, R, R, R, T]);
  probeOption("cyclic", make, base, "mode", [T, T, T, T, T, T, R]);
  probeOption("cyclic", make, base, "gamma", [R, R, R, R, R, R, T]);
  assert.throws(() => make({ baseLr: 0.2, maxLr: 0.1 }), {
    name: "RangeError",
    message: "cyclic: baseLr (0.2) must be <= maxLr (0.1)",
  });
  probeUnknown("cyclic", make, base, "step_size_up", "stepSizeUp");
});

Deno.test("cyclicMomentum: PyTorch's CyclicLR momentum in all three modes", () => {
  for (const mode of ["triangular", "triangular2", "exp_range"] as const) {
    const options = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, stepSizeDown: 6, mode, gamma: 0.99 };
    const momentum = cyclicMomentum({ ...options, baseMomentum: 0.7, maxMomentum: 0.95 });
    for (let t = 0; t < 60; t++) {
      // PyTorch 1.13 CyclicLR.get_lr
      const cycle = Math.floor(1 + t / 10);
      const x = 1 + t / 10 - cycle;
      const scaleFactor = x <= 0.4 ? x / 0.4 : (x - 1) / (0.4 - 1);
      const fn = mode === "triangular"
        ? 1
        : mode === "triangular2"
        ? 1 / 2 ** (cycle - 1)
        : 0.99 ** t;
      const expected = 0.95 - (0.95 - 0.7) * scaleFactor * fn;
      assertClose(momentum(t), expected, 1e-15, `${mode} t=${t}`);
    }
  }
  const defaults = cyclicMomentum({ baseLr: 0, maxLr: 1, stepSizeUp: 3 });
  assert.deepEqual([0, 3, 6].map((t) => +defaults(t).toFixed(12)), [0.9, 0.8, 0.9]);
});

Deno.test("cyclicMomentum: validates the cycle's options and its own", () => {
  const make = (o: Record<string, unknown>) => cyclicMomentum(o as never);
  const base = { baseLr: 0.01, maxLr: 0.1 };
  probeOption("cyclicMomentum", make, base, "baseMomentum", [R, R, R, R, "ok", R, T]);
  probeOption("cyclicMomentum", make, base, "maxMomentum", [R, R, R, R, R, R, T]);
  probeOption("cyclicMomentum", make, base, "gamma", [R, R, R, R, R, R, T]);
  probeUnknown("cyclicMomentum", make, base, "max_momentum", "maxMomentum");
  probeSteps("cyclicMomentum", make(base));
});

Deno.test("cyclic: finite when the step sizes together pass the largest number", () => {
  const huge = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 1e308, stepSizeDown: 1e308 };
  for (const make of [cyclic, cyclicMomentum]) {
    const lr = make(huge);
    for (const t of [0, 1, 5e307, 1e308, 1.5e308, Number.MAX_VALUE]) {
      assert.ok(Number.isFinite(lr(t)), `${make.name}(${t})`);
    }
  }
  assertClose(cyclic(huge)(1e308), 0.1, 1e-15); // the top, half way through the cycle
});
