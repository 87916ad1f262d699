import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { parseIdxImages, parseIdxLabels } from "./idx.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
import { gzip } from "./gzip.ts";

function pixels(count: number): Uint8Array {
  return Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7) % 256);
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${err}`);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("parseIdxImages: valid file gives floats byte/255, row-major", () => {
  const raw = pixels(3);
  const { count, images } = parseIdxImages(encodeIdxImages(raw), "imgs");
  assert.equal(count, 3);
  assert.equal(images.length, 3 * 784);
  for (let i = 0; i < raw.length; i++) assert.equal(images[i], Math.fround(raw[i] / 255));
  assert.equal(Math.min(...images), 0);
  assert.equal(Math.max(...images), 1);
});

Deno.test("parseIdxImages: works on a view into a larger buffer", () => {
  const file = encodeIdxImages(pixels(1));
  const padded = new Uint8Array(file.length + 10);
  padded.set(file, 5);
  const { images } = parseIdxImages(padded.subarray(5, 5 + file.length), "view");
  assert.deepEqual(images, parseIdxImages(file, "file").images);
});

Deno.test("parseIdxImages: zero images is a valid file", () => {
  assert.equal(parseIdxImages(encodeIdxImages(new Uint8Array()), "empty").count, 0);
});

Deno.test("parseIdxImages: wrong magic number names the file and the kind", () => {
  rejects(
    () => parseIdxImages(encodeIdxLabels([1, 2]), "x/train-images-idx3-ubyte"),
    /^x\/train-images-idx3-ubyte: wrong magic number 2049 \(expected 2051 .*looks like a label file\)$/,
  );
  const bad = encodeIdxImages(pixels(1));
  bad[3] = 4;
  rejects(() => parseIdxImages(bad, "imgs"), /imgs: wrong magic number 2052 .*not an IDX file/);
});

Deno.test("parseIdxImages: gzip bytes that were not decompressed are recognised", async () => {
  const gz = await gzip(encodeIdxImages(pixels(1)));
  rejects(() => parseIdxImages(gz, "imgs.gz"), /gzip data that was not decompressed/);
});

Deno.test("parseIdxImages: wrong dimensions", () => {
  rejects(
    () => parseIdxImages(encodeIdxImages(new Uint8Array(2 * 27 * 28), 27, 28), "imgs"),
    /^imgs: images are 27x28, expected 28x28$/,
  );
});

Deno.test("parseIdxImages: truncated and overlong files", () => {
  const file = encodeIdxImages(pixels(2));
  rejects(
    () => parseIdxImages(file.subarray(0, file.length - 1), "imgs"),
    /^imgs: truncated: 1583 bytes, expected 1584 \(16-byte header \+ 2 images of 28x28\)$/,
  );
  const long = new Uint8Array(file.length + 3);
  long.set(file);
  rejects(
    () => parseIdxImages(long, "imgs"),
    /^imgs: has trailing bytes: 1587 bytes, expected 1584/,
  );
  rejects(
    () => parseIdxImages(file.subarray(0, 10), "imgs"),
    /^imgs: truncated: 10 bytes, too short/,
  );
  rejects(() => parseIdxImages(new Uint8Array(), "imgs"), /^imgs: truncated: 0 bytes/);
});

Deno.test("parseIdxImages: expected count", () => {
  const file = encodeIdxImages(pixels(2));
  assert.equal(parseIdxImages(file, "imgs", { count: 2 }).count, 2);
  rejects(
    () => parseIdxImages(file, "imgs", { count: 60000 }),
    /^imgs: holds 2 images, expected 60000$/,
  );
});

Deno.test("parseIdxLabels: valid file", () => {
  const { count, labels } = parseIdxLabels(encodeIdxLabels([0, 9, 5, 5]), "labels");
  assert.equal(count, 4);
  assert.ok(labels instanceof Int32Array);
  assert.deepEqual([...labels], [0, 9, 5, 5]);
});

Deno.test("parseIdxLabels: a label outside 0..9 names file, value and index", () => {
  const labels = new Array(100).fill(3);
  labels[57] = 12;
  rejects(
    () => parseIdxLabels(encodeIdxLabels(labels), "t10k-labels-idx1-ubyte.gz"),
    /^t10k-labels-idx1-ubyte\.gz: label 12 at index 57 is outside 0\.\.9$/,
  );
  rejects(() => parseIdxLabels(encodeIdxLabels([10]), "l"), /label 10 at index 0/);
  rejects(() => parseIdxLabels(encodeIdxLabels([255]), "l"), /label 255 at index 0/);
});

Deno.test("parseIdxLabels: wrong magic, truncated, trailing, count", () => {
  rejects(
    () => parseIdxLabels(encodeIdxImages(pixels(1)), "labels"),
    /^labels: wrong magic number 2051 \(expected 2049 .*looks like an image file\)$/,
  );
  const file = encodeIdxLabels([1, 2, 3]);
  rejects(
    () => parseIdxLabels(file.subarray(0, 10), "labels"),
    /^labels: truncated: 10 bytes, expected 11 \(8-byte header \+ 3 labels\)$/,
  );
  rejects(() => parseIdxLabels(file.subarray(0, 7), "labels"), /^labels: truncated: 7 bytes/);
  rejects(() => parseIdxLabels(new Uint8Array([...file, 0]), "labels"), /has trailing bytes/);
  rejects(
    () => parseIdxLabels(file, "labels", { count: 4 }),
    /^labels: holds 3 labels, expected 4$/,
  );
});

Deno.test("encodeIdxImages: rejects a partial image", () => {
  assert.throws(() => encodeIdxImages(new Uint8Array(785)), RangeError);
});
