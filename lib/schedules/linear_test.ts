import assert from "node:assert/strict";
import { linear } from "./linear.ts";
import {
  assertPure,
  assertSequence,
  probeOption,
  probeSteps,
  probeUnknown,
  R,
  T,
} from "./_testing.ts";

const make = (o: Record<string, unknown>) => linear(o as never);
const base = { startLr: 0.01, endLr: 0.1, maxUpdate: 5 };

/** PyTorch 1.13's recursive LinearLR.get_lr, stepped in order. */
function torchLinearLR(baseLr: number, startF: number, endF: number, total: number, n: number) {
  let lr = baseLr;
  const out: number[] = [];
  for (let e = 0; e < n; e++) {
    if (e === 0) lr = baseLr * startF;
    else if (e <= total) {
      lr = lr * (1 + (endF - startF) / (total * startF + (e - 1) * (endF - startF)));
    }
    out.push(lr);
  }
  return out;
}

Deno.test("linear: matches PyTorch's LinearLR, rising and falling", () => {
  for (const [b, s, e, n] of [[0.1, 0.25, 1, 8], [1, 1, 0.1, 20], [0.5, 0.5, 0.75, 3]]) {
    const lr = linear({ startLr: b * s, endLr: b * e, maxUpdate: n });
    assertSequence(lr, torchLinearLR(b, s, e, n, 3 * n), 1e-12, `${s} -> ${e} over ${n}`);
  }
});

Deno.test("linear: hand-checked values", () => {
  const lr = linear({ startLr: 1, endLr: 0, maxUpdate: 4 });
  assert.deepEqual([0, 1, 2, 3, 4, 5, 0.5].map(lr), [1, 0.75, 0.5, 0.25, 0, 0, 0.875]);
  assertPure(lr);
  probeSteps("linear", lr);
});

Deno.test("linear: validates every option", () => {
  probeOption("linear", make, base, "startLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("linear", make, base, "endLr", [R, R, R, R, "ok", "ok", T]);
  probeOption("linear", make, base, "maxUpdate", [R, R, R, R, R, R, T]);
  assert.throws(() => make({ startLr: 0, endLr: 1 }), /linear: maxUpdate is required/);
  probeUnknown("linear", make, base, "endLR", "endLr");
});

Deno.test("linear: finite where (endLr - startLr) * t would overflow", () => {
  assert.equal(linear({ startLr: 0, endLr: 1e300, maxUpdate: 1e9 })(5e8), 5e299);
  const down = linear({ startLr: Number.MAX_VALUE, endLr: 0, maxUpdate: 2 ** 1000 });
  assert.equal(down(2 ** 999), Number.MAX_VALUE / 2);
});
