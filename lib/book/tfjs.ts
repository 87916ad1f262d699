/**
 * TensorFlow.js for the small demonstrations of a chapter (no training).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Make tfjs's plain CPU backend the active one in this thread: enough for a
 * few scalars, and available everywhere. The training engine is not affected:
 * it runs in its own worker threads on its own WebAssembly kernels.
 *
 * tfjs greets a Node-like runtime, on its first tensor, with advice to install
 * `tfjs-node`; that advice does not apply to Deno, so it is switched off here.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { cpuBackend } from "./tfjs.ts";
 * await cpuBackend();
 * assert.equal(tf.getBackend(), "cpu");
 * ```
 */
export async function cpuBackend(): Promise<void> {
  if (!(await tf.setBackend("cpu"))) throw new Error("tfjs: the CPU backend failed to start");
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}
