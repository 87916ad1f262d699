import * as tf from "@tensorflow/tfjs";
import { initWasm } from "../lib/train/backend.ts";
import { initLeNet, lenet } from "../lib/train/lenet.ts";
await initWasm();
const N = Number(Deno.args[0] ?? 256);
const p = initLeNet(0);
const x = tf.randomUniform([N, 28, 28, 1]) as tf.Tensor4D;
const y = tf.oneHot(tf.randomUniform([N], 0, 10, "int32") as tf.Tensor1D, 10);
const opt = tf.train.sgd(0.1);
const step = () => {
  const { value, grads } = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, lenet(p, x)) as tf.Scalar
  );
  opt.applyGradients(grads);
  const l = value.dataSync()[0];
  tf.dispose([value, grads]);
  return l;
};
for (let i = 0; i < 5; i++) step();
const ts: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  step();
  ts.push(performance.now() - t0);
}
ts.sort((a, b) => a - b);
console.log("step ms median", ts[15].toFixed(1), "tensors", tf.memory().numTensors);
const prof = await tf.profile(() => {
  for (let i = 0; i < 10; i++) step();
});
const agg = new Map<string, number>();
for (const k of prof.kernels) {
  const n = k.name + " " + JSON.stringify(k.inputShapes);
  agg.set(n, (agg.get(n) ?? 0) + (k.kernelTimeMs as number) / 10);
}
console.log("total", [...agg.values()].reduce((a, b) => a + b, 0).toFixed(1));
console.log(
  [...agg].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(
    "\n",
  ),
);
