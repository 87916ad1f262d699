/**
 * The run cache: finished runs as JSON files named by a content hash.
 *
 * @module
 */

import type { RunResult } from "./types.ts";

/** Somewhere to keep finished runs. */
export interface RunCache {
  /** The run stored under `key`, or `null`. */
  get(key: string): Promise<RunResult | null>;
  /** Store `result` under `key`. */
  put(key: string, result: RunResult): Promise<void>;
}

/**
 * The hex SHA-256 of `parts` serialised as JSON.
 *
 * @param parts Anything JSON can serialise.
 * @returns 64 hex digits.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashKey } from "./cache.ts";
 * const a = await hashKey({ lr: 0.3 }), b = await hashKey({ lr: 0.1 });
 * assert(a.length === 64 && a !== b);
 * ```
 */
export async function hashKey(parts: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Write `text` to `path` atomically: to a temporary file in the same
 * directory, then renamed over `path`, so a reader never sees half a file.
 *
 * @param path Destination.
 * @param text Content.
 */
export async function writeAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const dir = path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    if (typeof text === "string") await Deno.writeTextFile(temp, text);
    else await Deno.writeFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
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
