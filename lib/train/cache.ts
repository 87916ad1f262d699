/**
 * The run cache: finished runs as JSON files named by a content hash.
 *
 * @module
 */

import { writeAtomic } from "../util/write_atomic.ts";
import type { RunResult } from "./types.ts";

/** Somewhere to keep finished runs. */
export interface RunCache {
  /** The run stored under `key`, or `null`. */
  get(key: string): Promise<RunResult | null>;
  /** Store `result` under `key`. */
  put(key: string, result: RunResult): Promise<void>;
}

/**
 * A cache of JSON files `DIR/KEY.json`. A file that does not parse or does
 * not hold a run is treated as missing.
 *
 * @param dir The directory (created on first write).
 * @returns The cache.
 */
export function fileCache(dir: string): RunCache {
  return {
    async get(key) {
      try {
        // JSON has no NaN: a diverged epoch's loss is stored as null.
        const text = await Deno.readTextFile(`${dir}/${key}.json`);
        const value = JSON.parse(text, (k, v) => (k === "trainLoss" && v === null ? NaN : v));
        return value && Array.isArray(value.history) && value.key === key
          ? value as RunResult
          : null;
      } catch {
        return null;
      }
    },
    async put(key, result) {
      await writeAtomic(`${dir}/${key}.json`, JSON.stringify(result, null, 1));
    },
  };
}

/** A cache in memory (for tests). */
export function memoryCache(): RunCache & { entries: Map<string, RunResult> } {
  const entries = new Map<string, RunResult>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.has(key) ? structuredClone(entries.get(key)!) : null),
    put: (key, result) => {
      entries.set(key, structuredClone(result));
      return Promise.resolve();
    },
  };
}
