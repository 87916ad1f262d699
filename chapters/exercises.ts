/**
 * Chapter "exercises": the seed's five exercises, each with its worked answer:
 * the experiment as code cells (helpers in `lib/exercises/`), its numbers and
 * figures, and prose computed from them. `tests/exercises/` checks each
 * answer's claims on a reduced run.
 *
 * From the seed's section "练习" (Exercises): the five questions. Exercise 2
 * names MXNet's `PolyScheduler`; ours is `poly` in `lib/schedules`.
 *
 * @module
 */

import {
  type Cell,
  type CellContext,
  type Chapter,
  code,
  md,
  type Output,
  prose,
  region,
} from "../lib/book/types.ts";
import { comparison, runsOf } from "../lib/book/measure.ts";
import {
  fromConfig,
  num,
  pct,
  type Plan,
  plan,
  planOf,
  sampledCurve,
  scopeNote,
  trainAll,
} from "../lib/exercises/common.ts";
import {
  analyzeFixed,
  FIXED_RATES,
  fixedFindings,
  fixedRequests,
  fixedTable,
} from "../lib/exercises/fixed.ts";
import { analyzeDecay, decayFindings, decayRequests, POWERS } from "../lib/exercises/decay.ts";
import {
  analyzeLarger,
  CITATIONS,
  largerFindings,
  largerRequests,
  largerSchedules,
} from "../lib/exercises/larger.ts";
import {
  analyzeWarmup,
  peakChoice,
  WARMUP_FRACTIONS,
  WARMUP_SEEDS,
  warmupFindings,
  warmupRequests,
  warmupTable,
} from "../lib/exercises/warmup.ts";
import {
  histogramTable,
  langevinStepSize,
  SAMPLING,
  samplingExperiment,
  samplingFindings,
  type SamplingResult,
  samplingTable,
} from "../lib/exercises/sgld.ts";
import { lenetParameterCount } from "../lib/train/architecture.ts";
import type { RunResult } from "../lib/train/types.ts";
import { d2l } from "./references.ts";

/** The exercises, in the seed's order: [short title, question]. */
export const EXERCISES: readonly (readonly [string, string])[] = [
  [
    "A fixed learning rate",
    md`Train with a single learning rate that never changes, and vary that rate. How good a
model can a constant rate give at best?`,
  ],
  [
    "The exponent of the decay",
    md`Vary the power with which the rate decays. What happens to convergence? The polynomial
schedule, \`poly({ baseLr, maxUpdate, power })\` in \`lib/schedules\`, makes such experiments
easy.`,
  ],
  [
    "Cosine on a large vision problem",
    md`Try the cosine schedule on a large vision task such as ImageNet. Does it beat the other
schedules there, or lose to them?`,
  ],
  [
    "How long to warm up",
    md`How long should warmup last?`,
  ],
  [
    "Optimization and sampling",
    md`What do optimization and sampling have to do with each other? [Welling & Teh (2011)](cite:welling2011) on
Stochastic Gradient Langevin Dynamics are a good place to start.`,
  ],
];

const questions = EXERCISES.map(([title, question], i) =>
  `${i + 1}. **${title}.** ${question} [Worked answer](#answer-${i + 1}).`
).join("\n");

/** Full-size epochs of the answers' experiments (a quick run's --epochs overrides them). */
const EPOCHS = { fixed: 30, decay: 30, larger: 45, warmup: 15 } as const;

/** The heading of answer `i` (1-based), with the anchor the questions link to. */
function heading(i: number): string {
  return `## Answer ${i}: ${EXERCISES[i - 1][0]} {#answer-${i} .folded}`;
}

/** The runs a cell produced, and the plan they ran with. */
function sweep(results: ReadonlyMap<string, readonly Output[]>, id: string) {
  const runs = runsOf(results, id);
  return { runs, plan: fromConfig(runs[0].config) };
}

// #region fixed-sweep
/** Every rate of the grid for the whole run, the rate never changing. */
async function fixedSweep(ctx: CellContext): Promise<Output[]> {
  const p = planOf(ctx.configOf, EPOCHS.fixed);
  const runs = await trainAll(ctx.train, fixedRequests(p));
  return [{ kind: "table", ...fixedTable(analyzeFixed(runs)) }, ...runs.map(asOutput)];
}
// #endregion fixed-sweep

// #region decay-plot
/** The five polynomial schedules over a full run, per update. */
function decayPlot(ctx: CellContext): Output[] {
  const p = planOf(ctx.configOf, EPOCHS.decay);
  return decayRequests(p).map((r) =>
    sampledCurve(r.name, r.schedule, p.epochs * p.updatesPerEpoch)
  );
}
// #endregion decay-plot

// #region decay-runs
/** Train with each power. */
async function decayRuns(ctx: CellContext): Promise<Output[]> {
  const runs = await trainAll(ctx.train, decayRequests(planOf(ctx.configOf, EPOCHS.decay)));
  const a = analyzeDecay(runs);
  const table: Output = {
    kind: "table",
    columns: ["power", "mean rate", "below η₀/10 after", "final train loss", "final test acc"],
    rows: a.rows.map((r) => [
      r.power,
      num(r.meanLr, 3),
      `${Math.round(100 * r.tenthAt)}% of the run`,
      num(r.finalTrainLoss, 4),
      pct(r.finalTestAcc),
    ]),
  };
  return [table, ...runs.map(asOutput)];
}
// #endregion decay-runs

// #region larger-plot
/** Cosine, step and multi-factor, each after the same short warmup, over the longer run. */
function largerPlot(ctx: CellContext): Output[] {
  const p = planOf(ctx.configOf, EPOCHS.larger);
  return largerSchedules(p).map((s) =>
    sampledCurve(s.name, s.schedule, p.epochs * p.updatesPerEpoch)
  );
}
// #endregion larger-plot

// #region larger-runs
/** Train the wider LeNet, with augmentation, under each schedule. */
async function largerRuns(ctx: CellContext): Promise<Output[]> {
  const runs = await trainAll(ctx.train, largerRequests(planOf(ctx.configOf, EPOCHS.larger)));
  return [comparison(runs), ...runs.map(asOutput)];
}
// #endregion larger-runs

// #region warmup-plot
/** The cosine schedule at a peak of 0.6 after each warmup length. */
function warmupPlot(ctx: CellContext): Output[] {
  const p = planOf(ctx.configOf, EPOCHS.warmup);
  return warmupRequests(p, WARMUP_FRACTIONS, [0]).map((r) =>
    sampledCurve(r.name.replace(/, seed 0$/, ""), r.schedule, p.epochs * p.updatesPerEpoch)
  );
}
// #endregion warmup-plot

// #region warmup-runs
/** Every warmup length with every seed. */
async function warmupRuns(ctx: CellContext): Promise<Output[]> {
  const p = planOf(ctx.configOf, EPOCHS.warmup);
  const runs = await trainAll(ctx.train, warmupRequests(p));
  const table: Output = { kind: "table", ...warmupTable(analyzeWarmup(runs, p)) };
  return [table, ...runs.map((run): Output => ({ kind: "run", run, reference: true }))];
}
// #endregion warmup-runs

let sampled: SamplingResult | null = null;

// #region sampling
/** Three chains on the regression: SGLD with decaying steps, SGLD with a fixed step, SGD. */
function sampling(): Output[] {
  sampled ??= samplingExperiment(SAMPLING);
  const r = sampled;
  const { eps0, b, gamma } = SAMPLING;
  const eps = langevinStepSize({ a: eps0 * b ** gamma, b, gamma });
  return [
    sampledCurve("SGLD step size ε_t", eps, SAMPLING.steps),
    { kind: "table", ...samplingTable(r) },
    { kind: "table", ...histogramTable(r) },
  ];
}
// #endregion sampling

/** A run as a cell output. */
function asOutput(run: RunResult): Output {
  return { kind: "run", run };
}

/** The answers: each an experiment, its numbers, and what they say. */
const answerCells: Cell[] = [
  prose(md`
${heading(1)}

We train LeNet with plain SGD at a constant rate, the rate never changing, for 30 epochs on all
of Fashion-MNIST, over a grid of rates roughly a factor of three apart, from 0.01, far too
cautious, to 100, plus an absurd 1,000. The best model a fixed rate can give is the best of these
runs; where the runs stop training tells us where the optimization becomes unstable. A rate far
too large can end in two ways: the loss overflows to NaN, which the engine reports as divergence
and stops the run, or the first huge steps leave a network it can no longer train (typically with
its ReLUs switched off), which goes on with a finite loss and guesses. Which one happens depends on the first minibatch.
`),
  code("fixed-sweep", "Train at each constant rate of the grid for the whole run", fixedSweep, [
    region(new URL("../lib/exercises/fixed.ts", import.meta.url), "fixed-grid"),
  ]),
  prose((results) => {
    const { runs, plan } = sweep(results, "fixed-sweep");
    return `${scopeNote(plan, planFull(EPOCHS.fixed))}\n\n${fixedFindings(analyzeFixed(runs))}`;
  }),
  prose(md`
${heading(2)}

The polynomial schedule $\eta_t = \eta_0 (1 - t/T)^p$ starts at $\eta_0$ and reaches 0 at the
last update $T$, whatever the exponent $p$; what $p$ changes is *when* the rate comes down. With
$p < 1$ it stays high until late and then falls steeply; with $p > 1$ it falls early and then
creeps towards 0. Averaged over the run the rate is $\eta_0 / (p + 1)$. We train with
$p \in \{0.5, 1, 2, 4, 8\}$, all from $\eta_0 = 0.3$, the rate set every update, for 30 epochs.
`),
  code("decay-plot", "Plot the polynomial schedules for each power", decayPlot, [
    region(new URL("../lib/exercises/decay.ts", import.meta.url), "decay-grid"),
  ]),
  code("decay-runs", "Train with each power", decayRuns),
  prose((results) => {
    const { runs, plan } = sweep(results, "decay-runs");
    return `${scopeNote(plan, planFull(EPOCHS.decay))}\n\n${decayFindings(analyzeDecay(runs))}`;
  }),
  prose(() =>
    md`
${heading(3)}

Training on ImageNet is out of reach here. Its usual training set, from the 2012 challenge,
holds 1,281,167 colour photographs in 1,000 classes, more than twenty times as many images as
Fashion-MNIST, each with far more pixels than our 28×28 grey ones, and the network it is usually
trained with, ResNet-50, costs far more per image than LeNet; Goyal et al. below needed 256 GPUs to
train it in one hour. This book's engine trains LeNet on two CPU cores. What the literature
reports about schedules on ImageNet is this:

${
      CITATIONS.map((c) => `- [**${c.authors}**](cite:${c.key}), *${c.title}*, ${c.finding}`).join(
        "\n",
      )
    }

The closest larger problem this machine allows is a larger network on harder data for longer: we
double every layer of LeNet (twice the channels and units, about ${
      Math.round(lenetParameterCount(2) / 1000)
    } thousand weights instead of ${
      Math.round(lenetParameterCount(1) / 1000)
    } thousand), show it each training image flipped left–right at random and shifted by up to two
pixels, and train on all of Fashion-MNIST for 45 epochs instead of 30. Against the cosine
schedule we put the two step schedules of ImageNet practice: the rate divided by 10 after each
third of the run, as in the classic ResNet recipe (epochs 30 and 60 of 90), and divided by 10 at
half and three quarters of it. All three start at 0.3 after the same short linear warmup (the
first twentieth of the run), the rate set every update.
`
  ),
  code("larger-plot", "Plot the three schedules over the longer run", largerPlot, [
    region(new URL("../lib/exercises/larger.ts", import.meta.url), "larger-schedules"),
  ]),
  code("larger-runs", "Train the wider, augmented LeNet under each schedule", largerRuns),
  prose((results) => {
    const { runs, plan } = sweep(results, "larger-runs");
    return `${scopeNote(plan, planFull(EPOCHS.larger))}\n\n${largerFindings(analyzeLarger(runs))}`;
  }),
  prose((results) => {
    const fixed = analyzeFixed(sweep(results, "fixed-sweep").runs);
    return md`
${heading(4)}

Warmup exists to get a network through its first updates at a peak rate that a cold start would
not survive, so we need such a rate first. ${peakChoice(fixed)} In front of a cosine decay to 0
we put linear warmups of different lengths: none, and 1/16, 1/8, 1/4 and 1/2 of a 15-epoch run,
the rate set every update. Whether a run at such a rate survives depends on its first
minibatches, so each length is run with four seeds (different initial weights and minibatch
order) and we count how many failed. Because the warmup counts inside the run, a longer warmup
also shortens the time spent near the peak.
`;
  }),
  code("warmup-plot", "Plot the warmup lengths in front of the cosine schedule", warmupPlot, [
    region(new URL("../lib/exercises/warmup.ts", import.meta.url), "warmup-grid"),
  ]),
  code("warmup-runs", "Train each warmup length with four seeds", warmupRuns),
  prose((results) => {
    const { runs, plan } = sweep(results, "warmup-runs");
    return `${scopeNote(plan, planFull(EPOCHS.warmup))}\n\n${
      warmupFindings(analyzeWarmup(runs, plan))
    }`;
  }),
  prose(md`
${heading(5)}

Stochastic Gradient Langevin Dynamics ([Welling & Teh, 2011](cite:welling2011)) turns SGD into a sampler with two
changes. The minibatch gradient of the log posterior is scaled to the whole data set, and every
step adds Gaussian noise whose variance equals the step size:

$$w_{t+1} = w_t + \frac{\epsilon_t}{2}\Big(\nabla \log p(w_t) + \frac{N}{n}\sum_{i \in B_t} \nabla \log p(y_i \mid x_i, w_t)\Big) + \eta_t, \qquad \eta_t \sim \mathcal{N}(0, \epsilon_t I).$$

While the steps are large the gradient dominates and the iterates head for the mode, as SGD
would; as $\epsilon_t$ shrinks, the injected noise, of order $\sqrt{\epsilon_t}$, outweighs the
minibatch noise, of order $\epsilon_t$, and the iterates become samples from the posterior. The
step size is a learning-rate schedule, and the paper's is a polynomial decay,
$\epsilon_t = a (b + t)^{-\gamma}$ with $\gamma \in (0.5, 1]$: slow enough that the steps add up to
infinity, fast enough that their squares do not. Samples are averaged with weights $\epsilon_t$.

To check the samples we need a posterior we know exactly: Bayesian linear regression
$y = w_0 + w_1 x + \varepsilon$ with noise $\varepsilon \sim \mathcal{N}(0, \sigma^2)$ and prior
$w \sim \mathcal{N}(0, \alpha^{-1} I)$. With design rows $(1, x_i)$ its posterior is Gaussian with
precision $A = \alpha I + X^\top X / \sigma^2$ and mean $A^{-1} X^\top y / \sigma^2$. We draw 50
points of $y = 1 + 2x$ with $\sigma = 1$, take $\alpha = 1$ and minibatches of 10, and run three
chains of a million updates from the same start: SGLD with $\epsilon_t$ decaying from 0.01 as
$(1000 / (1000 + t))^{0.55}$; SGLD with the step held at 0.01; and SGD, the decaying steps without
the noise. The first tenth of each chain is discarded.
`),
  code(
    "sampling",
    "Run SGLD, fixed-step SGLD and SGD, and compare with the exact posterior",
    sampling,
    [
      region(new URL("../lib/exercises/sgld.ts", import.meta.url), "sgld"),
      region(new URL("../lib/exercises/sgld.ts", import.meta.url), "posterior"),
      region(new URL("../lib/exercises/sgld.ts", import.meta.url), "moments"),
    ],
  ),
  prose(() => samplingFindings(sampled ?? samplingExperiment(SAMPLING))),
  prose(md`
So optimization and sampling are two ends of one procedure: run SGD with a decaying rate and add
noise matched to the rate, and the same loop that would have found the most probable weights
draws from their posterior instead. The learning-rate schedule decides where on that road the
iterates are; here the polynomial decay of the step size is what turns a biased sampler (the
fixed step) into a correct one.
`),
];

/** The full-size plan of an answer (what its measured prose compares a run against). */
function planFull(epochs: number): Plan {
  return plan(epochs);
}

const chapter: Chapter = {
  slug: "exercises",
  title: "Exercises",
  original: d2l("Exercises"),
  source: import.meta.url,
  trainingRuns: FIXED_RATES.length + POWERS.length + 3 +
    WARMUP_FRACTIONS.length * WARMUP_SEEDS.length,
  // 30-epoch runs for answers 1 and 2; three 45-epoch runs of the wider net (about 2.6 times
  // the work per epoch) for answer 3; 15-epoch runs for answer 4.
  trainingEpochs: FIXED_RATES.length * EPOCHS.fixed + POWERS.length * EPOCHS.decay +
    3 * EPOCHS.larger * 2.6 + WARMUP_FRACTIONS.length * WARMUP_SEEDS.length * EPOCHS.warmup,
  cells: [
    prose(md`
# Exercises

${questions}
`),
    ...answerCells,
  ],
};

export default chapter;
