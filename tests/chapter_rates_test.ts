/**
 * The rates of the chapters' schedules are pinned, bit for bit: the frozen
 * training results (`data/frozen/`) are keyed on every rate a run uses, so a
 * change to `lib/schedules` that moved one of them by a single bit would
 * orphan a record that took minutes or hours to train.
 *
 * Every chapter is run at full size with a trainer that trains nothing
 * (`fakeTrainer`); for each run a chapter asks for, the SHA-256 of the bytes
 * of `ratesFor(request.schedule, config)` (a `Float64Array`, one rate per
 * update) is compared with `testdata/chapter_rates.json`, and so is every
 * learning-rate curve the chapters draw. `LR_PIN_RATES=write deno test -A
 * tests/chapter_rates_test.ts` rewrites the file, for a change that means to
 * move the rates (and then retrains: `deno task freeze`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { chapters } from "../chapters/mod.ts";
import { fakeTrainer } from "../lib/book/_testing.ts";
import { runChapter, type Trainer } from "../lib/book/run.ts";
import { ratesFor, resolveConfig } from "../lib/train/config.ts";
import { sha256Hex } from "../lib/util/sha256.ts";

const FILE = new URL("./testdata/chapter_rates.json", import.meta.url);

/** The bytes of some rates, as the engine holds them (float64, little-endian on every host). */
function bytesOf(rates: readonly number[] | Float64Array): Uint8Array {
  const out = new Uint8Array(rates.length * 8);
  const view = new DataView(out.buffer);
  rates.forEach((rate, i) => view.setFloat64(i * 8, rate, true));
  return out;
}

/** `chapter/run name` and `chapter/cell/curve label` to the hash of their rates. */
async function chapterRates(): Promise<Record<string, string>> {
  const pins: Record<string, string> = {};
  const pin = async (key: string, rates: readonly number[] | Float64Array) => {
    const hash = `${rates.length}:${await sha256Hex(bytesOf(rates))}`;
    assert.ok(pins[key] === undefined || pins[key] === hash, `${key}: two different rate lists`);
    pins[key] = hash;
  };
  for (const chapter of chapters) {
    const fake = fakeTrainer();
    const trainer: Trainer = async (request, options) => {
      await pin(
        `${chapter.slug}/run/${request.name}`,
        ratesFor(request.schedule, resolveConfig(request)),
      );
      return fake(request, options);
    };
    const run = await runChapter(chapter, { quiet: true }, {}, trainer);
    for (const cell of run.cells) {
      for (const output of cell.outputs) {
        if (output.kind === "schedule" && output.quantity === undefined) {
          await pin(`${chapter.slug}/curve/${cell.id}/${output.label}`, output.lrs);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(pins).sort(([a], [b]) => a < b ? -1 : 1));
}

const pins = await chapterRates();

Deno.test("chapter rates: the runs and curves of every chapter keep their rates, bit for bit", async () => {
  if (Deno.env.get("LR_PIN_RATES") === "write") {
    await Deno.writeTextFile(FILE, JSON.stringify(pins, null, 2) + "\n");
  }
  const committed = JSON.parse(await Deno.readTextFile(FILE)) as Record<string, string>;
  assert.ok(Object.keys(committed).some((k) => k.includes("/run/")), "the file pins runs");
  assert.deepEqual(pins, committed);
});
