import assert from "node:assert/strict";
import { fakeRun, fakeTrainer } from "./_testing.ts";
import { runChapter } from "./run.ts";
import {
  checkGroup,
  DEFAULT_SEEDS,
  groupOf,
  groupScope,
  groupsOf,
  seedGroup,
  seedsFor,
  seedsText,
  trainSeeds,
} from "./seeds.ts";
import { type Chapter, code } from "./types.ts";
import { ratesFor, resolveConfig } from "../train/train.ts";
import type { RunResult, TrainRequest } from "../train/types.ts";

const request = (): TrainRequest => ({
  name: "cosine",
  schedule: (t) => 0.3 * 0.9 ** t,
  stepsPer: "epoch",
  epochs: 30,
});

/** A one-cell chapter that trains `request()` over seeds. */
function chapter(seeds?: number[]): Chapter {
  return {
    slug: "s",
    title: "S",
    source: import.meta.url,
    cells: [code("group", "over seeds", async (ctx) => [await ctx.trainSeeds(request(), seeds)])],
  };
}

Deno.test("ctx.trainSeeds: the request once per seed (0–4 by default), only the seed varying", async () => {
  const trainer = fakeTrainer();
  const run = await runChapter(chapter(), { quiet: true }, {}, trainer);
  const group = groupOf(run.results, "group");
  assert.equal(group.kind, "runs");
  assert.equal(group.label, "cosine");
  assert.deepEqual(trainer.requests.map((r) => r.seed), [...DEFAULT_SEEDS]);
  assert.deepEqual(group.runs.map((r) => r.name), [0, 1, 2, 3, 4].map((s) => `cosine, seed ${s}`));
  for (const r of trainer.requests) {
    const { name: _n, schedule: _s, seed: _seed, ...rest } = r;
    const { name: _n0, schedule: _s0, ...base } = request();
    assert.deepEqual(rest, base, "epochs and stepping as asked");
  }
  // The fake trainer gives every seed but 0 its own luck: the group has a spread.
  const finals = group.runs.map((r) => r.history.at(-1)!.testAcc);
  assert.equal(new Set(finals).size, 5);
  // Seed 0 is the run a single ctx.train of the request is: the same settings and rates,
  // so the same key, and its frozen record serves both.
  const seed0 = trainer.requests[0];
  assert.deepEqual(resolveConfig(seed0), resolveConfig(request()));
  assert.deepEqual(
    ratesFor(seed0.schedule, resolveConfig(seed0)),
    ratesFor(request().schedule, resolveConfig(request())),
  );
});

Deno.test("ctx.trainSeeds: the cell's own seeds, and --seeds N replacing them with 0..N-1", async () => {
  const own = fakeTrainer();
  await runChapter(chapter([3, 7]), { quiet: true }, {}, own);
  assert.deepEqual(own.requests.map((r) => r.seed), [3, 7]);
  const quick = fakeTrainer();
  const run = await runChapter(chapter([3, 7]), { quiet: true, seeds: 3, epochs: 2 }, {}, quick);
  assert.deepEqual(quick.requests.map((r) => r.seed), [0, 1, 2]);
  assert.ok(groupOf(run.results, "group").runs.every((r) => r.config.epochs === 2));
  assert.deepEqual(seedsFor({ seeds: 1 }, [5, 6]), [0]);
});

Deno.test("trainSeeds: a schedule that keeps state still gives every seed the same rates", async () => {
  let calls = 0;
  const drifting = (t: number) => 0.1 + 0.01 * t + 1e-4 * calls++; // another value per call
  const trainer = fakeTrainer();
  const group = await trainSeeds(
    (r) => trainer(r, {}),
    { name: "drift", schedule: drifting, stepsPer: "epoch", epochs: 4 },
    [0, 1, 2],
  );
  const lrs = group.runs.map((r) => r.history.map((e) => e.lr));
  assert.deepEqual(lrs[1], lrs[0]);
  assert.deepEqual(lrs[2], lrs[0]);
});

Deno.test("trainSeeds: a seed in the request, no seeds or a repeated one is an error", async () => {
  const trainer = fakeTrainer();
  const train = (r: TrainRequest) => trainer(r, {});
  await assert.rejects(() => trainSeeds(train, { ...request(), seed: 2 }), /sets seed 2/);
  await assert.rejects(() => trainSeeds(train, request(), []), /no seeds/);
  await assert.rejects(() => trainSeeds(train, request(), [1, 1]), /a seed repeats/);
  assert.equal(trainer.requests.length, 0, "nothing trained");
});

Deno.test("trainSeeds: a trainer that ignores the seed is caught", async () => {
  const trainer = fakeTrainer();
  const deaf = (r: TrainRequest) => trainer({ ...r, seed: 0 }, {});
  await assert.rejects(() => trainSeeds(deaf, request(), [0, 1]), /asked for seed 1 .* seed 0/);
});

const run = (seed: number, extra: Partial<RunResult["config"]> = {}, lrs = [0.1, 0.1]) =>
  fakeRun(`r, seed ${seed}`, [0.5, 0.6], [0.4, 0.5], lrs, { seed, ...extra });

Deno.test("checkGroup: one run per seed, the same settings and rates but for the seed", () => {
  checkGroup("g", [run(0), run(1), run(2)]);
  assert.throws(() => checkGroup("g", []), /group "g": no runs/);
  assert.throws(() => checkGroup("g", [run(0), run(0)]), /seed 0 twice/);
  assert.throws(
    () => checkGroup("g", [run(0), run(1, { epochs: 5 })]),
    /"r, seed 1" \(seed 1\) was run with other settings/,
  );
  assert.throws(
    () => checkGroup("g", [run(0), run(1, {}, [0.1, 0.2])]),
    /trained epoch 2 at another rate \(0\.2\)/,
  );
  // A run that diverged early is compared over the epochs it has.
  const short = { ...run(1), history: run(1).history.slice(0, 1), divergedAt: 1 };
  checkGroup("g", [run(0), short]);
  assert.equal(seedGroup("g", [run(0)], true).reference, true);
  assert.equal("reference" in seedGroup("g", [run(0)]), false);
});

Deno.test("checkGroup: a plateau group's rates may differ by seed, its settings may not", () => {
  const settings = resolveConfig({
    name: "p",
    schedule: () => 0.1,
    stepsPer: "epoch",
    trainSize: 54_000,
    plateau: { options: { baseLr: 0.1 }, metric: "loss", holdOut: 6000 },
  }).plateau!;
  const p = (seed: number, lrs: number[], patience = 10) =>
    run(seed, { plateau: { ...settings, options: { ...settings.options, patience } } }, lrs);
  // Each seed's own metric decides its cuts: seed 1 cut after epoch 1, seed 0 did not.
  checkGroup("p", [p(0, [0.1, 0.1]), p(1, [0.1, 0.01])]);
  // Another scheduler is another experiment, as any other setting is.
  assert.throws(
    () => checkGroup("p", [p(0, [0.1, 0.1]), p(1, [0.1, 0.1], 3)]),
    /was run with other settings/,
  );
  // A group without the scheduler still may not (the check above is not dropped for all).
  assert.throws(() => checkGroup("g", [run(0), run(1, {}, [0.1, 0.01])]), /another rate/);
});

Deno.test("groupsOf and groupOf read a cell's groups back", () => {
  const a = seedGroup("a", [run(0), run(1)]), b = seedGroup("b", [run(0)]);
  const results = new Map([["cell", [a, { kind: "text" as const, text: "x" }, b]]]);
  assert.deepEqual(groupsOf(results, "cell"), [a, b]);
  assert.equal(groupOf(results, "cell", "b"), b);
  assert.deepEqual(groupsOf(results, "other"), []);
  assert.throws(() => groupOf(results, "cell", "c"), /no group "c" from cell "cell"/);
});

Deno.test("seedsText: one seed, a run of seeds, and any others", () => {
  assert.equal(seedsText([0]), "seed 0");
  assert.equal(seedsText([0, 1]), "seeds 0 and 1");
  assert.equal(seedsText([4, 3, 2, 1, 0]), "seeds 0–4");
  assert.equal(seedsText([0, 1, 3]), "seeds 0, 1 and 3");
});

Deno.test("groupScope: the seeds and the settings, a quick run's warning, and one seed's", () => {
  const full = (seeds: number[]) =>
    seedGroup(
      "g",
      seeds.map((seed) =>
        fakeRun(`g, seed ${seed}`, [0.5], [0.4], undefined, { seed, epochs: 30, trainSize: 60_000 })
      ),
    );
  assert.equal(
    groupScope(full([0, 1, 2, 3, 4])),
    "*Measured over 5 seeds (seeds 0–4) of the full run: 30 epochs on all 60,000 training " +
      "images, the rate set once per epoch.*",
  );
  assert.match(groupScope(full([0])), /over 1 seed \(seed 0\) .*One seed gives no spread/);
  assert.match(
    groupScope(seedGroup("q", [run(0), run(1)])),
    /^\*These numbers come from quick runs over 2 seeds \(seeds 0 and 1\): 2 epochs on 1,024 of the 60,000 training images/,
  );
  // A plateau run that trains on all the images it does not hold out is a full run.
  const plateau = resolveConfig({
    name: "p",
    schedule: () => 0.1,
    stepsPer: "epoch",
    trainSize: 54_000,
    plateau: { options: { baseLr: 0.1 }, metric: "loss", holdOut: 6000 },
  }).plateau;
  const held = seedGroup("p", [
    fakeRun("p, seed 0", [0.5], [0.4], undefined, { epochs: 30, trainSize: 54_000, plateau }),
  ]);
  assert.match(
    groupScope(held),
    /^\*Measured over 1 seed \(seed 0\) of the full run: 30 epochs on 54,000 of the 60,000 training images \(the other 6,000 held out for the plateau scheduler\)/,
  );
});
