/**
 * How many edits turn one name into another: the measure behind the "did you
 * mean" hints of `./nearest.ts` (whose home, like this one's, is the schedules
 * package). No Deno APIs: the playground bundles it with the schedules.
 *
 * @module
 */

/**
 * The optimal-string-alignment distance between two strings (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1),
 * compared case-insensitively.
 *
 * @param a One string.
 * @param b The other string.
 * @returns The number of edits that turn `a` into `b`.
 *
 * @example Distances
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./edit_distance.ts";
 * assert.equal(editDistance("cosin", "cosine"), 1);
 * assert.equal(editDistance("baseLR", "baseLr"), 0);
 * assert.equal(editDistance("sgrd", "sgdr"), 1);
 * ```
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[s.length][t.length];
}
