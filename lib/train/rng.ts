/**
 * A small seeded random number generator, the same on every machine.
 *
 * @module
 */

/**
 * A generator of uniform numbers in [0, 1) from a 32-bit seed (Mulberry32).
 * Same seed, same sequence, on every machine and in every worker.
 *
 * @param seed Any integer; only its low 32 bits matter.
 * @returns A function returning the next number of the sequence.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./rng.ts";
 * const a = mulberry32(7), b = mulberry32(7);
 * assert(a() === b() && a() < 1);
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random permutation of `0..n-1` (Fisher-Yates), drawn from `random`.
 *
 * @param n Length of the permutation.
 * @param random A source of uniform numbers in [0, 1).
 * @returns The permutation.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32, permutation } from "./rng.ts";
 * const p = permutation(5, mulberry32(1));
 * assert([...p].sort().join() === "0,1,2,3,4");
 * ```
 */
export function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
