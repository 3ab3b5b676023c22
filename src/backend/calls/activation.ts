// Elementwise activations and softmax.

import type { KernelActivation, Slice } from '../backend.js';

export type ActivationCall =
  | {
      readonly kind: 'activationForward';
      readonly activation: KernelActivation;
      readonly alpha: number;
      readonly x: Slice;
      readonly y: Slice;
      readonly n: number;
    }
  | {
      readonly kind: 'activationBackward';
      readonly activation: KernelActivation;
      readonly alpha: number;
      /** The activation's input, for the activations whose derivative needs it; null otherwise. */
      readonly x: Slice | null;
      readonly y: Slice;
      readonly dy: Slice;
      readonly dx: Slice;
      readonly n: number;
    }
  | { readonly kind: 'softmax'; readonly x: Slice; readonly y: Slice; readonly rows: number; readonly cols: number }
  | {
      readonly kind: 'softmaxBackward';
      readonly y: Slice;
      readonly dy: Slice;
      readonly dx: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  /** PReLU over [rows, cols]: y = x > 0 ? x : alpha[j]·x, one learned slope per column. */
  | {
      readonly kind: 'prelu';
      readonly x: Slice;
      readonly alpha: Slice;
      readonly y: Slice;
      readonly rows: number;
      readonly cols: number;
    }
  | {
      readonly kind: 'preluBackward';
      readonly x: Slice;
      readonly alpha: Slice;
      readonly dy: Slice;
      /** dx = dy ⊙ (x > 0 ? 1 : alpha[j]); null when not needed. */
      readonly dx: Slice | null;
      /** dalpha[j] = Σ_rows dy·x over x ≤ 0; null when not needed. */
      readonly dalpha: Slice | null;
      readonly rows: number;
      readonly cols: number;
    };
