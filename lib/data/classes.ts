/**
 * The ten Fashion-MNIST classes.
 *
 * @module
 */

/**
 * The class names of Fashion-MNIST, indexed by label (0..9), as listed by Zalando Research.
 *
 * @example Name a label
 * ```ts
 * import assert from "node:assert/strict";
 * import { FASHION_MNIST_CLASSES } from "./classes.ts";
 *
 * assert.equal(FASHION_MNIST_CLASSES.length, 10);
 * assert.equal(FASHION_MNIST_CLASSES[9], "Ankle boot");
 * ```
 */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);
