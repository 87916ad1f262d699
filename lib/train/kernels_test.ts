import assert, { deepEqual } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initWasm } from "./backend.ts";
import { mulberry32 } from "./rng.ts";

await initWasm();

/** Random values from a fixed seed, as a plain array (backend-independent). */
function randomValues(shape: number[], seed: number, positive = false): Float32Array {
  const random = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => (positive ? random() : 2 * random() - 1));
}

/** Run `f` on a backend and return its result's values and shape. */
async function on(
  backend: "wasm" | "cpu",
  f: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  try {
    const t = f();
    const values = (await t.data()) as Float32Array;
    const shape = t.shape;
    t.dispose();
    return { values, shape };
  } finally {
    await tf.setBackend("wasm");
  }
}

/** Assert that two arrays agree to `tolerance`, relative to the larger magnitude (at least 1). */
function close(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0, at = -1;
  for (let i = 0; i < actual.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / scale;
    if (!(error <= worst)) [worst, at] = [error, i];
  }
  assert(worst <= tolerance, `worst error ${worst} at ${at}: ${actual[at]} vs ${expected[at]}`);
}

/** Compare a kernel on wasm (ours) with tfjs's CPU backend on the same inputs. */
async function compareKernel(
  kernel: string,
  inputs: Record<string, [number[], number]>,
  attrs: Record<string, unknown>,
): Promise<void> {
  const make = () => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, [shape, seed]] of Object.entries(inputs)) {
      tensors[name] = tf.tensor(randomValues(shape, seed), shape);
    }
    return tensors;
  };
  const run = () =>
    tf.tidy(() =>
      tf.engine().runKernel(
        kernel,
        make() as unknown as tf.NamedTensorMap,
        attrs as tf.NamedAttrMap,
      ) as tf.Tensor
    );
  const ours = await on("wasm", run);
  const reference = await on("cpu", run);
  deepEqual(ours.shape, reference.shape);
  close(ours.values, reference.values);
}

const convCases: {
  name: string;
  x: number[];
  filter: number[];
  strides: number;
  pad: number | "same" | "valid";
}[] = [
  { name: "LeNet conv1", x: [16, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: 2 },
  { name: "LeNet conv2", x: [16, 14, 14, 6], filter: [5, 5, 6, 16], strides: 1, pad: "valid" },
  { name: "stride 2, same", x: [3, 11, 9, 4], filter: [3, 3, 4, 5], strides: 2, pad: "same" },
  {
    name: "stride 2, valid, rows left over",
    x: [2, 10, 12, 3],
    filter: [3, 2, 3, 4],
    strides: 2,
    pad: "valid",
  },
  {
    name: "stride 3, explicit padding 1",
    x: [2, 9, 9, 2],
    filter: [4, 4, 2, 3],
    strides: 3,
    pad: 1,
  },
  { name: "1x1 filter", x: [4, 5, 5, 3], filter: [1, 1, 3, 2], strides: 1, pad: "valid" },
  {
    name: "5 channels out, odd widths, same",
    x: [3, 9, 7, 2],
    filter: [3, 3, 2, 5],
    strides: 1,
    pad: "same",
  },
  {
    name: "a row of 36 inputs (beyond 32)",
    x: [2, 8, 8, 12],
    filter: [3, 3, 12, 7],
    strides: 1,
    pad: 1,
  },
  {
    name: "one input channel, 10 out, tall filter",
    x: [2, 6, 11, 1],
    filter: [5, 3, 1, 10],
    strides: 1,
    pad: "valid",
  },
];

for (const c of convCases) {
  const info = tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    c.filter as [number, number, number, number],
    c.strides,
    1,
    c.pad,
  );
  const common = {
    strides: [c.strides, c.strides],
    pad: c.pad,
    dataFormat: "NHWC",
    dimRoundingMode: undefined,
  };
  Deno.test(`Conv2DBackpropFilter matches the CPU backend: ${c.name}`, () =>
    compareKernel("Conv2DBackpropFilter", { x: [c.x, 1], dy: [info.outShape, 2] }, {
      ...common,
      filterShape: c.filter,
    }));
  Deno.test(`Conv2DBackpropInput matches the CPU backend: ${c.name}`, () =>
    compareKernel("Conv2DBackpropInput", { dy: [info.outShape, 3], filter: [c.filter, 4] }, {
      ...common,
      inputShape: c.x,
    }));
}

for (
  const c of [
    {
      name: "LeNet conv1",
      x: [6, 28, 28, 1],
      filter: [5, 5, 1, 6],
      pad: 2 as number | "same" | "valid" | tf.backend_util.ExplicitPadding,
      bias: true,
      activation: "relu",
    },
    {
      name: "odd width, explicit padding, no activation",
      x: [2, 9, 11, 1],
      filter: [3, 5, 1, 6],
      // explicit: tfjs sizes a numeric padding of a non-square filter from its height only
      pad: [[0, 0], [1, 1], [2, 2], [0, 0]] as tf.backend_util.ExplicitPadding,
      bias: true,
      activation: "linear",
    },
    {
      name: "no bias, 8 channels, valid",
      x: [3, 7, 6, 1],
      filter: [2, 2, 1, 8],
      pad: "valid" as const,
      bias: false,
      activation: "relu",
    },
    {
      name: "3 channels out, same",
      x: [2, 5, 5, 1],
      filter: [3, 3, 1, 3],
      pad: "same" as const,
      bias: true,
      activation: "relu",
    },
    {
      name: "13 channels out (two groups of eight)",
      x: [2, 9, 10, 1],
      filter: [5, 5, 1, 13],
      pad: 2 as const,
      bias: true,
      activation: "relu",
    },
    {
      name: "two input channels (stock kernel)",
      x: [2, 8, 8, 2],
      filter: [3, 3, 2, 4],
      pad: 1 as const,
      bias: true,
      activation: "relu",
    },
  ]
) {
  Deno.test(`FusedConv2D matches the CPU backend: ${c.name}`, () =>
    compareKernel(
      "FusedConv2D",
      {
        x: [c.x, 11],
        filter: [c.filter, 12],
        ...(c.bias ? { bias: [[c.filter[3]], 13] as [number[], number] } : {}),
      },
      {
        strides: [1, 1],
        pad: c.pad,
        dataFormat: "NHWC",
        dilations: [1, 1],
        activation: c.activation,
      },
    ));
}

for (
  const c of [
    { name: "LeNet pool1", x: [8, 28, 28, 6], size: 2, strides: 2, pad: "valid" as const },
    { name: "LeNet pool2", x: [8, 10, 10, 16], size: 2, strides: 2, pad: "valid" as const },
    {
      name: "3x3 stride 2 same (overlapping)",
      x: [2, 7, 9, 3],
      size: 3,
      strides: 2,
      pad: "same" as const,
    },
    {
      name: "2x2 stride 2 on odd size",
      x: [2, 7, 7, 2],
      size: 2,
      strides: 2,
      pad: "valid" as const,
    },
  ]
) {
  Deno.test(`MaxPoolGrad matches the CPU backend: ${c.name}`, async () => {
    const grad = () =>
      tf.tidy(() => {
        const x = tf.tensor(randomValues(c.x, 5), c.x);
        const f = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, c.size, c.strides, c.pad);
        const shape = f(x).shape;
        return tf.grad(f)(x, tf.tensor(randomValues(shape, 6), shape));
      });
    const ours = await on("wasm", grad);
    close(ours.values, (await on("cpu", grad)).values);
  });
}

Deno.test("BatchMatMul with transposed operands matches the CPU backend", async () => {
  for (const [ta, tb] of [[true, false], [false, true], [true, true]]) {
    const a = ta ? [2, 7, 5] : [2, 5, 7], b = tb ? [2, 3, 7] : [2, 7, 3];
    await compareKernel("BatchMatMul", { a: [a, 7], b: [b, 8] }, {
      transposeA: ta,
      transposeB: tb,
    });
  }
});

Deno.test("Sum over leading axes (a bias gradient) matches the CPU backend", async () => {
  await compareKernel("Sum", { x: [[4, 6, 5, 3], 9] }, { axis: [0, 1, 2], keepDims: false });
  await compareKernel("Sum", { x: [[4, 6, 5, 3], 9] }, { axis: [1, 2], keepDims: false });
  await compareKernel("Sum", { x: [[4, 6], 9] }, { axis: 0, keepDims: true });
});

Deno.test("the fused conv and dense gradients match tf.grad on the CPU backend", async () => {
  // Loss of one fused conv layer then one fused dense layer; its gradient with
  // respect to every parameter and the input, on both backends.
  const shapes = { x: [4, 12, 12, 2], w: [5, 5, 2, 3], b: [3], v: [5 * 5 * 3, 5], c: [5] };
  for (const activation of ["relu", "linear"] as const) {
    const gradients = () => {
      const [x, w, b, v, c] = Object.values(shapes).map((s, i) =>
        tf.tensor(randomValues(s, 20 + i), s)
      );
      const loss = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, v: tf.Tensor, c: tf.Tensor) => {
        const fusedConv = tf.engine().runKernel(tf.FusedConv2D, { x, filter: w, bias: b }, {
          strides: [2, 2],
          pad: 1,
          dataFormat: "NHWC",
          dilations: [1, 1],
          activation,
        }) as tf.Tensor;
        const unfused = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1), b));
        const h = tf.getBackend() === "wasm"
          ? fusedConv
          : activation === "relu"
          ? unfused
          : tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1), b);
        const flat = tf.reshape(h, [1, 4, 75]);
        const y = tf.getBackend() === "wasm"
          ? tf.engine().runKernel(tf._FusedMatMul, {
            a: flat,
            b: tf.reshape(v, [1, 75, 5]),
            bias: c,
          }, {
            transposeA: false,
            transposeB: false,
            activation,
          }) as tf.Tensor
          : activation === "relu"
          ? tf.relu(tf.add(tf.matMul(flat, tf.reshape(v, [1, 75, 5])), c))
          : tf.add(tf.matMul(flat, tf.reshape(v, [1, 75, 5])), c);
        return tf.sum(tf.mul(y, tf.linspace(-1, 1, 20).reshape([1, 4, 5])));
      };
      const grads = tf.grads(loss)([x, w, b, v, c]);
      return tf.concat(grads.map((g) => g.flatten()));
    };
    const ours = await on("wasm", () => tf.tidy(gradients));
    close(ours.values, (await on("cpu", () => tf.tidy(gradients))).values);
  }
});
