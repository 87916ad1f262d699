import assert from "node:assert/strict";
import {
  plateau,
  type PlateauOptions,
  plateauRates,
  plateauSchedule,
  type PlateauState,
  restorePlateau,
  updatePlateau,
} from "./plateau.ts";
import { probeOption, probeUnknown, R, T } from "./_testing.ts";

const make = (o: Record<string, unknown>) => plateau(o as never);
const base = { baseLr: 0.1, minLr: 0.001 };

/** PyTorch 1.13's ReduceLROnPlateau, as a mutable object like the original. */
class TorchPlateau {
  lr: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  constructor(
    lr: number,
    readonly mode: "min" | "max",
    readonly factor: number,
    readonly patience: number,
    readonly threshold: number,
    readonly thresholdMode: "rel" | "abs",
    readonly cooldown: number,
    readonly minLr: number,
    readonly eps = 1e-8,
  ) {
    this.lr = lr;
    this.best = mode === "min" ? Infinity : -Infinity;
  }
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min") return a < best - this.threshold;
    if (this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }
  step(current: number): void {
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const newLr = Math.max(this.lr * this.factor, this.minLr);
      if (this.lr - newLr > this.eps) this.lr = newLr;
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }
}

/** A deterministic pseudo-random metric sequence with plateaus and noise. */
function metrics(seed: number, n: number, rising: boolean): number[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: number[] = [];
  let level = rising ? 0.1 : 1;
  for (let i = 0; i < n; i++) {
    if (rand() < 0.3) level *= rising ? 1.05 : 0.95;
    out.push(level + (rand() - 0.5) * 0.002 * (rand() < 0.5 ? 1 : 10));
  }
  return out;
}

Deno.test("plateau: matches a literal port of PyTorch's ReduceLROnPlateau", () => {
  const configs: PlateauOptions[] = [
    { baseLr: 0.1, mode: "min", factor: 0.5, patience: 2, threshold: 1e-3, cooldown: 0 },
    { baseLr: 1, mode: "max", factor: 0.2, patience: 1, thresholdMode: "abs", threshold: 0.01 },
    { baseLr: 0.3, mode: "max", factor: 0.9, patience: 0, cooldown: 3, minLr: 0.1 },
    { baseLr: 0.05, mode: "min", factor: 0.1, patience: 4, thresholdMode: "abs", cooldown: 1 },
    { baseLr: 4e-8, factor: 0.5, patience: 0, threshold: 0 }, // the eps rule bites at 2e-8
  ];
  configs.forEach((options, k) => {
    const full = plateau(options).config;
    const torch = new TorchPlateau(
      full.baseLr,
      full.mode,
      full.factor,
      full.patience,
      full.threshold,
      full.thresholdMode,
      full.cooldown,
      full.minLr,
    );
    const seq = metrics(17 + k, 300, full.mode === "max");
    let state = plateau(options);
    for (const m of seq) {
      assert.equal(state.lr, torch.lr);
      state = updatePlateau(state, m);
      torch.step(m);
      assert.equal(state.best, torch.best);
      assert.equal(state.numBadEpochs, torch.numBadEpochs);
      assert.equal(state.cooldownCounter, torch.cooldownCounter);
    }
    assert.ok(state.lr < full.baseLr, `config ${k} reduced at least once`);
  });
});

Deno.test("plateau: the eps rule skips reductions of eps or less", () => {
  let s = plateau({ baseLr: 1.5e-8, factor: 0.1, patience: 0 });
  s = updatePlateau(s, 1); // best = 1
  s = updatePlateau(s, 1); // bad: 1.5e-8 -> 1.5e-9 (a change of 1.35e-8 > 1e-8)
  assert.ok(Math.abs(s.lr - 1.5e-9) < 1e-24);
  s = updatePlateau(s, 1); // bad: the change 1.35e-9 is below eps, skipped
  assert.ok(Math.abs(s.lr - 1.5e-9) < 1e-24);
});

Deno.test("plateau: hand-checked max mode with cooldown and a floor", () => {
  const rates = plateauRates(
    { baseLr: 1, mode: "max", factor: 0.5, patience: 1, cooldown: 1, minLr: 0.3 },
    [0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6],
  );
  // bad epochs at 2, 3 -> reduce after 3; cooldown eats 4; 5, 6 bad -> reduce after 6; ...
  assert.deepEqual(rates, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3]);
});

Deno.test("plateau: states are frozen plain JSON and update is pure", () => {
  const s0 = plateau({ baseLr: 0.1, patience: 0 });
  const before = JSON.stringify(s0);
  const s1 = updatePlateau(s0, 0.5);
  const s2 = updatePlateau(s1, 0.5);
  assert.equal(JSON.stringify(s0), before);
  assert.ok(Object.isFrozen(s0) && Object.isFrozen(s1) && Object.isFrozen(s0.config));
  assert.deepEqual(updatePlateau(s1, 0.5), s2);
  assert.deepEqual(JSON.parse(JSON.stringify(s2)), s2);
  assert.equal(s0.best, null);
  assert.equal(s2.epochs, 2);
});

Deno.test("plateau: a run saved as JSON and resumed gives the same rates", () => {
  const options: PlateauOptions = { baseLr: 0.1, factor: 0.5, patience: 2, cooldown: 1 };
  const seq = metrics(5, 120, false);
  const whole = plateauRates(options, seq);
  let state: PlateauState = plateau(options);
  const resumed: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (i % 17 === 0) state = restorePlateau(JSON.parse(JSON.stringify(state)));
    resumed.push(state.lr);
    state = updatePlateau(state, seq[i]);
  }
  assert.deepEqual(resumed, whole);
  assert.deepEqual(plateauRates(plateau(options), seq), whole); // from a state, too
});

Deno.test("plateau: refuses non-finite metrics and bad saved states", () => {
  const s = plateau({ baseLr: 0.1 });
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => updatePlateau(s, bad), {
      name: "RangeError",
      message: `updatePlateau: metric (${bad}) must be a finite number`,
    });
  }
  assert.throws(() => updatePlateau(s, "0.5" as unknown as number), {
    name: "TypeError",
    message: 'updatePlateau: metric ("0.5") must be a number',
  });
  for (const fine of [-1, 0, 2.5]) assert.equal(updatePlateau(s, fine).best, fine);
  const good = JSON.parse(JSON.stringify(updatePlateau(s, 1)));
  assert.deepEqual(restorePlateau(good), updatePlateau(s, 1));
  assert.throws(() => restorePlateau({ ...good, kind: "cosine" }), /kind \("cosine"\)/);
  assert.throws(() => restorePlateau({ ...good, lr: 5 }), /lr \(5\) must be in \[minLr, baseLr\]/);
  assert.throws(() => restorePlateau({ ...good, numBadEpochs: 1.5 }), RangeError);
  assert.throws(() => restorePlateau({ ...good, best: "x" }), TypeError);
  assert.throws(() => restorePlateau({ ...good, extra: 1 }), /unknown option "extra"/);
  assert.throws(() => restorePlateau({ ...good, config: { ...good.config, factor: 2 } }), {
    name: "RangeError",
    message: "restorePlateau: config: factor (2) must be in (0, 1)",
  });
});

Deno.test("plateau: validates every option", () => {
  probeOption("plateau", make, base, "baseLr", [R, R, R, R, R, "ok", T]); // 0 < minLr
  probeOption("plateau", make, base, "mode", [T, T, T, T, T, T, R]);
  probeOption("plateau", make, base, "factor", [R, R, R, R, R, R, T]);
  probeOption("plateau", make, base, "patience", [R, R, R, R, "ok", R, T]);
  probeOption("plateau", make, base, "threshold", [R, R, R, R, "ok", "ok", T]);
  probeOption("plateau", make, base, "thresholdMode", [T, T, T, T, T, T, R]);
  probeOption("plateau", make, base, "cooldown", [R, R, R, R, "ok", R, T]);
  probeOption("plateau", make, base, "minLr", [R, R, R, R, "ok", R, T]); // 2.5 > baseLr
  probeOption("plateau", make, base, "eps", [R, R, R, R, "ok", "ok", T]);
  assert.throws(() => make({ baseLr: 0.1, factor: 1 }), {
    name: "RangeError",
    message: "plateau: factor (1) must be in (0, 1)",
  });
  probeUnknown("plateau", make, base, "min_lr", "minLr");
  probeUnknown("plateau", make, base, "threshold_mode", "thresholdMode");
});

Deno.test("plateauSchedule: replays plateauRates, then holds the last rate; pure", () => {
  const options = { baseLr: 0.2, factor: 0.5, patience: 1, cooldown: 1, minLr: 0.01 };
  const metrics = [1, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];
  const lr = plateauSchedule(options, metrics);
  const replay = plateauRates(options, [...metrics, 0]);
  // out of order and repeated: the same values
  for (const t of [12, 3, 0, 7, 3, 11, 12]) assert.equal(lr(t), replay[t], `step ${t}`);
  let state = plateau(options);
  for (const m of metrics) state = updatePlateau(state, m);
  assert.equal(lr(100), state.lr);
  assert.equal(lr(2.5), lr(2));
  assert.equal(plateauSchedule(options, [])(5), 0.2);
});

Deno.test("plateauSchedule: refuses bad metrics, bad options and bad steps, naming them", () => {
  assert.throws(() => plateauSchedule({ baseLr: 0.1 }, [1, NaN]), {
    name: "RangeError",
    message: "plateauSchedule: metrics[1] (NaN) must be a finite number",
  });
  assert.throws(() => plateauSchedule({ baseLr: 0.1 }, [1, "2" as unknown as number]), {
    name: "TypeError",
    message: 'plateauSchedule: metrics[1] ("2") must be a number',
  });
  assert.throws(() => plateauSchedule({ baseLr: 0.1 }, "1,2" as unknown as number[]), {
    name: "TypeError",
    message: 'plateauSchedule: metrics ("1,2") must be an array of numbers',
  });
  assert.throws(() => plateauSchedule({ baseLr: 0.1, factor: 1 }, [1]), /plateau: factor \(1\)/);
  assert.throws(() => plateauSchedule({ baseLr: 0.1 }, [1])(-1), /plateauSchedule: step \(-1\)/);
});
