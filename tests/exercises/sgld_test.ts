/**
 * Exercise 5: SGLD's samples match the exact posterior of a Bayesian linear
 * regression. The chains are cheap, so the test runs the chapter's own
 * setting (a million updates per chain), for its fixed seed and for two more.
 */

import assert from "node:assert/strict";
import { SAMPLING, samplingExperiment } from "../../lib/exercises/sgld.ts";

for (const seed of [SAMPLING.seed, 2, 3]) {
  Deno.test(`exercise 5: SGLD with decaying steps matches the exact posterior (seed ${seed})`, () => {
    const r = samplingExperiment({ ...SAMPLING, seed });
    console.log(
      `  mean error (sd) ${r.sgld.meanError.map((x) => x.toFixed(3))}, variance ratio ${
        r.sgld.varianceRatio.map((x) => x.toFixed(3))
      }, correlation ${r.sgld.correlation.toFixed(3)} vs ${
        r.exactCorrelation.toFixed(3)
      }; fixed step ${r.fixed.varianceRatio.map((x) => x.toFixed(3))}; SGD ${
        r.sgd.varianceRatio.map((x) => x.toExponential(1))
      }`,
    );
    // Means within a tenth of a posterior standard deviation of the exact ones: fails if the
    // chain were biased (e.g. the likelihood gradient not scaled by N/n, which pulls the
    // samples towards the prior) or had not mixed.
    for (const e of r.sgld.meanError) assert.ok(Math.abs(e) < 0.1, `mean error ${e} sd`);
    // Variances within 10% of the exact ones: fails if the noise had the wrong scale (noise of
    // variance ε_t / 2 instead of ε_t would halve them) or if the steps stayed so large that
    // minibatch noise inflated them (as the fixed-step chain below shows, by about 30%).
    for (const v of r.sgld.varianceRatio) assert.ok(Math.abs(v - 1) < 0.1, `variance ratio ${v}`);
    // The intercept and slope are anticorrelated in the posterior; the samples must be too.
    // Fails if the two coordinates were sampled independently (correlation near 0).
    assert.ok(Math.abs(r.sgld.correlation - r.exactCorrelation) < 0.05);
    // The binned samples follow the exact density: total variation below 0.05. Fails for a
    // spread 29% too wide, like the fixed-step chain's (total variation about 0.06 with these
    // bins), or for a mean off by 0.15 posterior standard deviations (about 0.06 as well).
    const tv = r.histogram.reduce((s, b) => s + Math.abs(b.sgld - b.exact), 0) / 2;
    assert.ok(tv < 0.05, `total variation ${tv}`);

    // The answer's two contrasts. Holding the first step size fixed overestimates the
    // variances by more than 15%: fails if a fixed step were as good as a decaying one.
    for (const v of r.fixed.varianceRatio) assert.ok(v > 1.15, `fixed-step variance ratio ${v}`);
    // SGD without the noise finds the posterior mean (= the mode for a Gaussian) but no spread:
    // fails if plain SGD's iterates scattered like posterior samples (variance ratio >= 5%).
    for (const e of r.sgd.meanError) assert.ok(Math.abs(e) < 0.1, `SGD mean error ${e} sd`);
    for (const v of r.sgd.varianceRatio) assert.ok(v < 0.05, `SGD variance ratio ${v}`);
  });
}
