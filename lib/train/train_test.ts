import assert from "node:assert/strict";
import { loadTestData } from "../data/_testing.ts";
import { memoryCache } from "./cache.ts";
import { ratesFor, requestOf, resolveConfig, train } from "./train.ts";
import type { TrainRequest } from "./types.ts";

const data = await loadTestData();
const needsData = { ignore: data === null };

/** A small real run: 1,024 training images (4 updates of 256), 1,000 test images. */
const small = (over: Partial<TrainRequest> = {}): TrainRequest => ({
  name: "small",
  schedule: () => 0.05,
  stepsPer: "epoch",
  epochs: 2,
  trainSize: 1024,
  testSize: 1000,
  ...over,
});

const quiet = { progress: "silent" as const, cache: null };

Deno.test("resolveConfig fills in the chapter's defaults", () => {
  const config = resolveConfig({ name: "x", schedule: () => 0.1, stepsPer: "update" });
  assert.deepEqual(config, {
    epochs: 30,
    batchSize: 256,
    seed: 0,
    trainSize: 60_000,
    testSize: 10_000,
    stepsPer: "update",
    updatesPerEpoch: 235,
    width: 1,
    augment: false,
  });
});

Deno.test("resolveConfig names the bad field and quotes its value", () => {
  const base = { name: "x", schedule: () => 0.1, stepsPer: "epoch" as const };
  assert.throws(
    () => resolveConfig({ ...base, epochs: 0 }),
    /train: epochs \(0\) must be an integer from 1/,
  );
  assert.throws(() => resolveConfig({ ...base, epochs: 2.5 }), /epochs \(2\.5\)/);
  assert.throws(() => resolveConfig({ ...base, trainSize: 70_000 }), /trainSize \(70000\)/);
  assert.throws(() => resolveConfig({ ...base, batchSize: NaN }), /batchSize \(NaN\)/);
  assert.throws(() => resolveConfig({ ...base, seed: "1" as unknown as number }), /seed \("1"\)/);
  assert.throws(
    () => resolveConfig({ ...base, stepsPer: "batch" as "epoch" }),
    /stepsPer \("batch"\) must be "epoch" or "update"/,
  );
  assert.throws(
    () => resolveConfig({ ...base, schedule: 0.1 as unknown as () => number }),
    TypeError,
  );
  assert.throws(
    () => resolveConfig({ ...base, epoch: 3 } as unknown as TrainRequest),
    /unknown option "epoch"/,
  );
});

Deno.test("updateLosses: in the settings only when asked for, so no other request's key changes", async () => {
  const base = { name: "x", schedule: () => 0.1, stepsPer: "epoch" as const };
  assert.ok(!("updateLosses" in resolveConfig({ ...base, updateLosses: false })));
  assert.equal(resolveConfig({ ...base, updateLosses: true }).updateLosses, true);
  assert.throws(
    () => resolveConfig({ ...base, updateLosses: "yes" as unknown as boolean }),
    /train: updateLosses \("yes"\) must be true or false/,
  );
  // The toy problem's constant 0.3, seed 0: the request hash of its frozen record
  // (data/frozen/0116968b....json). Catches any change to how an existing request is hashed.
  const baseline = { name: "constant 0.3", schedule: () => 0.3, stepsPer: "epoch" as const };
  const frozen = "140e82de5d5d8fec3dcbc05d08f66869f1b0fd5122e54338d2aa659545d1ee2e";
  assert.equal((await requestOf(baseline)).request, frozen);
  assert.equal((await requestOf({ ...baseline, updateLosses: false })).request, frozen);
  // Asking for the losses is another request: a record without them cannot answer it.
  assert.notEqual((await requestOf({ ...baseline, updateLosses: true })).request, frozen);
});

Deno.test("ratesFor: per epoch, every update of epoch e uses schedule(e); per update, update u uses schedule(u)", () => {
  const schedule = (t: number) => 1 / (t + 1);
  const base = { name: "x", schedule, epochs: 3, trainSize: 1000, batchSize: 400 };
  const perEpoch = ratesFor(schedule, resolveConfig({ ...base, stepsPer: "epoch" }));
  assert.deepEqual(Array.from(perEpoch), [1, 1, 1, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1 / 3, 1 / 3]);
  const perUpdate = ratesFor(schedule, resolveConfig({ ...base, stepsPer: "update" }));
  assert.deepEqual(Array.from(perUpdate), Array.from({ length: 9 }, (_, u) => 1 / (u + 1)));
});

Deno.test("ratesFor refuses a schedule that returns a negative or non-finite rate", () => {
  const config = resolveConfig({
    name: "x",
    schedule: () => 0,
    stepsPer: "update",
    epochs: 1,
    trainSize: 512,
  });
  assert.throws(() => ratesFor((t) => (t === 1 ? NaN : 0.1), config), /schedule\(1\) returned NaN/);
  assert.throws(() => ratesFor(() => -0.1, config), /schedule\(0\) returned -0\.1/);
});

Deno.test({
  name: "the same seed gives the same numbers; another seed gives others",
  ...needsData,
  async fn() {
    const a = await train(small(), { ...quiet, data: data! });
    const b = await train(small(), { ...quiet, data: data! });
    const c = await train(small({ seed: 1 }), { ...quiet, data: data! });
    const numbers = (r: typeof a) => r.history.map((e) => [e.trainLoss, e.trainAcc, e.testAcc]);
    assert.deepEqual(numbers(a), numbers(b));
    assert.notDeepEqual(numbers(a), numbers(c));
    assert.equal(a.history.length, 2);
    assert.equal(a.divergedAt, null);
    for (const e of a.history) {
      assert(e.trainLoss > 0 && e.trainLoss < 3, `loss ${e.trainLoss}`);
      assert(e.testAcc > 0 && e.testAcc <= 1 && e.trainAcc > 0 && e.trainAcc <= 1);
    }
  },
});

Deno.test({
  name: "two workers train the same model as one (same metrics to float tolerance)",
  ...needsData,
  async fn() {
    const request = small({ epochs: 2, trainSize: 2048 });
    const one = await train(request, { ...quiet, data: data!, workers: 1 });
    const two = await train(request, { ...quiet, data: data!, workers: 2 });
    for (let e = 0; e < 2; e++) {
      const [p, q] = [one.history[e], two.history[e]];
      assert(
        Math.abs(p.trainLoss - q.trainLoss) < 1e-4,
        `epoch ${e + 1} loss ${p.trainLoss} vs ${q.trainLoss}`,
      );
      // Rounding differs, so a test image right at a decision boundary may flip:
      // allow 5 of the 1,000 (measured: 2).
      assert(
        Math.abs(p.testAcc - q.testAcc) <= 0.005 + 1e-12,
        `epoch ${e + 1} test acc ${p.testAcc} vs ${q.testAcc}`,
      );
    }
  },
});

Deno.test({
  name: "training lowers the loss (the gradients point downhill)",
  ...needsData,
  async fn() {
    const run = await train(small({ epochs: 3, trainSize: 4096, schedule: () => 0.1 }), {
      ...quiet,
      data: data!,
    });
    const [first, last] = [run.history[0], run.history.at(-1)!];
    assert(last.trainLoss < first.trainLoss - 0.2, `loss ${first.trainLoss} -> ${last.trainLoss}`);
    assert(last.testAcc > 0.5, `test accuracy ${last.testAcc}`);
  },
});

Deno.test({
  name: "a rate too large diverges: the run ends marked, it does not crash",
  ...needsData,
  async fn() {
    const run = await train(small({ epochs: 5, schedule: () => 1e4 }), { ...quiet, data: data! });
    assert.notEqual(run.divergedAt, null);
    assert.equal(run.history.length, run.divergedAt);
    assert(Number.isNaN(run.history.at(-1)!.trainLoss));
  },
});

Deno.test({
  name: "each epoch records the rates it used (per-update runs record first and last)",
  ...needsData,
  async fn() {
    const run = await train(small({ stepsPer: "update", schedule: (u) => 0.1 / (u + 1) }), {
      ...quiet,
      data: data!,
    });
    assert.deepEqual(run.history.map((e) => [e.lr, e.lrLast]), [[0.1, 0.1 / 4], [
      0.1 / 5,
      0.1 / 8,
    ]]);
  },
});

Deno.test({
  name: "a finished run is cached under its content; the next call reads it",
  ...needsData,
  async fn() {
    const cache = memoryCache();
    const first = await train(small({ epochs: 1 }), { progress: "silent", cache, data: data! });
    assert.equal(first.cached, false);
    assert.equal(cache.entries.size, 1);
    const again = await train(small({ epochs: 1, name: "renamed" }), {
      progress: "silent",
      cache,
      data: data!,
    });
    assert.equal(again.cached, true);
    assert.equal(again.name, "renamed");
    assert.deepEqual(again.history, first.history);
    const other = await train(small({ epochs: 1, schedule: () => 0.06 }), {
      progress: "silent",
      cache,
      data: data!,
    });
    assert.equal(other.cached, false, "another schedule is another run");
    const fresh = await train(small({ epochs: 1 }), {
      progress: "silent",
      cache,
      data: data!,
      fresh: true,
    });
    assert.equal(fresh.cached, false);
  },
});

Deno.test({
  name: "a wider LeNet with augmented data trains too, and differs from the plain run",
  ...needsData,
  async fn() {
    const plain = await train(small({ epochs: 1 }), { ...quiet, data: data! });
    const wide = await train(small({ epochs: 1, width: 2 }), { ...quiet, data: data! });
    const augmented = await train(small({ epochs: 1, augment: true }), { ...quiet, data: data! });
    for (const run of [wide, augmented]) {
      assert(Number.isFinite(run.history[0].trainLoss) && run.history[0].trainLoss < 2.4);
      assert.notEqual(run.history[0].trainLoss, plain.history[0].trainLoss);
    }
  },
});

Deno.test({
  name: "a plateau run on real data watches the last training images and cuts as it decides",
  ...needsData,
  async fn() {
    const run = await train(
      small({
        epochs: 3,
        trainSize: 4096,
        schedule: () => 0.2,
        plateau: {
          // No epoch can beat three times the best: the rate halves after every epoch but the first.
          options: { baseLr: 0.2, mode: "max", factor: 0.5, patience: 0, threshold: 2 },
          metric: "accuracy",
          holdOut: 2000,
        },
      }),
      { ...quiet, data: data! },
    );
    // The rates: the schedule's 0.2, then as cut after epoch 2 (a cut from the wrong epoch, or
    // none, fails here).
    assert.deepEqual(run.history.map((e) => e.lr), [0.2, 0.2, 0.1]);
    assert.deepEqual(run.history.map((e) => e.plateau!.lr), [0.2, 0.1, 0.05]);
    for (const e of run.history) {
      const p = e.plateau!;
      // Images of the same kind as the test set, never trained on: their accuracy is the test
      // accuracy give or take sampling (2,000 and 1,000 images), counted on 2,000 images.
      assert.ok(Math.abs(p.heldOutAcc - e.testAcc) < 0.06, `${p.heldOutAcc} vs ${e.testAcc}`);
      assert.ok(Math.abs(p.heldOutAcc * 2000 - Math.round(p.heldOutAcc * 2000)) < 1e-9);
      assert.ok(p.heldOutLoss > 0 && p.heldOutLoss < 2.5, `held-out loss ${p.heldOutLoss}`);
    }
    // The network learned, and the held-out images show it (wrong images, or none, would not).
    assert.ok(run.history[2].plateau!.heldOutAcc > 0.5, `${run.history[2].plateau!.heldOutAcc}`);
    assert.equal(run.history[0].plateau!.best, run.history[0].plateau!.heldOutAcc);
  },
});

Deno.test({
  name:
    "the loss of every update: one per update, adding up to each epoch's loss; no number changes",
  ...needsData,
  async fn() {
    // 1,100 images: updates of 256, 256, 256, 256 and 76 images per epoch.
    const request = small({ trainSize: 1100, stepsPer: "update", schedule: (u) => 0.02 * (u + 1) });
    const plain = await train(request, { ...quiet, data: data! });
    const run = await train({ ...request, updateLosses: true }, { ...quiet, data: data! });
    const numbers = (r: typeof run) => r.history.map((e) => ({ ...e, seconds: 0 }));
    assert.deepEqual(numbers(run), numbers(plain)); // recording them changes nothing computed
    assert.equal(plain.updateLosses, undefined);
    const losses = run.updateLosses!;
    assert.equal(losses.length, 10); // one per update: 5 per epoch, 2 epochs
    const sizes = [256, 256, 256, 256, 76];
    for (const e of run.history) {
      const mine = losses.slice((e.epoch - 1) * 5, e.epoch * 5);
      // The epoch's mean loss is the updates' losses weighted by their minibatch sizes: catches
      // losses of other updates, in another order, or not each its minibatch's mean.
      const sum = mine.reduce((s, l, i) => s + l * sizes[i], 0);
      assert.ok(Math.abs(sum / 1100 - e.trainLoss) < 1e-9, `epoch ${e.epoch}: ${sum / 1100}`);
    }
    assert.notEqual(losses[0], losses[1]); // not one number repeated
  },
});

Deno.test({
  name:
    "a range test that diverges keeps the losses of the updates before the one that was not finite",
  ...needsData,
  async fn() {
    const cache = memoryCache();
    // Two updates at 0.05, then 1e4 (which the test above shows diverging).
    const schedule = (u: number) => (u < 2 ? 0.05 : 1e4);
    const request = small({ epochs: 3, stepsPer: "update", schedule, updateLosses: true });
    const run = await train(request, { progress: "silent", cache, data: data! });
    assert.notEqual(run.divergedAt, null);
    const losses = run.updateLosses!;
    const u = run.config.updatesPerEpoch;
    assert.ok(losses.length < run.divergedAt! * u && losses.length >= (run.divergedAt! - 1) * u);
    assert.ok(losses.every(Number.isFinite), "only finite losses");
    // Stored and read back: the same losses (the record passes recordProblem).
    const again = await train(request, { progress: "silent", cache, data: data! });
    assert.equal(again.cached, true);
    assert.deepEqual(again.updateLosses, losses);
  },
});
