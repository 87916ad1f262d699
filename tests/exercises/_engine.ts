/**
 * The engine as the exercise tests use it: the real training code on the
 * real data, no run cache, no progress display.
 *
 * @module
 */

import { loadTestData } from "../../lib/data/_testing.ts";
import type { Trainer } from "../../lib/exercises/common.ts";
import { train } from "../../lib/train/train.ts";

/**
 * Fashion-MNIST, or `null` when it is not there (the tests that need it are then ignored; any
 * other data error fails the run).
 */
export const data = await loadTestData();

/** Options for `Deno.test`: ignore the test when the data set is missing. */
export const needsData = { ignore: data === null };

/** Train a request on the loaded data, from scratch every time. */
export const trainer: Trainer = (request) =>
  train(request, { data: data!, cache: null, progress: "silent" });

/** Seconds since `start` (from `performance.now()`), for the tests' timing notes. */
export function seconds(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}
