/**
 * Where the time of a training step goes: one worker's share of a minibatch
 * (128 of 256 images with two workers) run through the network with every
 * kernel call timed, on real images.
 *
 * @module
 */

import type { FashionMnist } from "../lib/data/mod.ts";
import { initialWeights } from "../lib/train/init.ts";
import { createNet } from "../lib/train/net.ts";
import type { SimdKernels } from "../lib/train/simd/mod.ts";

/** One row of the profile: a kernel (with the shape it ran on) and its time per step. */
export interface ProfileRow {
  kernel: string;
  msPerStep: number;
  callsPerStep: number;
}

/** The profile of a step. */
export interface StepProfile {
  /** Images in the step. */
  images: number;
  /** Wall-clock milliseconds of a whole step (gradient and SGD update), median of the steps. */
  msPerStep: number;
  /** Kernels, slowest first; "JavaScript" is the rest: softmax cross-entropy and the calls. */
  rows: ProfileRow[];
}

/**
 * The sizes that tell a kernel's calls apart: its arguments but the addresses
 * (the network's memory starts at 64 KiB, so every address is at least that).
 */
function shapeOf(name: string, args: unknown[]): string {
  const dims = args.filter((a) => typeof a === "number" && a > 0 && a < 65536) as number[];
  if (name.startsWith("conv") || name === "gemm" || name === "gemm_tn") {
    return `${name}(${dims.join(",")})`;
  }
  return name;
}

/**
 * Time `steps` steps (after `warmup` untimed ones) of `images` images each
 * from the training set, every kernel call timed.
 *
 * @param data The dataset (its first images are used).
 * @param workers The worker count the step is a share of (the share is 256 / workers).
 * @param steps Timed steps.
 * @param warmup Untimed steps first.
 * @returns The profile.
 */
export async function profileStep(
  data: FashionMnist,
  workers: number,
  steps = 40,
  warmup = 10,
): Promise<StepProfile> {
  const images = Math.ceil(256 / workers);
  const spent = new Map<string, { ms: number; calls: number }>();
  let timing = false;
  const instrument = (kernels: SimdKernels) => {
    const wrapped: Record<string, unknown> = {};
    for (const [name, kernel] of Object.entries(kernels)) {
      if (typeof kernel !== "function") continue;
      wrapped[name] = (...args: unknown[]) => {
        const began = performance.now();
        const result = kernel(...args);
        if (timing) {
          const key = shapeOf(name, args);
          const row = spent.get(key) ?? { ms: 0, calls: 0 };
          row.ms += performance.now() - began;
          row.calls++;
          spent.set(key, row);
        }
        return result;
      };
    }
    return wrapped as unknown as SimdKernels;
  };
  const net = await createNet(1, images, { instrument });
  net.params.set(initialWeights(0));
  const stepTimes: number[] = [];
  for (let s = 0; s < warmup + steps; s++) {
    const from = (s * images) % (data.train.count - images);
    net.input.set(data.train.images.subarray(from * 784, (from + images) * 784));
    timing = s >= warmup;
    const began = performance.now();
    net.gradient(images, data.train.labels.subarray(from, from + images), 256);
    net.sgd(net.grads, 0.01);
    if (timing) stepTimes.push(performance.now() - began);
  }
  const total = stepTimes.reduce((a, b) => a + b, 0);
  const rows = [...spent].map(([kernel, { ms, calls }]) => ({
    kernel,
    msPerStep: ms / steps,
    callsPerStep: calls / steps,
  }));
  const inKernels = rows.reduce((a, r) => a + r.msPerStep, 0);
  rows.push({ kernel: "JavaScript", msPerStep: total / steps - inKernels, callsPerStep: 0 });
  rows.sort((a, b) => b.msPerStep - a.msPerStep);
  const sorted = [...stepTimes].sort((a, b) => a - b);
  return { images, msPerStep: sorted[sorted.length >> 1], rows };
}

/** The profile as a Markdown table. */
export function formatProfile(p: StepProfile): string {
  const total = p.rows.reduce((a, r) => a + r.msPerStep, 0);
  const lines = [
    `one worker's step of ${p.images} images: median ${p.msPerStep.toFixed(2)} ms`,
    "",
    "| kernel (shape arguments) | ms per step | share | calls per step |",
    "| --- | ---: | ---: | ---: |",
    ...p.rows.map((r) =>
      `| ${r.kernel} | ${r.msPerStep.toFixed(3)} | ${(100 * r.msPerStep / total).toFixed(1)}% | ${
        r.callsPerStep || ""
      } |`
    ),
  ];
  return lines.join("\n");
}
