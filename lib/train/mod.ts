/**
 * The training engine: LeNet on Fashion-MNIST on WebAssembly SIMD kernels,
 * and the stores of finished runs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "./mod.ts";
 * assert.equal(resolveConfig({ name: "c", schedule: () => 0.1, stepsPer: "epoch" }).epochs, 30);
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./config.ts";
export * from "./cache.ts";
export * from "./engine.ts";
export * from "./fingerprint.ts";
export * from "./plateau.ts";
export * from "./progress.ts";
export { DEFAULT_WORKERS, type KeyedRequest, keyOf, train, type TrainOptions } from "./train.ts";
export type { FashionMnist, Split } from "../data/mod.ts";
export type { ProgressStream } from "../util/progress_line.ts";
export type { Schedule } from "../schedules/types.ts";
