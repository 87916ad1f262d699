import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { fakeGroup, fakeRun } from "../book/_testing.ts";
import { comparisonFigure, multiplesFigure, runsFigure } from "./figures.ts";
import { MARKER_SYMBOLS } from "./line_style.ts";
import type { PlotSpec, TraceSpec } from "./figures.ts";
import { markerPath, plotSvg } from "./svg.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

/** The drawing of `spec`, parsed. */
function parse(spec: PlotSpec): Doc {
  return new DOMParser().parseFromString(`<html><body>${plotSvg(spec)}</body></html>`, "text/html");
}

const line = (extra: Partial<TraceSpec>): TraceSpec => ({
  name: "a",
  x: [1, 2, 3],
  y: [0.5, 0.6, 0.7],
  panel: 0,
  axis: "y",
  color: 0,
  format: ".2f",
  ...extra,
});

const oneSpec = (traces: TraceSpec[]): PlotSpec => ({
  kind: "comparison",
  xTitle: "epoch",
  xInteger: true,
  panels: [{ yTitle: "accuracy" }],
  traces,
  height: 360,
});

Deno.test("svg: every line is drawn with the dash and marker shape Plotly gives it", () => {
  const runs = Array.from(
    { length: 10 },
    (_, i) => fakeRun(`run ${i}`, [0.5, 0.6], [0.4 + i / 50, 0.5 + i / 50]),
  );
  const spec = comparisonFigure(runs).spec;
  const doc = parse(spec);
  const drawn = [...doc.querySelectorAll("g.svg-trace")];
  assert.equal(drawn.length, spec.traces.length, "one drawing per line");
  for (const g of drawn) {
    const t = spec.traces[Number(g.getAttribute("data-trace"))];
    // The same dash as on screen: the ninth and tenth run share colours with the first two.
    assert.equal(g.getAttribute("data-dash"), t.dash ?? "solid");
    assert.equal(g.getAttribute("data-symbol"), t.symbol, `${t.name}: its marker shape`);
    const path = g.querySelector("path");
    assert.equal(path.getAttribute("stroke-dasharray"), t.dash === "dash" ? "6 4" : null);
    // A marker at each of the two epochs.
    assert.equal(g.querySelectorAll(".svg-markers").length, 1, `${t.name}: markers drawn`);
  }
  // Told apart without colour: no two of the ten runs have the same shape and dash (runs 0
  // and 6 share a shape, runs 0 and 8 a colour; each pair differs in dash).
  const looks = runs.map((_r, i) => `${spec.traces[2 * i].symbol}/${spec.traces[2 * i].dash}`);
  assert.equal(new Set(looks).size, 10, looks.join(", "));
  // The legend shows each entry's dash and shape too.
  const legend = [...doc.querySelectorAll("g.svg-legend")];
  assert.equal(legend.length, 10);
  assert.equal(legend[8].getAttribute("data-dash"), "dash");
  assert.equal(legend[1].getAttribute("data-symbol"), MARKER_SYMBOLS[1]);
});

Deno.test("svg: each marker shape has a path, a cross stroked and the rest filled", () => {
  const shapes = MARKER_SYMBOLS.map((s) => markerPath(s, 50, 50));
  assert.equal(new Set(shapes).size, MARKER_SYMBOLS.length, "six different shapes");
  for (const d of shapes) assert.match(d, /^M\d/);
  const doc = parse(oneSpec([line({ markers: true, symbol: "x" })]));
  assert.match(doc.querySelector(".svg-markers").getAttribute("style"), /^stroke:/);
  const filled = parse(oneSpec([line({ markers: true, symbol: "diamond" })]));
  assert.match(filled.querySelector(".svg-markers").getAttribute("style"), /^fill:/);
});

Deno.test("svg: small multiples are a grid of titled panels on one pair of axes", () => {
  const runs = Array.from({ length: 5 }, (_, i) => fakeRun(`r${i}`, [0.5, 0.6], [0.4, 0.5]));
  const spec = multiplesFigure(runs, "here").spec;
  const doc = parse(spec);
  const frames = [...doc.querySelectorAll("rect.svg-frame")].map((r: Doc) => ({
    x: Number(r.getAttribute("x")),
    y: Number(r.getAttribute("y")),
  }));
  assert.equal(frames.length, 5, "a frame per panel");
  // Three columns (five runs), two rows: the grid's, not five stacked panels.
  assert.equal(new Set(frames.map((f) => f.x)).size, 3);
  assert.equal(new Set(frames.map((f) => f.y)).size, 2);
  assert.deepEqual(
    [...doc.querySelectorAll(".svg-panel-title")].map((t: Doc) => t.textContent),
    runs.map((r) => r.name),
  );
  // The axes' numbers only on the outer panels: the left axis once per row.
  const yTitles = [...doc.querySelectorAll("text.svg-title")].filter((t: Doc) =>
    t.textContent === "test accuracy"
  );
  assert.equal(yTitles.length, 2);
  // The other runs, faint: four behind each panel.
  const faint = [...doc.querySelectorAll("g.svg-trace path")].filter((p: Doc) =>
    /stroke-opacity:0\.45/.test(p.getAttribute("style"))
  );
  assert.equal(faint.length, 5 * 4);
});

Deno.test("svg: a band is a filled shape; seeds drawn only on a click are left out", () => {
  const group = fakeGroup("g", [[0.5, 0.6, 0.7], [0.52, 0.63, 0.71]]);
  const spec = runsFigure(group).spec;
  const doc = parse(spec);
  // One band per panel, filled, not two lines.
  const bands = [...doc.querySelectorAll("path.svg-band")];
  assert.equal(bands.length, 2);
  assert.match(bands[0].getAttribute("d"), /z$/);
  const drawnNames = [...doc.querySelectorAll("g.svg-trace")].map((g: Doc) =>
    spec.traces[Number(g.getAttribute("data-trace"))].name
  );
  // The means only: the seeds' own lines (hidden until clicked in Plotly) are not drawn.
  assert.deepEqual(drawnNames, ["mean of 2 seeds", "mean of 2 seeds"]);
  // A gap (a diverged epoch's null) splits a band rather than closing it across.
  const gapped = oneSpec([
    line({ band: "lower", y: [0.4, null, 0.6, 0.7], x: [1, 2, 3, 4] }),
    line({ band: "upper", y: [0.5, null, 0.7, 0.8], x: [1, 2, 3, 4] }),
  ]);
  assert.equal(parse(gapped).querySelector("path.svg-band").getAttribute("d").split("M").length, 2);
});

Deno.test("svg: a log axis leaves out what it cannot show; text is escaped", () => {
  const spec: PlotSpec = {
    ...oneSpec([line({ name: "<b>", y: [1, 0, 1e6] })]),
    panels: [{ yTitle: "loss", yLog: true }],
  };
  const svg = plotSvg(spec);
  assert.ok(svg.includes("&lt;b&gt;") && !svg.includes("<b>"), "the name as text");
  // The 0 is a gap: the line starts again after it (two moves), not a point at -infinity.
  const d = parse(spec).querySelector("g.svg-trace path").getAttribute("d");
  assert.equal(d.split("M").length - 1, 2, d);
  assert.ok(!/NaN|Infinity/.test(svg));
});
