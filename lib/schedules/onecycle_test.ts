import assert from "node:assert/strict";
import { onecycle, onecycleMomentum } from "./onecycle.ts";
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

const make = (o: Record<string, unknown>) => onecycle(o as never);
const base = { maxLr: 0.5, totalSteps: 60 };

/** PyTorch 1.13's OneCycleLR.get_lr, written as PyTorch writes it. */
function torchOneCycle(
  maxLr: number,
  totalSteps: number,
  pctStart: number,
  annealStrategy: "cos" | "linear",
  divFactor: number,
  finalDivFactor: number,
  threePhase: boolean,
): number[] {
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const phases = threePhase
    ? [
      { end_step: pctStart * totalSteps - 1, start: initialLr, end: maxLr },
      { end_step: 2 * pctStart * totalSteps - 2, start: maxLr, end: initialLr },
      { end_step: totalSteps - 1, start: initialLr, end: minLr },
    ]
    : [
      { end_step: pctStart * totalSteps - 1, start: initialLr, end: maxLr },
      { end_step: totalSteps - 1, start: maxLr, end: minLr },
    ];
  const annealCos = (start: number, end: number, pct: number) =>
    end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
  const annealLinear = (start: number, end: number, pct: number) => (end - start) * pct + start;
  const anneal = annealStrategy === "cos" ? annealCos : annealLinear;
  const out: number[] = [];
  for (let stepNum = 0; stepNum < totalSteps; stepNum++) {
    let startStep = 0;
    for (let i = 0; i < phases.length; i++) {
      const endStep = phases[i].end_step;
      if (stepNum <= endStep || i === phases.length - 1) {
        const pct = (stepNum - startStep) / (endStep - startStep);
        out.push(anneal(phases[i].start, phases[i].end, pct));
        break;
      }
      startStep = phases[i].end_step;
    }
  }
  return out;
}

Deno.test("onecycle: matches PyTorch's OneCycleLR, three phases and linear included", () => {
  const configs: Array<[number, number, number, "cos" | "linear", number, number, boolean]> = [
    [1, 100, 0.3, "cos", 25, 1e4, true],
    [0.1, 37, 0.25, "linear", 10, 100, true],
    [0.8, 11, 0.45, "cos", 4, 10, false],
    [2, 200, 0.1, "linear", 25, 1e4, false],
  ];
  for (
    const [maxLr, totalSteps, pctStart, anneal, divFactor, finalDivFactor, threePhase] of configs
  ) {
    const lr = onecycle({
      maxLr,
      totalSteps,
      pctStart,
      anneal,
      divFactor,
      finalDivFactor,
      threePhase,
    });
    assertSequence(
      lr,
      torchOneCycle(maxLr, totalSteps, pctStart, anneal, divFactor, finalDivFactor, threePhase),
      1e-12,
      `${totalSteps} steps, ${anneal}, threePhase ${threePhase}`,
    );
  }
});

Deno.test("onecycle: hand-checked three-phase cosine cycle over 10 steps", () => {
  // phases end at steps 2, 4 and 9; initial 0.04, min 4e-6
  const lr = onecycle({ maxLr: 1, totalSteps: 10, threePhase: true });
  const expected = [0.04, 0.52, 1, 0.52, 0.04];
  expected.forEach((v, t) => assertClose(lr(t), v, 1e-12, `step ${t}`));
  assertClose(lr(6), 0.0261817218535102, 1e-12);
  assertClose(lr(9), 4e-6, 1e-12);
  assertClose(lr(50), 4e-6, 1e-12); // held after the cycle
  assertPure(lr, 10);
  probeSteps("onecycle", lr);
});

Deno.test("onecycle: validates every option", () => {
  probeOption("onecycle", make, base, "maxLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("onecycle", make, base, "totalSteps", [R, R, R, R, R, R, T]);
  probeOption("onecycle", make, base, "pctStart", [R, R, R, R, R, R, T]);
  probeOption("onecycle", make, base, "divFactor", [R, R, R, R, R, "ok", T]);
  probeOption("onecycle", make, base, "finalDivFactor", [R, R, R, R, R, "ok", T]);
  probeOption("onecycle", make, base, "anneal", [T, T, T, T, T, T, R]);
  probeOption("onecycle", make, base, "threePhase", [T, T, T, T, T, T, T]);
  assert.throws(() => make({ maxLr: 1, totalSteps: 10, pctStart: 0.1 }), {
    name: "RangeError",
    message: /onecycle: pctStart \(0.1\) \* totalSteps \(10\) must be > 1/,
  });
  assert.throws(() => make({ maxLr: 1, totalSteps: 10, pctStart: 0.6, threePhase: true }), {
    name: "RangeError",
    message: /onecycle: pctStart \(0.6\) leaves phase 3 of 3 with no steps/,
  });
  probeUnknown("onecycle", make, base, "anneal_strategy", "anneal");
  probeUnknown("onecycle", make, base, "threephase", "threePhase");
});

Deno.test("onecycle: finite at the largest rate", () => {
  const lr = onecycle({ maxLr: Number.MAX_VALUE, totalSteps: 100, divFactor: 1 });
  for (let t = 0; t < 110; t += 0.5) {
    const rate = lr(t);
    assert.ok(rate >= 0 && rate <= Number.MAX_VALUE, `t=${t}: ${rate}`);
  }
  assert.equal(lr(29), Number.MAX_VALUE);
});

Deno.test("onecycleMomentum: against the rate, phase for phase, PyTorch's defaults", () => {
  for (const anneal of ["cos", "linear"] as const) {
    for (const threePhase of [false, true]) {
      const options = { maxLr: 1, totalSteps: 50, pctStart: 0.3, anneal, threePhase };
      const lr = onecycle(options);
      const momentum = onecycleMomentum(options);
      const low = onecycleMomentum({ ...options, baseMomentum: 0.5, maxMomentum: 0.9 });
      // the momentum mirrors the rate: in each phase it has gone the same fraction of its
      // way (against the rate) as the rate has gone of its own
      const start = lr(0), bottom = start / 1e4, peak = 14, end = threePhase ? 28 : 49;
      for (let t = 0; t <= end; t++) {
        const way = t <= peak
          ? (lr(t) - start) / (1 - start)
          : 1 - (1 - lr(t)) / (1 - (threePhase ? start : bottom));
        assertClose(momentum(t), 0.95 - 0.1 * way, 1e-12, `${anneal} ${threePhase} t=${t}`);
        assertClose(low(t), 0.9 - 0.4 * way, 1e-12, `t=${t}`);
      }
      assert.equal(momentum(0), 0.95);
      assert.equal(momentum(14), 0.85); // the peak rate, at pctStart * totalSteps - 1
      for (const t of [end, 49, 60, 1e308]) assertClose(momentum(t), 0.95, 1e-15, `t=${t}`);
    }
  }
});

Deno.test("onecycleMomentum: validates the cycle's options and its own", () => {
  const make = (o: Record<string, unknown>) => onecycleMomentum(o as never);
  const base = { maxLr: 1, totalSteps: 100 };
  probeOption("onecycleMomentum", make, base, "baseMomentum", [R, R, R, R, "ok", R, T]);
  probeOption("onecycleMomentum", make, base, "maxMomentum", [R, R, R, R, R, R, T]); // 0 < base
  probeOption("onecycleMomentum", make, base, "pctStart", [R, R, R, R, R, R, T]);
  assert.throws(() => make({ ...base, baseMomentum: 0.96 }), {
    name: "RangeError",
    message: "onecycleMomentum: baseMomentum (0.96) must be <= maxMomentum (0.95)",
  });
  assert.throws(() => make({ ...base, pctStart: 0.001 }), /onecycleMomentum: pctStart \(0\.001\)/);
  probeUnknown("onecycleMomentum", make, base, "base_momentum", "baseMomentum");
  probeSteps("onecycleMomentum", make(base));
});
