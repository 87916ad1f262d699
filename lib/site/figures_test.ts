import assert from "node:assert/strict";
import { fakeGroup, fakeRun } from "../book/_testing.ts";
import { epochSpreads } from "../book/spread.ts";
import type { ScheduleOutput, SeedRuns } from "../book/types.ts";
import { comparisonFigure, multiplesFigure, runsFigure, scheduleFigure } from "./figures.ts";
import { lineStyle } from "./line_style.ts";

const steps = [0, 1, 10, 100];
const curve = (extra: Partial<ScheduleOutput>): ScheduleOutput => ({
  kind: "schedule",
  label: "c",
  unit: "update",
  steps,
  lrs: [0, 1, 0.1, 0.01],
  ...extra,
});

Deno.test("figures: a rate curve keeps linear axes and the learning-rate title", () => {
  const f = scheduleFigure([curve({})], "cell");
  assert.equal(f.spec.xLog, undefined);
  assert.equal(f.spec.panels[0].yLog, undefined);
  assert.equal(f.spec.panels[0].yTitle, "learning rate");
  assert.deepEqual(f.spec.traces[0].x, steps);
  assert.match(f.caption, /the learning rate in force at each update/);
  assert.doesNotMatch(f.caption, /logarithmic/);
});

Deno.test("figures: a log–log curve of another quantity says so, and drops what log axes cannot show", () => {
  const f = scheduleFigure([curve({ quantity: "error", log: "xy" })], "sim");
  assert.equal(f.spec.xLog, true);
  assert.equal(f.spec.panels[0].yLog, true);
  assert.equal(f.spec.panels[0].yTitle, "error");
  assert.deepEqual(f.spec.traces[0].x, [1, 10, 100]); // step 0 (and its value 0) left out
  assert.deepEqual(f.spec.traces[0].y, [1, 0.1, 0.01]);
  assert.match(f.caption, /^One curve computed by cell "sim" at updates 0–100: error at each/);
  assert.match(f.caption, /Both axes are logarithmic\.$/);
  assert.doesNotMatch(f.caption, /learning rate/);
});

Deno.test("figures: one log axis at a time", () => {
  const x = scheduleFigure([curve({ log: "x" })], "a"),
    y = scheduleFigure([curve({ log: "y" })], "b");
  assert.equal(x.spec.xLog, true);
  assert.equal(x.spec.panels[0].yLog, undefined);
  assert.deepEqual(x.spec.traces[0].y, [1, 0.1, 0.01]);
  assert.equal(y.spec.xLog, undefined);
  assert.equal(y.spec.panels[0].yLog, true);
  assert.deepEqual(y.spec.traces[0].x, [1, 10, 100]); // the value 0 at step 0 cannot be shown
  assert.match(x.caption, /The x axis is logarithmic/);
  assert.match(y.caption, /The y axis is logarithmic/);
});

Deno.test("figures: a loss against the rate names the rate on the x axis, in the caption too", () => {
  const rates = [0.001, 0.01, 0.1, 1];
  const f = scheduleFigure(
    [curve({ steps: rates, quantity: "loss", xQuantity: "learning rate", log: "x" })],
    "range",
  );
  assert.equal(f.spec.xTitle, "learning rate"); // not "update (minibatch)"
  assert.equal(f.spec.xInteger, false); // rates are not whole numbers: no integer ticks
  assert.deepEqual(f.spec.traces[0].x, rates);
  assert.equal(
    f.caption,
    'One curve computed by cell "range": loss against learning rate, one point per update, ' +
      "learning rate from 0.001 to 1. The x axis is logarithmic.",
  );
});

/** Five seeds of 3 epochs; seed 4 diverges in epoch 3 (its loss NaN, accuracy at chance). */
function seeded(): SeedRuns {
  const g = fakeGroup(
    "cosine",
    [0, 1, 2, 3, 4].map((s) => [0.5 + s / 100, 0.7 + s / 200, 0.8 - s / 300]),
  );
  const last = g.runs[4];
  g.runs[4] = { ...last, divergedAt: 3 };
  g.runs[4].history[2] = { ...last.history[2], trainLoss: NaN, testAcc: 0.1 };
  return g;
}

Deno.test("figures: a group over seeds draws each panel's mean with a band of mean ± sd, seeds in the legend", () => {
  const group = seeded();
  const f = runsFigure(group);
  assert.equal(f.kind, "runs");
  assert.deepEqual(f.spec.panels.map((p) => p.yTitle), ["test accuracy", "train loss"]);
  for (const [panel, metric] of [[0, "testAcc"], [1, "trainLoss"]] as const) {
    const traces = f.spec.traces.filter((t) => t.panel === panel);
    // The band's lower bound, then the upper one (which fills down to it), then the mean.
    assert.deepEqual(traces.slice(0, 3).map((t) => t.band ?? "mean"), ["lower", "upper", "mean"]);
    const [lower, upper, mean] = traces;
    const spreads = epochSpreads(group, metric);
    spreads.forEach((e, i) => {
      const s = e.spread!;
      assert.ok(Math.abs((mean.y[i] as number) - s.mean) < 1e-12);
      assert.ok(Math.abs((lower.y[i] as number) - (s.mean - s.sd!)) < 1e-12);
      assert.ok(Math.abs((upper.y[i] as number) - (s.mean + s.sd!)) < 1e-12);
    });
    assert.ok(upper.y.every((y, i) => (y as number) > (lower.y[i] as number)), "a band of width");
    // Every seed's own curve, drawn only when its legend entry is clicked.
    const seeds = traces.slice(3);
    assert.deepEqual(seeds.map((t) => t.name), [0, 1, 2, 3, 4].map((s) => `seed ${s}`));
    assert.ok(seeds.every((t) => t.hidden === true && t.band === undefined));
    assert.deepEqual(seeds.map((t) => t.showLegend), Array(5).fill(panel === 0));
    // The mean's hover lists every seed's value; the band shows in the legend once.
    assert.equal(mean.hover!.length, 3);
    assert.equal(mean.hover![0].length, 6);
    assert.equal(upper.showLegend, panel === 0);
    assert.equal(upper.name, "mean ± 1 sd");
  }
  const mean = f.spec.traces[2];
  assert.deepEqual(mean.hover![0], [
    "cosine, test accuracy: 52.00% ± 1.58 pp (mean ± sd)",
    "seed 0: 50.00%",
    "seed 1: 51.00%",
    "seed 2: 52.00%",
    "seed 3: 53.00%",
    "seed 4: 54.00%",
  ]);
  // Epoch 3 of the loss: seed 4's NaN is left out of the mean and shown as a dash.
  const loss = f.spec.traces.find((t) => t.panel === 1 && t.hover)!;
  assert.equal(loss.hover![2].at(-1), "seed 4: –");
  assert.match(loss.hover![2][0], /\(4 of 5 seeds\)/);
  assert.match(
    f.caption,
    /mean ± one standard deviation of the seeds \(the sample standard deviation, divided by n − 1\)/,
  );
  assert.match(f.caption, /click "seed 0" to draw them/);
  assert.match(f.caption, /seed 4 diverged in epoch 3/);
  assert.match(f.caption, /5 seeds \(seeds 0–4\), 3 epochs/);
  assert.deepEqual(f.table!.rows.map((r) => r[0]), [
    "0",
    "1",
    "2",
    "3",
    "4",
    "mean ± sd",
    "min–max",
  ]);
  assert.deepEqual(f.table!.numeric, [false, true, true, true, true, true]);
});

Deno.test("figures: one seed has no band, and the caption says so", () => {
  const f = runsFigure(fakeGroup("alone", [[0.5, 0.6]]));
  assert.ok(f.spec.traces.every((t) => t.band === undefined));
  assert.match(f.caption, /With one seed there is no spread to shade\./);
  assert.deepEqual(f.spec.traces.filter((t) => t.hover).map((t) => t.hover![1][0]), [
    "alone, test accuracy: 60.00% (1 seed)",
    "alone, train loss: 0.3500 (1 seed)",
  ]);
});

Deno.test("figures: the page's comparison draws groups as means with bands, one legend entry each", () => {
  const run = fakeRun("single", [0.5, 0.6], [0.45, 0.55]);
  const a = fakeGroup("a", [[0.5, 0.6], [0.52, 0.61]]),
    b = fakeGroup("b", [[0.4, 0.5], [0.42, 0.52]]);
  const f = comparisonFigure([run], [a, b]);
  const inLegend = f.spec.traces.filter((t) => t.showLegend !== false).map((t) => t.name);
  assert.deepEqual(inLegend, ["single", "a (mean of 2)", "b (mean of 2)"]);
  const bands = f.spec.traces.filter((t) => t.band === "upper");
  assert.equal(bands.length, 4, "a band per group and panel");
  f.spec.traces.forEach((t, i) => {
    if (t.band === "upper") assert.equal(f.spec.traces[i - 1].band, "lower");
  });
  assert.ok(f.spec.traces.every((t) => !t.hidden), "seeds are in each group's own figure");
  assert.match(f.caption, /all 3 experiments on this page \(1 single run and 2 over seeds\)/);
  assert.match(f.caption, /a band of mean ± 1 sd/);
  assert.deepEqual(f.table!.rows.map((r) => r[0]), [
    "single",
    "a (2 seeds, mean ± sd)",
    "b (2 seeds, mean ± sd)",
  ]);
  assert.equal(f.table!.rows[1][3], "60.50% ± 0.71 pp", "accuracies in the site's one format");
  // Without groups the caption is as it always was.
  assert.match(
    comparisonFigure([run, run]).caption,
    /of both training runs on this page\. Every run:/,
  );
});

/** `n` made-up runs, the `i`-th at a constant rate of 10^(i - 2), each with accuracies its own. */
function sweepRuns(n: number) {
  return Array.from(
    { length: n },
    (_, i) => fakeRun(`constant ${10 ** (i - 2)}`, [0.5, 0.7], [0.4 + i / 100, 0.6 + i / 100]),
  );
}

Deno.test("figures: lines differ in marker shape, then in dash, so colour is not needed", () => {
  const styles = Array.from({ length: 10 }, (_, i) => lineStyle(i));
  // The comparison of ten groups: each mean in its own style (the ninth and tenth were solid
  // in the colours of the first two, and looked like them).
  const groups = Array.from(
    { length: 10 },
    (_, i) => fakeGroup(`g${i}`, [[0.5, 0.6], [0.5, 0.61]]),
  );
  const means = comparisonFigure([], groups).spec.traces.filter((t) => t.hover && t.panel === 0);
  assert.deepEqual(
    means.map((t) => [t.symbol, t.dash]),
    styles.slice(0, 10).map((s) => [s.symbol, s.dash]),
  );
  // Schedules drawn without markers (too many steps) differ in dash.
  const long = Array.from(
    { length: 3 },
    (_, i) =>
      curve({ label: `c${i}`, steps: [...Array(100).keys()], lrs: Array(100).fill(0.1 * (i + 1)) }),
  );
  const traces = scheduleFigure(long, "long").spec.traces;
  assert.ok(traces.every((t) => !t.markers));
  assert.equal(new Set(traces.map((t) => t.dash)).size, 3);
});

Deno.test("figures: many runs of a cell are small multiples, one panel each, on shared axes", () => {
  const runs = sweepRuns(10);
  const f = multiplesFigure(runs, 'of cell "sweep"');
  assert.equal(f.kind, "multiples");
  // One titled panel per run, in a grid of at most four columns.
  assert.deepEqual(f.spec.panels.map((p) => p.title), runs.map((r) => r.name));
  assert.deepEqual(f.spec.grid, { columns: 4, rowHeight: 170 });
  for (let p = 0; p < runs.length; p++) {
    const own = f.spec.traces.filter((t) => t.panel === p && !t.context);
    // Its own run: test accuracy on the left axis, train loss dotted on the right.
    assert.deepEqual(own.map((t) => [t.name, t.axis, t.dash ?? "solid"]), [
      ["test accuracy", "y", "solid"],
      ["train loss", "y2", "dot"],
    ]);
    assert.deepEqual(own[0].y, runs[p].history.map((e) => e.testAcc));
    // Every other run, faint, for context (none of them its own).
    const context = f.spec.traces.filter((t) => t.panel === p && t.context);
    assert.equal(context.length, runs.length - 1);
    assert.deepEqual(
      context.map((t) => t.y),
      runs.filter((_r, j) => j !== p).map((r) => r.history.map((e) => e.testAcc)),
    );
  }
  // Three legend entries in all (not one per run and panel).
  assert.deepEqual(f.spec.traces.filter((t) => t.showLegend !== false).map((t) => t.name), [
    "the other runs' test accuracy",
    "test accuracy",
    "train loss",
  ]);
  // Losses of 0.5 and 0.3 span no orders of magnitude: a linear loss axis.
  assert.equal(f.spec.panels[0].y2Log, undefined);
  assert.match(f.caption, /^Each of the 10 runs of cell "sweep" in a panel of its own/);
  assert.match(f.caption, /rate set once per epoch\.$/, "stepping said once, not run by run");
  assert.equal(f.table!.rows.length, 10);
  // Four runs: two columns; none: an error that says so.
  assert.equal(multiplesFigure(sweepRuns(4), "x").spec.grid!.columns, 2);
  assert.throws(() => multiplesFigure([], 'of cell "none"'), /runs must hold at least one run/);
});

Deno.test("figures: a loss that spans orders of magnitude gets a log axis, and a diverged run says so", () => {
  const runs = sweepRuns(4);
  runs[3] = {
    ...runs[3],
    divergedAt: 2,
    history: [{ ...runs[3].history[0], trainLoss: 6e15 }, {
      ...runs[3].history[1],
      trainLoss: NaN,
    }],
  };
  const f = multiplesFigure(runs, "here");
  // 6e15 against 0.5: on a linear axis every other loss would be flat at zero.
  assert.equal(f.spec.panels.every((p) => p.y2Log === true), true);
  assert.match(f.caption, /dotted, right axis, logarithmic: the runs span orders of magnitude/);
  assert.match(f.caption, /"constant 10" diverged in epoch 2/);
  // The NaN is a gap, not a point.
  assert.equal(f.spec.traces.find((t) => t.panel === 3 && t.name === "train loss")!.y[1], null);
  // The page's comparison of the same runs: its loss axis too.
  assert.equal(comparisonFigure(runs).spec.panels[1].yLog, true);
});
