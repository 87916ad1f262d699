import assert from "node:assert/strict";
import { nearest } from "./nearest.ts";

Deno.test("nearest: plausible typos find their name; anything else finds nothing", () => {
  assert.equal(nearest("sgrd", ["sgdr", "step", "sqrt"]), "sgdr");
  assert.equal(nearest("onecylce", ["onecycle", "cyclic"]), "onecycle");
  assert.equal(nearest("base_lr", ["baseLr", "maxLr"]), "baseLr");
  assert.equal(nearest("max-update", ["maxUpdate"]), "maxUpdate");
  assert.equal(nearest("epoch", ["epochs", "fresh", "quiet"]), "epochs"); // a flag
  assert.equal(nearest("cosin", ["intro", "cosine", "warmup"]), "cosine"); // a chapter
  assert.equal(nearest("foo", ["cosine", "cyclic"]), undefined);
  assert.equal(nearest("x", []), undefined);
  // short names allow one edit, longer ones a third of their length
  assert.equal(nearest("ab", ["xy"]), undefined);
  assert.equal(nearest("warmupstep", ["warmupSteps"]), "warmupSteps");
});
