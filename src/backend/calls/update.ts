// Parameter updates: one fused pass per parameter tensor (regularizer gradient, clipping, decoupled
// weight decay and the optimizer's rule together). Numbers that change between steps (the learning
// rate, bias corrections) are HostScalars read when the call runs.

import type { HostScalar, Slice } from '../backend.js';

/** How the gradient the rule sees is made from the loss gradient, in Keras 3's order. */
export interface GradientTransform {
  /** Regularizer factors whose gradient (l1·sign(w) + 2·l2·w) joins g; 0 when none. */
  readonly l1: number;
  readonly l2: number;
  /** Σg² (of this tensor, or of every gradient) when clipping by norm, else null. */
  readonly normSq: Slice | null;
  /** The norm threshold c (g·c/max(‖g‖, c)); 0 when off. */
  readonly clipNorm: number;
  /** Elementwise bound |g| ≤ clipValue; Infinity when off. */
  readonly clipValue: number;
  /** Decoupled weight decay w ← w − η·wd·w; 0 when off. */
  readonly weightDecay: number;
}

interface UpdateBase {
  readonly w: Slice;
  readonly g: Slice;
  readonly n: number;
  /** Values per row of the variable seen as a matrix: its last dimension (n for a vector). */
  readonly cols: number;
  readonly learningRate: HostScalar;
  readonly transform: GradientTransform;
}

export type UpdateCall =
  | ({ readonly kind: 'sgdUpdate' } & UpdateBase)
  | ({
      readonly kind: 'momentumUpdate';
      readonly m: Slice;
      readonly momentum: number;
      readonly nesterov: boolean;
    } & UpdateBase)
  | ({ readonly kind: 'adagradUpdate'; readonly accumulator: Slice; readonly epsilon: number } & UpdateBase)
  | ({
      readonly kind: 'rmspropUpdate';
      readonly velocity: Slice;
      /** The mean gradient (centered only). */
      readonly averageGrad: Slice | null;
      /** The momentum buffer (momentum > 0 only). */
      readonly momentumBuffer: Slice | null;
      readonly rho: number;
      readonly momentum: number;
      readonly epsilon: number;
    } & UpdateBase)
  | ({
      readonly kind: 'adamUpdate';
      readonly m: Slice;
      readonly v: Slice;
      /** max of v so far (amsgrad only). */
      readonly vHat: Slice | null;
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      /** 1 − β1^t and 1 − β2^t for the step about to run. */
      readonly correction1: HostScalar;
      readonly correction2: HostScalar;
    } & UpdateBase)
  | ({
      readonly kind: 'adamaxUpdate';
      readonly m: Slice;
      readonly u: Slice;
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly correction1: HostScalar;
    } & UpdateBase)
  | ({
      readonly kind: 'nadamUpdate';
      readonly m: Slice;
      readonly v: Slice;
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      /** m̂ = mCoef·m + gCoef·g, and 1 − β2^t, for the step about to run. */
      readonly mCoef: HostScalar;
      readonly gCoef: HostScalar;
      readonly correction2: HostScalar;
    } & UpdateBase)
  | ({
      readonly kind: 'adadeltaUpdate';
      readonly accumulatedGrad: Slice;
      readonly accumulatedDelta: Slice;
      readonly rho: number;
      readonly epsilon: number;
    } & UpdateBase);
