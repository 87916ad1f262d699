import assert from "node:assert/strict";
import { sgdr } from "./sgdr.ts";
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

const make = (o: Record<string, unknown>) => sgdr(o as never);
const base = { baseLr: 0.1, finalLr: 0.001, t0: 10, tMult: 2 };

/** PyTorch 1.13's CosineAnnealingWarmRestarts, stepped without an epoch argument. */
function torchCAWR(baseLr: number, t0: number, tMult: number, etaMin: number, n: number) {
  let tCur = 0;
  let tI = t0;
  const out: number[] = [];
  for (let e = 0; e < n; e++) {
    if (e > 0) {
      tCur += 1;
      if (tCur >= tI) {
        tCur -= tI;
        tI *= tMult;
      }
    }
    out.push(etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
  }
  return out;
}

Deno.test("sgdr: matches PyTorch's CosineAnnealingWarmRestarts, tMult > 1 included", () => {
  for (
    const [t0, tMult, b, f] of [[10, 1, 0.1, 0], [3, 2, 1, 0.1], [1, 3, 0.5, 0], [5, 2, 0.2, 0.01]]
  ) {
    const lr = sgdr({ baseLr: b, finalLr: f, t0, tMult });
    assertSequence(lr, torchCAWR(b, t0, tMult, f, 2000), 1e-9, `t0=${t0} tMult=${tMult}`);
  }
});

Deno.test("sgdr: hand-checked values and the closed-form cycle search", () => {
  const lr = sgdr({ baseLr: 1, finalLr: 0.1, t0: 3, tMult: 2 }); // cycles start at 0, 3, 9, 21, 45
  for (const start of [0, 3, 9, 21, 45, 93, 3 * (2 ** 20 - 1)]) {
    assert.equal(lr(start), 1, `${start}`);
  }
  assertClose(lr(10), 0.9846666218300807, 1e-12); // step 1 of the 12-step cycle
  assertClose(lr(8.999999), 0.1, 1e-6);
  assertPure(lr);
  probeSteps("sgdr", lr);
});

Deno.test("sgdr: validates every option", () => {
  probeOption("sgdr", make, base, "baseLr", [R, R, R, R, R, "ok", T]); // 0 < finalLr
  probeOption("sgdr", make, base, "finalLr", [R, R, R, R, "ok", R, T]);
  probeOption("sgdr", make, base, "t0", [R, R, R, R, R, R, T]);
  probeOption("sgdr", make, base, "tMult", [R, R, R, R, R, "ok", T]);
  probeOption("sgdr", make, base, "peakDecay", [R, R, R, R, R, R, T]);
  probeOption("sgdr", make, base, "cycles", [R, R, R, R, R, R, T]);
  assert.throws(() => make({ ...base, tMult: 0.5 }), {
    name: "RangeError",
    message: "sgdr: tMult (0.5) must be >= 1",
  });
  assert.doesNotThrow(() => make({ ...base, peakDecay: 0.5, cycles: 3 }));
  assert.throws(() => make({ baseLr: 0.1 }), {
    name: "TypeError",
    message: "sgdr: t0 is required",
  });
  probeUnknown("sgdr", make, base, "T_0", "t0");
  probeUnknown("sgdr", make, base, "tmul", "tMult");
});

Deno.test("sgdr: a real tMult matches PyTorch's stepping (T_i *= T_mult, T_cur -= T_i)", () => {
  for (const [t0, tMult] of [[4, 1.5], [3, 1.25], [1, 2.5], [10, 1.75], [2, 1.1]]) {
    const lr = sgdr({ baseLr: 0.5, finalLr: 0.01, t0, tMult });
    assertSequence(lr, torchCAWR(0.5, t0, tMult, 0.01, 3000), 1e-9, `t0=${t0} tMult=${tMult}`);
  }
});

Deno.test("sgdr: peaks decay per restart; after the cycle limit the rate holds finalLr", () => {
  const lr = sgdr({ baseLr: 1, finalLr: 0.1, t0: 5, tMult: 2, peakDecay: 0.5, cycles: 3 });
  // cycles start at 0, 5, 15 and the limit at 35
  assert.deepEqual([0, 5, 15].map(lr), [1, 0.5, 0.25]);
  assertClose(lr(10), 0.1 + (0.5 - 0.1) / 2, 1e-12); // half way through the second cycle
  assertClose(lr(34), 0.1 + (0.25 - 0.1) * (1 + Math.cos(Math.PI * 19 / 20)) / 2, 1e-12);
  for (const t of [35, 36, 1e6, 1e300]) assert.equal(lr(t), 0.1);
  // a peak below the floor rises to it, as timm's does, and never goes negative
  const low = sgdr({ baseLr: 1, finalLr: 0.5, t0: 2, peakDecay: 0.1 });
  assertClose(low(2), 0.1, 1e-15);
  assertClose(low(3), 0.3, 1e-12);
  assert.equal(low(1e308), 0); // a restart whose peak 0.1^(5e307) is 0
});

Deno.test("sgdr: restarts stay exact where the cycle starts pass 2^53 in between", () => {
  const lr = sgdr({ baseLr: 1, t0: 1, tMult: 100 });
  // the ninth restart, (100^8 - 1) / 99, whose 100^8 is past 2^53
  assert.equal(lr(101010101010101), 1);
  assert.ok(lr(101010101010100) < 1e-20, "the end of the eighth cycle");
  assertClose(lr(101010101010101 + 5e15), 0.5, 1e-12); // half way through a 1e16-step cycle
  const doubling = sgdr({ baseLr: 1, t0: 3, tMult: 2 });
  for (const i of [53, 60, 100, 1000]) {
    // cycle i starts at 3 (2^i - 1), which is no double: 3 * 2^i is 3 steps after it
    assertClose(doubling(3 * 2 ** i), 1, 1e-12, `just after restart ${i}`);
    assert.ok(doubling(3 * 2 ** i - 2 ** (i - 49)) < 1e-12, `just before restart ${i}`);
  }
});

Deno.test("sgdr: finite at every step, for extreme tMult and t0", () => {
  const steps = [0, 5e-324, 0.5, 1, 1e9, 2 ** 53 - 1, 2 ** 53 + 2, 1e200, 1e308, Number.MAX_VALUE];
  for (const tMult of [1, 1 + 1e-12, 1.5, 2, 3, 100, 1e10, 1e300, Number.MAX_VALUE]) {
    for (const t0 of [1, 7, 2 ** 53, 1e300]) {
      const lr = sgdr({ baseLr: 1, finalLr: 1e-3, t0, tMult, peakDecay: 0.9 });
      for (const t of steps) {
        const rate = lr(t);
        assert.ok(rate >= 0 && rate <= 1, `tMult=${tMult} t0=${t0} t=${t}: ${rate}`);
      }
    }
  }
  assert.ok(sgdr({ baseLr: 1, t0: 1, tMult: 1e300 })(1e9) > 0.99); // the second cycle is 1e300 long
});
