/**
 * Stochastic Gradient Langevin Dynamics (Welling & Teh, 2011) on a problem
 * whose posterior is known exactly: Bayesian linear regression with a
 * Gaussian prior and Gaussian noise of known variance.
 *
 * Everything here is plain TypeScript on `Float64Array`s with a seeded
 * generator, so a run is the same on every machine.
 *
 * @module
 */

import { mulberry32, permutation } from "../train/rng.ts";
import type { Schedule } from "../schedules/types.ts";

/** A data set for the regression `y = w0 + w1 x + noise`. */
export interface Regression {
  /** The inputs. */
  x: Float64Array;
  /** The targets. */
  y: Float64Array;
  /** The standard deviation of the noise, known to the model. */
  noiseSd: number;
  /** The precision of the prior on each weight: `w ~ N(0, I / priorPrecision)`. */
  priorPrecision: number;
}

/** Settings of {@linkcode makeRegression}. */
export interface RegressionOptions {
  /** Number of points. */
  n: number;
  /** The true intercept and slope. */
  w: readonly [number, number];
  /** Noise standard deviation. */
  noiseSd: number;
  /** Inputs are drawn uniformly from `[lo, hi]`. */
  xRange: readonly [number, number];
  /** Prior precision of each weight. */
  priorPrecision: number;
  /** Seed of the generator. */
  seed: number;
}

/** A standard normal generator (Box–Muller) drawing from `random`. */
export function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u = 1 - random(); // in (0, 1]: the logarithm stays finite
    const r = Math.sqrt(-2 * Math.log(u));
    const phi = 2 * Math.PI * random();
    spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  };
}

/**
 * Draw a regression data set.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRegression } from "./sgld.ts";
 * const d = makeRegression({ n: 5, w: [1, 2], noiseSd: 0.1, xRange: [0, 1], priorPrecision: 1, seed: 3 });
 * assert.equal(d.x.length, 5);
 * assert.deepEqual(d, makeRegression({ n: 5, w: [1, 2], noiseSd: 0.1, xRange: [0, 1], priorPrecision: 1, seed: 3 }));
 * ```
 */
export function makeRegression(options: RegressionOptions): Regression {
  const random = mulberry32(options.seed);
  const normal = gaussian(random);
  const [lo, hi] = options.xRange;
  const x = new Float64Array(options.n), y = new Float64Array(options.n);
  for (let i = 0; i < options.n; i++) {
    x[i] = lo + (hi - lo) * random();
    y[i] = options.w[0] + options.w[1] * x[i] + options.noiseSd * normal();
  }
  return { x, y, noiseSd: options.noiseSd, priorPrecision: options.priorPrecision };
}

/** A two-dimensional Gaussian: mean and covariance `[[a, b], [b, c]]`. */
export interface Gaussian2 {
  mean: [number, number];
  cov: [[number, number], [number, number]];
}

// #region posterior
/**
 * The exact posterior of the weights: with design rows `(1, x_i)`, precision
 * `A = priorPrecision I + XᵀX / σ²` and mean `A⁻¹ Xᵀy / σ²`.
 *
 * @example One point, a flat-ish prior
 * ```ts
 * import assert from "node:assert/strict";
 * import { exactPosterior } from "./sgld.ts";
 * const p = exactPosterior({ x: new Float64Array([0]), y: new Float64Array([2]), noiseSd: 1, priorPrecision: 1 });
 * assert.deepEqual(p.mean, [1, 0]); // the intercept halfway between prior (0) and data (2)
 * assert.equal(p.cov[0][0], 0.5); // half the prior's variance: prior and one point count alike
 * assert.equal(p.cov[1][1], 1); // x = 0 says nothing about the slope: the prior's variance
 * ```
 */
export function exactPosterior(data: Regression): Gaussian2 {
  const s2 = data.noiseSd ** 2;
  let sx = 0, sxx = 0, sy = 0, sxy = 0;
  for (let i = 0; i < data.x.length; i++) {
    sx += data.x[i];
    sxx += data.x[i] ** 2;
    sy += data.y[i];
    sxy += data.x[i] * data.y[i];
  }
  const a = data.priorPrecision + data.x.length / s2, b = sx / s2;
  const c = data.priorPrecision + sxx / s2;
  const det = a * c - b * b;
  const cov: Gaussian2["cov"] = [[c / det, -b / det], [-b / det, a / det]];
  const [r0, r1] = [sy / s2, sxy / s2];
  return { mean: [cov[0][0] * r0 + cov[0][1] * r1, cov[1][0] * r0 + cov[1][1] * r1], cov };
}
// #endregion posterior

/** Settings of {@linkcode sgld}. */
export interface SgldOptions {
  /** Number of updates. */
  steps: number;
  /** Examples per minibatch (drawn without replacement, reshuffled every pass). */
  batchSize: number;
  /** The step size `ε_t` of update `t` (0-based): a learning-rate schedule. */
  stepSize: Schedule;
  /** Add the Langevin noise `N(0, ε_t)`; `false` gives plain SGD on the log posterior. */
  langevin: boolean;
  /** Seed of the minibatches and the noise. */
  seed: number;
  /** Starting weights (default the origin). */
  start?: readonly [number, number];
}

/** What a run of {@linkcode sgld} produced: the weights after every update. */
export interface Chain {
  /** `w0[t]`, `w1[t]`: the weights after update `t`. */
  w0: Float64Array;
  w1: Float64Array;
  /** `eps[t]`: the step size of update `t`. */
  eps: Float64Array;
}

// #region sgld
/**
 * Stochastic Gradient Langevin Dynamics: a minibatch gradient step on the log
 * posterior, with the likelihood part scaled up by `N / n`, plus Gaussian
 * noise whose variance equals the step size:
 *
 * `w ← w + (ε_t / 2) (∇ log p(w) + (N / n) Σ_batch ∇ log p(y_i | x_i, w)) + N(0, ε_t I)`.
 *
 * Without the noise (`langevin: false`) this is plain SGD on the negative log
 * posterior with learning rate `ε_t / 2`.
 *
 * @example The chain stays finite and has one entry per update
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRegression, sgld } from "./sgld.ts";
 * const data = makeRegression({ n: 20, w: [1, 2], noiseSd: 1, xRange: [-1, 2], priorPrecision: 1, seed: 1 });
 * const chain = sgld(data, { steps: 100, batchSize: 5, stepSize: () => 1e-3, langevin: true, seed: 2 });
 * assert.equal(chain.w1.length, 100);
 * assert.ok(chain.w1.every(Number.isFinite));
 * ```
 */
export function sgld(data: Regression, options: SgldOptions): Chain {
  const { steps, batchSize, stepSize, langevin } = options;
  const n = data.x.length;
  const random = mulberry32(options.seed);
  const normal = gaussian(random);
  const scale = n / batchSize / data.noiseSd ** 2; // (N / n) / σ²
  const chain: Chain = {
    w0: new Float64Array(steps),
    w1: new Float64Array(steps),
    eps: new Float64Array(steps),
  };
  let [w0, w1] = options.start ?? [0, 0];
  let order = permutation(n, random), next = 0;
  for (let t = 0; t < steps; t++) {
    // Gradient of the log prior, plus the minibatch's likelihood gradient scaled to the full data.
    let g0 = -data.priorPrecision * w0, g1 = -data.priorPrecision * w1;
    for (let k = 0; k < batchSize; k++) {
      if (next === n) [order, next] = [permutation(n, random), 0];
      const i = order[next++];
      const residual = data.y[i] - w0 - w1 * data.x[i];
      g0 += scale * residual;
      g1 += scale * residual * data.x[i];
    }
    const eps = stepSize(t);
    const sd = langevin ? Math.sqrt(eps) : 0;
    w0 += (eps / 2) * g0 + sd * normal();
    w1 += (eps / 2) * g1 + sd * normal();
    chain.w0[t] = w0;
    chain.w1[t] = w1;
    chain.eps[t] = eps;
  }
  return chain;
}
// #endregion sgld

// #region moments
/**
 * The posterior mean and covariance estimated from a chain, as Welling & Teh
 * do: each sample weighted by its step size, `Σ ε_t f(w_t) / Σ ε_t`, over the
 * updates after `burnIn` (a fraction of the run, discarded).
 *
 * @example Equal weights give the plain sample moments
 * ```ts
 * import assert from "node:assert/strict";
 * import { chainMoments } from "./sgld.ts";
 * const m = chainMoments({ w0: new Float64Array([0, 2]), w1: new Float64Array([1, 1]), eps: new Float64Array([1, 1]) }, 0);
 * assert.deepEqual(m.mean, [1, 1]);
 * assert.deepEqual(m.cov, [[1, 0], [0, 0]]);
 * ```
 */
export function chainMoments(chain: Chain, burnIn: number): Gaussian2 {
  const from = Math.floor(burnIn * chain.eps.length);
  let total = 0, m0 = 0, m1 = 0;
  for (let t = from; t < chain.eps.length; t++) {
    total += chain.eps[t];
    m0 += chain.eps[t] * chain.w0[t];
    m1 += chain.eps[t] * chain.w1[t];
  }
  m0 /= total;
  m1 /= total;
  let c00 = 0, c01 = 0, c11 = 0;
  for (let t = from; t < chain.eps.length; t++) {
    const [d0, d1] = [chain.w0[t] - m0, chain.w1[t] - m1];
    c00 += chain.eps[t] * d0 * d0;
    c01 += chain.eps[t] * d0 * d1;
    c11 += chain.eps[t] * d1 * d1;
  }
  return { mean: [m0, m1], cov: [[c00 / total, c01 / total], [c01 / total, c11 / total]] };
}
// #endregion moments

// #region step-size
/**
 * Welling & Teh's step sizes, `ε_t = a (b + t)^(−γ)`: they shrink to zero but
 * slowly enough (`γ ≤ 1`) that their sum diverges, while the sum of their
 * squares converges (`γ > 1/2`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { langevinStepSize } from "./sgld.ts";
 * const eps = langevinStepSize({ a: 1, b: 1, gamma: 1 });
 * assert.equal(eps(0), 1);
 * assert.equal(eps(3), 0.25);
 * ```
 */
export function langevinStepSize(options: { a: number; b: number; gamma: number }): Schedule {
  const { a, b, gamma } = options;
  if (!(a > 0 && b > 0 && gamma > 0.5 && gamma <= 1)) {
    throw new RangeError(
      `langevinStepSize: need a > 0, b > 0 and 0.5 < gamma <= 1 (got ${a}, ${b}, ${gamma})`,
    );
  }
  return (t) => a * (b + t) ** -gamma;
}
// #endregion step-size

/** The experiment of exercise 5, with every setting in one place. */
export interface SamplingSetup {
  /** The data set. */
  data: RegressionOptions;
  /** Updates per chain. */
  steps: number;
  /** Minibatch size. */
  batchSize: number;
  /** Welling & Teh's step sizes: `ε_0`, `b` and `γ` of `ε_t = ε_0 (b / (b + t))^γ`. */
  eps0: number;
  b: number;
  gamma: number;
  /** Fraction of each chain discarded at its start. */
  burnIn: number;
  /** Seed of the chains. */
  seed: number;
}

// #region sampling-setup
/** 50 noisy points of the line y = 1 + 2x; prior N(0, I); minibatches of 10; a million updates. */
export const SAMPLING: SamplingSetup = {
  data: { n: 50, w: [1, 2], noiseSd: 1, xRange: [-1, 2], priorPrecision: 1, seed: 7 },
  steps: 1_000_000,
  batchSize: 10,
  eps0: 0.01,
  b: 1000,
  gamma: 0.55,
  burnIn: 0.1,
  seed: 1,
};
// #endregion sampling-setup

/** How one chain's estimate compares with the exact posterior. */
export interface ChainReport {
  name: string;
  moments: Gaussian2;
  /** Error of each estimated mean, in exact posterior standard deviations. */
  meanError: [number, number];
  /** Estimated over exact variance, per weight. */
  varianceRatio: [number, number];
  /** Estimated and exact correlation of intercept and slope. */
  correlation: number;
}

/** Everything exercise 5 measures. */
export interface SamplingResult {
  setup: SamplingSetup;
  exact: Gaussian2;
  exactCorrelation: number;
  /** SGLD with decaying step sizes; SGLD with the first step size kept; SGD (no noise). */
  sgld: ChainReport;
  fixed: ChainReport;
  sgd: ChainReport;
  /** The decaying step size at the start and at the end. */
  epsFirst: number;
  epsLast: number;
  /** The slope's samples binned (after burn-in), with the exact posterior's mass per bin. */
  histogram: { from: number; to: number; sgld: number; exact: number }[];
  /** Every 1000th sample of the slope, for a trace. */
  trace: { t: number; w1: number }[];
}

function correlation(g: Gaussian2): number {
  return g.cov[0][1] / Math.sqrt(g.cov[0][0] * g.cov[1][1]);
}

function report(name: string, moments: Gaussian2, exact: Gaussian2): ChainReport {
  const sd = [Math.sqrt(exact.cov[0][0]), Math.sqrt(exact.cov[1][1])];
  return {
    name,
    moments,
    meanError: [
      (moments.mean[0] - exact.mean[0]) / sd[0],
      (moments.mean[1] - exact.mean[1]) / sd[1],
    ],
    varianceRatio: [moments.cov[0][0] / exact.cov[0][0], moments.cov[1][1] / exact.cov[1][1]],
    correlation: correlation(moments),
  };
}

/** The standard normal distribution function (Abramowitz & Stegun 7.1.26 on erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Run exercise 5: the exact posterior, then three chains from the same start
 * with the same minibatches: SGLD with Welling & Teh's decaying step sizes,
 * SGLD with its first step size held fixed, and SGD (the same decaying steps,
 * no noise).
 *
 * @param setup The settings (default {@linkcode SAMPLING}).
 * @returns The estimates and how they compare with the exact posterior.
 */
export function samplingExperiment(setup: SamplingSetup = SAMPLING): SamplingResult {
  const data = makeRegression(setup.data);
  const exact = exactPosterior(data);
  const decaying = langevinStepSize({
    a: setup.eps0 * setup.b ** setup.gamma,
    b: setup.b,
    gamma: setup.gamma,
  });
  const run = (stepSize: Schedule, langevin: boolean) =>
    sgld(data, {
      steps: setup.steps,
      batchSize: setup.batchSize,
      stepSize,
      langevin,
      seed: setup.seed,
    });
  const chain = run(decaying, true);
  const fixed = run(() => setup.eps0, true);
  const sgd = run(decaying, false);
  const moments = (c: Chain) => chainMoments(c, setup.burnIn);

  // The slope's histogram: 16 bins over the exact mean ± 3 standard deviations, weighted by ε_t.
  const [mu, sd] = [exact.mean[1], Math.sqrt(exact.cov[1][1])];
  const bins = 16, lo = mu - 3 * sd, width = (6 * sd) / bins;
  const mass = new Float64Array(bins);
  let total = 0;
  const from = Math.floor(setup.burnIn * setup.steps);
  for (let t = from; t < setup.steps; t++) {
    total += chain.eps[t];
    const k = Math.floor((chain.w1[t] - lo) / width);
    if (k >= 0 && k < bins) mass[k] += chain.eps[t];
  }
  const histogram = Array.from({ length: bins }, (_, k) => {
    const [a, b] = [lo + k * width, lo + (k + 1) * width];
    return {
      from: a,
      to: b,
      sgld: mass[k] / total,
      exact: normalCdf((b - mu) / sd) - normalCdf((a - mu) / sd),
    };
  });
  const trace: SamplingResult["trace"] = [];
  for (let t = 0; t < setup.steps; t += 1000) trace.push({ t, w1: chain.w1[t] });
  return {
    setup,
    exact,
    exactCorrelation: correlation(exact),
    sgld: report("SGLD, decaying step", moments(chain), exact),
    fixed: report("SGLD, fixed step", moments(fixed), exact),
    sgd: report("SGD, no noise", moments(sgd), exact),
    epsFirst: decaying(0),
    epsLast: decaying(setup.steps - 1),
    histogram,
    trace,
  };
}

function f3(x: number): string {
  return x.toFixed(3);
}

/** The exact posterior and the three chains' estimates, as a table. */
export function samplingTable(
  r: SamplingResult,
): { columns: string[]; rows: (string | number)[][] } {
  const row = (name: string, g: Gaussian2, corr: number) => [
    name,
    f3(g.mean[0]),
    f3(g.mean[1]),
    f3(Math.sqrt(g.cov[0][0])),
    f3(Math.sqrt(g.cov[1][1])),
    f3(corr),
  ];
  return {
    columns: ["", "mean w0", "mean w1", "sd w0", "sd w1", "correlation"],
    rows: [
      row("exact posterior", r.exact, r.exactCorrelation),
      ...[r.sgld, r.fixed, r.sgd].map((c) => row(c.name, c.moments, c.correlation)),
    ],
  };
}

/** The slope's histogram next to the exact posterior's mass per bin. */
export function histogramTable(
  r: SamplingResult,
): { columns: string[]; rows: (string | number)[][] } {
  const bar = (x: number) => "█".repeat(Math.round(x * 200));
  return {
    columns: ["slope w1 in", "SGLD share", "exact share", "SGLD", "exact"],
    rows: r.histogram.map((b) => [
      `[${f3(b.from)}, ${f3(b.to)})`,
      `${(100 * b.sgld).toFixed(1)}%`,
      `${(100 * b.exact).toFixed(1)}%`,
      bar(b.sgld),
      bar(b.exact),
    ]),
  };
}

/** Total variation distance between the binned samples and the exact mass per bin. */
export function histogramDistance(r: SamplingResult): number {
  return r.histogram.reduce((s, b) => s + Math.abs(b.sgld - b.exact), 0) / 2;
}

/**
 * The answer's findings, in words, from the chains.
 *
 * @param r The experiment's result.
 * @returns Markdown.
 */
export function samplingFindings(r: SamplingResult): string {
  const small = (x: number) => (x !== 0 && x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  const err = (c: ChainReport) => c.meanError.map((e) => small(Math.abs(e))).join(" and ");
  const ratio = (c: ChainReport) => c.varianceRatio.map(small).join(" and ");
  return [
    `With step sizes decaying from ${r.epsFirst.toExponential(1)} to ${
      r.epsLast.toExponential(1)
    }, ` +
    `SGLD's weighted samples put the posterior means within ${err(r.sgld)} posterior standard ` +
    `deviations of the exact ones, the variances at ${
      ratio(r.sgld)
    } times the exact ones, and the ` +
    `correlation of intercept and slope at ${f3(r.sgld.correlation)} against ${
      f3(r.exactCorrelation)
    }. ` +
    `The histogram of the slope is ${(100 * histogramDistance(r)).toFixed(1)}% (total variation) ` +
    `away from the exact density binned the same way.`,
    `The two contrasts show what each ingredient does. Holding the first step size fixed, the ` +
    `chain still centres on the right means (errors ${err(r.fixed)} sd) but its variances come ` +
    `out ${ratio(r.fixed)} times too large: the minibatch noise and the discretisation both add ` +
    `spread that only a shrinking step removes. Plain SGD, the same steps without the injected ` +
    `noise, also finds the means (errors ${
      err(r.sgd)
    } sd; for a Gaussian posterior the mode is the ` +
    `mean) but its iterates have ${ratio(r.sgd)} of the posterior variance: optimization finds ` +
    `the most probable weights and says nothing about how uncertain they are.`,
  ].join("\n\n");
}
