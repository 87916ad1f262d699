import assert from "node:assert/strict";
import { writeAllSync } from "./write_all.ts";

Deno.test("writeAllSync: short writes are carried on; every call gets the rest", () => {
  const calls: number[] = [];
  const got: number[] = [];
  const stream = {
    writeSync(p: Uint8Array) {
      calls.push(p.length);
      const n = Math.min(3, p.length);
      got.push(...p.subarray(0, n));
      return n;
    },
  };
  writeAllSync(stream, "ηₜ = η₀"); // 13 bytes of UTF-8, cut inside characters
  assert.equal(new TextDecoder().decode(new Uint8Array(got)), "ηₜ = η₀");
  assert.deepEqual(calls, [13, 10, 7, 4, 1]);
  calls.length = 0;
  writeAllSync(stream, new Uint8Array());
  assert.deepEqual(calls, [], "nothing to write: no call");
  writeAllSync(stream, new Uint8Array([1, 2]));
  assert.deepEqual(got.slice(-2), [1, 2]);
});
