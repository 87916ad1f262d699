/**
 * A content key: the hash of anything JSON can serialise.
 *
 * @module
 */

import { sha256Hex } from "./sha256.ts";

/**
 * The hex SHA-256 of `parts` serialised as JSON: the key of a cached run or
 * of a built page, which changes whenever anything in `parts` does.
 *
 * @param parts Anything JSON can serialise (key order counts).
 * @returns 64 hex digits.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashKey } from "./hash_key.ts";
 * const a = await hashKey({ lr: 0.3 }), b = await hashKey({ lr: 0.1 });
 * assert(a.length === 64 && a !== b);
 * ```
 */
export function hashKey(parts: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(JSON.stringify(parts)));
}
