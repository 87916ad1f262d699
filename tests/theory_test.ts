/**
 * The "theory" chapter's simulation: the helpers its cells and prose rely on
 * compute what they say, and its claims hold on fresh seeds (not the ones
 * the chapter uses), so a wrong formula or a broken simulation fails here.
 */

import assert from "node:assert/strict";
import {
  logLogSlope,
  logSpaced,
  measureFloor,
  normals,
  PROBLEM,
  sgdStep,
  stationaryVariance,
  updatesToTravel,
} from "../chapters/theory.ts";

Deno.test("theory: the normal numbers have mean 0 and variance 1, and a seed repeats them", () => {
  const z = normals(12345), n = 200_000;
  let sum = 0, squares = 0;
  for (let i = 0; i < n; i++) {
    const x = z();
    sum += x;
    squares += x * x;
  }
  assert.ok(Math.abs(sum / n) < 0.01, `mean ${sum / n}`);
  assert.ok(Math.abs(squares / n - 1) < 0.02, `variance ${squares / n}`);
  const a = normals(3), b = normals(3);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
});

Deno.test("theory: the stationary variance is the fixed point of the variance recursion", () => {
  for (const [eta, lambda, sigma] of [[0.1, 1, 1], [0.3, 4, 2], [1.9, 1, 0.5]]) {
    const p = { lambda, sigma }, v = stationaryVariance(eta, p);
    assert.ok(Math.abs((1 - eta * lambda) ** 2 * v + eta ** 2 * sigma ** 2 - v) < 1e-12 * v);
  }
  assert.equal(sgdStep(2, 0.5, PROBLEM, 0), 1); // x − η λ x
  assert.equal(sgdStep(0, 0.5, { lambda: 1, sigma: 2 }, 1), -1); // x − η σ z
});

Deno.test("theory: the simulated floor matches the formula within four standard errors (fresh seeds)", () => {
  for (const [eta, lambda, seed] of [[0.05, 1, 77], [1.5, 1, 78], [0.2, 4, 79]]) {
    const p = { lambda, sigma: 1 };
    const m = measureFloor(eta, p, seed)!;
    const z = (m.mean - stationaryVariance(eta, p)) / m.se;
    assert.ok(Math.abs(z) < 4, `η = ${eta}, λ = ${lambda}: ${m.mean} ± ${m.se}, z = ${z}`);
  }
  assert.equal(measureFloor(2.1, PROBLEM, 80, { chains: 5, burnIn: 2000, updates: 10 }), null);
});

Deno.test("theory: log–log slopes and log-spaced updates", () => {
  const ts = logSpaced(1000);
  assert.equal(ts[0], 1);
  assert.equal(ts.at(-1), 1000);
  assert.ok(ts.every((t, i) => i === 0 || t > ts[i - 1]));
  assert.ok(Math.abs(logLogSlope(ts, ts.map((t) => 3 * t ** -0.5)) + 0.5) < 1e-12);
  assert.ok(Math.abs(logLogSlope(ts, ts.map(() => 2))) < 1e-12);
});

Deno.test("theory: 1/(t+1) steps make SGD the running mean (E[x²] = σ²/t), at slope -1", () => {
  const z = normals(2024), chains = 400, T = 2000;
  const xs = new Float64Array(chains).fill(5);
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < chains; c++) xs[c] = sgdStep(xs[c], 1 / (t + 1), PROBLEM, z());
  }
  const mse = xs.reduce((a, x) => a + x * x, 0) / chains;
  assert.ok(Math.abs(mse * T - 1) < 0.3, `T·E[x²] = ${mse * T}`);
});

Deno.test("theory: the steps needed to travel a distance", () => {
  assert.equal(updatesToTravel(() => 0.1, 1), 10);
  assert.equal(updatesToTravel((t) => 1 / (t + 1), 1.5), 2); // 1 + 1/2
  assert.equal(updatesToTravel((t) => 0.5 / (t + 1) ** 2, 1, 1e5), null); // the sum stays below 0.83
});
