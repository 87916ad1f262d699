import assert from "node:assert/strict";
import type { ScheduleOutput } from "../book/types.ts";
import { scheduleFigure } from "./figures.ts";

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
