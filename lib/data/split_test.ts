import assert from "node:assert/strict";
import { withTempDir } from "./_testing.ts";
import { DataError } from "./errors.ts";
import { gzip } from "./gzip.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
import { sha256Hex } from "../util/sha256.ts";
import { readSplit } from "./split.ts";

const PIXELS = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 256);
const LABELS = [4, 0, 9];

async function dataError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${err}`);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("readSplit: raw and gzipped files give the same split", async () => {
  await withTempDir(async (dir) => {
    const images = encodeIdxImages(PIXELS);
    const labels = encodeIdxLabels(LABELS);
    await Deno.writeFile(`${dir}/i`, images);
    await Deno.writeFile(`${dir}/l`, labels);
    await Deno.writeFile(`${dir}/i.gz`, await gzip(images));
    await Deno.writeFile(`${dir}/l.gz`, await gzip(labels));
    const raw = await readSplit(`${dir}/i`, `${dir}/l`, {
      count: 3,
      imagesSha256: await sha256Hex(images),
      labelsSha256: await sha256Hex(labels),
    });
    const gz = await readSplit(`${dir}/i.gz`, `${dir}/l.gz`, {
      imagesSha256: await sha256Hex(images),
    });
    assert.equal(raw.count, 3);
    assert.deepEqual([...raw.labels], LABELS);
    assert.equal(raw.images[784 + 1], Math.fround(((784 + 1) % 256) / 255));
    assert.deepEqual(gz, raw);
  });
});

Deno.test("readSplit: image and label counts must agree", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/i`, encodeIdxImages(PIXELS));
    await Deno.writeFile(`${dir}/l.gz`, await gzip(encodeIdxLabels([1, 2])));
    await dataError(
      readSplit(`${dir}/i`, `${dir}/l.gz`),
      new RegExp(`^${dir}/i: holds 3 images but ${dir}/l\\.gz holds 2 labels$`),
    );
  });
});

Deno.test("readSplit: errors name the damaged file by path", async () => {
  await withTempDir(async (dir) => {
    const images = encodeIdxImages(PIXELS);
    await Deno.writeFile(`${dir}/i`, images);
    await Deno.writeFile(`${dir}/bad.gz`, await gzip(encodeIdxLabels([1, 12, 3])));
    await dataError(
      readSplit(`${dir}/i`, `${dir}/bad.gz`),
      new RegExp(`^${dir}/bad\\.gz: label 12 at index 1 is outside 0\\.\\.9$`),
    );
    await Deno.writeFile(`${dir}/short.gz`, await gzip(images.subarray(0, images.length - 100)));
    await Deno.writeFile(`${dir}/l`, encodeIdxLabels(LABELS));
    await dataError(
      readSplit(`${dir}/short.gz`, `${dir}/l`),
      new RegExp(`^${dir}/short\\.gz: truncated: `),
    );
    await dataError(
      readSplit(`${dir}/i`, `${dir}/l`, { count: 60000 }),
      new RegExp(`^${dir}/l: holds 3 labels, expected 60000$`),
    );
    await dataError(readSplit(`${dir}/i`, `${dir}/missing`), /missing: cannot read/);
  });
});

Deno.test("readSplit: a valid file with the wrong content fails the SHA-256 check", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/i`, encodeIdxImages(PIXELS));
    await Deno.writeFile(`${dir}/l`, encodeIdxLabels(LABELS));
    await dataError(
      readSplit(`${dir}/i`, `${dir}/l`, { labelsSha256: "0".repeat(64) }),
      new RegExp(
        `^${dir}/l: content differs from the official Fashion-MNIST file ` +
          `\\(SHA-256 of the decompressed data is [0-9a-f]{64}, expected 0{64}\\)$`,
      ),
    );
  });
});
