/**
 * The "did you mean" of every error about a name: a mistyped schedule option
 * or kind, command-line flag, or chapter. Its home is the schedules package,
 * which is published on its own and so imports nothing from outside itself;
 * the book's command lines (`lib/cli/`, `lib/book/`) import it from here.
 * Not exported by the package. No Deno APIs: the playground bundles it with
 * the schedules.
 *
 * @module
 */

import { editDistance } from "./edit_distance.ts";

/**
 * The candidate closest to `name`, if one is close enough to be a plausible
 * typo. Names are compared case-insensitively and without `-` or `_` (so
 * `base_lr`, `base-lr` and `baseLR` all find `baseLr`); a candidate that the
 * name starts or ends with (or the other way round) counts as one edit away;
 * otherwise at most a third of the name's length (and at least 1) edits are
 * allowed.
 *
 * @param name What was typed.
 * @param candidates The valid names.
 * @returns The nearest valid name, or `undefined` when none is plausible.
 *
 * @example Suggesting a kind or an option
 * ```ts
 * import assert from "node:assert/strict";
 * import { nearest } from "./nearest.ts";
 * assert.equal(nearest("cosin", ["cosine", "constant", "cyclic"]), "cosine");
 * assert.equal(nearest("anneal_strategy", ["anneal", "maxLr"]), "anneal");
 * assert.equal(nearest("warmupSteps", ["steps", "beginLr", "kind"]), "steps");
 * assert.equal(nearest("zzzzzz", ["cosine"]), undefined);
 * ```
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const normal = (text: string) => text.toLowerCase().replace(/[-_]/g, "");
  const typed = normal(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const target = normal(candidate);
    let distance = editDistance(typed, target);
    const contained = Math.min(typed.length, target.length) >= 3 &&
      (typed.startsWith(target) || target.startsWith(typed) || typed.endsWith(target) ||
        target.endsWith(typed));
    if (contained) distance = Math.min(distance, 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  return bestDistance <= allowed ? best : undefined;
}
