/**
 * What the training engine takes and gives back.
 *
 * @module
 */

import type { PlateauConfig, PlateauOptions } from "../schedules/plateau.ts";
import type { Schedule } from "../schedules/types.ts";

/** When the step counter that feeds the schedule advances. */
export type StepUnit = "epoch" | "update";

/** One training run: LeNet on Fashion-MNIST with plain minibatch SGD. */
export interface TrainRequest {
  /** A short name for the run, used in tables and figure legends. */
  name: string;
  /** The learning-rate schedule, a pure function of the step. */
  schedule: Schedule;
  /**
   * `"epoch"`: the rate is `schedule(e)` for every update of epoch `e` (0-based).
   * `"update"`: the rate of update `u` (0-based, counted over the whole run) is
   * `schedule(u)`.
   */
  stepsPer: StepUnit;
  /** Number of passes over the training data (default 30). */
  epochs?: number;
  /** Minibatch size (default 256). */
  batchSize?: number;
  /** Seed of the weight initialisation and the shuffling (default 0). */
  seed?: number;
  /** Use only the first `trainSize` training images (default: all 60,000). */
  trainSize?: number;
  /** Use only the first `testSize` test images (default: all 10,000). */
  testSize?: number;
  /** Multiply LeNet's channels and units by this (default 1, the classic net). */
  width?: number;
  /** Alter each training image every epoch: random flip and shift by up to 2 px (default false). */
  augment?: boolean;
  /**
   * Reduce the rate on a plateau of a held-out metric (none by default): after each epoch the
   * library's plateau scheduler (`lib/schedules/plateau.ts`) is fed the metric, and the rate of
   * every update of the next epoch is the smaller of the schedule's and the one the scheduler
   * has in force ({@linkcode PlateauControl}). A request without it is keyed as it always was.
   */
  plateau?: PlateauControl;
  /**
   * Also record the training loss of every update, in {@linkcode RunResult.updateLosses}
   * (default false: the per-epoch history only), for a learning-rate range test. It changes
   * no number the run computes; it is part of the run's settings only when set, so the
   * settings, and the key, of a request without it are what they were before it existed.
   */
  updateLosses?: boolean;
}

/**
 * Reduce-on-plateau for a run: which metric the scheduler watches, on which images, with which
 * options. The metric is measured after each epoch on the last `holdOut` images of the training
 * file, which the run never trains on (`trainSize` of the first ones at most remain), so the
 * decisions never see the test set the run is judged on.
 *
 * The rate of update `u` of epoch `e` (0-based) is `min(schedule's rate, lr_e)`, where `lr_e`
 * is the scheduler's rate after the metrics of epochs `0 .. e - 1` (`lr_0` is `baseLr`): with
 * a constant schedule at `options.baseLr` that is the scheduler alone, as PyTorch's
 * `ReduceLROnPlateau` stepped once per epoch on a validation metric.
 */
export interface PlateauControl {
  /** The plateau scheduler's options (`lib/schedules/plateau.ts`); its `mode` must suit `metric`. */
  options: PlateauOptions;
  /**
   * What it watches: `"loss"`, the held-out images' mean cross-entropy (lower is better: `mode`
   * `"min"`, the default), or `"accuracy"`, their accuracy (higher is better: `mode: "max"`).
   */
  metric: "loss" | "accuracy";
  /** How many images, taken from the end of the training file, are held out; an integer >= 1. */
  holdOut: number;
}

/** A run's {@linkcode PlateauControl} as it ran: every option of the scheduler filled in. */
export interface PlateauSettings {
  /** The scheduler's full configuration. */
  options: PlateauConfig;
  /** The metric it watched. */
  metric: "loss" | "accuracy";
  /** The held-out images: the last `holdOut` of the training file. */
  holdOut: number;
}

/**
 * What the plateau scheduler saw and did after one epoch: the held-out metrics, and the fields
 * of its state (`lib/schedules/plateau.ts`'s `PlateauState`) once fed the watched one.
 */
export interface PlateauEpoch {
  /** The held-out images' mean cross-entropy after the epoch. */
  heldOutLoss: number;
  /** The held-out images' accuracy after the epoch. */
  heldOutAcc: number;
  /** The scheduler's rate once fed this epoch's metric: the cap of the next epoch. */
  lr: number;
  /** The best watched metric so far. */
  best: number;
  /** Consecutive epochs without improvement, counted as the scheduler counts them. */
  numBadEpochs: number;
  /** Epochs of cooldown left. */
  cooldownCounter: number;
}

/** The metrics of one epoch. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** The rate of the epoch's first update. */
  lr: number;
  /** The rate of the epoch's last update (equal to `lr` when stepping per epoch). */
  lrLast: number;
  /** Mean training loss over the epoch's updates. */
  trainLoss: number;
  /** Training accuracy over the epoch's updates. */
  trainAcc: number;
  /** Accuracy on the test set after the epoch. */
  testAcc: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  seconds: number;
  /** Plateau runs only, and not in the epoch that diverged: what the scheduler saw and did. */
  plateau?: PlateauEpoch;
}

/** The settings a run actually used, after defaults and overrides. */
export interface RunConfig {
  /** Passes over the training data. */
  epochs: number;
  /** Minibatch size. */
  batchSize: number;
  /** Seed of the weight initialisation and the shuffling. */
  seed: number;
  /** Training images used (the first ones). */
  trainSize: number;
  /** Test images used (the first ones). */
  testSize: number;
  /** When the schedule's step counter advances. */
  stepsPer: StepUnit;
  /** Updates per epoch: `ceil(trainSize / batchSize)`. */
  updatesPerEpoch: number;
  /** LeNet's channel and unit multiplier (1 is the classic net). */
  width: number;
  /** Whether training images are flipped and shifted each epoch. */
  augment: boolean;
  /** Plateau runs only: the reduce-on-plateau settings (absent otherwise, so the key is unchanged). */
  plateau?: PlateauSettings;
  /**
   * Present, and true, only when the request asked for the loss of every update
   * ({@linkcode TrainRequest.updateLosses}); absent otherwise.
   */
  updateLosses?: true;
}

/** A finished run. */
export interface RunResult {
  /** The run's name, for tables and legends. */
  name: string;
  /** The settings it ran with. */
  config: RunConfig;
  /** One record per completed epoch (fewer than `config.epochs` if diverged). */
  history: EpochRecord[];
  /** The epoch (1-based) in which the loss became NaN or infinite, if it did. */
  divergedAt: number | null;
  /**
   * The training loss of every update, when the request asked for it
   * ({@linkcode TrainRequest.updateLosses}): `updateLosses[u]` is the mean loss over the
   * minibatch of update `u` (0-based, over the whole run), computed before that update changes
   * the weights, so it is the loss of the weights that updates `0 .. u - 1` at rates
   * `rates[0 .. u - 1]` made. A run that diverged stops before the update whose loss was not
   * finite, which is not in the list.
   */
  updateLosses?: number[];
  /** The cache key of the run. */
  key: string;
  /** True when the result was read from a store (frozen results or the run cache). */
  cached: boolean;
  /** What produced it (engine fingerprint, kernels, machine, date), when known. */
  producedBy?: Provenance;
}

/** What produced a run: the engine, its kernels and the machine. */
export interface Provenance {
  /** The engine fingerprint (./fingerprint.ts) of the code that trained it. */
  engine: string;
  /** The SHA-256 of the compiled SIMD kernels (./simd/kernels.wasm) that ran it. */
  kernels: string;
  /** The Deno version. */
  deno: string;
  /** When the run finished (ISO 8601). */
  date: string;
  /** Logical cores of the machine. */
  cores: number;
  /** Worker threads the run used. */
  workers: number;
  /** Wall-clock seconds of the whole run's epochs. */
  seconds: number;
}
