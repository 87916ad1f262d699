import assert from "node:assert/strict";
import { FASHION_MNIST_CLASSES } from "./classes.ts";
import {
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_CHECKSUM,
  FASHION_MNIST_FILES,
  IMAGE_PIXELS,
} from "./manifest.ts";
import { sha256Hex } from "../util/sha256.ts";

Deno.test("manifest: four files with sizes that match their headers", () => {
  assert.deepEqual(FASHION_MNIST_FILES.map((f) => f.key), [
    "trainImages",
    "trainLabels",
    "testImages",
    "testLabels",
  ]);
  const sizes = Object.fromEntries(FASHION_MNIST_FILES.map((f) => [f.key, f.bytes]));
  assert.equal(sizes.trainImages, 16 + 60_000 * IMAGE_PIXELS);
  assert.equal(sizes.trainLabels, 8 + 60_000);
  assert.equal(sizes.testImages, 16 + 10_000 * IMAGE_PIXELS);
  assert.equal(sizes.testLabels, 8 + 10_000);
  for (const f of FASHION_MNIST_FILES) assert.match(f.sha256, /^[0-9a-f]{64}$/);
  assert.ok(Object.isFrozen(FASHION_MNIST_FILES));
  assert.ok(FASHION_MNIST_FILES.every(Object.isFrozen));
});

Deno.test("manifest: the dataset checksum is derived from the file hashes", async () => {
  const text = FASHION_MNIST_FILES.map((f) => `${f.sha256}  ${f.name}\n`).join("");
  assert.equal(await sha256Hex(new TextEncoder().encode(text)), FASHION_MNIST_CHECKSUM);
});

Deno.test("manifest: official base URL and class names", () => {
  assert.equal(
    FASHION_MNIST_BASE_URL,
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
  );
  assert.deepEqual(FASHION_MNIST_CLASSES, [
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
});
