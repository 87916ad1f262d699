import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { gunzip, gzip, isGzip, maybeGunzip, readMaybeGzip } from "./gzip.ts";

const content = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 251);

Deno.test("isGzip: by magic bytes only", () => {
  assert.equal(isGzip(new Uint8Array([0x1f, 0x8b])), true);
  assert.equal(isGzip(new Uint8Array([0x1f])), false);
  assert.equal(isGzip(new Uint8Array()), false);
  assert.equal(isGzip(new Uint8Array([0x8b, 0x1f])), false);
});

Deno.test("gunzip: round trip, and empty content", async () => {
  assert.deepEqual(await gunzip(await gzip(content), "c.gz"), content);
  assert.deepEqual(await gunzip(await gzip(new Uint8Array()), "e.gz"), new Uint8Array());
});

Deno.test("gunzip: corrupt or truncated data is a DataError naming the file", async () => {
  const gz = await gzip(content);
  const flipped = gz.slice();
  flipped[gz.length >> 1] ^= 0xff;
  for (const bad of [gz.subarray(0, gz.length >> 1), gz.subarray(0, gz.length - 4), flipped]) {
    await assert.rejects(gunzip(bad, "dir/file.gz"), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /^dir\/file\.gz: gzip data is corrupt or truncated \(/);
      return true;
    });
  }
});

Deno.test("maybeGunzip and readMaybeGzip: gz and raw give the same bytes", async () => {
  const gz = await gzip(content);
  assert.deepEqual(await maybeGunzip(gz, "x"), content);
  assert.equal(await maybeGunzip(content, "x"), content);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.gz`, gz);
    await Deno.writeFile(`${dir}/a`, content);
    await Deno.writeFile(`${dir}/misnamed.gz`, content); // detection is by content, not name
    assert.deepEqual(await readMaybeGzip(`${dir}/a.gz`), content);
    assert.deepEqual(await readMaybeGzip(`${dir}/a`), content);
    assert.deepEqual(await readMaybeGzip(`${dir}/misnamed.gz`), content);
    await assert.rejects(readMaybeGzip(`${dir}/nope`), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, new RegExp(`^${dir}/nope: cannot read \\(`));
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
