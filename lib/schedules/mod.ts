/**
 * Learning-rate schedules: pure, composable, validated, matching PyTorch.
 *
 * A schedule is a value, `(step) => rate`, made by a factory that takes one
 * options object; `lr(t)` is the rate for the update (or epoch) that follows
 * `t` completed ones. Bigger schedules are made from small ones
 * ({@linkcode warmup}, {@linkcode join}, {@linkcode multiply},
 * {@linkcode scale}); a momentum curve is a schedule too
 * ({@linkcode onecycleMomentum}, {@linkcode cyclicMomentum}).
 * Reduce-on-plateau is the one stateful kind: an explicit JSON state record
 * and a pure {@linkcode updatePlateau}. TensorFlow.js integration lives in
 * `./tfjs.ts`.
 *
 * @example A warmup in front of a cosine
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosine, warmup } from "./mod.ts";
 * const lr = warmup(cosine({ baseLr: 0.1, maxUpdate: 90 }), { steps: 10 });
 * assert.equal(lr(0), 0);
 * assert.equal(lr(10), 0.1);
 * assert.equal(lr(100), 0);
 * ```
 *
 * @module
 */

export type { Schedule } from "./types.ts";
export { constant, type ConstantOptions } from "./constant.ts";
export { sqrt, type SqrtOptions } from "./sqrt.ts";
export { factor, type FactorOptions } from "./factor.ts";
export { step, type StepOptions } from "./step.ts";
export { multifactor, type MultifactorOptions } from "./multifactor.ts";
export { piecewiseConstant, type PiecewiseConstantOptions } from "./piecewise_constant.ts";
export { piecewiseLinear, type PiecewiseLinearOptions } from "./piecewise_linear.ts";
export { exponential, type ExponentialOptions } from "./exponential.ts";
export { inverseTime, type InverseTimeOptions } from "./inverse_time.ts";
export { cosine, type CosineOptions } from "./cosine.ts";
export { sgdr, type SgdrOptions } from "./sgdr.ts";
export { linear, type LinearOptions } from "./linear.ts";
export { poly, type PolyOptions } from "./poly.ts";
export {
  onecycle,
  onecycleMomentum,
  type OnecycleMomentumOptions,
  type OnecycleOptions,
} from "./onecycle.ts";
export {
  cyclic,
  cyclicMomentum,
  type CyclicMomentumOptions,
  type CyclicOptions,
} from "./cyclic.ts";
export {
  plateau,
  type PlateauConfig,
  type PlateauOptions,
  plateauRates,
  plateauSchedule,
  type PlateauState,
  restorePlateau,
  updatePlateau,
} from "./plateau.ts";
export { warmup, type WarmupOptions } from "./warmup.ts";
export { join } from "./join.ts";
export { scale } from "./scale.ts";
export { multiply } from "./multiply.ts";
export { custom } from "./custom.ts";
