/**
 * Runs over seeds: one experiment trained once per seed, as one group.
 *
 * One run per schedule cannot tell a schedule's effect from the luck of its
 * initialisation and shuffling, which the seed sets. So an experiment is a
 * {@linkcode SeedRuns} group: the same request trained over several seeds
 * (`0, 1, 2, 3, 4` by default), the seed the only thing that varies. Its
 * statistics are in `./spread.ts`, its comparisons in `./verdict.ts`, its
 * tables in `./spread_table.ts`.
 *
 * A cell trains a group with `ctx.trainSeeds(request)` (the
 * {@linkcode CellContext}'s, which calls {@linkcode trainSeeds}) and returns
 * it as an output; prose reads it back with {@linkcode groupOf}.
 *
 * @module
 */

import type { RunResult, TrainRequest } from "../train/types.ts";
import { FULL_EPOCHS, isQuick, settingsText } from "./measure.ts";
import type { Output, RunOptions, RunsOutput, SeedRuns } from "./types.ts";

/** The seeds of an experiment unless a cell says otherwise: five, from 0. */
export const DEFAULT_SEEDS: readonly number[] = Object.freeze([0, 1, 2, 3, 4]);

/**
 * The seeds a cell trains under `options`: `0 .. options.seeds - 1` when the
 * command line gave `--seeds`, else the cell's own.
 *
 * @param options The chapter's run options.
 * @param seeds The cell's seeds (default {@linkcode DEFAULT_SEEDS}).
 * @returns The seeds to train.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedsFor } from "./seeds.ts";
 * assert.deepEqual(seedsFor({}), [0, 1, 2, 3, 4]);
 * assert.deepEqual(seedsFor({ seeds: 2 }, [7, 8, 9]), [0, 1]);
 * ```
 */
export function seedsFor(options: RunOptions, seeds: readonly number[] = DEFAULT_SEEDS): number[] {
  return options.seeds !== undefined
    ? Array.from({ length: options.seeds }, (_, i) => i)
    : [...seeds];
}

/**
 * The seeds of a group's runs, in the group's order.
 *
 * @param group The group.
 * @returns One seed per run.
 */
export function seedsOf(group: SeedRuns): number[] {
  return group.runs.map((r) => r.config.seed);
}

/**
 * Seeds in words: `"seed 3"`, `"seeds 0–4"` (consecutive), `"seeds 0, 2 and 5"`.
 *
 * @param seeds The seeds.
 * @returns The phrase.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedsText } from "./seeds.ts";
 * assert.equal(seedsText([0, 1, 2, 3, 4]), "seeds 0–4");
 * assert.equal(seedsText([5, 0, 2]), "seeds 0, 2 and 5");
 * assert.equal(seedsText([3]), "seed 3");
 * ```
 */
export function seedsText(seeds: readonly number[]): string {
  const s = [...seeds].sort((a, b) => a - b);
  if (s.length === 1) return `seed ${s[0]}`;
  const consecutive = s.length > 2 && s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  return consecutive
    ? `seeds ${s[0]}–${s.at(-1)}`
    : `seeds ${s.slice(0, -1).join(", ")} and ${s.at(-1)}`;
}

/** The settings of a run other than its seed, as comparable text. */
function settingsKey(run: RunResult): string {
  const { seed: _seed, ...rest } = run.config;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Check that `runs` make a group: at least one run, each seed once, and the
 * same settings and rates (every epoch both runs completed) apart from the seed.
 * A plateau run's rates are decided by its own metrics (`lib/train/plateau.ts`),
 * so they may differ from seed to seed; its settings, the scheduler's among
 * them, may not.
 *
 * @param label The group's label (for messages).
 * @param runs The runs.
 * @throws {RangeError} naming the group and the first run that does not fit.
 */
export function checkGroup(label: string, runs: readonly RunResult[]): void {
  if (runs.length === 0) throw new RangeError(`group "${label}": no runs`);
  const seen = new Set<number>();
  const [first] = runs;
  for (const run of runs) {
    const seed = run.config.seed;
    if (seen.has(seed)) throw new RangeError(`group "${label}": seed ${seed} twice`);
    seen.add(seed);
    if (settingsKey(run) !== settingsKey(first)) {
      throw new RangeError(
        `group "${label}": "${run.name}" (seed ${seed}) was run with other settings than ` +
          `"${first.name}" (seed ${first.config.seed}); only the seed may differ`,
      );
    }
    const n = first.config.plateau ? 0 : Math.min(run.history.length, first.history.length);
    for (let i = 0; i < n; i++) {
      const a = run.history[i], b = first.history[i];
      if (a.lr !== b.lr || a.lrLast !== b.lrLast) {
        throw new RangeError(
          `group "${label}": "${run.name}" (seed ${seed}) trained epoch ${i + 1} at another ` +
            `rate (${a.lr}) than "${first.name}" (${b.lr}); only the seed may differ`,
        );
      }
    }
  }
}

/**
 * Runs over seeds as an output, checked ({@linkcode checkGroup}).
 *
 * @param label The experiment's name.
 * @param runs One run per seed.
 * @param reference True for a group shown only to compare against.
 * @returns The output.
 * @throws {RangeError} when the runs do not make a group.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedGroup } from "./seeds.ts";
 * import { fakeRun } from "./_testing.ts";
 * const runs = [0, 1].map((seed) => fakeRun(`a, seed ${seed}`, [0.5], [0.4], undefined, { seed }));
 * assert.equal(seedGroup("a", runs).runs.length, 2);
 * assert.throws(() => seedGroup("a", [runs[0], runs[0]]), /seed 0 twice/);
 * ```
 */
export function seedGroup(label: string, runs: RunResult[], reference = false): RunsOutput {
  checkGroup(label, runs);
  return reference ? { kind: "runs", label, runs, reference } : { kind: "runs", label, runs };
}

/**
 * The runs of some of a group's seeds, as a group of their own: a group
 * trained over five seeds reused where an experiment needs only two of them,
 * without training them again.
 *
 * @param group The group.
 * @param seeds The seeds to keep, each of them one of the group's.
 * @param label The new group's label (default: the group's).
 * @param reference True for a group shown only to compare against.
 * @returns The group of those seeds' runs, in the order of `seeds`.
 * @throws {RangeError} when the group has no run of one of the seeds.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pickSeeds } from "./seeds.ts";
 * import { fakeGroup } from "./_testing.ts";
 * const two = pickSeeds(fakeGroup("a", [[0.5], [0.6], [0.7]]), [2, 0], "a, two seeds");
 * assert.deepEqual(two.runs.map((r) => r.config.seed), [2, 0]);
 * assert.equal(two.label, "a, two seeds");
 * ```
 */
export function pickSeeds(
  group: SeedRuns,
  seeds: readonly number[],
  label: string = group.label,
  reference = false,
): RunsOutput {
  const runs = seeds.map((seed) => {
    const run = group.runs.find((r) => r.config.seed === seed);
    if (run === undefined) {
      throw new RangeError(
        `pickSeeds: group "${group.label}" has no run of seed ${seed} ` +
          `(it has ${seedsText(seedsOf(group))})`,
      );
    }
    return run;
  });
  return seedGroup(label, runs, reference);
}

/**
 * Train `request` once per seed. The schedule is evaluated once per step and
 * the same rates go to every seed (so even a schedule that keeps state gives
 * every seed the same rates; a plateau request's scheduler then cuts them
 * seed by seed, from each run's own metrics); each run is named
 * `"<name>, seed <s>"`.
 *
 * @param train The cell's `ctx.train` (or any trainer of one request).
 * @param request What to run; it must not set `seed`.
 * @param seeds The seeds, each once (default {@linkcode DEFAULT_SEEDS}).
 * @param label The group's label (default: the request's name).
 * @returns The group as an output, runs in the order of `seeds`.
 * @throws {RangeError} when `request` sets a seed, `seeds` is empty or repeats
 *   one, or the trainer's runs differ in anything but the seed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainSeeds } from "./seeds.ts";
 * import { fakeTrainer } from "./_testing.ts";
 * const trainer = fakeTrainer();
 * const group = await trainSeeds((r) => trainer(r, {}), { name: "c", schedule: () => 0.1, stepsPer: "epoch", epochs: 3 });
 * assert.deepEqual(group.runs.map((r) => r.config.seed), [0, 1, 2, 3, 4]);
 * assert.equal(group.runs[2].name, "c, seed 2");
 * ```
 */
export async function trainSeeds(
  train: (request: TrainRequest) => Promise<RunResult>,
  request: TrainRequest,
  seeds: readonly number[] = DEFAULT_SEEDS,
  label: string = request.name,
): Promise<RunsOutput> {
  if (request.seed !== undefined) {
    throw new RangeError(
      `trainSeeds: the request "${request.name}" sets seed ${request.seed}; ` +
        `the seeds come from the list (${seeds.join(", ")})`,
    );
  }
  if (seeds.length === 0) throw new RangeError(`trainSeeds: no seeds for "${request.name}"`);
  if (new Set(seeds).size !== seeds.length) {
    throw new RangeError(`trainSeeds: a seed repeats in ${seeds.join(", ")}`);
  }
  const rates = new Map<number, number>();
  const { schedule } = request;
  const same = (step: number) => {
    if (!rates.has(step)) rates.set(step, schedule(step));
    return rates.get(step)!;
  };
  const runs: RunResult[] = [];
  for (const seed of seeds) {
    const run = await train({
      ...request,
      name: `${request.name}, seed ${seed}`,
      schedule: same,
      seed,
    });
    if (run.config.seed !== seed) {
      throw new RangeError(
        `trainSeeds: asked for seed ${seed} of "${request.name}", got a run of seed ${run.config.seed}`,
      );
    }
    runs.push(run);
  }
  return seedGroup(label, runs);
}

/**
 * The groups a cell produced (its `runs` outputs, in order).
 *
 * @param results The results map prose functions receive.
 * @param id The cell's id.
 * @returns The groups, possibly none.
 */
export function groupsOf(
  results: ReadonlyMap<string, readonly Output[]>,
  id: string,
): RunsOutput[] {
  return (results.get(id) ?? []).flatMap((o) => (o.kind === "runs" ? [o] : []));
}

/**
 * The group a cell produced.
 *
 * @param results The results map prose functions receive.
 * @param id The cell's id.
 * @param label The group's label, when the cell produced several.
 * @returns The group.
 * @throws {Error} if the cell has not run or produced no such group.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupOf, seedGroup } from "./seeds.ts";
 * import { fakeRun } from "./_testing.ts";
 * const group = seedGroup("a", [fakeRun("a, seed 0", [0.5], [0.4])]);
 * assert.equal(groupOf(new Map([["cell", [group]]]), "cell"), group);
 * assert.throws(() => groupOf(new Map(), "cell"), /no group from cell "cell"/);
 * ```
 */
export function groupOf(
  results: ReadonlyMap<string, readonly Output[]>,
  id: string,
  label?: string,
): RunsOutput {
  const group = groupsOf(results, id).find((g) => label === undefined || g.label === label);
  if (group === undefined) {
    throw new Error(
      `no group ${label === undefined ? "" : `"${label}" `}from cell "${id}": ` +
        `prose must come after the cell it quotes`,
    );
  }
  return group;
}

/**
 * What a group was, in words, for the top of a chapter's measured prose (the
 * group counterpart of `./measure.ts`'s `scope`): its seeds and settings; for
 * quick runs, a warning that the claims are about the full runs; for one
 * seed, that one seed gives no spread and no verdict.
 *
 * @param group The group (its runs differ only in seed).
 * @returns One or two sentences of Markdown, in italics.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupScope } from "./seeds.ts";
 * import { fakeGroup } from "./_testing.ts";
 * assert.match(groupScope(fakeGroup("a", [[0.5], [0.6]])), /^\*These numbers come from quick runs over 2 seeds \(seeds 0 and 1\)/);
 * ```
 */
export function groupScope(group: SeedRuns): string {
  const [first] = group.runs;
  const n = group.runs.length;
  const seeds = `${n} seed${n === 1 ? "" : "s"} (${seedsText(seedsOf(group))})`;
  const one = n === 1
    ? " One seed gives no spread, so no comparison below can reach a verdict."
    : "";
  return isQuick(first)
    ? `*These numbers come from quick runs over ${seeds}: ${settingsText(first)}; the claims ` +
      `below are about the full runs of ${FULL_EPOCHS} epochs on all the data, and quick runs ` +
      `are too short to settle them.${one}*`
    : `*Measured over ${seeds} of the full run: ${settingsText(first)}.${one}*`;
}

/**
 * The seeds that diverged in each of some groups, in words: `"multi-factor
 * 0.5 (seeds 0–4)"`, one entry per group with a diverged run; a run already
 * named under an earlier group (the same run reused) is not named again.
 *
 * @param groups The groups.
 * @returns One entry per group with a diverged run, in the order of `groups`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { divergedSeeds, seedGroup } from "./seeds.ts";
 * import { fakeRun } from "./_testing.ts";
 * const runs = [0, 1].map((seed) => ({ ...fakeRun(`a, seed ${seed}`, [0.1], [0.1], undefined, { seed }), divergedAt: seed === 1 ? 1 : null }));
 * assert.deepEqual(divergedSeeds([seedGroup("a", runs)]), ["a (seed 1)"]);
 * ```
 */
export function divergedSeeds(groups: readonly SeedRuns[]): string[] {
  const named = new Set<string>();
  return groups.flatMap((g) => {
    const runs = g.runs.filter((r) => r.divergedAt !== null && !named.has(r.key));
    for (const r of runs) named.add(r.key);
    return runs.length ? [`${g.label} (${seedsText(runs.map((r) => r.config.seed))})`] : [];
  });
}
