/**
 * Frozen results, on made-up chapters and a store in a temporary directory:
 * what `freezeStatus` finds (missing, stale, orphaned, invalid), the
 * `--check` report, `freeze` (a dependent request found once the run it
 * depends on is frozen; `fresh` retraining each run once) with an injected
 * trainer that writes real-keyed records, and the time estimates.
 *
 * Nothing trains: only `keyOf` computes the real engine fingerprint, once.
 */

import assert from "node:assert/strict";
import { hashKey } from "../util/hash_key.ts";
import {
  checkReport,
  duration,
  EPOCH_SECONDS,
  estimateSeconds,
  freeze,
  type FreezeStatus,
  freezeStatus,
} from "./freeze.ts";
import { fakeTrainer } from "./_testing.ts";
import { freezeCli } from "./freeze_cli.ts";
import { runsOf } from "./measure.ts";
import type { Trainer } from "./run.ts";
import { type Chapter, code, prose } from "./types.ts";
import {
  encodeRates,
  type FileCache,
  fileCache,
  resultOf,
  type RunRecord,
} from "../train/cache.ts";
import { resolveConfig } from "../train/config.ts";
import { engineFingerprint } from "../train/fingerprint.ts";
import { keyOf, type train } from "../train/train.ts";
import type { RunConfig, RunResult, TrainRequest } from "../train/types.ts";

// ---------------------------------------------------------------------------
// Made-up chapters: tiny requests, one of them depending on an earlier result

const tiny = (name: string, rate: number, extra: Partial<TrainRequest> = {}): TrainRequest => ({
  name,
  schedule: () => rate,
  stepsPer: "epoch",
  trainSize: 256,
  testSize: 100,
  epochs: 1,
  ...extra,
});

const SHARED = tiny("shared 0.1", 0.1);

/** The rate the dependent run trains at: a fifth of the first run's final test accuracy. */
const rateFrom = (run: RunResult) => Math.round(run.history.at(-1)!.testAcc * 200) / 1000;

const alpha: Chapter = {
  slug: "alpha",
  title: "Alpha",
  source: import.meta.url,
  cells: [
    prose("Two runs, one per cell."),
    code("a1", "the shared run", async (ctx) => [{ kind: "run", run: await ctx.train(SHARED) }]),
    code("a2", "per update", async (ctx) => [
      {
        kind: "run",
        run: await ctx.train(tiny("per update", 0.05, { stepsPer: "update", trainSize: 600 })),
      },
    ]),
    prose((results) => `ran ${results.size} cells`),
  ],
};

const beta: Chapter = {
  slug: "beta",
  title: "Beta",
  source: import.meta.url,
  cells: [
    code("b1", "first", async (ctx) => [{ kind: "run", run: await ctx.train(tiny("first", 0.3)) }]),
    prose("The next rate is read off the first run."),
    code("b2", "depends on the first", async (ctx) => {
      const [first] = runsOf(ctx.results, "b1");
      return [{ kind: "run", run: await ctx.train(tiny("dependent", rateFrom(first))) }];
    }),
  ],
};

const gamma: Chapter = {
  slug: "gamma",
  title: "Gamma",
  source: import.meta.url,
  cells: [
    code("g1", "the shared run again, and a wider net", async (ctx) => [
      { kind: "run", run: await ctx.train(SHARED), reference: true },
      { kind: "run", run: await ctx.train(tiny("wide", 0.2, { width: 2, epochs: 2 })) },
    ]),
  ],
};

const CHAPTERS = [alpha, beta, gamma];

/** The names of the needed runs, in the order the chapters ask for them. */
const NEEDED = ["shared 0.1", "per update", "first", "dependent", "wide"];

// ---------------------------------------------------------------------------
// A trainer for `freeze` that trains nothing but stores real-keyed records

/** The test accuracy the made-up engine reaches: not what the placeholder makes up. */
const madeUpAcc = (rate: number, epoch: number) => 0.5 + rate / 2 + epoch / 100;

interface Call {
  request: TrainRequest;
  key: string;
  fresh: boolean | undefined;
  options: Parameters<typeof train>[1];
}

/** A trainer that writes a `RunRecord` to `options.cache`, keyed as `train` keys it. */
function recordingTrainer(store = true): typeof train & { calls: Call[] } {
  const calls: Call[] = [];
  const trainer = async (request: TrainRequest, options: Parameters<typeof train>[1] = {}) => {
    const { config, rates, request: hash, key } = await keyOf(request);
    calls.push({ request, key, fresh: options.fresh, options });
    const record = recordOf(request.name, config, rates, hash, key, await engineFingerprint());
    if (store) await options.cache!.put(record);
    return { ...resultOf(record), cached: false };
  };
  return Object.assign(trainer, { calls });
}

function recordOf(
  name: string,
  config: RunConfig,
  rates: ArrayLike<number>,
  request: string,
  key: string,
  engine: string,
  seconds = 0.5,
): RunRecord {
  return {
    format: 1,
    key,
    request,
    name,
    config,
    rates: encodeRates(rates),
    history: Array.from({ length: config.epochs }, (_, e) => ({
      epoch: e + 1,
      lr: rates[e * config.updatesPerEpoch],
      lrLast: rates[(e + 1) * config.updatesPerEpoch - 1],
      trainLoss: 1 - madeUpAcc(rates[0], e),
      trainAcc: madeUpAcc(rates[0], e),
      testAcc: madeUpAcc(rates[0], e),
      seconds: seconds / config.epochs,
    })),
    divergedAt: null,
    producedBy: {
      engine,
      kernels: "0".repeat(64),
      deno: Deno.version.deno,
      date: "2026-12-01T00:00:00.000Z",
      cores: 2,
      workers: 2,
      seconds,
    },
  };
}

/** A record of `request` as another engine would have trained it: same request hash, another key. */
async function staleRecordOf(request: TrainRequest): Promise<RunRecord> {
  const { config, rates, request: hash } = await keyOf(request);
  const engine = "0".repeat(64);
  const key = await hashKey({ version: 2, request: hash, engine });
  return recordOf(request.name, config, rates, hash, key, engine);
}

/** A valid record of a request that no chapter makes. */
async function orphanRecord(): Promise<RunRecord> {
  const request = tiny("gone", 0.7);
  const { config, rates, request: hash, key } = await keyOf(request);
  return recordOf(request.name, config, rates, hash, key, await engineFingerprint());
}

async function withStore(body: (store: FileCache) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "freeze_test_" });
  try {
    await body(fileCache(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const keysOf = (runs: readonly { key: string }[]) => runs.map((r) => r.key).sort();

// ---------------------------------------------------------------------------
// freezeStatus

Deno.test("on an empty store every run the chapters need is missing, each listed once", async () => {
  await withStore(async (store) => {
    const status = await freezeStatus(CHAPTERS, store);
    assert.deepEqual(status.needed.map((r) => r.name), NEEDED);
    assert.deepEqual(status.needed.map((r) => r.chapter), [
      "alpha",
      "alpha",
      "beta",
      "beta",
      "gamma",
    ]);
    assert.deepEqual(status.missing, status.needed);
    assert.deepEqual([status.stale, status.orphans, status.invalid], [[], [], []]);
    for (const run of status.needed) {
      const keyed = await keyOf(run.trainRequest);
      assert.equal(run.key, keyed.key, run.name);
      assert.equal(run.request, keyed.request, run.name);
      assert.deepEqual(run.config, keyed.config, run.name);
      assert.match(run.key, /^[0-9a-f]{64}$/);
    }
    assert.equal(status.needed[4].config.width, 2);
    assert.deepEqual(await store.list(), { records: [], invalid: [] }, "status writes nothing");
  });
});

Deno.test("freezeStatus runs the chapters at full size: the requests as the chapters make them", async () => {
  await withStore(async (store) => {
    const status = await freezeStatus([alpha], store);
    assert.deepEqual(status.needed[0].config, resolveConfig(SHARED));
    assert.equal(status.needed[1].config.updatesPerEpoch, 3);
  });
});

Deno.test("freeze trains every missing run once; the dependent one is found in a later round", async () => {
  await withStore(async (store) => {
    const before = await freezeStatus(CHAPTERS, store);
    const trainer = recordingTrainer();
    const order: [string, number, number][] = [];
    const trained = await freeze(CHAPTERS, store, {
      trainer,
      train: { progress: "silent", dataDir: "/nowhere" },
      onRun: (run, i, total) => order.push([run.name, i, total]),
    });
    const after = await freezeStatus(CHAPTERS, store);
    assert.deepEqual(after.needed.map((r) => r.name), NEEDED);
    assert.deepEqual(after.missing, [], "nothing is missing");
    assert.deepEqual([after.stale, after.orphans, after.invalid], [[], [], []], "nothing else");

    // The dependent request changed once the run it depends on was frozen...
    const dependent = (s: FreezeStatus) => s.needed.find((r) => r.name === "dependent")!;
    assert.notEqual(dependent(after).key, dependent(before).key);
    const first = await store.get(after.needed[2].key);
    assert.ok(first !== null);
    const rate = rateFrom(resultOf(first));
    assert.equal(dependent(after).trainRequest.schedule(0), rate);
    assert.equal(rate, Math.round(madeUpAcc(0.3, 0) * 200) / 1000);
    // ...and only the request the chapter really makes was trained: each needed run once.
    assert.equal(trained, NEEDED.length);
    assert.deepEqual(trainer.calls.map((c) => c.key).sort(), keysOf(after.needed));
    assert.deepEqual(keysOf((await store.list()).records), keysOf(after.needed));
    assert.ok(
      trainer.calls.findIndex((c) => c.request.name === "first") <
        trainer.calls.findIndex((c) => c.request.name === "dependent"),
    );

    // Each call got the store and the engine options, and was not fresh.
    for (const call of trainer.calls) {
      assert.equal(call.options!.cache, store);
      assert.equal(call.options!.progress, "silent");
      assert.equal(call.options!.dataDir, "/nowhere");
      assert.ok(!call.fresh);
    }
    // onRun saw each run before it trained, numbered in one queue.
    assert.deepEqual(order.map(([name]) => name), trainer.calls.map((c) => c.request.name));
    assert.deepEqual(order.map(([, i]) => i), [0, 1, 2, 3, 4]);
    assert.deepEqual(order.map(([, , total]) => total), [5, 5, 5, 5, 5]);

    // Frozen: a second freeze trains nothing.
    const again = recordingTrainer();
    assert.equal(await freeze(CHAPTERS, store, { trainer: again }), 0);
    assert.equal(again.calls.length, 0);
  });
});

Deno.test("freeze({ fresh: true }) retrains every needed run once, replacing its record", async () => {
  await withStore(async (store) => {
    await freeze(CHAPTERS, store, { trainer: recordingTrainer() });
    const needed = (await freezeStatus(CHAPTERS, store)).needed;
    const trainer = recordingTrainer();
    assert.equal(await freeze(CHAPTERS, store, { trainer, fresh: true }), NEEDED.length);
    assert.deepEqual(trainer.calls.map((c) => c.key).sort(), keysOf(needed));
    assert.ok(trainer.calls.every((c) => c.fresh === true && c.options!.cache === store));
    const after = await freezeStatus(CHAPTERS, store);
    assert.deepEqual([after.missing, after.stale, after.orphans], [[], [], []]);
  });
});

Deno.test("freeze({ fresh: true }) on an empty store also trains each needed run once", async () => {
  await withStore(async (store) => {
    const trainer = recordingTrainer();
    assert.equal(await freeze(CHAPTERS, store, { trainer, fresh: true }), NEEDED.length);
    const after = await freezeStatus(CHAPTERS, store);
    assert.deepEqual(trainer.calls.map((c) => c.key).sort(), keysOf(after.needed));
    assert.deepEqual([after.missing, after.orphans], [[], []]);
  });
});

Deno.test("freeze fails, rather than reporting success, when a trained run is not in the store", async () => {
  await withStore(async (store) => {
    const trainer = recordingTrainer(false);
    await assert.rejects(
      () => freeze(CHAPTERS, store, { trainer }),
      /freeze: shared 0\.1 was trained but the store has no valid record of it/,
    );
    assert.equal(trainer.calls.length, 1);
  });
});

Deno.test("freeze gives up on a chapter whose requests change every time it runs", async () => {
  let runs = 0;
  const restless: Chapter = {
    slug: "restless",
    title: "Restless",
    source: import.meta.url,
    cells: [
      code("r", "a new rate every time", async (ctx) => [
        { kind: "run", run: await ctx.train(tiny("restless", 0.01 * ++runs)) },
      ]),
    ],
  };
  await withStore(async (store) => {
    const trainer = recordingTrainer();
    await assert.rejects(() => freeze([restless], store, { trainer }), /^Error: freeze: /);
    assert.ok(trainer.calls.length < 5, `${trainer.calls.length} runs before giving up`);
  });
});

Deno.test("stale, orphaned and invalid records are told apart", async () => {
  await withStore(async (store) => {
    await freeze(CHAPTERS, store, { trainer: recordingTrainer() });
    const stale = await staleRecordOf(SHARED);
    const orphan = await orphanRecord();
    await store.put(stale);
    await store.put(orphan);
    await Deno.writeTextFile(`${store.dir}/junk.json`, "{ not json");
    const status = await freezeStatus(CHAPTERS, store);
    assert.deepEqual(status.missing, []);
    assert.equal(status.stale.length, 1);
    assert.equal(status.stale[0].record.key, stale.key);
    assert.equal(status.stale[0].run.name, "shared 0.1");
    assert.equal(status.stale[0].run.chapter, "alpha");
    assert.equal(status.stale[0].record.request, status.stale[0].run.request);
    assert.notEqual(status.stale[0].record.key, status.stale[0].run.key);
    assert.deepEqual(status.orphans.map((r) => r.key), [orphan.key]);
    assert.deepEqual(status.invalid.map((x) => x.file), ["junk.json"]);
    assert.match(status.invalid[0].problem, /JSON/);
  });
});

Deno.test("a stale record of a missing run: the run is missing (and trained), the record is stale", async () => {
  await withStore(async (store) => {
    const stale = await staleRecordOf(tiny("first", 0.3));
    await store.put(stale);
    const status = await freezeStatus([beta], store);
    assert.deepEqual(status.missing.map((r) => r.name), ["first", "dependent"]);
    assert.deepEqual(status.stale.map((s) => s.run.name), ["first"]);
    assert.deepEqual(status.orphans, [], "a stale record is not an orphan");
    // The stale record is not read back as if it were the run: both are trained.
    const trainer = recordingTrainer();
    assert.equal(await freeze([beta], store, { trainer }), 2);
    assert.deepEqual(trainer.calls.map((c) => c.request.name), ["first", "dependent"]);
    const report = checkReport(await freezeStatus([beta], store), []);
    assert.equal(report[0], "2 of 2 runs the book needs are frozen");
  });
});

// ---------------------------------------------------------------------------
// The --check report

Deno.test("checkReport: a first line, one line per problem, the time to train them, the prune hint", async () => {
  await withStore(async (store) => {
    const stale = await staleRecordOf(tiny("first", 0.3));
    const orphan = await orphanRecord();
    await store.put(stale);
    await store.put(orphan);
    await Deno.writeTextFile(`${store.dir}/junk.json`, "[]");
    const status = await freezeStatus(CHAPTERS, store);
    const { records } = await store.list();
    const lines = checkReport(status, records);
    const m = status.missing;
    const time = (c: RunConfig) => duration(estimateSeconds(c, records));
    const total = m.reduce((s, r) => s + estimateSeconds(r.config, records), 0);
    assert.deepEqual(lines, [
      "0 of 5 runs the book needs are frozen",
      ...m.map((r) =>
        `missing  ${r.chapter}: ${r.name}  (${r.key.slice(0, 12)}, ~${time(r.config)})`
      ),
      `stale    beta: first  (${stale.key.slice(0, 12)}: trained by engine 000000000000; ` +
      `retrain ~${time(m[2].config)})`,
      `orphan   gone  (${orphan.key.slice(0, 12)}: no chapter asks for it)`,
      "invalid  junk.json: format is undefined, expected 1",
      // Five runs to train: the stale record's run is one of the missing, not a sixth.
      `to train: 5 runs, ~${duration(total)}`,
      "deno task freeze --prune removes what no chapter needs",
    ]);
  });
});

Deno.test("checkReport: all well is one line; one missing run is 'run', not 'runs'", async () => {
  await withStore(async (store) => {
    await freeze(CHAPTERS, store, { trainer: recordingTrainer() });
    const { records } = await store.list();
    assert.deepEqual(checkReport(await freezeStatus(CHAPTERS, store), records), [
      "all 5 runs the book needs are frozen, and nothing else is",
    ]);
    const wide = (await freezeStatus(CHAPTERS, store)).needed[4];
    await store.remove(wide.key);
    const status = await freezeStatus(CHAPTERS, store);
    const lines = checkReport(status, records);
    assert.equal(lines.length, 3);
    assert.equal(lines[0], "4 of 5 runs the book needs are frozen");
    assert.match(lines[1], /^missing {2}gamma: wide {2}\([0-9a-f]{12}, ~\d+ s\)$/);
    assert.match(lines[2], /^to train: 1 run, ~\d+ s$/);
  });
});

Deno.test("checkReport: orphans alone have nothing to train, only the prune hint", async () => {
  await withStore(async (store) => {
    await freeze([alpha], store, { trainer: recordingTrainer() });
    await store.put(await orphanRecord());
    const lines = checkReport(await freezeStatus([alpha], store), []);
    assert.equal(lines[0], "2 of 2 runs the book needs are frozen");
    assert.match(lines[1], /^orphan {3}gone {2}\([0-9a-f]{12}: no chapter asks for it\)$/);
    assert.equal(lines[2], "deno task freeze --prune removes what no chapter needs");
    assert.equal(lines.length, 3);
  });
});

// ---------------------------------------------------------------------------
// Time estimates

const full = (extra: Partial<TrainRequest> = {}) =>
  resolveConfig({ name: "c", schedule: () => 0.1, stepsPer: "epoch", ...extra });

/** A stored record with this config that took `seconds` over `epochs` epochs of history. */
function timed(config: RunConfig, seconds: number, epochs = config.epochs): RunRecord {
  const r = recordOf(
    "timed",
    config,
    new Float64Array(config.epochs * config.updatesPerEpoch),
    "",
    "",
    "",
  );
  r.history = r.history.slice(0, epochs);
  r.producedBy.seconds = seconds;
  return r;
}

Deno.test("estimateSeconds scales with epochs, data and width", () => {
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9 * b, `${a} vs ${b}`);
  assert.equal(estimateSeconds(full(), []), 30 * EPOCH_SECONDS);
  close(estimateSeconds(full({ epochs: 45 }), []), 45 * EPOCH_SECONDS);
  close(estimateSeconds(full({ epochs: 1 }), []), EPOCH_SECONDS);
  // Training images count fully, test images a third (evaluation only).
  const share = (train: number, test: number) => (train + test / 3) / (60_000 + 10_000 / 3);
  close(
    estimateSeconds(full({ epochs: 1, trainSize: 30_000 }), []),
    EPOCH_SECONDS * share(30_000, 10_000),
  );
  close(
    estimateSeconds(full({ epochs: 2, trainSize: 256, testSize: 100 }), []),
    2 * EPOCH_SECONDS * share(256, 100),
  );
  assert.ok(
    estimateSeconds(full({ trainSize: 20_000 }), []) <
      estimateSeconds(full({ trainSize: 40_000 }), []),
  );
  // Wider: a little more than proportional.
  close(estimateSeconds(full({ width: 2 }), []), 30 * EPOCH_SECONDS * 2 ** 1.4);
  close(estimateSeconds(full({ width: 3 }), []), 30 * EPOCH_SECONDS * 3 ** 1.4);
});

Deno.test("estimateSeconds uses the median speed of the stored full-data records of the classic net", () => {
  const records = [
    timed(full({ epochs: 10 }), 400), // 40 s per epoch
    timed(full({ epochs: 30 }), 300), // 10 s per epoch
    timed(full({ epochs: 30 }), 40, 2), // diverged after 2 epochs: 20 s per epoch
    // Not counted: the wider net, a subset of the data, no epoch at all.
    timed(full({ width: 2 }), 30 * 1000),
    timed(full({ trainSize: 1024 }), 30 * 0.01),
    timed(full(), 5, 0),
  ];
  assert.equal(estimateSeconds(full(), records), 30 * 20);
  assert.equal(estimateSeconds(full({ epochs: 3 }), records), 3 * 20);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9 * b, `${a} vs ${b}`);
  close(estimateSeconds(full({ width: 2 }), records), 30 * 20 * 2 ** 1.4);
  // Only records that do not count: the default speed.
  assert.equal(estimateSeconds(full(), records.slice(3)), 30 * EPOCH_SECONDS);
  // One record: its speed.
  assert.equal(estimateSeconds(full(), records.slice(1, 2)), 30 * 10);
});

Deno.test("duration formats seconds, minutes, and hours with two-digit minutes", () => {
  const cases: [number, string][] = [
    [0, "0 s"],
    [0.4, "0 s"],
    [45, "45 s"],
    [89.4, "89 s"],
    [90, "2 min"],
    [359, "6 min"],
    [3569, "59 min"],
    [3599, "1 h 00 min"],
    [3600, "1 h 00 min"],
    [7500, "2 h 05 min"],
    [36_000 + 59 * 60, "10 h 59 min"],
  ];
  for (const [seconds, text] of cases) assert.equal(duration(seconds), text, `${seconds}`);
});

// The placeholder the status hands a chapter is not the made-up engine's run, so the
// dependent test above really does see its request change.
Deno.test("the placeholder run differs from the made-up engine's, so the dependent request moves", async () => {
  const placeholder: Trainer = fakeTrainer();
  const made = await placeholder(tiny("first", 0.3), {});
  assert.notEqual(rateFrom(made), Math.round(madeUpAcc(0.3, 0) * 200) / 1000);
});

// ---------------------------------------------------------------------------
// Plateau runs: rates decided while they train, found and frozen like any other run

/** A plateau request over two seeds: its key holds the scheduler's settings. */
const PLATEAU: TrainRequest = tiny("plateau", 0.3, {
  epochs: 4,
  trainSize: 256,
  plateau: { options: { baseLr: 0.3, factor: 0.5, patience: 0 }, metric: "loss", holdOut: 100 },
});

const delta: Chapter = {
  slug: "delta",
  title: "Delta",
  source: import.meta.url,
  cells: [
    code("d1", "a plateau run over seeds", async (ctx) => [await ctx.trainSeeds(PLATEAU, [0, 1])]),
    prose((results) => `rates ${runsOf(results, "d1").length}`),
  ],
};

Deno.test("freeze finds a chapter's plateau runs (the placeholder decides their rates) and freezes them", async () => {
  await withStore(async (store) => {
    const before = await freezeStatus([delta], store);
    // Found: one run per seed, keyed as keyOf keys a plateau request (its fingerprint included).
    assert.deepEqual(before.needed.map((r) => r.name), ["plateau, seed 0", "plateau, seed 1"]);
    for (const run of before.needed) {
      assert.equal(run.key, (await keyOf(run.trainRequest)).key);
      assert.equal(run.config.plateau?.holdOut, 100);
    }
    assert.equal(before.missing.length, 2);
    // The placeholder the chapter is handed decided its rates as the engine would: epoch by
    // epoch, with the scheduler's record (a trainer that ignored the field would leave none).
    const placeholder = await fakeTrainer()({ ...PLATEAU, seed: 1 }, {});
    assert.ok(placeholder.history.every((e) => e.plateau !== undefined));
    for (const [i, e] of placeholder.history.entries()) {
      if (i > 0) assert.equal(e.lr, Math.min(0.3, placeholder.history[i - 1].plateau!.lr));
    }
    const trained = await freeze([delta], store, { trainer: recordingTrainer() });
    assert.equal(trained, 2);
    const after = await freezeStatus([delta], store);
    assert.deepEqual([after.missing, after.stale, after.orphans], [[], [], []]);
  });
});

Deno.test("estimateSeconds counts a plateau run's held-out images as evaluated, a third each", () => {
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9 * b, `${a} vs ${b}`);
  const config = resolveConfig({ ...PLATEAU, epochs: 30, trainSize: 54_000, testSize: 10_000 });
  const share = (54_000 + (10_000 + 100) / 3) / (60_000 + 10_000 / 3);
  close(estimateSeconds(config, []), 30 * EPOCH_SECONDS * share);
});

Deno.test("freeze --check: a waiting chapter's missing runs are listed apart and pass; --prune keeps its records", async () => {
  await withStore(async (store) => {
    const options = { trainer: recordingTrainer(), train: { progress: "silent" as const } };
    await freeze([alpha], store, options);
    const printed: string[] = [];
    const log = console.log;
    console.log = (line: string) => printed.push(line);
    try {
      // alpha in the book, all frozen; beta waiting, nothing frozen: the check passes and says so.
      assert.equal(await freezeCli(["--check"], [alpha], store.dir, [beta]), 0);
      assert.match(printed.join("\n"), /^all 2 runs the book needs are frozen/);
      assert.match(printed.at(-1)!, /^waiting: 2 run\(s\) of chapters not yet in the book .*beta/);
      // The same chapter in the book: its runs are missing, and the check fails.
      printed.length = 0;
      assert.equal(await freezeCli(["--check"], [alpha, beta], store.dir), 1);
      assert.match(printed.join("\n"), /missing {2}beta: first/);
      // Once beta's runs are frozen, pruning with beta waiting removes none of them.
      await freeze([beta], store, { ...options, trainer: recordingTrainer() });
      printed.length = 0;
      assert.equal(await freezeCli(["--prune"], [alpha], store.dir, [beta]), 0);
      assert.deepEqual(printed, ["removed 0 record(s) no chapter needs"]);
      // Without it they are orphans, and pruning removes them: fails if the waiting list did nothing.
      printed.length = 0;
      assert.equal(await freezeCli(["--prune"], [alpha], store.dir), 0);
      assert.deepEqual(printed, ["removed 2 record(s) no chapter needs"]);
    } finally {
      console.log = log;
    }
  });
});
