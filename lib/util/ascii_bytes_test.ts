import assert from "node:assert/strict";
import { asciiLiteral, asciiToBytes, bytesToAscii } from "./ascii_bytes.ts";
import { mulberry32 } from "../train/rng.ts";

Deno.test("ascii_bytes: every length and every byte round-trip, as ASCII, 8 characters per 7 bytes", () => {
  const random = mulberry32(3);
  for (let n = 0; n < 64; n++) {
    const bytes = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const text = bytesToAscii(bytes);
    assert.equal(text.length, Math.ceil((8 * n) / 7));
    assert.match(text, /^[\0-\x7f]*$/);
    assert.deepEqual(asciiToBytes(text), bytes, `${n} bytes`);
  }
  const all = Uint8Array.from({ length: 256 * 40 }, (_, i) => i % 256);
  assert.deepEqual(asciiToBytes(bytesToAscii(all)), all);
  // Every one of the 128 characters is used.
  assert.equal(new Set(bytesToAscii(all)).size, 128);
  assert.throws(() => asciiToBytes("ab\u00e9"), /character 2 \(U\+e9\) is not ASCII/);
});

Deno.test("ascii_bytes: the literal reads back as the text, and is barely longer", () => {
  const random = mulberry32(4);
  const bytes = Uint8Array.from({ length: 70_000 }, () => Math.floor(random() * 256));
  const text = bytesToAscii(bytes);
  const literal = asciiLiteral(text);
  assert.equal(new Function(`"use strict"; return ${literal};`)(), text);
  // 8/7 for the packing, about 4% for the five characters escaped: well under base64's 4/3.
  const perByte = literal.length / bytes.length;
  assert(perByte < 1.2, `${perByte} characters per byte`);
  // Every NUL before a digit is written so that strict code reads it.
  const tricky = "\x000\x00\x009\x00";
  assert.equal(new Function(`"use strict"; return ${asciiLiteral(tricky)};`)(), tricky);
});
