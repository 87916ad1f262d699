import assert from "node:assert/strict";
import { poly } from "./poly.ts";
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

const make = (o: Record<string, unknown>) => poly(o as never);
const base = { baseLr: 0.1, finalLr: 0.01, maxUpdate: 30, power: 2 };

/** PyTorch 1.13's recursive PolynomialLR.get_lr, stepped in order. */
function torchPolynomialLR(baseLr: number, total: number, power: number, n: number) {
  let lr = baseLr;
  const out: number[] = [];
  for (let e = 0; e < n; e++) {
    if (e !== 0 && e <= total) {
      lr *= ((1 - e / total) / (1 - (e - 1) / total)) ** power;
    }
    out.push(lr);
  }
  return out;
}

Deno.test("poly: matches PyTorch's PolynomialLR for other powers", () => {
  for (const [total, power] of [[10, 0.5], [25, 3], [7, 1.5]]) {
    assertSequence(
      poly({ baseLr: 0.2, maxUpdate: total, power }),
      torchPolynomialLR(0.2, total, power, 3 * total),
      1e-9,
      `T=${total} p=${power}`,
    );
  }
});

Deno.test("poly: the chapter's exercise form with a final rate", () => {
  const lr = poly(base);
  assert.equal(lr(0), 0.1);
  assertClose(lr(15), 0.01 + 0.09 * 0.25, 1e-15);
  assert.equal(lr(30), 0.01);
  assert.equal(lr(31), 0.01);
  assert.equal(poly({ baseLr: 1, maxUpdate: 4 })(1), 0.75); // power defaults to 1
  assertPure(lr);
  probeSteps("poly", lr);
});

Deno.test("poly: validates every option", () => {
  probeOption("poly", make, base, "baseLr", [R, R, R, R, R, "ok", T]);
  probeOption("poly", make, base, "finalLr", [R, R, R, R, "ok", R, T]);
  probeOption("poly", make, base, "maxUpdate", [R, R, R, R, R, R, T]);
  probeOption("poly", make, base, "power", [R, R, R, R, R, "ok", T]);
  probeUnknown("poly", make, base, "pow", "power");
});
