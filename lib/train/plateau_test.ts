/**
 * Reduce-on-plateau in the engine: the request's field checked, the keys of other requests
 * untouched, and a run on made-up data whose rates are the scheduler's decisions, the same in
 * one worker and two, recorded as they ran.
 */

import assert from "node:assert/strict";
import type { FashionMnist } from "../data/mod.ts";
import { hashKey } from "../util/hash_key.ts";
import { decodeRates, memoryCache } from "./cache.ts";
import { ratesFor, resolveConfig } from "./config.ts";
import { runEngine } from "./engine.ts";
import { engineFingerprint, plateauFingerprint } from "./fingerprint.ts";
import { capEpoch, plateauStep, resolvePlateau, startPlateau } from "./plateau.ts";
import { silentProgress } from "./progress.ts";
import { mulberry32 } from "./rng.ts";
import { keyOf, requestOf, train } from "./train.ts";
import type { PlateauControl, TrainRequest } from "./types.ts";

const control = (over: Partial<PlateauControl> = {}): PlateauControl => ({
  options: { baseLr: 0.3, factor: 0.5, patience: 1 },
  metric: "loss",
  holdOut: 6000,
  ...over,
});

Deno.test("resolvePlateau names the bad field and quotes its value", () => {
  const cases: [unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    [null, /train: plateau \(null\) must be \{ options, metric, holdOut \}/, TypeError],
    [{ ...control(), patience: 2 }, /train: unknown option plateau\.patience/, TypeError],
    [
      control({ metric: "acc" as "loss" }),
      /plateau\.metric \("acc"\) must be "loss" or/,
      RangeError,
    ],
    [control({ holdOut: 0 }), /plateau\.holdOut \(0\) must be an integer >= 1/, RangeError],
    [control({ holdOut: 2.5 }), /plateau\.holdOut \(2\.5\)/, RangeError],
    [control({ holdOut: 6001 }), /trainSize \(54000\) \+ plateau\.holdOut \(6001\)/, RangeError],
    [
      control({ options: { baseLr: 0.3, factor: 2 } }),
      /train: plateau\.options: plateau: factor \(2\) must be in \(0, 1\)/,
      RangeError,
    ],
    [
      control({ options: { baseLr: 0.3, lr: 1 } as never }),
      /train: plateau\.options: plateau: unknown option "lr"/,
      TypeError,
    ],
    [
      control({ metric: "accuracy" }),
      /plateau\.options\.mode \("min"\) must be "max" to watch the held-out accuracy/,
      RangeError,
    ],
    [
      control({ options: { baseLr: 0.3, mode: "max" } }),
      /plateau\.options\.mode \("max"\) must be "min" to watch the held-out loss/,
      RangeError,
    ],
  ];
  for (const [value, message, Kind] of cases) {
    // Each bad field is refused with its name and value: a check that let it through, or said
    // something else, fails here.
    assert.throws(() => resolvePlateau(value, 54_000, 60_000), Kind);
    assert.throws(() => resolvePlateau(value, 54_000, 60_000), message);
  }
  const ok = resolvePlateau(
    control({ metric: "accuracy", options: { baseLr: 0.3, mode: "max" } }),
    54_000,
    60_000,
  );
  assert.equal(ok.options.mode, "max"); // a good one resolves, every option filled in
  assert.equal(ok.options.threshold, 1e-4);
});

Deno.test("resolveConfig adds plateau settings only to a plateau request", () => {
  const base: TrainRequest = { name: "x", schedule: () => 0.3, stepsPer: "epoch" };
  // A config with a `plateau` key, even undefined, would be a change to every other key.
  assert.equal(Object.hasOwn(resolveConfig(base), "plateau"), false);
  const config = resolveConfig({ ...base, trainSize: 54_000, plateau: control() });
  assert.equal(config.plateau?.holdOut, 6000);
  assert.equal(config.plateau?.options.patience, 1);
  // The trainSize check leaves room for the held-out images.
  assert.throws(() => resolveConfig({ ...base, plateau: control() }), /trainSize \(60000\)/);
});

Deno.test("a request without plateau hashes as it did before plateau runs existed", async () => {
  // Hashes computed before the plateau field was added (the toy problem's baseline, seed 0, and
  // a small per-update run): a change to how any other request is keyed fails here.
  const baseline = await requestOf({
    name: "x",
    schedule: () => 0.3,
    stepsPer: "epoch",
    epochs: 30,
  });
  assert.equal(
    baseline.request,
    "140e82de5d5d8fec3dcbc05d08f66869f1b0fd5122e54338d2aa659545d1ee2e",
  );
  const small = await requestOf({
    name: "y",
    schedule: (t) => 0.1 / (1 + t),
    stepsPer: "update",
    epochs: 2,
    trainSize: 1024,
    testSize: 1000,
    seed: 3,
  });
  assert.equal(small.request, "5ce904e1e7b6de204ce5d62d853a773ccfaef40afdedc47bf753f6144fe01395");
  // And the key of such a request holds the engine fingerprint alone, as before.
  const keyed = await keyOf({ name: "x", schedule: () => 0.3, stepsPer: "epoch", epochs: 30 });
  const engine = await engineFingerprint();
  assert.equal(keyed.key, await hashKey({ version: 2, request: keyed.request, engine }));
});

Deno.test("a plateau request is keyed by its settings and the plateau path's fingerprint", async () => {
  const request: TrainRequest = {
    name: "p",
    schedule: () => 0.3,
    stepsPer: "epoch",
    trainSize: 54_000,
    plateau: control(),
  };
  const plain = await keyOf({ ...request, plateau: undefined });
  const keyed = await keyOf(request);
  // Another request than the same one without a scheduler, and another than with other options.
  assert.notEqual(keyed.request, plain.request);
  const other = await keyOf({ ...request, plateau: control({ holdOut: 5000 }) });
  assert.notEqual(other.request, keyed.request);
  // The key adds the plateau fingerprint: a change to the plateau path alone changes it.
  const engine = await engineFingerprint(), plateau = await plateauFingerprint();
  assert.equal(keyed.key, await hashKey({ version: 2, request: keyed.request, engine, plateau }));
  assert.notEqual(plateau, engine);
  // The rates keyed are the schedule's, before any cut.
  assert.ok(keyed.rates.every((r) => r === 0.3));
});

Deno.test("plateauStep feeds the watched metric; capEpoch lowers one epoch's rates, never raises", () => {
  const settings = resolvePlateau(
    {
      options: { baseLr: 1, mode: "max", factor: 0.5, patience: 0 },
      metric: "accuracy",
      holdOut: 10,
    },
    90,
    100,
  );
  let state = startPlateau(settings);
  // The accuracy is watched, not the loss: a loss that rises while the accuracy improves cuts
  // nothing; one that falls while the accuracy stalls does not save the rate.
  ({ state } = plateauStep(settings, state, { loss: 1, acc: 0.5 }));
  ({ state } = plateauStep(settings, state, { loss: 2, acc: 0.6 }));
  assert.equal(state.lr, 1);
  const { state: cut, epoch } = plateauStep(settings, state, { loss: 0.1, acc: 0.6 });
  assert.equal(cut.lr, 0.5);
  assert.deepEqual(epoch, {
    heldOutLoss: 0.1,
    heldOutAcc: 0.6,
    lr: 0.5,
    best: 0.6,
    numBadEpochs: 0,
    cooldownCounter: 0,
  });
  const rates = new Float64Array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
  capEpoch(rates, 1, 3, 0.65); // epoch 1 is updates 3–5, all below the cap: no change
  assert.deepEqual(Array.from(rates), [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
  capEpoch(rates, 0, 3, 0.75);
  assert.deepEqual(Array.from(rates), [0.75, 0.75, 0.7, 0.6, 0.5, 0.4]);
  capEpoch(rates, 2, 3, 0); // past the end: nothing
  assert.deepEqual(Array.from(rates), [0.75, 0.75, 0.7, 0.6, 0.5, 0.4]);
});

/** Made-up images: noise with a bright band whose row is the label, so there is something to learn. */
function split(count: number, seed: number) {
  const random = mulberry32(seed);
  const images = new Float32Array(count * 784), labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(random() * 10);
    labels[i] = label;
    for (let p = 0; p < 784; p++) {
      const band = Math.abs(Math.floor(p / 28) - 3 - 2 * label) < 2;
      images[i * 784 + p] = band ? 0.7 + 0.3 * random() : 0.4 * random();
    }
  }
  return { count, images, labels };
}

const data: FashionMnist = {
  train: split(640, 1),
  test: split(200, 2),
  source: "made up",
  checksum: "made up",
};

/** A plateau run on the made-up data: 4 updates an epoch, cut whenever the loss falls < 20%. */
const made: TrainRequest = {
  name: "made-up plateau",
  schedule: (u) => 0.4 - 0.01 * u,
  stepsPer: "update",
  epochs: 5,
  batchSize: 128,
  trainSize: 512,
  testSize: 200,
  seed: 4,
  plateau: {
    options: { baseLr: 0.35, factor: 0.5, patience: 0, threshold: 0.2 },
    metric: "loss",
    holdOut: 128,
  },
};

Deno.test("a plateau run's rates are the scheduler's decisions, in one worker and in two", async () => {
  const config = resolveConfig(made);
  const planned = ratesFor(made.schedule, config);
  const runs = [];
  for (const workers of [1, 2]) {
    runs.push(await runEngine(data, config, planned, { workers, progress: silentProgress }));
  }
  const [one, two] = runs;
  const u = config.updatesPerEpoch;
  for (const run of runs) {
    assert.equal(run.divergedAt, null);
    assert.equal(run.history.length, 5);
    let cap = 0.35;
    for (const [e, epoch] of run.history.entries()) {
      // Each epoch ran at min(schedule, the cap decided after the epoch before): a rate taken
      // from the wrong epoch's decision, or not cut at all, fails here.
      const expected = Array.from(planned.subarray(e * u, (e + 1) * u), (r) => Math.min(r, cap));
      assert.deepEqual(
        Array.from(run.rates.subarray(e * u, (e + 1) * u)),
        expected,
        `epoch ${e + 1}`,
      );
      assert.equal(epoch.lr, expected[0]);
      assert.equal(epoch.lrLast, expected[u - 1]);
      const p = epoch.plateau!;
      assert.ok(p.heldOutLoss > 0 && Number.isFinite(p.heldOutLoss), `loss ${p.heldOutLoss}`);
      assert.ok(p.heldOutAcc >= 0 && p.heldOutAcc <= 1);
      cap = p.lr;
    }
  }
  // The scheduler cut the rate at least once, so the test above saw the cap bind.
  assert.ok(one.history.some((e) => e.plateau!.lr < 0.35), JSON.stringify(one.history));
  // Two workers round the gradient's sum differently, but decide alike on this problem: the
  // same cuts, epoch for epoch.
  assert.deepEqual(two.history.map((e) => e.plateau!.lr), one.history.map((e) => e.plateau!.lr));
  // A run without the field measures no held-out images and records nothing of the kind.
  const { plateau: _, ...plain } = made;
  const plainConfig = resolveConfig(plain);
  const off = await runEngine(data, plainConfig, ratesFor(plain.schedule, plainConfig), {
    workers: 1,
    progress: silentProgress,
  });
  assert.ok(off.history.every((e) => !Object.hasOwn(e, "plateau")));
  assert.deepEqual(Array.from(off.rates), Array.from(planned));
});

Deno.test("a plateau run is stored with the rates that ran and read back as it ran", async () => {
  const cache = memoryCache();
  const first = await train(made, { data, cache, progress: "silent", workers: 1 });
  assert.equal(first.cached, false);
  const [record] = [...cache.entries.values()];
  const rates = decodeRates(record.rates);
  const u = first.config.updatesPerEpoch;
  // The record's rates are the epochs' own, not the schedule's before the cuts.
  first.history.forEach((e, i) => {
    assert.equal(rates[i * u], e.lr);
    assert.equal(rates[(i + 1) * u - 1], e.lrLast);
  });
  assert.notDeepEqual(Array.from(rates), Array.from(ratesFor(made.schedule, first.config)));
  assert.equal(first.config.plateau?.holdOut, 128);
  const again = await train(made, { data, cache, progress: "silent", workers: 1 });
  assert.equal(again.cached, true);
  assert.deepEqual(again.history, first.history);
  // The held-out images are the last of the training split: none left for them, an error.
  await assert.rejects(
    () => train({ ...made, trainSize: 600 }, { data, cache: null, progress: "silent", workers: 1 }),
    /trainSize \(600\) \+ plateau\.holdOut \(128\) must be at most the 640 training images/,
  );
});
