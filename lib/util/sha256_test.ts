import assert from "node:assert/strict";
import { sha256Hex } from "./sha256.ts";

Deno.test("sha256Hex: known vectors, and views into larger buffers", async () => {
  assert.equal(
    await sha256Hex(new Uint8Array()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  const buf = new TextEncoder().encode("xxabcxx");
  assert.equal(
    await sha256Hex(buf.subarray(2, 5)),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("sha256Hex: text is hashed as UTF-8", async () => {
  assert.equal(await sha256Hex(""), await sha256Hex(new Uint8Array()));
  // "η" is two bytes in UTF-8 (0xce 0xb7), not one UTF-16 unit
  assert.equal(await sha256Hex("η"), await sha256Hex(new Uint8Array([0xce, 0xb7])));
  assert.notEqual(await sha256Hex("η"), await sha256Hex(new Uint8Array([0xb7])));
});
