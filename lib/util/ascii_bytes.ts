/**
 * Bytes as ASCII text, seven bits a character, for binary data a page must
 * load as a script (a page opened from `file://` may not fetch its own files).
 * Base64 spends four characters on three bytes (1.33 bytes of script per
 * byte); this spends eight on seven, and with the few characters a JavaScript
 * string must escape about 1.19. The text is plain ASCII, so it reads the same
 * whatever encoding a server claims for the script.
 *
 * @module
 */

/**
 * `bytes` as text: each character holds the next seven bits (most significant
 * first), the last one padded with zeros; every character is U+0000 to U+007F.
 *
 * @param bytes Any bytes.
 * @returns `ceil(8 * n / 7)` characters.
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiToBytes, bytesToAscii } from "./ascii_bytes.ts";
 * const bytes = new Uint8Array([0, 1, 2, 253, 254, 255, 34, 92]);
 * const text = bytesToAscii(bytes);
 * assert.equal(text.length, 10);
 * assert.deepEqual(asciiToBytes(text), bytes);
 * ```
 */
export function bytesToAscii(bytes: Uint8Array): string {
  const codes = new Uint8Array(Math.ceil((bytes.length * 8) / 7));
  let acc = 0, bits = 0, at = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = ((acc << 8) | bytes[i]) & 0x7fff;
    bits += 8;
    while (bits >= 7) {
      bits -= 7;
      codes[at++] = (acc >> bits) & 0x7f;
    }
  }
  if (bits > 0) codes[at++] = (acc << (7 - bits)) & 0x7f;
  let text = "";
  for (let i = 0; i < codes.length; i += 8192) {
    text += String.fromCharCode(...codes.subarray(i, i + 8192));
  }
  return text;
}

/**
 * The bytes {@linkcode bytesToAscii} made `text` of.
 *
 * @param text Characters U+0000 to U+007F.
 * @returns `floor(7 * length / 8)` bytes.
 * @throws {RangeError} For a character above U+007F.
 */
export function asciiToBytes(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.floor((text.length * 7) / 8));
  let acc = 0, bits = 0, at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`character ${i} (U+${code.toString(16)}) is not ASCII`);
    acc = ((acc << 7) | code) & 0x7fff;
    bits += 7;
    if (bits >= 8) {
      bits -= 8;
      if (at < bytes.length) bytes[at++] = (acc >> bits) & 0xff;
    }
  }
  return bytes;
}

/**
 * ASCII text as a JavaScript string literal, in double quotes, escaping only
 * what a literal must escape (the quote, the backslash, line breaks) and NUL,
 * so that binary text stays about as long as it is.
 *
 * @param text ASCII text.
 * @returns The literal.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiLiteral } from "./ascii_bytes.ts";
 * const text = 'a"b\\c\nd\re\0f\x001\x7f';
 * const literal = asciiLiteral(text);
 * assert.equal(literal, '"a\\"b\\\\c\\nd\\re\\0f\\x001\x7f"');
 * assert.equal(new Function(`return ${literal}`)(), text);
 * ```
 */
export function asciiLiteral(text: string): string {
  // `\0` before a digit would read as an octal escape, which strict code refuses.
  const escaped = text.replace(
    /["\\\n\r]|\0([0-9]?)/g,
    (c, digit: string | undefined) => ESCAPES[c] ?? (digit ? `\\x00${digit}` : "\\0"),
  );
  return `"${escaped}"`;
}

const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r" };
