import assert from "node:assert/strict";
import { LINE_DASHES, lineStyle, MARKER_SYMBOLS } from "./line_style.ts";

Deno.test("line style: the first eighteen lines all look different without colour", () => {
  const styles = Array.from({ length: 18 }, (_, i) => lineStyle(i));
  // Shape and dash together: two alike would be told apart only by colour.
  assert.equal(new Set(styles.map((s) => `${s.symbol}/${s.dash}`)).size, 18);
  // Lines of the same colour (0 and 8, 1 and 9: the palette has eight) differ in dash.
  assert.notEqual(styles[0].dash, styles[8].dash);
  assert.notEqual(styles[1].dash, styles[9].dash);
  // Every shape and dash handed out is one Plotly and the static image both draw.
  assert.ok(styles.every((s) => MARKER_SYMBOLS.includes(s.symbol) && LINE_DASHES.includes(s.dash)));
});

Deno.test("line style: a place that is not a whole number from 0 is an error that quotes it", () => {
  assert.throws(() => lineStyle(-1), /i must be a whole number from 0 \(got -1\)/);
  assert.throws(() => lineStyle(1.5), /\(got 1\.5\)/);
});
