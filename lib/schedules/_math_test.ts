import assert from "node:assert/strict";
import { halfCosine, ramp } from "./_math.ts";

Deno.test("_math: ramp keeps the written order's bits, and is finite where that overflows", () => {
  for (const [a, b, t, n] of [[0.01, 0.3, 3, 7], [0.3, 0, 5, 11], [1e-3, 2.5, 0.5, 3]]) {
    assert.equal(ramp(a, b, t, n), a + (b - a) * t / n);
  }
  assert.equal(ramp(0, 1e300, 5e8, 1e9), 5e299);
  assert.equal(ramp(1e308, 0, 1e300, 1e301), 9e307);
  assert.equal(ramp(0, Number.MAX_VALUE, 1, 1), Number.MAX_VALUE);
});

Deno.test("_math: halfCosine keeps the written order's bits, and is finite where that overflows", () => {
  for (const [lo, hi, x] of [[0.01, 0.3, 1.1], [0, 1, 0.3], [0.001, 0.1, 3]]) {
    assert.equal(halfCosine(lo, hi, x), lo + (hi - lo) * (1 + Math.cos(x)) / 2);
  }
  assert.equal(halfCosine(0, 1e308, 0), 1e308);
  assert.equal(halfCosine(0, Number.MAX_VALUE, 0), Number.MAX_VALUE);
  assert.equal(halfCosine(1e308, Number.MAX_VALUE, Math.PI), 1e308);
  assert.ok(Number.isFinite(halfCosine(0, Number.MAX_VALUE, 1)));
});
