import assert from "node:assert/strict";
import { NUMBER_PATTERN } from "./number_pattern.ts";

Deno.test("NUMBER_PATTERN: whatever it accepts, Number() reads as a number", () => {
  const accepted = ["0", "-0", "007", "1.", ".1", "-.1", "+1e3", "1E-7", "2.5e21", "1e999"];
  for (const text of accepted) {
    assert(NUMBER_PATTERN.test(text), text);
    assert(!Number.isNaN(Number(text)), text);
  }
  // Number() reads these, but they are not numbers as typed
  const refused = [
    "",
    " ",
    "1 ",
    "0x1f",
    "0b1",
    "Infinity",
    "-Infinity",
    "1_000",
    "e5",
    "1e",
    "--1",
  ];
  for (const text of refused) assert(!NUMBER_PATTERN.test(text), JSON.stringify(text));
  // no state between calls (no g flag)
  assert(NUMBER_PATTERN.test("1") && NUMBER_PATTERN.test("1"));
});
