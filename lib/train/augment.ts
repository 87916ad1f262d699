/**
 * Data augmentation for 28x28 images: random horizontal flips and shifts.
 *
 * @module
 */

import { mulberry32 } from "./rng.ts";

const SIDE = 28;

/** How one example is altered in one epoch. */
export interface Alteration {
  /** Mirror left-right. */
  flip: boolean;
  /** Shift right by `dx` and down by `dy` pixels (negative: left/up), zeros shifted in. */
  dx: number;
  dy: number;
}

/**
 * The alteration of example `row` in `epoch` of a run seeded `seed`: a fair
 * coin for the flip and shifts drawn uniformly from -2..2. It depends only on
 * these three numbers, so it is the same whichever worker handles the example.
 *
 * @param seed The run's seed.
 * @param epoch The epoch (1-based).
 * @param row The example's index in the training set.
 * @returns The alteration.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { alteration } from "./augment.ts";
 * assert.deepEqual(alteration(0, 1, 7), alteration(0, 1, 7));
 * assert(Math.abs(alteration(0, 1, 7).dx) <= 2);
 * ```
 */
export function alteration(seed: number, epoch: number, row: number): Alteration {
  const random = mulberry32((seed * 0x9e3779b1) ^ (epoch * 0x85ebca6b) ^ (row * 0xc2b2ae35));
  return {
    flip: random() < 0.5,
    dx: Math.floor(random() * 5) - 2,
    dy: Math.floor(random() * 5) - 2,
  };
}

/**
 * Write `source` (one 28x28 image) altered by `a` into `target`.
 *
 * @param source 784 pixels, row-major.
 * @param target 784 pixels to overwrite.
 * @param a The alteration.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { alter } from "./augment.ts";
 * const image = new Float32Array(784);
 * image[0] = 1; // top-left pixel
 * const out = new Float32Array(784);
 * alter(image, out, { flip: true, dx: 0, dy: 1 });
 * assert.equal(out[28 + 27], 1); // mirrored to the right edge, one row down
 * ```
 */
export function alter(source: Float32Array, target: Float32Array, a: Alteration): void {
  for (let r = 0; r < SIDE; r++) {
    const from = r - a.dy;
    for (let c = 0; c < SIDE; c++) {
      const shifted = c - a.dx;
      const col = a.flip ? SIDE - 1 - shifted : shifted;
      const inside = from >= 0 && from < SIDE && shifted >= 0 && shifted < SIDE;
      target[r * SIDE + c] = inside ? source[from * SIDE + col] : 0;
    }
  }
}
