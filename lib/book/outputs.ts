/**
 * How a cell's outputs are laid out, shared by the terminal and the site.
 *
 * @module
 */

import type { RunResult } from "../train/types.ts";
import type { Output, ScheduleOutput } from "./types.ts";

/** Schedule curves drawn together, or any other output on its own. */
export type OutputGroup =
  | { kind: "curves"; curves: ScheduleOutput[] }
  | Exclude<Output, ScheduleOutput>;

/**
 * Whether two curves can share a chart: the same unit, quantities and log axes.
 *
 * @param a A curve.
 * @param b Another.
 * @returns True when one chart can draw both.
 */
export function sameAxes(a: ScheduleOutput, b: ScheduleOutput): boolean {
  return a.unit === b.unit && a.quantity === b.quantity && a.xQuantity === b.xQuantity &&
    a.log === b.log;
}

/**
 * `outputs` in display order, consecutive schedule curves of the same unit
 * (and the same quantity and log axes) gathered into one group (one chart).
 *
 * @param outputs A cell's outputs.
 * @returns The groups.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupOutputs } from "./outputs.ts";
 * const c = (unit: "epoch" | "update") => ({ kind: "schedule" as const, label: unit, unit, steps: [0], lrs: [1] });
 * const groups = groupOutputs([c("epoch"), c("epoch"), { kind: "text", text: "x" }, c("update")]);
 * assert.deepEqual(groups.map((g) => g.kind === "curves" ? g.curves.length : g.kind), [2, "text", 1]);
 * // A log–log curve does not join a linear one.
 * assert.equal(groupOutputs([c("update"), { ...c("update"), log: "xy" }]).length, 2);
 * // Nor a curve against the rate one against the update.
 * assert.equal(groupOutputs([c("update"), { ...c("update"), xQuantity: "learning rate" }]).length, 2);
 * ```
 */
export function groupOutputs(outputs: readonly Output[]): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (const output of outputs) {
    const last = groups.at(-1);
    if (output.kind !== "schedule") groups.push(output);
    else if (last?.kind === "curves" && sameAxes(last.curves[0], output)) {
      last.curves.push(output);
    } else groups.push({ kind: "curves", curves: [output] });
  }
  return groups;
}

/** An accuracy as a percentage with two decimals, as the measured prose writes it. */
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Whether a table cell holds a number, written out or not: a number, or text
 * that starts with a digit, a sign or a dash (`"88.12%"`, `"+1.50 pp"`,
 * `"0.2345 ± 0.0012"`, `"–"`), `"NaN"`, or nothing. The terminal and the site
 * right-align a column of such cells.
 *
 * @param v The cell.
 * @returns True for a number-like cell.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isNumberLike } from "./outputs.ts";
 * assert.deepEqual(["88.12%", "−1.50 pp", "", "NaN", 3, "seed", "mean ± sd"].map(isNumberLike), [true, true, true, true, true, false, false]);
 * ```
 */
export function isNumberLike(v: string | number): boolean {
  return typeof v === "number" || /^(?:$|NaN|[\d+−–-])/.test(v);
}

/**
 * Every training run in `outputs`: `run` outputs and each seed of `runs`
 * groups, in order (references included).
 *
 * @param outputs Outputs of one or more cells.
 * @returns The runs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputRuns } from "./outputs.ts";
 * import { fakeGroup, fakeRun } from "./_testing.ts";
 * const run = fakeRun("a", [0.5], [0.4]);
 * assert.equal(outputRuns([{ kind: "run", run }, fakeGroup("g", [[0.5], [0.6]])]).length, 3);
 * ```
 */
export function outputRuns(outputs: readonly Output[]): RunResult[] {
  return outputs.flatMap((o) => (o.kind === "run" ? [o.run] : o.kind === "runs" ? o.runs : []));
}

/**
 * What a run shown only for comparison came to: its final accuracies, and
 * where it diverged if it did.
 *
 * @param run The run.
 * @returns One clause, e.g. `final train accuracy 93.62%, test accuracy 87.72%` (percentages, as
 *   everywhere the book states an accuracy).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { outcome } from "./outputs.ts";
 * const run = { divergedAt: 2, history: [{ trainAcc: 0.5, testAcc: 0.4 }] };
 * assert.equal(outcome(run as never), "final train accuracy 50.00%, test accuracy 40.00%, diverged in epoch 2");
 * ```
 */
export function outcome(run: RunResult): string {
  const last = run.history.at(-1);
  const result = last
    ? `final train accuracy ${pct(last.trainAcc)}, test accuracy ${pct(last.testAcc)}`
    : "no epoch completed";
  return result + (run.divergedAt !== null ? `, diverged in epoch ${run.divergedAt}` : "");
}
