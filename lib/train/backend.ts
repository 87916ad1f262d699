/**
 * TensorFlow.js on WebAssembly, made able to train a convolutional network.
 *
 * tfjs's wasm backend (XNNPACK, SIMD) is by far its fastest CPU backend, but it
 * cannot train a conv net out of the box: it has no `Conv2DBackpropFilter`
 * kernel, and its `Conv2DBackpropInput` and transposed `BatchMatMul` are slow.
 * {@linkcode initWasm} loads the backend and registers the kernels of
 * `./kernels.ts`, each built from the backend's own fast forward kernels.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerFusedGradients } from "./gradients.ts";
import { registerTrainingKernels } from "./kernels.ts";
import { loadSimdKernels } from "./simd/mod.ts";

let ready: Promise<void> | null = null;

/** The directory holding tfjs's `.wasm` files (inside `node_modules`). */
export function wasmDirectory(): string {
  const url = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  // url: file:///.../node_modules/.deno/@tensorflow+tfjs-backend-wasm@x/node_modules/
  //      @tensorflow/tfjs-backend-wasm/dist/index.js (or similar): take its dist folder.
  const path = new URL(url).pathname;
  const dist = path.slice(0, path.lastIndexOf("/dist/") + "/dist/".length);
  return dist;
}

/**
 * Make `wasm` the active tfjs backend, with the training kernels registered.
 * Safe to call many times; the work is done once.
 *
 * @returns A promise that resolves when the backend is ready.
 */
export function initWasm(): Promise<void> {
  ready ??= (async () => {
    setWasmPaths(wasmDirectory());
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    if (!(await tf.setBackend("wasm"))) {
      throw new Error(`could not start tfjs's wasm backend from ${wasmDirectory()}`);
    }
    await tf.ready();
    const backend = tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } };
    registerTrainingKernels(await loadSimdKernels(backend.wasm.asm.memory));
    registerFusedGradients();
  })();
  return ready;
}
