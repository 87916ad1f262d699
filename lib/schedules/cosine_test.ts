import assert from "node:assert/strict";
import { cosine } from "./cosine.ts";
import { warmup } from "./warmup.ts";
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

const make = (o: Record<string, unknown>) => cosine(o as never);
const base = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, warmupSteps: 5 };

/** The chapter's stateful CosineScheduler, called once per t in order. */
function chapterCosine(
  maxUpdate: number,
  baseLr: number,
  finalLr: number,
  warmupSteps: number,
  warmupBeginLr: number,
  n: number,
): number[] {
  let current = baseLr;
  const maxSteps = maxUpdate - warmupSteps;
  const out: number[] = [];
  for (let epoch = 0; epoch < n; epoch++) {
    if (epoch < warmupSteps) {
      out.push(warmupBeginLr + (baseLr - warmupBeginLr) * epoch / warmupSteps);
      continue;
    }
    if (epoch <= maxUpdate) {
      current = finalLr +
        (baseLr - finalLr) * (1 + Math.cos(Math.PI * (epoch - warmupSteps) / maxSteps)) / 2;
    }
    out.push(current);
  }
  return out;
}

/** PyTorch 1.13's recursive CosineAnnealingLR.get_lr, stepped in order. */
function torchCosineAnnealing(baseLr: number, tMax: number, etaMin: number, n: number): number[] {
  let lr = baseLr;
  const out: number[] = [];
  for (let e = 0; e < n; e++) {
    if (e === 0) lr = baseLr;
    else if ((e - 1 - tMax) % (2 * tMax) === 0) {
      lr = lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    } else {
      lr = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) *
          (lr - etaMin) + etaMin;
    }
    out.push(lr);
  }
  return out;
}

Deno.test("cosine: matches the chapter's CosineScheduler on configurations not in the file", () => {
  for (
    const [T, b, f, w, wb] of [[30, 0.5, 0.0, 7, 0.02], [10, 1, 0.1, 0, 0], [
      100,
      0.1,
      0.001,
      10,
      0,
    ]]
  ) {
    const lr = cosine({ baseLr: b, finalLr: f, maxUpdate: T, warmupSteps: w, warmupBeginLr: wb });
    assertSequence(lr, chapterCosine(T, b, f, w, wb, 3 * T), 1e-12, `T=${T} w=${w}`);
  }
});

Deno.test("cosine: periodic matches PyTorch's CosineAnnealingLR past T_max", () => {
  for (const [T, b, f] of [[7, 0.2, 0.0], [13, 1, 0.05], [50, 0.1, 0.001]]) {
    const lr = cosine({ baseLr: b, finalLr: f, maxUpdate: T, periodic: true });
    assertSequence(lr, torchCosineAnnealing(b, T, f, 4 * T + 3), 1e-9, `T=${T}`);
  }
  // the default holds the final rate instead
  assert.equal(cosine({ baseLr: 1, maxUpdate: 10 })(15), 0);
  assertClose(cosine({ baseLr: 1, maxUpdate: 10, periodic: true })(15), 0.5, 1e-12);
});

Deno.test("cosine: hand-checked points, warmup inside maxUpdate", () => {
  const lr = cosine(base);
  assertClose(lr(0), 0, 0);
  assertClose(lr(2.5), 0.15, 1e-15); // fractional steps: half way up the ramp
  assert.equal(lr(5), 0.3);
  assertClose(lr(12.5), 0.155, 1e-12); // half way down
  assert.equal(lr(20), 0.01);
  assert.equal(lr(1e6), 0.01);
  assertPure(lr);
  probeSteps("cosine", lr);
});

Deno.test("cosine: its warmup is warmup() in front of a shorter cosine", () => {
  const chapter = cosine({ ...base, warmupBeginLr: 0.05 });
  const composed = warmup(cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 15 }), {
    steps: 5,
    beginLr: 0.05,
  });
  for (let t = 0; t <= 40; t += 0.5) assertClose(composed(t), chapter(t), 1e-12, `t=${t}`);
});

Deno.test("cosine: warmupSteps === maxUpdate ramps, then drops to finalLr", () => {
  const lr = cosine({ baseLr: 1, finalLr: 0.1, maxUpdate: 4, warmupSteps: 4 });
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(lr), [0, 0.25, 0.5, 0.75, 0.1, 0.1]);
});

Deno.test("cosine: validates every option", () => {
  probeOption("cosine", make, base, "baseLr", [R, R, R, R, R, "ok", T]); // 0 < finalLr
  probeOption("cosine", make, base, "finalLr", [R, R, R, R, "ok", R, T]); // 2.5 > baseLr
  probeOption("cosine", make, base, "maxUpdate", [R, R, R, R, R, R, T]);
  probeOption("cosine", make, base, "warmupSteps", [R, R, R, R, "ok", R, T]);
  probeOption("cosine", make, base, "warmupBeginLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("cosine", make, base, "periodic", [T, T, T, T, T, T, T]);
  assert.throws(() => make({ ...base, warmupSteps: 25 }), {
    name: "RangeError",
    message: "cosine: warmupSteps (25) must be <= maxUpdate (20)",
  });
  assert.throws(() => make({ ...base, finalLr: 0.5 }), {
    name: "RangeError",
    message: "cosine: finalLr (0.5) must be <= baseLr (0.3)",
  });
  assert.throws(() => make({ baseLr: 0.1 }), {
    name: "TypeError",
    message: "cosine: maxUpdate is required",
  });
  probeUnknown("cosine", make, base, "baseLR", "baseLr");
  probeUnknown("cosine", make, base, "max_update", "maxUpdate");
  probeUnknown("cosine", make, base, "warmupStep", "warmupSteps");
});

Deno.test("cosine: finite at the largest rates and steps", () => {
  assert.equal(cosine({ baseLr: 1e308, maxUpdate: 10 })(0), 1e308);
  assert.equal(cosine({ baseLr: Number.MAX_VALUE, maxUpdate: 10 })(0), Number.MAX_VALUE);
  assertClose(cosine({ baseLr: 1e308, maxUpdate: 10 })(5), 5e307, 1e-15);
  const periodic = cosine({ baseLr: 0.3, finalLr: 0.01, maxUpdate: 20, periodic: true });
  for (const t of [1e300, 1e308, Number.MAX_VALUE]) {
    const rate = periodic(t);
    assert.ok(rate >= 0.01 && rate <= 0.3, `t=${t}: ${rate}`);
  }
  // past 5.7e307 steps the step is first taken modulo the period: 2^1023 = 8 (mod 40)
  assertClose(periodic(2 ** 1023), 0.01 + 0.29 * (1 + Math.cos(Math.PI * 8 / 20)) / 2, 1e-15);
  const longest = cosine({ baseLr: 0.3, maxUpdate: Number.MAX_VALUE, warmupSteps: 5 });
  assertClose(longest(Number.MAX_VALUE / 2), 0.15, 1e-12); // half way down the longest cosine
  const ramp = cosine({ baseLr: 1e300, maxUpdate: 2e9, warmupSteps: 1e9 });
  assert.equal(ramp(5e8), 5e299);
});
