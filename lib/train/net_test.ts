import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initLeNet, lenet } from "./lenet.ts";
import { initialWeights } from "./init.ts";
import { createNet } from "./net.ts";
import { mulberry32 } from "./rng.ts";

await tf.setBackend("cpu");

/** Images with pixels in [0, 1] and labels 0..9, from a seed. */
function batch(n: number, seed: number) {
  const random = mulberry32(seed);
  const images = Float32Array.from({ length: n * 784 }, () => random());
  const labels = Int32Array.from({ length: n }, () => Math.floor(random() * 10));
  return { images, labels };
}

/** The worst |a - b| relative to the largest |b| (at least 1e-3), with where it is. */
function worst(a: Float32Array, b: Float32Array): { error: number; at: number } {
  let scale = 1e-3;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let error = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / scale;
    if (!(e <= error)) [error, at] = [e, i];
  }
  return { error, at };
}

/** tfjs's CPU backend on the reference model: logits, loss sum and gradient, flat. */
function reference(
  seed: number,
  width: number,
  images: Float32Array,
  labels: Int32Array,
  divisor: number,
) {
  const n = labels.length;
  const params = initLeNet(seed, width);
  const names = Object.keys(params);
  const x = tf.tensor4d(images, [n, 28, 28, 1]);
  const y = tf.tensor1d(labels, "int32");
  const logits = tf.tidy(() => lenet(params, x));
  const { value, grads } = tf.variableGrads(() => {
    const losses = tf.losses.softmaxCrossEntropy(
      tf.oneHot(y, 10),
      lenet(params, x),
      undefined,
      undefined,
      tf.Reduction.NONE,
    );
    return tf.div(tf.sum(losses), divisor) as tf.Scalar;
  });
  const flat = new Float32Array(names.reduce((s, k) => s + params[k].size, 0));
  let at = 0;
  for (const name of names) {
    flat.set(grads[name].dataSync(), at);
    at += params[name].size;
  }
  const out = {
    logits: logits.dataSync() as Float32Array,
    lossSum: value.dataSync()[0] * divisor,
    grads: flat,
  };
  tf.dispose([x, y, logits, value, grads, Object.values(params)]);
  return out;
}

for (const [width, n] of [[1, 7], [2, 5], [1, 33]]) {
  Deno.test(`net: width ${width}, ${n} images: logits, loss and gradient match tfjs's CPU backend`, async () => {
    const { images, labels } = batch(n, 100 + n);
    const net = await createNet(width, 40);
    net.params.set(initialWeights(3, width));
    net.input.set(images);
    const logits = net.forward(n).slice();
    const expected = reference(3, width, images, labels, 64);
    const l = worst(logits, expected.logits);
    assert.ok(l.error < 1e-5, `logits off by ${l.error} at ${l.at}`);
    const counted = net.gradient(n, labels, 64);
    assert.ok(
      Math.abs(counted.lossSum - expected.lossSum) < 1e-4 * n,
      `${counted.lossSum} vs ${expected.lossSum}`,
    );
    const g = worst(net.grads, expected.grads);
    assert.ok(
      g.error < 1e-5,
      `gradient off by ${g.error} at ${g.at}: ${net.grads[g.at]} vs ${expected.grads[g.at]}`,
    );
    // The forward-only count (a plateau run's held-out loss) is the gradient pass's count: a
    // loss computed otherwise, or a count that disturbed the gradient, fails here.
    const grads = net.grads.slice();
    const forward = net.count(n, labels);
    assert.equal(forward.right, counted.right, "the same images right");
    assert.ok(
      Math.abs(forward.lossSum - counted.lossSum) < 1e-9 * counted.lossSum,
      `${forward.lossSum} vs ${counted.lossSum}`,
    );
    assert.deepEqual(net.grads, grads, "the gradient is untouched");
  });
}

Deno.test("net: five SGD steps at a large rate follow tfjs's SGD on the reference model", async () => {
  const n = 40, lr = 0.5;
  const net = await createNet(1, n);
  net.params.set(initialWeights(5));
  const params = initLeNet(5);
  const names = Object.keys(params);
  const optimizer = tf.train.sgd(lr);
  for (let step = 0; step < 5; step++) {
    const { images, labels } = batch(n, 200 + step);
    net.input.set(images);
    net.gradient(n, labels, n);
    net.sgd(net.grads, lr);
    const x = tf.tensor4d(images, [n, 28, 28, 1]), y = tf.oneHot(tf.tensor1d(labels, "int32"), 10);
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, lenet(params, x)) as tf.Scalar);
    tf.dispose([x, y]);
  }
  const flat = new Float32Array(net.params.length);
  let at = 0;
  for (const name of names) {
    flat.set(params[name].dataSync(), at);
    at += params[name].size;
  }
  const w = worst(net.params, flat);
  assert.ok(
    w.error < 1e-4,
    `weights off by ${w.error} at ${w.at}: ${net.params[w.at]} vs ${flat[w.at]}`,
  );
  tf.dispose(Object.values(params));
  optimizer.dispose();
});
