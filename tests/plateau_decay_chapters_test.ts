/**
 * The chapters "plateau" and "decay", beyond what `chapters_test.ts` checks of every chapter
 * (where they sit, that each cell and measured sentence runs, quick and at full length, that
 * the plateau runs hold their images out and record the scheduler's state): the plateau chapter
 * shows that state as the library saves it, and the runs the two chapters ask for are the 15 of
 * their own and 3 of the toy problem's, by the same requests.
 */

import assert from "node:assert/strict";
import { chapters } from "../chapters/mod.ts";
import { fakeTrainer } from "../lib/book/_testing.ts";
import { freezeStatus } from "../lib/book/freeze.ts";
import { runChapter } from "../lib/book/run.ts";
import { fileCache } from "../lib/train/cache.ts";

const bySlug = (slug: string) => chapters.find((c) => c.slug === slug)!;
const mine = [bySlug("plateau"), bySlug("decay")];

Deno.test("the plateau chapter shows its scheduler's state, as the library saves it", async () => {
  const plateau = await runChapter(mine[0], { quiet: true }, {}, fakeTrainer());
  const state = plateau.results.get("plateau-state")!.find((o) => o.kind === "text");
  assert.ok(state?.kind === "text", "a text output");
  const saved = JSON.parse(state.text.slice(state.text.indexOf("\n") + 1));
  assert.equal(saved.kind, "plateau");
});

Deno.test("the runs the chapters ask deno task freeze for: 15 of their own, and 3 of the toy problem's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plateau_decay_" });
  try {
    const status = await freezeStatus(mine, fileCache(dir));
    const names = status.needed.map((r) => `${r.chapter}: ${r.name}`);
    const seeds = (chapter: string, name: string) =>
      [0, 1, 2].map((s) => `${chapter}: ${name}, seed ${s}`);
    assert.deepEqual(names, [
      ...seeds("plateau", "reduce on plateau 0.3"),
      ...seeds("plateau", "constant 0.3, 54,000 images"),
      ...seeds("plateau", "constant 0.3"), // the toy problem's baseline
      ...seeds("decay", "cosine to 0"),
      ...seeds("decay", "linear to 0"),
      ...seeds("decay", "WSD, last 6 epochs to 0"),
    ]);
    // The toy problem's request, not a copy of it: the same keys as that chapter's seeds 0–2.
    const toy = await freezeStatus([bySlug("toy-problem")], fileCache(dir));
    const baseline = status.needed.filter((r) => r.name.startsWith("constant 0.3, seed"));
    for (const run of baseline) assert.ok(toy.needed.some((t) => t.key === run.key), run.name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
