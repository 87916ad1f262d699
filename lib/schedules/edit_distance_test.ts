import assert from "node:assert/strict";
import { editDistance } from "./edit_distance.ts";

Deno.test("editDistance: insertions, deletions, substitutions and swaps cost one each", () => {
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("abc", ""), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("ab", "ba"), 1); // a swap is one edit
  assert.equal(editDistance("ca", "abc"), 3); // optimal string alignment: no edit of a swapped pair
  assert.equal(editDistance("Cosine", "cosine"), 0); // case does not count
  assert.equal(editDistance("same", "same"), 0);
});
