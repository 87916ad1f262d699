/**
 * Run records, and the stores that keep them: finished runs as small JSON
 * files named by a content hash of everything that decides their numbers.
 *
 * Two stores use the same format. The frozen results (`data/frozen/`, in the
 * repository) hold every full-size run the book shows, so a fresh clone reads
 * real numbers without training; the scratch cache (`data/runs/`, never
 * committed) holds everything else (quick builds, reduced runs).
 *
 * @module
 */

import { writeAtomic } from "../util/write_atomic.ts";
import type { EpochRecord, Provenance, RunConfig, RunResult } from "./types.ts";

export type { Provenance };

/** A finished run as stored: settings, every rate, per-epoch metrics, provenance. */
export interface RunRecord {
  /** The record format (1). */
  format: 1;
  /** The run's key: its request and the engine fingerprint, hashed. */
  key: string;
  /** The hash of the request alone (settings, rates, data): the same run on another engine. */
  request: string;
  /** The run's name. */
  name: string;
  /** The settings it ran with. */
  config: RunConfig;
  /** Every update's rate, run-length encoded: `[rate, how many updates in a row]`. */
  rates: [number, number][];
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** The epoch whose loss became NaN or infinite, or `null`. */
  divergedAt: number | null;
  /**
   * The loss of every update, when the request asked for it (`config.updateLosses`); absent
   * otherwise. See `RunResult.updateLosses`.
   */
  updateLosses?: number[];
  /** What produced it. */
  producedBy: Provenance;
}

/** Somewhere to keep finished runs. */
export interface RunCache {
  /** The valid record stored under `key`, or `null`. */
  get(key: string): Promise<RunRecord | null>;
  /** Store `record` under its key (atomically: a reader never sees half a record). */
  put(record: RunRecord): Promise<void>;
}

/**
 * Rates, run-length encoded: each `[rate, count]` stands for `count` updates in a row.
 *
 * @param rates One rate per update.
 * @returns The runs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRates, encodeRates } from "./cache.ts";
 * const runs = encodeRates(new Float64Array([0.3, 0.3, 0.1]));
 * assert.deepEqual(runs, [[0.3, 2], [0.1, 1]]);
 * assert.deepEqual(Array.from(decodeRates(runs)), [0.3, 0.3, 0.1]);
 * ```
 */
export function encodeRates(rates: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < rates.length; i++) {
    const last = runs[runs.length - 1];
    if (last !== undefined && Object.is(last[0], rates[i])) last[1]++;
    else runs.push([rates[i], 1]);
  }
  return runs;
}

/**
 * The rates that {@linkcode encodeRates} encoded.
 *
 * @param runs `[rate, count]` pairs.
 * @returns One rate per update.
 */
export function decodeRates(runs: readonly (readonly [number, number])[]): Float64Array {
  const rates = new Float64Array(runs.reduce((n, [, count]) => n + count, 0));
  let at = 0;
  for (const [rate, count] of runs) {
    rates.fill(rate, at, at + count);
    at += count;
  }
  return rates;
}

/**
 * The run a record holds, as {@linkcode RunResult}.
 *
 * @param record The stored record.
 * @param name The name to show (a request may rename a stored run).
 * @returns The run, marked as read from a store.
 */
export function resultOf(record: RunRecord, name: string = record.name): RunResult {
  return {
    name,
    config: record.config,
    history: record.history,
    divergedAt: record.divergedAt,
    ...(record.updateLosses !== undefined ? { updateLosses: record.updateLosses } : {}),
    key: record.key,
    cached: true,
    producedBy: record.producedBy,
  };
}

/** Why `value` is not a valid record stored under `key`, or `null` when it is one. */
export function recordProblem(value: unknown, key: string): string | null {
  if (typeof value !== "object" || value === null) return "not a JSON object";
  const r = value as Partial<RunRecord>;
  if (r.format !== 1) return `format is ${JSON.stringify(r.format)}, expected 1`;
  if (r.key !== key) return `its key ${JSON.stringify(r.key)} is not its file name's`;
  if (typeof r.request !== "string" || !/^[0-9a-f]{64}$/.test(r.request)) {
    return "request is not a 64-digit hash";
  }
  if (typeof r.name !== "string") return "name is not a string";
  const c = r.config;
  if (typeof c !== "object" || c === null || typeof c.epochs !== "number") {
    return "config is missing or incomplete";
  }
  if (!Array.isArray(r.rates) || !r.rates.every((x) => Array.isArray(x) && x.length === 2)) {
    return "rates are not [rate, count] pairs";
  }
  const updates = r.rates.reduce((n, [, count]) => n + count, 0);
  if (updates !== c.epochs * c.updatesPerEpoch) {
    return `rates cover ${updates} updates, the config ${c.epochs * c.updatesPerEpoch}`;
  }
  if (!Array.isArray(r.history)) return "history is not a list";
  const complete = r.divergedAt === null ? c.epochs : r.divergedAt;
  if (r.history.length !== complete) {
    return `history has ${r.history.length} epochs, expected ${complete}`;
  }
  const losses = updateLossesProblem(r, c);
  if (losses !== null) return losses;
  const p = r.producedBy;
  if (typeof p !== "object" || p === null || typeof p.engine !== "string") {
    return "producedBy is missing or incomplete";
  }
  return null;
}

/**
 * Why a record's loss of every update is wrong, or `null`: a record whose config asks for them
 * holds one finite number per update it ran (every update unless it diverged; then fewer than
 * that, and more than the epochs before the diverged one had), and a record whose config does
 * not holds none.
 */
function updateLossesProblem(r: Partial<RunRecord>, c: RunConfig): string | null {
  const losses = r.updateLosses;
  if (c.updateLosses !== true) {
    return losses === undefined ? null : "updateLosses are stored but the config asks for none";
  }
  if (!Array.isArray(losses) || !losses.every((x) => typeof x === "number" && isFinite(x))) {
    return "updateLosses are not a list of finite numbers";
  }
  const all = c.epochs * c.updatesPerEpoch;
  const ran = r.divergedAt === null || r.divergedAt === undefined
    ? losses.length === all
    : losses.length < r.divergedAt * c.updatesPerEpoch &&
      losses.length >= (r.divergedAt - 1) * c.updatesPerEpoch;
  return ran ? null : `updateLosses has ${losses.length} updates, not what the run ran (of ${all})`;
}

/** A record as JSON text (JSON has no NaN: a diverged epoch's loss is written as null). */
export function recordJson(record: RunRecord): string {
  const { rates, history, updateLosses, ...rest } = record;
  // One line per epoch and per rate run: small diffs, easy to read.
  const lines = (items: unknown[]) => items.map((x) => `  ${JSON.stringify(x)}`).join(",\n");
  const head = JSON.stringify(rest, null, 1).slice(0, -2);
  const body = `${head},\n "rates": [\n${lines(rates)}\n ],\n "history": [\n${lines(history)}\n ]`;
  if (updateLosses === undefined) return `${body}\n}\n`;
  // The loss of every update: one line per epoch's updates.
  const u = record.config.updatesPerEpoch, epochs: string[] = [];
  for (let i = 0; i < updateLosses.length; i += u) {
    epochs.push(`  ${updateLosses.slice(i, i + u).map((x) => JSON.stringify(x)).join(", ")}`);
  }
  return `${body},\n "updateLosses": [\n${epochs.join(",\n")}\n ]\n}\n`;
}

/** Parse a record's JSON text (a `null` loss becomes NaN again). */
export function parseRecord(text: string): unknown {
  return JSON.parse(text, (k, v) => (k === "trainLoss" && v === null ? NaN : v));
}

/** A store of records as JSON files, with listing and removal for `deno task freeze`. */
export interface FileCache extends RunCache {
  /** The directory. */
  readonly dir: string;
  /** Every file in the store: the valid records and the problems of the others. */
  list(): Promise<{ records: RunRecord[]; invalid: { file: string; problem: string }[] }>;
  /** Remove the record stored under `key` (nothing if there is none). */
  remove(key: string): Promise<void>;
}

/**
 * A store of JSON files `DIR/KEY.json`. A file that does not parse or does not
 * hold a valid record is treated as missing by `get` (and reported by `list`).
 *
 * @param dir The directory (created on first write).
 * @returns The store.
 */
export function fileCache(dir: string): FileCache {
  const read = async (
    file: string,
    key: string,
  ): Promise<{ record: RunRecord; problem: null } | { record: null; problem: string }> => {
    const value = parseRecord(await Deno.readTextFile(`${dir}/${file}`));
    const problem = recordProblem(value, key);
    return problem === null ? { record: value as RunRecord, problem } : { record: null, problem };
  };
  return {
    dir,
    async get(key) {
      try {
        const got = await read(`${key}.json`, key);
        return got.record;
      } catch {
        return null;
      }
    },
    async put(record) {
      await writeAtomic(`${dir}/${record.key}.json`, recordJson(record));
    },
    async list() {
      const records: RunRecord[] = [], invalid: { file: string; problem: string }[] = [];
      let entries: Deno.DirEntry[] = [];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile || !entry.name.endsWith(".json")) continue;
        try {
          const got = await read(entry.name, entry.name.slice(0, -5));
          if (got.record !== null) records.push(got.record);
          else invalid.push({ file: entry.name, problem: got.problem });
        } catch (error) {
          invalid.push({ file: entry.name, problem: (error as Error).message });
        }
      }
      return { records, invalid };
    },
    async remove(key) {
      await Deno.remove(`${dir}/${key}.json`).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}

/** The frozen results, in the repository: every full-size run the book shows. */
export const FROZEN_DIR: string = new URL("../../data/frozen", import.meta.url).pathname;

/** The scratch cache, never committed: quick builds, reduced runs, tests. */
export const SCRATCH_DIR: string = new URL("../../data/runs", import.meta.url).pathname;

/** A store in memory (for tests). */
export function memoryCache(): RunCache & { entries: Map<string, RunRecord> } {
  const entries = new Map<string, RunRecord>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.has(key) ? structuredClone(entries.get(key)!) : null),
    put: (record) => {
      entries.set(record.key, structuredClone(record));
      return Promise.resolve();
    },
  };
}
