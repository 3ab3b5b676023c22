// Batch normalization over the last axis of a [rows, cols] matrix.

import type { Slice } from '../backend.js';

export type NormalizationCall =
  | {
      /** Batch statistics; updates movingMean/movingVariance in place (moving·momentum + stat·(1 − momentum)). */
      readonly kind: 'batchNormTrain';
      readonly x: Slice;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
      /** null: γ = 1 (scale: false). */
      readonly gamma: Slice | null;
      /** null: β = 0 (center: false). */
      readonly beta: Slice | null;
      readonly movingMean: Slice;
      readonly movingVariance: Slice;
      readonly momentum: number;
      readonly epsilon: number;
      /** The batch mean and 1/√(σ² + ε), saved for the backward; null when nothing reads them. */
      readonly mean: Slice | null;
      readonly invStd: Slice | null;
    }
  | {
      readonly kind: 'batchNormInference';
      readonly x: Slice;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly gamma: Slice | null;
      readonly beta: Slice | null;
      readonly movingMean: Slice;
      readonly movingVariance: Slice;
      readonly epsilon: number;
    }
  | {
      /** dx, dγ, dβ; each null when nothing reads it. */
      readonly kind: 'batchNormBackward';
      readonly mode: 'train' | 'inference';
      readonly x: Slice;
      readonly dy: Slice;
      readonly rows: number;
      readonly cols: number;
      readonly gamma: Slice | null;
      /** train: the batch mean; inference: the moving mean. */
      readonly mean: Slice;
      /** train: the batch's 1/√(σ² + ε); inference: the moving variance. */
      readonly stat: Slice;
      readonly epsilon: number;
      readonly dx: Slice | null;
      readonly dgamma: Slice | null;
      readonly dbeta: Slice | null;
    };
