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
  probeOption("sgdr", make, base, "tMult", [R, R, R, R, R, R, T]);
  assert.throws(() => make({ baseLr: 0.1 }), {
    name: "TypeError",
    message: "sgdr: t0 is required",
  });
  probeUnknown("sgdr", make, base, "T_0", "t0");
  probeUnknown("sgdr", make, base, "tmul", "tMult");
});
