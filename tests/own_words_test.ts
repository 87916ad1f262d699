/**
 * The book's prose is its own: no run of eight or more consecutive words of
 * the English edition of the original chapter appears in any chapter's prose,
 * as evaluated (the measured sentences included, made-up training for them), the forthcoming
 * chapters' included.
 * Words are compared lowercased, without punctuation and without TeX math.
 */

import assert from "node:assert/strict";
import { forthcoming } from "../chapters/forthcoming.ts";
import { chapters } from "../chapters/mod.ts";
import { fakeTrainer } from "../lib/book/_testing.ts";
import { runChapter } from "../lib/book/run.ts";

/**
 * THE TEXT BEING CHECKED AGAINST, quoted as test data and nothing else: the
 * prose of the English "Learning Rate Scheduling" chapter of Dive into Deep
 * Learning (d2l-ai/d2l-en, chapter_optimization/lr-scheduler.md, as stored at
 * commit 03df6c9bbe360b53bbfda69725b0762235026216), one paragraph or list item
 * per entry, its cross-references (:numref:, :cite:) and code left out.
 */
const ENGLISH_CHAPTER: readonly string[] = [
  "So far we primarily focused on optimization algorithms for how to update the weight vectors rather than on the rate at which they are being updated. Nonetheless, adjusting the learning rate is often just as important as the actual algorithm. There are a number of aspects to consider:",
  "Most obviously the magnitude of the learning rate matters. If it is too large, optimization diverges, if it is too small, it takes too long to train or we end up with a suboptimal result. We saw previously that the condition number of the problem matters (see e.g., for details). Intuitively it is the ratio of the amount of change in the least sensitive direction vs. the most sensitive one.",
  "Secondly, the rate of decay is just as important. If the learning rate remains large we may simply end up bouncing around the minimum and thus not reach optimality. discussed this in some detail and we analyzed performance guarantees in. In short, we want the rate to decay, but probably more slowly than $\\mathcal{O}(t^{-\\frac{1}{2}})$ which would be a good choice for convex problems.",
  "Another aspect that is equally important is initialization. This pertains both to how the parameters are set initially (review for details) and also how they evolve initially. This goes under the moniker of warmup, i.e., how rapidly we start moving towards the solution initially. Large steps in the beginning might not be beneficial, in particular since the initial set of parameters is random. The initial update directions might be quite meaningless, too.",
  "Lastly, there are a number of optimization variants that perform cyclical learning rate adjustment. This is beyond the scope of the current chapter. We recommend the reader to review details in, e.g., how to obtain better solutions by averaging over an entire path of parameters.",
  "Given the fact that there is a lot of detail needed to manage learning rates, most deep learning frameworks have tools to deal with this automatically. In the current chapter we will review the effects that different schedules have on accuracy and also show how this can be managed efficiently via a learning rate scheduler.",
  "We begin with a toy problem that is cheap enough to compute easily, yet sufficiently nontrivial to illustrate some of the key aspects. For that we pick a slightly modernized version of LeNet (relu instead of sigmoid activation, MaxPooling rather than AveragePooling), as applied to Fashion-MNIST. Moreover, we hybridize the network for performance. Since most of the code is standard we just introduce the basics without further detailed discussion. See for a refresher as needed.",
  "Let us have a look at what happens if we invoke this algorithm with default settings, such as a learning rate of $0.3$ and train for $30$ iterations. Note how the training accuracy keeps on increasing while progress in terms of test accuracy stalls beyond a point. The gap between both curves indicates overfitting.",
  "One way of adjusting the learning rate is to set it explicitly at each step. This is conveniently achieved by the set_learning_rate method. We could adjust it downward after every epoch (or even after every minibatch), e.g., in a dynamic manner in response to how optimization is progressing.",
  "More generally we want to define a scheduler. When invoked with the number of updates it returns the appropriate value of the learning rate. Let us define a simple one that sets the learning rate to $\\eta = \\eta_0 (t + 1)^{-\\frac{1}{2}}$.",
  "Let us plot its behavior over a range of values.",
  "Now let us see how this plays out for training on Fashion-MNIST. We simply provide the scheduler as an additional argument to the training algorithm.",
  "This worked quite a bit better than previously. Two things stand out: the curve was rather more smooth than previously. Secondly, there was less overfitting. Unfortunately it is not a well-resolved question as to why certain strategies lead to less overfitting in theory. There is some argument that a smaller stepsize will lead to parameters that are closer to zero and thus simpler. However, this does not explain the phenomenon entirely since we do not really stop early but simply reduce the learning rate gently.",
  "While we cannot possibly cover the entire variety of learning rate schedulers, we attempt to give a brief overview of popular policies below. Common choices are polynomial decay and piecewise constant schedules. Beyond that, cosine learning rate schedules have been found to work well empirically on some problems. Lastly, on some problems it is beneficial to warm up the optimizer prior to using large learning rates.",
  "One alternative to a polynomial decay would be a multiplicative one, that is $\\eta_{t+1} \\leftarrow \\eta_t \\cdot \\alpha$ for $\\alpha \\in (0, 1)$. To prevent the learning rate from decaying beyond a reasonable lower bound the update equation is often modified to $\\eta_{t+1} \\leftarrow \\mathop{\\mathrm{max}}(\\eta_{\\mathrm{min}}, \\eta_t \\cdot \\alpha)$.",
  "This can also be accomplished by a built-in scheduler in MXNet via the lr_scheduler.FactorScheduler object. It takes a few more parameters, such as warmup period, warmup mode (linear or constant), the maximum number of desired updates, etc.; Going forward we will use the built-in schedulers as appropriate and only explain their functionality here. As illustrated, it is fairly straightforward to build your own scheduler if needed.",
  "A common strategy for training deep networks is to keep the learning rate piecewise constant and to decrease it by a given amount every so often. That is, given a set of times when to decrease the rate, such as $s = \\{5, 10, 20\\}$ decrease $\\eta_{t+1} \\leftarrow \\eta_t \\cdot \\alpha$ whenever $t \\in s$. Assuming that the values are halved at each step we can implement this as follows.",
  "The intuition behind this piecewise constant learning rate schedule is that one lets optimization proceed until a stationary point has been reached in terms of the distribution of weight vectors. Then (and only then) do we decrease the rate such as to obtain a higher quality proxy to a good local minimum. The example below shows how this can produce ever slightly better solutions.",
  'A rather perplexing heuristic was proposed by. It relies on the observation that we might not want to decrease the learning rate too drastically in the beginning and moreover, that we might want to "refine" the solution in the end using a very small learning rate. This results in a cosine-like schedule with the following functional form for learning rates in the range $t \\in [0, T]$.',
  "Here $\\eta_0$ is the initial learning rate, $\\eta_T$ is the target rate at time $T$. Furthermore, for $t > T$ we simply pin the value to $\\eta_T$ without increasing it again. In the following example, we set the max update step $T = 20$.",
  "In the context of computer vision this schedule can lead to improved results. Note, though, that such improvements are not guaranteed (as can be seen below).",
  "In some cases initializing the parameters is not sufficient to guarantee a good solution. This particularly a problem for some advanced network designs that may lead to unstable optimization problems. We could address this by choosing a sufficiently small learning rate to prevent divergence in the beginning. Unfortunately this means that progress is slow. Conversely, a large learning rate initially leads to divergence.",
  "A rather simple fix for this dilemma is to use a warmup period during which the learning rate increases to its initial maximum and to cool down the rate until the end of the optimization process. For simplicity one typically uses a linear increase for this purpose. This leads to a schedule of the form indicated below.",
  "Note that the network converges better initially (in particular observe the performance during the first 5 epochs).",
  "Warmup can be applied to any scheduler (not just cosine). For a more detailed discussion of learning rate schedules and many more experiments see also. In particular they find that a warmup phase limits the amount of divergence of parameters in very deep networks. This makes intuitively sense since we would expect significant divergence due to random initialization in those parts of the network that take the most time to make progress in the beginning.",
  "Decreasing the learning rate during training can lead to improved accuracy and (most perplexingly) reduced overfitting of the model.",
  "A piecewise decrease of the learning rate whenever progress has plateaued is effective in practice. Essentially this ensures that we converge efficiently to a suitable solution and only then reduce the inherent variance of the parameters by reducing the learning rate.",
  "Cosine schedulers are popular for some computer vision problems. See e.g., GluonCV for details of such a scheduler.",
  "A warmup period before optimization can prevent divergence.",
  "Optimization serves multiple purposes in deep learning. Besides minimizing the training objective, different choices of optimization algorithms and learning rate scheduling can lead to rather different amounts of generalization and overfitting on the test set (for the same amount of training error).",
  "Experiment with the optimization behavior for a given fixed learning rate. What is the best model you can obtain this way?",
  "How does convergence change if you change the exponent of the decrease in the learning rate? Use PolyScheduler for your convenience in the experiments.",
  "Apply the cosine scheduler to large computer vision problems, e.g., training ImageNet. How does it affect performance relative to other schedulers?",
  "How long should warmup last?",
  "Can you connect optimization and sampling? Start by using results from on Stochastic Gradient Langevin Dynamics.",
];

/** How many consecutive words make a copied run. */
const RUN = 8;

/** Prose as a list of words: math and link targets dropped, code kept as words. */
function words(markdown: string): string[] {
  return markdown
    .replace(/\$\$[\s\S]*?\$\$/g, " ")
    .replace(/\$[^$]*\$/g, " ")
    .replace(/\]\([^)]*\)/g, " ")
    .toLowerCase()
    .replace(/[’']/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Every run of `RUN` consecutive words of `text`, joined by spaces. */
function runs(text: string): Set<string> {
  const w = words(text), out = new Set<string>();
  for (let i = 0; i + RUN <= w.length; i++) out.add(w.slice(i, i + RUN).join(" "));
  return out;
}

const english = new Set(ENGLISH_CHAPTER.flatMap((p) => [...runs(p)]));

/** The runs of `markdown` that also occur in the English chapter. */
function copied(markdown: string): string[] {
  return [...runs(markdown)].filter((r) => english.has(r));
}

Deno.test("own words: the check finds a copied run, and ignores case, punctuation and math", () => {
  assert.ok(english.size > 500, `${english.size} runs of ${RUN} words`);
  const lifted = "As it happens, a rather simple fix for this dilemma is to use a warmup period!";
  assert.deepEqual(copied(lifted).length > 0, true);
  assert.ok(
    copied("MOST OBVIOUSLY, the *magnitude* of the learning-rate $\\eta$ matters.").length > 0,
  );
  assert.deepEqual(copied("A warmup period before optimization can help."), []); // 7 words in common
  assert.deepEqual(words("Keep `poly` and $x^2$ [a link](http://x.y/z) here."), [
    "keep",
    "poly",
    "and",
    "a",
    "link",
    "here",
  ]);
});

Deno.test("own words: no chapter's prose repeats eight consecutive words of the English chapter", async () => {
  // The chapters written but not yet in the book too (chapters/forthcoming.ts).
  for (const chapter of [...chapters, ...forthcoming]) {
    const run = await runChapter(chapter, { quiet: true }, {}, fakeTrainer());
    const found = run.prose.flatMap(copied);
    assert.deepEqual(found, [], `${chapter.slug} repeats the English chapter`);
  }
});
