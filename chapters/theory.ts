/**
 * Chapter "theory": why a learning rate should decay at all, on a problem small
 * enough to solve exactly and to simulate in moments.
 *
 * Not in the seed: the seed's introduction only says that the rate should
 * decay, and that $\mathcal{O}(t^{-1/2})$ suits convex problems. This chapter
 * shows why, on SGD for a one-dimensional quadratic with noisy gradients: the
 * noise floor of a constant step and its formula, checked by simulation
 * (`noise-floor`); the Robbins–Monro conditions (`sums`); the error of
 * constant, $1/\sqrt{t}$ and $1/t$ steps with slopes fitted on log–log axes
 * (`decay`); why convex theory prefers $1/\sqrt{t}$ (`distance`); and how rate
 * and batch size trade (`batch`). Every simulation is seeded (Mulberry32) and
 * steps once per update; nothing trains a network.
 *
 * @module
 */

import { type Chapter, code, md, type Output, prose } from "../lib/book/types.ts";
import { tableRowsOf } from "../lib/book/measure.ts";
import { mulberry32 } from "../lib/train/rng.ts";

// #region problem
/** The problem: f(x) = ½ λ x², whose gradient λx is only seen through noise of variance σ². */
export interface Problem {
  /** The curvature λ (the second derivative). */
  lambda: number;
  /** The standard deviation σ of the gradient noise. */
  sigma: number;
}

/** The problem of this chapter, unless a cell says otherwise. */
export const PROBLEM: Problem = { lambda: 1, sigma: 1 };

/** Standard normal numbers (Box–Muller), from the seeded uniform generator. */
export function normals(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 - u is in (0, 1]: the log is finite
    const angle = 2 * Math.PI * uniform();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
}

/** One SGD update: x ← x − η·(λx + σz), the gradient's noise σz drawn fresh each time. */
export function sgdStep(x: number, eta: number, p: Problem, z: number): number {
  return x - eta * (p.lambda * x + p.sigma * z);
}

/** Two runs of 300 updates from x = 5, at a small and at a large constant rate. */
function trajectories(): Output[] {
  return [0.05, 0.5].map((eta) => {
    const z = normals(1);
    const xs = [5];
    for (let t = 0; t < 300; t++) xs.push(sgdStep(xs[t], eta, PROBLEM, z()));
    return {
      kind: "schedule",
      label: `η = ${eta}`,
      unit: "update",
      steps: xs.map((_x, t) => t),
      lrs: xs,
      quantity: "the iterate x (the minimum is at 0)",
    };
  });
}
// #endregion problem

// #region noise-floor
/** The stationary variance of constant-step SGD on the problem: ησ² / (λ(2 − ηλ)). */
export function stationaryVariance(eta: number, p: Problem): number {
  return (eta * p.sigma ** 2) / (p.lambda * (2 - eta * p.lambda));
}

/** Independent runs per measurement, updates to forget the start, updates averaged over. */
export const FLOOR = { chains: 200, burnIn: 700, updates: 800 } as const;

/**
 * The variance of x once constant-step SGD has forgotten its start, measured
 * on `chains` independent runs from x = 0: each runs `burnIn` updates, then
 * averages x² over `updates` more. The runs' averages are independent, so
 * their spread gives the standard error. `null` if a run diverged (ended
 * with |x| beyond 10¹², or not a number).
 */
export function measureFloor(
  eta: number,
  p: Problem,
  seed: number,
  { chains, burnIn, updates }: { chains: number; burnIn: number; updates: number } = FLOOR,
): { mean: number; se: number } | null {
  const z = normals(seed);
  const averages: number[] = [];
  for (let c = 0; c < chains; c++) {
    let x = 0, sum = 0;
    for (let t = 0; t < burnIn + updates; t++) {
      x = sgdStep(x, eta, p, z());
      if (t >= burnIn) sum += x * x;
    }
    if (!(Math.abs(x) < 1e12)) return null; // far beyond any floor here: diverged
    averages.push(sum / updates);
  }
  const mean = averages.reduce((a, b) => a + b, 0) / chains;
  const spread = averages.reduce((a, b) => a + (b - mean) ** 2, 0) / (chains - 1);
  return { mean, se: Math.sqrt(spread / chains) };
}

/** The floor measured and predicted for two curvatures and rates up to the stability limit 2/λ. */
function noiseFloor(): Output[] {
  const rows: (string | number)[][] = [];
  for (const lambda of [1, 4]) {
    for (const etaLambda of [0.02, 0.1, 0.5, 1, 1.5, 1.9]) {
      const p = { lambda, sigma: 1 }, eta = etaLambda / lambda;
      const m = measureFloor(eta, p, rows.length + 1)!;
      const exact = stationaryVariance(eta, p);
      const approx = (eta * p.sigma ** 2) / (2 * lambda); // the small-rate approximation
      rows.push([lambda, eta, etaLambda, m.mean, m.se, exact, m.mean / exact, approx]);
    }
  }
  const columns = ["λ", "η", "ηλ", "measured", "± s.e.", "ησ²/(λ(2−ηλ))", "ratio", "ησ²/(2λ)"];
  return [{ kind: "table", columns, rows }];
}
// #endregion noise-floor

// #region sums
/** The step sizes of this chapter, as functions of the update t = 0, 1, 2, ... */
export const STEPS: readonly { name: string; eta: (t: number) => number }[] = [
  { name: "constant 0.1", eta: () => 0.1 },
  { name: "0.5/√(t+1)", eta: (t) => 0.5 / Math.sqrt(t + 1) },
  { name: "1/(t+1)", eta: (t) => 1 / (t + 1) },
  { name: "0.2/(t+1)", eta: (t) => 0.2 / (t + 1) },
  { name: "0.5/(t+1)²", eta: (t) => 0.5 / (t + 1) ** 2 },
];

/** Updates 1 to n at about ten points per factor of ten (for log axes). */
export function logSpaced(n: number): number[] {
  const ts = new Set<number>();
  for (let k = 0; 10 ** (k / 10) <= n; k++) ts.add(Math.round(10 ** (k / 10)));
  return [...ts];
}

/** Σ η_t and Σ η_t² over the first 10², 10⁴ and 10⁶ updates, and the steps on log–log axes. */
function sums(): Output[] {
  const horizons = [1e2, 1e4, 1e6];
  const rows = STEPS.map((s) => {
    let sum = 0, squares = 0;
    const at: number[] = [];
    for (let t = 0; t < horizons[horizons.length - 1]; t++) {
      const eta = s.eta(t);
      sum += eta;
      squares += eta * eta;
      if (horizons.includes(t + 1)) at.push(sum, squares);
    }
    return [s.name, at[0], at[2], at[4], at[1], at[3], at[5]];
  });
  const ts = logSpaced(1e4);
  const curves: Output[] = STEPS.map((s) => ({
    kind: "schedule",
    label: s.name,
    unit: "update",
    steps: ts,
    lrs: ts.map(s.eta),
    log: "xy",
  }));
  const columns = [
    "step size",
    "Σ to 10²",
    "Σ to 10⁴",
    "Σ to 10⁶",
    "Σ² to 10²",
    "Σ² to 10⁴",
    "Σ² to 10⁶",
  ];
  return [{ kind: "table", columns, rows }, ...curves];
}
// #endregion sums

// #region decay
/** The slope of a least-squares line through (log10 x, log10 y). */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log10), ly = ys.map(Math.log10);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0, den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Updates of each run, runs per step size, where each starts and where the slope is fitted. */
export const DECAY = { updates: 10_000, chains: 100, x0: 5, fitFrom: 100 } as const;

/**
 * The mean of x_t² over independent runs of SGD with each step size, at
 * log-spaced updates t, next to its exact value from the recursion
 * E[x²] ← (1 − η_t λ)² E[x²] + η_t² σ² (the noise is independent of x).
 */
function decay(): Output[] {
  const p = PROBLEM, ts = logSpaced(DECAY.updates);
  const rows: (string | number)[][] = [];
  const curves: Output[] = [];
  STEPS.forEach((s, k) => {
    const z = normals(100 + k);
    const xs = new Float64Array(DECAY.chains).fill(DECAY.x0); // all runs side by side
    let exact = DECAY.x0 ** 2;
    const mse: number[] = [], se: number[] = [], exactAt: number[] = [];
    for (let t = 0; t < DECAY.updates; t++) {
      const eta = s.eta(t);
      for (let c = 0; c < xs.length; c++) xs[c] = sgdStep(xs[c], eta, p, z());
      exact = (1 - eta * p.lambda) ** 2 * exact + eta ** 2 * p.sigma ** 2;
      if (t + 1 === ts[mse.length]) {
        const sq = [...xs].map((x) => x * x);
        const mean = sq.reduce((a, b) => a + b, 0) / sq.length;
        const spread = sq.reduce((a, b) => a + (b - mean) ** 2, 0) / (sq.length - 1);
        mse.push(mean);
        se.push(Math.sqrt(spread / sq.length));
        exactAt.push(exact);
      }
    }
    const fit = ts.map((t, i) => [t, mse[i]]).filter(([t]) => t >= DECAY.fitFrom);
    const slope = logLogSlope(fit.map((f) => f[0]), fit.map((f) => f[1]));
    rows.push([s.name, mse.at(-1)!, se.at(-1)!, exactAt.at(-1)!, slope]);
    curves.push({
      kind: "schedule",
      label: s.name,
      unit: "update",
      steps: ts,
      lrs: mse,
      quantity: `mean of x² over ${DECAY.chains} runs`,
      log: "xy",
    });
  });
  const columns = [
    "step size",
    `E[x²] at t = ${DECAY.updates}, measured`,
    "± s.e.",
    "exact",
    `slope, t ≥ ${DECAY.fitFrom}`,
  ];
  return [{ kind: "table", columns, rows }, ...curves];
}
// #endregion decay

// #region distance
/** Updates until the steps add up to `d`: how long a unit-slope descent takes to travel d. */
export function updatesToTravel(eta: (t: number) => number, d: number, limit = 1e8): number | null {
  let sum = 0;
  for (let t = 0; t < limit; t++) {
    sum += eta(t);
    if (sum >= d * (1 - 1e-12)) return t + 1; // ten steps of 0.1 add up to 0.9999999999999999
  }
  return null;
}

/** On f(x) = |x| (slope 1 everywhere, no curvature), from x = d: updates until x reaches 0. */
function distance(): Output[] {
  const steps = [STEPS[0], STEPS[1], STEPS[2]];
  const rows = [5, 10, 15].map((
    d,
  ) => [d, ...steps.map((s) => updatesToTravel(s.eta, d) ?? "more than 10⁸")]);
  return [{ kind: "table", columns: ["distance", ...steps.map((s) => s.name)], rows }];
}
// #endregion distance

// #region batch
/** The rate at batch 1; the linear scaling rule multiplies it by the batch size. */
export const BASE_RATE = 0.01;

/**
 * The floor of minibatch SGD: the mean gradient of a batch of B examples,
 * each with noise σ², has noise σ²/B, drawn here directly as one normal
 * number scaled by σ/√B. The rate follows the linear scaling rule, η = 0.01·B.
 */
function batch(): Output[] {
  const rows = [1, 4, 16, 64, 128, 256].map((b, i) => {
    const eta = BASE_RATE * b;
    const p = { lambda: PROBLEM.lambda, sigma: PROBLEM.sigma / Math.sqrt(b) };
    const m = measureFloor(eta, p, 1000 + i);
    const rule = stationaryVariance(BASE_RATE, PROBLEM); // batch 1's floor, which the rule keeps
    const exact = eta * p.lambda < 2 ? stationaryVariance(eta, p) : null;
    return [
      b,
      eta,
      eta * p.lambda,
      m === null ? "diverged" : m.mean,
      m === null ? "–" : m.se,
      rule,
      exact === null ? "none: ηλ ≥ 2" : exact,
    ];
  });
  const columns = [
    "batch B",
    "η = 0.01·B",
    "ηλ",
    "measured",
    "± s.e.",
    "rule's floor",
    "exact floor",
  ];
  return [{ kind: "table", columns, rows }];
}
// #endregion batch

/** A number for prose: three significant digits. */
function n3(x: number | string): string {
  if (typeof x === "string") return x;
  return Math.abs(x) >= 1000
    ? Math.round(x).toLocaleString("en-US")
    : Number(x.toPrecision(3)).toString();
}

/** How wide each trajectory's band is once the start is forgotten (updates 150 to 300). */
function bandProse(curves: readonly Output[]): string {
  const bands = curves.flatMap((c) => {
    if (c.kind !== "schedule") return [];
    const late = c.lrs.filter((_x, t) => t >= 150);
    return [{ label: c.label, rms: Math.sqrt(late.reduce((a, x) => a + x * x, 0) / late.length) }];
  });
  const [small, large] = bands;
  return md`
Both runs reach the neighbourhood of the minimum, the larger rate much sooner, and then neither
gets any closer: each keeps fluctuating around 0. Over updates 150 to 300 the root mean square
of $x$ is ${n3(small.rms)} at ${small.label} and ${n3(large.rms)} at ${large.label}: the larger
rate settles faster and settles worse.
`;
}

/** What the noise-floor table says. */
function floorProse(rows: (string | number)[][]): string {
  const z = rows.map((r) => ((r[3] as number) - (r[5] as number)) / (r[4] as number));
  const ratios = rows.map((r) => r[6] as number);
  const worst = Math.max(...z.map(Math.abs));
  const within2 = z.filter((v) => Math.abs(v) <= 2).length;
  const top = rows.find((r) => r[0] === 1 && r[2] === 1.9)!;
  const small = rows.find((r) => r[0] === 1 && r[2] === 0.02)!;
  const one = rows.find((r) => r[0] === 1 && r[2] === 1)!;
  const scale = rows.filter((r) => r[0] === 1).map((r) =>
    (r[3] as number) / (rows.find((q) => q[0] === 4 && q[2] === r[2])![3] as number)
  );
  return md`
Over the ${rows.length} settings, measured variance divided by the formula ranges from
${n3(Math.min(...ratios))} to ${n3(Math.max(...ratios))}. Measured in standard errors, the
largest deviation from the formula is ${n3(worst)}, and ${within2} of the ${rows.length} rows lie
within two standard errors, as about 95% of them should if the formula is right and the errors
are honest. (Each standard error comes from the spread of ${FLOOR.chains} independent runs, so it includes
the correlation between successive updates.) At $\eta\lambda = 0.02$ the floor,
${n3(small[3])}, is close to the small-rate approximation $\eta\sigma^2/(2\lambda) =
${n3(small[7])}$; at $\eta\lambda = 1.9$ it is ${n3(top[3])}, ${
    n3((top[3] as number) / (top[7] as number))
  }
times that approximation, because the factor $2 - \eta\lambda$ in the denominator goes to 0 as
the rate nears the stability limit $2/\lambda$. At $\eta\lambda = 1$ the update forgets $x$
entirely, $x_{t+1} = -\eta\sigma z_t$, and the measured ${n3(one[3])} is that one step's variance,
$\eta^2\sigma^2 = ${n3(one[1] as number)}$ for $\lambda = 1$. At a fixed product $\eta\lambda$ the
formula scales as $1/\lambda^2$ (since $\eta = (\eta\lambda)/\lambda$), so $\lambda = 4$ should sit
16 times lower than $\lambda = 1$; the measured ratios run from ${n3(Math.min(...scale))} to
${n3(Math.max(...scale))}.
`;
}

/** What the sums say. */
function sumsProse(rows: (string | number)[][]): string {
  const row = (name: string) => rows.find((r) => r[0] === name)!;
  const c = row("constant 0.1"), s = row("0.5/√(t+1)"), h = row("1/(t+1)"), q = row("0.5/(t+1)²");
  return md`
The table bears both conditions out. The constant step's sum grows in proportion to $t$, to
${n3(c[3])} after a million updates, and so does the sum of its squares (${n3(c[6])}): it
satisfies the first condition and fails the second. The square-root step's sum grows like
$\sqrt{t}$ (${n3(s[1])}, ${n3(s[2])}, ${n3(s[3])}), but the sum of its squares, $0.25\sum 1/(t+1)$,
still grows like $\log t$ (${n3(s[4])}, ${n3(s[5])}, ${n3(s[6])}): strictly it fails the second
condition, by a logarithm. The conditions are sufficient, not necessary, and the next section
shows this step converging anyway, only more slowly: on our quadratic what the error needs is
$\eta_t \to 0$ together with $\sum_t \eta_t = \infty$. The $1/(t+1)$ steps are the textbook case: the sum grows like
$\log t$ (${n3(h[1])}, ${n3(h[2])}, ${n3(h[3])}) and the squares settle at $\pi^2/6 \approx 1.64$
(${n3(h[6])} after a million). The $1/(t+1)^2$ steps settle too fast: their sum stops at
${n3(q[3])}, so without noise the factor $\prod_t (1 - \eta_t\lambda)$ by which the start shrinks
stays well away from 0, and part of the start is never forgotten.
`;
}

/** What the decay runs say. */
function decayProse(rows: (string | number)[][], floor: number): string {
  const row = (name: string) => rows.find((r) => r[0] === name)!;
  const c = row("constant 0.1"), s = row("0.5/√(t+1)"), h = row("1/(t+1)");
  const w = row("0.2/(t+1)"), q = row("0.5/(t+1)²");
  const gap = Math.max(
    ...rows.map((r) => Math.abs((r[1] as number) - (r[3] as number)) / (r[2] as number)),
  );
  return md`
After ${DECAY.updates.toLocaleString("en-US")} updates, averaged over ${DECAY.chains} runs:

- **Constant 0.1** stops improving at its noise floor: ${n3(c[1])} (±${n3(c[2])}) against the
  formula's ${n3(floor)}. The fitted slope, ${n3(c[4])}, is flat.
- **$0.5/\sqrt{t+1}$** keeps improving, with a fitted slope of ${n3(s[4])} against the
  $-1/2$ of the theory: late in the run the iterate sits at the floor of the current rate,
  $\approx \eta_t\sigma^2/(2\lambda)$, which falls like $t^{-1/2}$. It ends at ${n3(s[1])}.
- **$1/(t+1)$** has slope ${n3(h[4])} against $-1$ and ends at ${n3(h[1])}, next to the exact
  ${n3(h[3])}. With $\lambda = 1$ this schedule turns SGD into the running mean of the noisy
  observations, $x_t = -\frac{1}{t}\sum_{s<t} \sigma z_s$, whose variance is exactly
  $\sigma^2/t$, the smallest variance an unbiased estimate can have from $t$ observations
  with this noise.
- **$0.2/(t+1)$**, the same shape with a constant five times too small, has slope ${n3(w[4])}:
  with $\eta_t = a/(t+1)$ the error falls like $t^{-1}$ only if $2a\lambda > 1$, and like
  $t^{-2a\lambda} = t^{-0.4}$ otherwise, slower than the square-root step. A $1/t$ schedule is
  only as good as its guess of the curvature.
- **$0.5/(t+1)^2$** violates $\sum_t \eta_t = \infty$ and stalls at ${n3(q[1])} (slope
  ${n3(q[4])}): the start, $x_0 = ${DECAY.x0}$, is never forgotten.

The slopes are fitted by least squares to the measured points from $t = ${DECAY.fitFrom}$ on, so
they carry the noise of ${DECAY.chains} runs. The exact column, from the recursion for
$\mathbb{E}[x_t^2]$, has none; at $t = ${DECAY.updates.toLocaleString("en-US")}$ the measured values
lie within ${n3(gap)} standard errors of it.
`;
}

/** What the distance table says. */
function distanceProse(rows: (string | number)[][]): string {
  const r10 = rows.find((r) => r[0] === 10)!, r15 = rows.find((r) => r[0] === 15)!;
  const count = (x: string | number) => (typeof x === "number" ? x.toLocaleString("en-US") : x);
  return md`
To travel 10, the constant step of 0.1 needs ${count(r10[1])} updates and the square-root step
${count(r10[2])}; the $1/(t+1)$ steps need ${count(r10[3])}, and ${count(r15[3])} to travel 15,
against ${count(r15[2])} for the square root. Their sum grows only like $\ln t$, so each extra unit
of distance multiplies the time by $e \approx 2.7$. On our quadratic that did no harm, because the
curvature pulls the iterate in at a speed proportional to its distance; on a problem without
curvature nothing does.
`;
}

/** What the batch table says. */
function batchProse(rows: (string | number)[][]): string {
  const measured = rows.filter((r) => typeof r[3] === "number");
  const rule = rows[0][5] as number;
  const holds = measured.filter((r) => Math.abs((r[3] as number) / rule - 1) <= 0.1);
  const largest = holds.length ? Math.max(...holds.map((r) => r[0] as number)) : 1;
  const b128 = rows.find((r) => r[0] === 128)!;
  const diverged = rows.filter((r) => r[3] === "diverged").map((r) => r[0]);
  return md`
The rule holds while $\eta\lambda$ is small: up to batch ${largest} the measured floor is within
10% of batch 1's ${n3(rule)}. Beyond that the factor $2 - \eta\lambda$ takes over: at batch 128,
with $\eta\lambda = ${n3(b128[2])}$, the floor is ${n3(b128[3])}, ${
    n3((b128[3] as number) / rule)
  } times the rule's
value and close to the exact ${n3(b128[6])}. ${
    diverged.length
      ? `At batch ${
        diverged.join(" and ")
      } the scaled rate exceeds $2/\\lambda$ and SGD diverges, whatever the batch.`
      : "No batch size diverged."
  }
`;
}

const chapter: Chapter = {
  slug: "theory",
  title: "Why Decay at All",
  source: import.meta.url,
  trainingRuns: 0,
  cells: [
    prose(md`
# Why Decay at All

Before we try schedules on a network, it helps to see why a schedule is needed at all. The
reason is the noise in stochastic gradients: with a constant rate, SGD never settles at a
minimum, it keeps jittering around it, and the size of that jitter is set by the rate. To see
this with nothing else in the way, we use the smallest problem that has it: a one-dimensional
quadratic whose gradient we only observe with noise,

$$f(x) = \tfrac{1}{2}\lambda x^2, \qquad g_t = \lambda x_t + \sigma z_t, \qquad z_t \sim \mathcal{N}(0, 1),$$

and plain SGD, $x_{t+1} = x_t - \eta_t g_t$. The curvature $\lambda$ plays the role of the loss's
sharpness and $\sigma^2$ the variance of a minibatch gradient. Everything on this page is
simulated by the cells, seeded, so every number is the same on every machine; one step is one
update. We start with
$\lambda = \sigma = 1$ and two constant rates, from $x_0 = 5$.
`),
    code("problem", "SGD on the noisy quadratic at two constant rates (per update)", trajectories),
    prose((results) => bandProse(results.get("problem") ?? [])),
    prose(md`
## The noise floor of a constant rate

The band has a width we can compute. Write the update as
$x_{t+1} = (1 - \eta\lambda)\,x_t - \eta\sigma z_t$. The noise $z_t$ is independent of $x_t$, so the
variance $v_t$ of $x_t$ (over the randomness of the noise) obeys

$$v_{t+1} = (1 - \eta\lambda)^2\, v_t + \eta^2\sigma^2 .$$

For $0 < \eta < 2/\lambda$ the factor $(1-\eta\lambda)^2$ is below 1, the start is forgotten
geometrically, and $v_t$ settles where $v = (1-\eta\lambda)^2 v + \eta^2\sigma^2$:

$$v_\infty = \frac{\eta^2\sigma^2}{1 - (1-\eta\lambda)^2} = \frac{\eta\,\sigma^2}{\lambda\,(2 - \eta\lambda)} \;\approx\; \frac{\eta\,\sigma^2}{2\lambda} \quad \text{for } \eta\lambda \ll 1.$$

The expected excess loss at the floor, $\tfrac{1}{2}\lambda v_\infty \approx \eta\sigma^2/4$, is
proportional to the rate. Halving the rate halves the floor, but it also halves the speed at
which the start is forgotten: that is the trade-off every schedule negotiates. The cell below
checks the formula by simulation, for two curvatures and rates up to just below the stability
limit $\eta = 2/\lambda$, with ${FLOOR.chains} independent runs per setting (${FLOOR.burnIn} updates to
forget the start, then ${FLOOR.updates} over which $x^2$ is averaged).
`),
    code(
      "noise-floor",
      "Measure the stationary variance and compare it with the formula",
      noiseFloor,
    ),
    prose((results) => floorProse(tableRowsOf(results, "noise-floor"))),
    prose(md`
## How fast may the rate decay? The Robbins–Monro conditions

If a constant rate leaves a floor proportional to $\eta$, the rate has to go to zero for the
iterate to converge. But not too fast. [Robbins and Monro (1951)](cite:robbins1951) gave the classic conditions on a
decaying step size:

$$\sum_{t=0}^{\infty} \eta_t = \infty, \qquad \sum_{t=0}^{\infty} \eta_t^2 < \infty .$$

The first says the steps must add up to an unbounded distance, so that any starting point can
be left behind: on our quadratic without noise, $x_T = x_0\prod_{t<T}(1-\eta_t\lambda)$, and the
product goes to 0 only if $\sum_t \eta_t$ diverges. The second says the noise the steps inject,
$\eta_t^2\sigma^2$ per update, must add up to something finite, so that it can be averaged away.
The cell adds up five step sizes over a million updates and draws them on log–log axes, where a
power $t^{-p}$ is a straight line of slope $-p$.
`),
    code("sums", "Add up η_t and η_t² for five step sizes (per update)", sums),
    prose((results) => sumsProse(tableRowsOf(results, "sums"))),
    prose(md`
## The error of constant, $1/\sqrt{t}$ and $1/t$ steps

The theory of SGD gives two classic rates. For a convex problem with bounded gradients, steps
$\eta_t \propto 1/\sqrt{t}$ reach an error (in $f$, for the average of the iterates) of order
$1/\sqrt{t}$, and no step size does better for every such problem. For a $\lambda$-strongly convex
problem, which our quadratic is, steps $\eta_t = 1/(\lambda t)$ reach an error of order $1/t$. The
cell runs SGD with each step size, ${DECAY.chains} runs of ${DECAY.updates.toLocaleString("en-US")}
updates each from $x_0 = ${DECAY.x0}$, and plots the mean of $x_t^2$ on log–log axes; a cell fits a
line to each curve from $t = ${DECAY.fitFrom}$ on, whose slope is the exponent of the decay.
`),
    code("decay", "SGD with each step size: the error along the updates, and fitted slopes", decay),
    prose((results) =>
      decayProse(
        tableRowsOf(results, "decay"),
        stationaryVariance(STEPS[0].eta(0), PROBLEM),
      )
    ),
    prose(md`
## Why convex theory prefers $1/\sqrt{t}$

If $1/t$ is so good, why is $1/\sqrt{t}$ the advice for convex problems? Because $1/t$ relies on
the curvature. Take $f(x) = |x|$, convex but with no curvature at all: its slope is $\pm 1$ however
far we are from the minimum, so without noise each update moves $x$ by exactly $\eta_t$, and
reaching the minimum from a distance $d$ takes as many updates as it takes the steps to add up
to $d$. The cell counts them.
`),
    code("distance", "Updates until the steps add up to a distance, per step size", distance),
    prose((results) => distanceProse(tableRowsOf(results, "distance"))),
    prose(md`
This is the trade the theory makes: a slower decay travels further and tolerates a wrong guess
of the curvature, at the price of a higher error at the end; a faster one needs the curvature to
do the travelling. Deep networks are neither convex nor well described by one curvature, and
in practice they are trained with schedules that decay more slowly still than $1/\sqrt{t}$ for
most of the run (a constant rate with drops, or a cosine), and then quickly.

## Rate and batch size

A minibatch of $B$ examples averages $B$ independent gradient noises, so its noise variance is
$\sigma^2/B$, and the floor becomes

$$v_\infty = \frac{\eta\,\sigma^2}{B\,\lambda\,(2-\eta\lambda)} \;\approx\; \frac{\eta}{B}\cdot\frac{\sigma^2}{2\lambda}.$$

To first order only the ratio $\eta/B$ matters: the noise scale of SGD is proportional to the
rate divided by the batch size. This is the reasoning behind the *linear scaling rule* of
[Goyal et al. (2017)](cite:goyal2017): when the minibatch is $k$ times larger, make the rate $k$ times larger. They
trained ResNet-50 on ImageNet with minibatches of 8,192 images (rate scaled accordingly, after a
gradual warmup over the first five epochs) to the accuracy of the usual 256. Per epoch the
larger batch makes $k$ times fewer updates, each $k$ times longer, so the distance travelled per
epoch stays the same. The rule has limits that the formula shows: the stability limit
$\eta < 2/\lambda$ does not move with $B$, and near it the factor $2-\eta\lambda$ matters. Goyal
et al. also found accuracy dropping beyond about 8k images per batch, and needed the warmup
because the rule breaks down early in training, when the network changes fastest. The cell
scales the rate with the batch, $\eta = ${BASE_RATE}\,B$, and measures the floor (with $\sigma$ now
the noise of one example; the batch's noise is drawn directly, which is exact for Gaussian
noise).
`),
    code("batch", "Scale the rate with the batch size and measure the floor (per update)", batch),
    prose((results) => batchProse(tableRowsOf(results, "batch"))),
    prose(md`
## What carries over

The quadratic is a caricature, but three of its lessons carry over to the rest of the book. A
constant rate buys speed with a noise floor proportional to the rate, which is why lowering it
late in training helps (the [multi-factor](multifactor.html) and [cosine](cosine.html) chapters). How fast it may come down depends
on the problem, and convex theory's $1/\sqrt{t}$ is a bound for the worst case, not a recipe for
deep networks, which usually do better with a slower decay for most of the run. And the rate
cannot be chosen apart from the batch size, nor raised past what the sharpest direction of the
loss allows, however large the batch.
`),
  ],
};

export default chapter;
