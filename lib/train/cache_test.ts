/**
 * Run records and their stores: the rates' run-length code, the JSON text of
 * a record (a diverged epoch's NaN loss included), every reason a record is
 * refused, and the file store (get, put, list, remove) in a temporary
 * directory, its writes atomic.
 */

import assert from "node:assert/strict";
import { writeAtomic } from "../util/write_atomic.ts";
import {
  decodeRates,
  encodeRates,
  fileCache,
  memoryCache,
  parseRecord,
  recordJson,
  recordProblem,
  resultOf,
  type RunRecord,
} from "./cache.ts";
import { ratesFor, resolveConfig } from "./config.ts";
import type { TrainRequest } from "./types.ts";

const HEX = (c: string) => c.repeat(64);

/** A valid record of a small made-up run: 2 epochs of 3 updates, its key `key`. */
function record(key = HEX("a"), overrides: Partial<RunRecord> = {}): RunRecord {
  const request: TrainRequest = {
    name: "small",
    schedule: (u) => (u < 4 ? 0.1 : 0.05),
    stepsPer: "update",
    epochs: 2,
    trainSize: 600, // 3 updates of at most 256
    testSize: 100,
  };
  const config = resolveConfig(request);
  return {
    format: 1,
    key,
    request: HEX("b"),
    name: request.name,
    config,
    rates: encodeRates(ratesFor(request.schedule, config)),
    history: [1, 2].map((epoch) => ({
      epoch,
      lr: 0.1,
      lrLast: epoch === 1 ? 0.1 : 0.05,
      trainLoss: 1 / epoch,
      trainAcc: 0.5 + epoch / 10,
      testAcc: 0.4 + epoch / 10,
      seconds: 0.25,
    })),
    divergedAt: null,
    producedBy: {
      engine: HEX("e"),
      kernels: "0".repeat(64),
      deno: "2.9.6",
      date: "2026-12-01T00:00:00.000Z",
      cores: 2,
      workers: 2,
      seconds: 0.5,
    },
    ...overrides,
  };
}

/** The same record, diverged in its second epoch (whose loss is NaN). */
function diverged(key = HEX("d")): RunRecord {
  const r = record(key);
  r.history[1] = { ...r.history[1], trainLoss: NaN, trainAcc: 0.1, testAcc: 0 };
  r.divergedAt = 2;
  return r;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cache_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The message JSON.parse throws for `text`. */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as SyntaxError).message;
  }
  throw new Error("it parsed");
}

const names = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

// ---------------------------------------------------------------------------
// Rates, run-length encoded

Deno.test("encodeRates/decodeRates round-trip the edge cases", () => {
  const cases: [number[], [number, number][]][] = [
    [[], []],
    [[0.3], [[0.3, 1]]],
    [[0.1, 0.1, 0.1, 0.1], [[0.1, 4]]],
    [[0.1, 0.2, 0.1, 0.2], [[0.1, 1], [0.2, 1], [0.1, 1], [0.2, 1]]],
    [[0, 0, 0.5, 0.5, 0.5, 0], [[0, 2], [0.5, 3], [0, 1]]],
    // Nearly equal is not equal: no rate is rounded into its neighbour's run.
    [[0.1, 0.1 + 2 ** -55, 0.1], [[0.1, 1], [0.1 + 2 ** -55, 1], [0.1, 1]]],
  ];
  for (const [rates, runs] of cases) {
    assert.deepEqual(encodeRates(rates), runs, `encode ${rates}`);
    assert.deepEqual(encodeRates(new Float64Array(rates)), runs, `encode typed ${rates}`);
    const back = decodeRates(runs);
    assert.ok(back instanceof Float64Array);
    assert.deepEqual(Array.from(back), rates, `decode ${rates}`);
  }
  assert.equal(decodeRates([]).length, 0);
  assert.deepEqual(Array.from(decodeRates([[0.2, 0], [0.3, 2]])), [0.3, 0.3], "a 0-count run");
});

Deno.test("encodeRates tells -0 from 0 (Object.is), and decodeRates keeps the sign", () => {
  const runs = encodeRates([0, -0, -0, 0]);
  assert.equal(runs.length, 3);
  assert.deepEqual(runs.map(([, n]) => n), [1, 2, 1]);
  assert.ok(Object.is(runs[0][0], 0) && Object.is(runs[1][0], -0) && Object.is(runs[2][0], 0));
  const back = decodeRates(runs);
  assert.deepEqual([...back].map((x) => Object.is(x, -0)), [false, true, true, false]);
});

Deno.test("a long run-length code decodes to the rates of a real schedule, update for update", () => {
  const config = resolveConfig({
    name: "step",
    schedule: (e) => 0.1 * 0.5 ** Math.floor(e / 10),
    stepsPer: "epoch",
  });
  const rates = ratesFor((e) => 0.1 * 0.5 ** Math.floor(e / 10), config);
  const runs = encodeRates(rates);
  assert.deepEqual(runs, [[0.1, 2350], [0.05, 2350], [0.025, 2350]]);
  assert.deepEqual(decodeRates(runs), rates);
});

// ---------------------------------------------------------------------------
// JSON text

Deno.test("recordJson → parseRecord gives the record back", () => {
  const r = record();
  const text = recordJson(r);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(parseRecord(text), r);
  assert.equal(recordProblem(parseRecord(text), r.key), null);
  // One line per epoch and per rate run.
  const lines = text.split("\n");
  assert.equal(lines.filter((l) => l.includes('"epoch":')).length, 2);
  assert.equal(lines.filter((l) => /^ {2}\[[0-9.e-]+,\d+\],?$/.test(l)).length, r.rates.length);
});

Deno.test("a diverged run's NaN loss is written as null and read back as NaN", () => {
  const r = diverged();
  const text = recordJson(r);
  assert.ok(!text.includes("NaN"), "JSON has no NaN");
  assert.equal(JSON.parse(text).history[1].trainLoss, null);
  const back = parseRecord(text) as RunRecord;
  assert.ok(Number.isNaN(back.history[1].trainLoss));
  assert.equal(back.history[0].trainLoss, 1, "a finite loss is left alone");
  assert.deepEqual(back, r); // deepEqual counts NaN as equal to NaN
  assert.equal(recordProblem(back, r.key), null);
});

/** The record of a range test: the same run with the loss of each of its 6 updates. */
function withLosses(key = HEX("a")): RunRecord {
  const r = record(key);
  return {
    ...r,
    config: { ...r.config, updateLosses: true },
    updateLosses: [2.3, 2.2, 2, 1.5, 1.25, 1],
  };
}

Deno.test("a record with the loss of every update: one line per epoch, read back whole", () => {
  const r = withLosses();
  const text = recordJson(r);
  const back = parseRecord(text) as RunRecord;
  assert.deepEqual(back, r); // catches losses dropped or reordered on the way to the file
  assert.equal(recordProblem(back, r.key), null);
  assert.deepEqual(resultOf(back).updateLosses, r.updateLosses); // and a result carries them
  // One line per epoch's 3 updates, after the history.
  const lines = text.split("\n");
  assert.deepEqual(lines.slice(lines.indexOf(' "updateLosses": [') + 1, -3), [
    "  2.3, 2.2, 2,",
    "  1.5, 1.25, 1",
  ]);
  // A record without them writes no such field, and its result has none.
  assert.ok(!recordJson(record()).includes("updateLosses"));
  assert.ok(!("updateLosses" in resultOf(record())));
});

Deno.test("recordProblem: losses where none were asked for, or missing, short or not finite", () => {
  const key = HEX("a");
  const r = withLosses(key);
  const plain = record(key);
  const cases: [string, unknown, string][] = [
    [
      "losses, none asked for",
      { ...plain, updateLosses: [1, 1, 1, 1, 1, 1] },
      "updateLosses are stored but the config asks for none",
    ],
    [
      "asked for, none stored",
      { ...r, updateLosses: undefined },
      "updateLosses are not a list of finite numbers",
    ],
    [
      "one null",
      { ...r, updateLosses: [2, null, 1, 1, 1, 1] },
      "updateLosses are not a list of finite numbers",
    ],
    [
      "one short",
      { ...r, updateLosses: [2, 2, 1, 1, 1] },
      "updateLosses has 5 updates, not what the run ran (of 6)",
    ],
    [
      "diverged in epoch 2, yet all 6",
      { ...r, divergedAt: 2, history: r.history.slice(0, 2) },
      "updateLosses has 6 updates, not what the run ran (of 6)",
    ],
    [
      "diverged in epoch 2, with fewer than epoch 1's",
      { ...r, divergedAt: 2, updateLosses: [2, 2] },
      "updateLosses has 2 updates, not what the run ran (of 6)",
    ],
  ];
  for (const [what, value, problem] of cases) {
    assert.equal(recordProblem(value, key), problem, what);
  }
  // Diverged at the second epoch's second update: epoch 1's 3 losses and one more are right.
  assert.equal(
    recordProblem({ ...r, divergedAt: 2, updateLosses: [2, 2, 1, 1] }, key),
    null,
  );
});

Deno.test("parseRecord turns only trainLoss nulls into NaN", () => {
  const value = parseRecord('{"trainLoss": null, "other": null, "nested": [{"trainLoss": null}]}');
  assert.deepEqual(value, { trainLoss: NaN, other: null, nested: [{ trainLoss: NaN }] });
  assert.throws(() => parseRecord("{not json"), SyntaxError);
});

Deno.test("resultOf reads a record back as a cached run, renamed if asked", () => {
  const r = record();
  const run = resultOf(r);
  assert.equal(run.cached, true);
  assert.equal(run.name, "small");
  assert.equal(run.key, r.key);
  assert.deepEqual(run.history, r.history);
  assert.deepEqual(run.producedBy, r.producedBy);
  assert.equal(resultOf(r, "renamed").name, "renamed");
});

Deno.test("recordProblem: null for a good record, a diverged one included", () => {
  assert.equal(recordProblem(record(), HEX("a")), null);
  assert.equal(recordProblem(diverged(), HEX("d")), null);
});

Deno.test("recordProblem names every way a record can be wrong", () => {
  const key = HEX("a");
  const good = () => structuredClone(record(key)) as unknown as Record<string, unknown>;
  const cases: [string, unknown, string | RegExp][] = [
    ["null", null, "not a JSON object"],
    ["a number", 3, "not a JSON object"],
    ["a string", "{}", "not a JSON object"],
    ["another format", { ...good(), format: 2 }, "format is 2, expected 1"],
    ["no format", { ...good(), format: undefined }, "format is undefined, expected 1"],
    [
      "another key",
      { ...good(), key: HEX("c") },
      `its key "${HEX("c")}" is not its file name's`,
    ],
    ["a short request", { ...good(), request: "abc" }, "request is not a 64-digit hash"],
    ["an uppercase request", { ...good(), request: HEX("B") }, "request is not a 64-digit hash"],
    ["no request", { ...good(), request: undefined }, "request is not a 64-digit hash"],
    ["a numeric name", { ...good(), name: 7 }, "name is not a string"],
    ["no config", { ...good(), config: null }, "config is missing or incomplete"],
    [
      "config without epochs",
      { ...good(), config: { ...good().config as object, epochs: "2" } },
      "config is missing or incomplete",
    ],
    ["rates not a list", { ...good(), rates: "0.1x6" }, "rates are not [rate, count] pairs"],
    [
      "a rate not a pair",
      { ...good(), rates: [[0.1, 4], [0.05]] },
      "rates are not [rate, count] pairs",
    ],
    [
      "too few rates",
      { ...good(), rates: [[0.1, 4], [0.05, 1]] },
      "rates cover 5 updates, the config 6",
    ],
    ["too many rates", { ...good(), rates: [[0.1, 7]] }, "rates cover 7 updates, the config 6"],
    ["history not a list", { ...good(), history: {} }, "history is not a list"],
    [
      "an epoch missing",
      { ...good(), history: (good().history as unknown[]).slice(0, 1) },
      "history has 1 epochs, expected 2",
    ],
    [
      "diverged, with epochs after",
      { ...good(), divergedAt: 1 },
      "history has 2 epochs, expected 1",
    ],
    ["no producedBy", { ...good(), producedBy: undefined }, "producedBy is missing or incomplete"],
    [
      "producedBy without engine",
      { ...good(), producedBy: { kernels: "0".repeat(64) } },
      "producedBy is missing or incomplete",
    ],
  ];
  for (const [what, value, problem] of cases) {
    assert.equal(recordProblem(value, key), problem, what);
  }
  // And the JSON a record is stored as: a rate count that is not a count is refused too.
  assert.match(
    recordProblem({ ...good(), rates: [[0.1, "6"]] }, key)!,
    /^rates cover .* updates, the config 6$/,
  );
});

// ---------------------------------------------------------------------------
// The file store

Deno.test("fileCache: put then get; a missing key is null; the text is recordJson's", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/nested/store`; // created on first write
    const store = fileCache(dir);
    assert.equal(store.dir, dir);
    assert.equal(await store.get(HEX("a")), null, "no directory yet");
    const r = record(), d = diverged();
    await store.put(r);
    await store.put(d);
    assert.deepEqual(await store.get(r.key), r);
    const back = await store.get(d.key);
    assert.ok(back !== null && Number.isNaN(back.history[1].trainLoss));
    assert.deepEqual(back, d);
    assert.equal(await store.get(HEX("f")), null);
    assert.equal(await Deno.readTextFile(`${dir}/${r.key}.json`), recordJson(r));
    assert.deepEqual(await names(dir), [`${r.key}.json`, `${d.key}.json`]);
  });
});

Deno.test("fileCache: a corrupt file and a record under another name are null, and listed as invalid", async () => {
  await withTempDir(async (dir) => {
    const store = fileCache(dir);
    const good = record(HEX("1"));
    await store.put(good);
    // Half a record, as an interrupted plain write would leave it.
    const corrupt = HEX("2");
    await Deno.writeTextFile(`${dir}/${corrupt}.json`, recordJson(record(corrupt)).slice(0, 80));
    // A good record copied to another name.
    const misnamed = HEX("3");
    await Deno.writeTextFile(`${dir}/${misnamed}.json`, recordJson(record(HEX("4"))));
    // Valid JSON that is not a record.
    await Deno.writeTextFile(`${dir}/junk.json`, "[1, 2, 3]");
    // Neither of these is a record file: list() leaves them alone.
    await Deno.writeTextFile(`${dir}/README.md`, "# notes");
    await Deno.mkdir(`${dir}/sub.json`);

    assert.equal(await store.get(corrupt), null);
    assert.equal(await store.get(misnamed), null);
    assert.equal(await store.get(HEX("4")), null, "the misnamed record is not found by its key");
    assert.deepEqual(await store.get(good.key), good);

    const { records, invalid } = await store.list();
    assert.deepEqual(records, [good]);
    assert.deepEqual(invalid.map((x) => x.file), [
      `${corrupt}.json`,
      `${misnamed}.json`,
      "junk.json",
    ]);
    assert.equal(invalid[0].problem, parseError(recordJson(record(corrupt)).slice(0, 80)));
    assert.equal(invalid[1].problem, `its key "${HEX("4")}" is not its file name's`);
    assert.equal(invalid[2].problem, "format is undefined, expected 1");
  });
});

Deno.test("fileCache: list() sorts by file name; of a directory that does not exist it is empty", async () => {
  await withTempDir(async (root) => {
    assert.deepEqual(await fileCache(`${root}/absent`).list(), { records: [], invalid: [] });
    const store = fileCache(root);
    for (const c of ["c", "a", "b"]) await store.put(record(HEX(c)));
    assert.deepEqual((await store.list()).records.map((r) => r.key), [
      HEX("a"),
      HEX("b"),
      HEX("c"),
    ]);
  });
});

Deno.test("fileCache: remove deletes one record; removing a missing key is fine", async () => {
  await withTempDir(async (root) => {
    const store = fileCache(root);
    await store.put(record(HEX("a")));
    await store.put(record(HEX("b")));
    await store.remove(HEX("a"));
    assert.equal(await store.get(HEX("a")), null);
    assert.deepEqual(await names(root), [`${HEX("b")}.json`]);
    await store.remove(HEX("a")); // again: nothing to remove
    await store.remove(HEX("f"));
    await fileCache(`${root}/absent`).remove(HEX("a")); // not even a directory
    assert.deepEqual(await names(root), [`${HEX("b")}.json`]);
  });
});

Deno.test("fileCache: put replaces a record by renaming a whole new file over it, leaving no temp file", async () => {
  await withTempDir(async (dir) => {
    const store = fileCache(dir);
    const first = record(HEX("a"));
    await store.put(first);
    const path = `${dir}/${first.key}.json`;
    const before = await Deno.readTextFile(path);
    // A reader that opened the old file before the write...
    const reader = await Deno.open(path, { read: true });
    try {
      const inode = (await reader.stat()).ino;
      const second = record(HEX("a"), { name: "second" });
      second.history[1].testAcc = 0.99;
      await store.put(second);
      assert.deepEqual(await store.get(first.key), second, "the new record replaced the old");
      assert.deepEqual(await names(dir), [`${first.key}.json`], "no .tmp file left behind");
      // ...still reads the whole old record: the file was not rewritten in place.
      const old = new TextDecoder().decode(await readAll(reader));
      assert.equal(old, before);
      assert.notEqual((await Deno.stat(path)).ino, inode, "a new file, not the old one rewritten");
    } finally {
      reader.close();
    }
  });
});

async function readAll(file: Deno.FsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(4096);
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
  }
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

Deno.test("a write that fails removes its temp file and leaves the old content", async () => {
  await withTempDir(async (dir) => {
    const store = fileCache(dir);
    const r = record(HEX("a"));
    // The record's path is taken by a non-empty directory: the rename must fail.
    await Deno.mkdir(`${dir}/${r.key}.json`);
    await Deno.writeTextFile(`${dir}/${r.key}.json/keep`, "x");
    await assert.rejects(() => store.put(r));
    assert.deepEqual(await names(dir), [`${r.key}.json`], "no .tmp file left behind");
    assert.equal(await Deno.readTextFile(`${dir}/${r.key}.json/keep`), "x");
    // writeAtomic itself, with bytes, into a directory it creates.
    await writeAtomic(`${dir}/made/here.bin`, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await Deno.readFile(`${dir}/made/here.bin`), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await names(`${dir}/made`), ["here.bin"]);
  });
});

Deno.test("memoryCache keeps copies: changing a record after put or get changes nothing stored", async () => {
  const store = memoryCache();
  const r = record();
  await store.put(r);
  r.name = "changed after put";
  const got = (await store.get(r.key))!;
  assert.equal(got.name, "small");
  got.history.length = 0;
  assert.equal((await store.get(r.key))!.history.length, 2);
  assert.equal(await store.get(HEX("f")), null);
  assert.equal(store.entries.size, 1);
});
