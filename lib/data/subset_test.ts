import assert from "node:assert/strict";
import { loadTestData } from "./_testing.ts";
import { NUM_CLASSES } from "./manifest.ts";
import { balancedRows, balancedSubset, packSubset, subsetSplits, unpackSubset } from "./subset.ts";
import { mulberry32 } from "../train/rng.ts";

const data = await loadTestData();

Deno.test("subset: balanced rows take each class's first items in turn", () => {
  const random = mulberry32(1);
  const labels = Int32Array.from({ length: 500 }, () => Math.floor(random() * NUM_CLASSES));
  const rows = balancedRows(labels, 20);
  assert.equal(rows.length, 200);
  for (let k = 0; k < rows.length; k++) assert.equal(labels[rows[k]], k % NUM_CLASSES);
  // In file order within a class, and each class's very first ones.
  for (let c = 0; c < NUM_CLASSES; c++) {
    const mine = [...rows].filter((_, k) => k % NUM_CLASSES === c);
    const first = [...labels.keys()].filter((i) => labels[i] === c).slice(0, 20);
    assert.deepEqual(mine, first);
  }
});

Deno.test("subset: packing round-trips any bytes, and unpacking refuses what is not a subset", async () => {
  const random = mulberry32(2);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const subset = {
    trainImages: bytes(30 * 784),
    trainLabels: bytes(30).map((b) => b % 10),
    testImages: bytes(7 * 784),
    testLabels: bytes(7).map((b) => b % 10),
  };
  const packed = await packSubset(subset);
  assert.deepEqual(await unpackSubset(packed), subset);
  await assert.rejects(
    packSubset({ ...subset, testLabels: subset.testLabels.slice(1) }),
    /6 test labels but 5488 pixels/,
  );
  const other = new Uint8Array(
    await new Response(
      new Blob([new Uint8Array(40)]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  await assert.rejects(unpackSubset(other), /not a packed Fashion-MNIST subset/);
  const damaged = packed.slice();
  damaged[damaged.length - 5] ^= 1; // gzip's CRC catches it
  await assert.rejects(unpackSubset(damaged));
});

Deno.test({
  name: "subset: of the real data, the same images, as the same floats, half the bytes",
  ignore: data === null,
  async fn() {
    const subset = balancedSubset(data!, 40, 10);
    const splits = subsetSplits(await unpackSubset(await packSubset(subset)));
    const trainRows = balancedRows(data!.train.labels, 40);
    const testRows = balancedRows(data!.test.labels, 10);
    for (
      const [split, rows, whole] of [
        [splits.train, trainRows, data!.train],
        [splits.test, testRows, data!.test],
      ] as const
    ) {
      assert.equal(split.count, rows.length);
      rows.forEach((row, k) => {
        assert.equal(split.labels[k], whole.labels[row]);
        assert.deepEqual(
          split.images.subarray(k * 784, (k + 1) * 784),
          whole.images.subarray(row * 784, (row + 1) * 784),
        );
      });
    }
    const packed = await packSubset(subset);
    const raw = subset.trainImages.length + subset.testImages.length;
    assert(packed.length < 0.6 * raw, `${packed.length} bytes for ${raw} pixels`);
  },
});
