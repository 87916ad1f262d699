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
  probeOption("plateau", make, base, "style", [T, T, T, T, T, T, R]);
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
  assert.throws(() => plateauSchedule({ baseLr: 0.1, factor: 1 }, [1]), {
    name: "RangeError",
    message: "plateauSchedule: factor (1) must be in (0, 1)",
  });
  assert.throws(() => plateauSchedule({ baseLr: 0.1 }, [1])(-1), /plateauSchedule: step \(-1\)/);
});

/** Keras 3's `ReduceLROnPlateau.on_epoch_end`, as a mutable object like the original. */
class KerasPlateau {
  lr: number;
  best: number;
  wait = 0;
  cooldownCounter = 0;
  constructor(
    lr: number,
    readonly mode: "min" | "max",
    readonly factor: number,
    readonly patience: number,
    readonly minDelta: number,
    readonly cooldown: number,
    readonly minLr: number,
  ) {
    this.lr = lr;
    this.best = mode === "min" ? Infinity : -Infinity;
  }
  better(a: number, b: number): boolean {
    return this.mode === "min" ? a < b - this.minDelta : a > b + this.minDelta;
  }
  onEpochEnd(current: number): void {
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!(this.cooldownCounter > 0)) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = this.lr;
        if (old > this.minLr) {
          this.lr = Math.max(old * this.factor, this.minLr);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

Deno.test("plateau: style keras matches a literal port of Keras's ReduceLROnPlateau", () => {
  const configs: PlateauOptions[] = [
    { baseLr: 0.1, factor: 0.5, patience: 2, threshold: 1e-3 },
    { baseLr: 1, mode: "max", factor: 0.2, patience: 1, threshold: 0.01, cooldown: 2 },
    { baseLr: 0.3, mode: "max", factor: 0.9, patience: 0, cooldown: 3, minLr: 0.1 },
    { baseLr: 0.05, factor: 0.1, patience: 4, cooldown: 1, minLr: 1e-4 },
    { baseLr: 0.2, factor: 0.5, patience: 3, threshold: 0, cooldown: 5 },
  ];
  configs.forEach((options, k) => {
    const full = plateau({ ...options, style: "keras" }).config;
    assert.equal(full.thresholdMode, "abs");
    assert.equal(full.eps, 0);
    const keras = new KerasPlateau(
      full.baseLr,
      full.mode,
      full.factor,
      full.patience,
      full.threshold,
      full.cooldown,
      full.minLr,
    );
    const seq = metrics(31 + k, 300, full.mode === "max");
    let state = plateau({ ...options, style: "keras" });
    let reductions = 0;
    for (const m of seq) {
      assert.equal(state.lr, keras.lr);
      const before = state.lr;
      state = updatePlateau(state, m);
      keras.onEpochEnd(m);
      if (state.lr < before) reductions++;
      assert.equal(state.best, keras.best);
      assert.equal(state.numBadEpochs, keras.wait);
      assert.equal(state.cooldownCounter, keras.cooldownCounter);
      assert.deepEqual(restorePlateau(JSON.parse(JSON.stringify(state))), state);
    }
    assert.ok(reductions >= 2, `config ${k} reduced at least twice`);
  });
});

Deno.test("plateau: Keras's patience p is PyTorch's p - 1 without cooldown, not with one", () => {
  for (let seed = 0; seed < 20; seed++) {
    const seq = metrics(100 + seed, 200, false);
    for (const p of [1, 2, 5]) {
      const base = { baseLr: 0.1, factor: 0.5, thresholdMode: "abs", threshold: 1e-4, eps: 0 };
      const torch = plateauRates({ ...base, patience: p - 1 } as PlateauOptions, seq);
      const keras = plateauRates({ ...base, patience: p, style: "keras" } as PlateauOptions, seq);
      assert.deepEqual(keras, torch, `seed ${seed}, patience ${p}`);
    }
  }
  // the last epoch of a cooldown: Keras already counts it (so a cooldown of 1 has no
  // effect), PyTorch only the epoch after it
  const flat = Array.from({ length: 8 }, () => 1);
  const k = { baseLr: 1, factor: 0.5, cooldown: 1, threshold: 0, eps: 0 } as const;
  assert.deepEqual(
    plateauRates({ ...k, patience: 1, style: "keras" }, flat),
    [1, 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625],
  );
  assert.deepEqual(
    plateauRates({ ...k, patience: 0, thresholdMode: "abs" }, flat),
    [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125],
  );
});

Deno.test("plateau: style keras refuses what Keras does not have", () => {
  assert.throws(() => plateau({ baseLr: 1, style: "keras", thresholdMode: "rel" }), {
    name: "RangeError",
    message: 'plateau: thresholdMode ("rel") must be "abs" for style "keras" ' +
      "(Keras's min_delta is absolute)",
  });
  assert.throws(() => plateau({ baseLr: 1, style: "keras", eps: 1e-8 }), {
    name: "RangeError",
    message: "plateau: eps (1e-8) must be in [0, 0]",
  });
  assert.throws(() => plateau({ baseLr: 1, style: "tf" as never }), {
    name: "RangeError",
    message: 'plateau: style ("tf") must be one of "pytorch", "keras"',
  });
});

Deno.test("plateau: every reachable state restores; states that cannot occur are refused", () => {
  const styles = ["pytorch", "keras"] as const;
  for (const style of styles) {
    for (let seed = 0; seed < 10; seed++) {
      const options: PlateauOptions = {
        baseLr: 0.1,
        factor: 0.5,
        patience: seed % 4,
        cooldown: seed % 3,
        minLr: seed % 2 ? 0.01 : 0,
        style,
      };
      let state = plateau(options);
      for (const m of metrics(200 + seed, 150, false)) {
        state = updatePlateau(state, m);
        assert.deepEqual(restorePlateau(JSON.parse(JSON.stringify(state))), state);
      }
    }
  }
  const fresh = plateau({ baseLr: 0.1, patience: 2, cooldown: 3 });
  const after = (n: number) => {
    let s = fresh;
    for (let i = 0; i < n; i++) s = updatePlateau(s, 1);
    return s;
  };
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...fresh, best: 1 }, /best \(1\) must be null exactly when epochs \(0\) is 0/],
    [{ ...after(1), best: null }, /best \(null\) must be null exactly when epochs \(1\) is 0/],
    [{ ...fresh, lr: 0.05 }, /before the first metric \(epochs 0\), lr must be baseLr/],
    [{ ...after(2), numBadEpochs: 3 }, /numBadEpochs \(3\) must be <= patience \(2\)/],
    [{ ...after(2), numBadEpochs: 2 }, /numBadEpochs \(2\) must be < epochs \(2\)/],
    [{ ...after(5), cooldownCounter: 4 }, /cooldownCounter \(4\) must be <= cooldown \(3\)/],
    [{ ...after(6), numBadEpochs: 1 }, /numBadEpochs \(1\) must be 0 while cooldownCounter/],
    [{ ...after(3), lr: 0.01 }, /a reduction .* needs at least 4 epochs, not 3/],
    [{ ...after(3), cooldownCounter: 1, numBadEpochs: 0 }, /needs at least 4 epochs, not 3/],
    [{ ...after(3), lr: -1 }, /lr \(-1\) must be >= 0/],
    [{ ...after(3), lr: 0.2 }, /lr \(0\.2\) must be in \[minLr, baseLr\] = \[0, 0\.1\]/],
    [
      { ...after(3), epochs: 2 ** 60 },
      /epochs \(1152921504606847000\) must be in \[0, 9007199254740991\]/,
    ],
  ];
  for (const [state, message] of bad) {
    assert.throws(() => restorePlateau(state), { name: "RangeError", message }, String(message));
    assert.throws(() => updatePlateau(state as never, 1), { name: "RangeError", message });
  }
  assert.equal(after(6).cooldownCounter, 1); // reduced at epoch 4, cooldown 3: one left
  const keras = plateau({ baseLr: 0.1, patience: 2, minLr: 0.1, style: "keras" });
  let k = keras;
  for (let i = 0; i < 6; i++) k = updatePlateau(k, 1);
  assert.equal(k.numBadEpochs, 5); // at minLr Keras never resets its wait
  assert.throws(
    () => restorePlateau({ ...k, config: { ...k.config, minLr: 0 } }),
    /numBadEpochs \(5\) reaches patience \(2\) only once lr is down to minLr \(0\), not at lr 0\.1/,
  );
});

Deno.test("plateau: a hand-made state is the library's error, not a crash", () => {
  assert.throws(() => updatePlateau({} as never, 1), {
    name: "TypeError",
    message: 'updatePlateau: state: kind (undefined) must be "plateau"',
  });
  assert.throws(() => updatePlateau(null as never, 1), {
    name: "TypeError",
    message: "updatePlateau: state: options (null) must be an object",
  });
  const s = updatePlateau(plateau({ baseLr: 0.1 }), 1);
  assert.throws(() => updatePlateau({ ...s, lr: -1 }, 1), {
    name: "RangeError",
    message: "updatePlateau: state: lr (-1) must be >= 0",
  });
  const { best: _, ...noBest } = s;
  assert.throws(() => updatePlateau(noBest as never, 1), {
    name: "TypeError",
    message: "updatePlateau: state: best is required",
  });
  // deno-lint-ignore no-sparse-arrays
  assert.throws(() => plateauRates({ baseLr: 1 }, [1, , 2] as number[]), {
    name: "TypeError",
    message: "plateauRates: metrics[1] (a hole) must be a number",
  });
  // deno-lint-ignore no-sparse-arrays
  assert.throws(() => plateauSchedule({ baseLr: 1 }, [1, , 2] as number[]), {
    name: "TypeError",
    message: "plateauSchedule: metrics[1] (a hole) must be a number",
  });
  assert.throws(() => plateauRates(null as never, [1]), {
    name: "TypeError",
    message: "plateauRates: options (null) must be an object",
  });
});
