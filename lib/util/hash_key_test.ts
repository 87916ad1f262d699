import assert from "node:assert/strict";
import { hashKey } from "./hash_key.ts";
import { sha256Hex } from "./sha256.ts";

Deno.test("hashKey: the SHA-256 of the JSON text, so equal values give equal keys", async () => {
  const parts = { lr: [0.3, 0.1], name: "cosine 0.3 → 0.01", nested: { epochs: 30 } };
  assert.equal(await hashKey(parts), await sha256Hex(JSON.stringify(parts)));
  assert.equal(await hashKey(structuredClone(parts)), await hashKey(parts));
  assert.notEqual(await hashKey({ a: 1, b: 2 }), await hashKey({ b: 2, a: 1 }));
  // A value JSON cannot show (undefined, a function) hashes as the empty text, as before.
  assert.equal(await hashKey(undefined), await sha256Hex(""));
});
