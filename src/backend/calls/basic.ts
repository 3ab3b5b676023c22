// Elementwise arithmetic and copies.

import type { Slice } from '../backend.js';

export type BasicCall =
  | { readonly kind: 'add'; readonly a: Slice; readonly b: Slice; readonly y: Slice; readonly n: number }
  | {
      /**
       * out[0] = (accumulate ? out[0] : 0) + Σ (g + l1·sign(w) + 2·l2·w)²: a gradient's squared norm, regularizer
       * included.
       */
      readonly kind: 'gradientNormSq';
      readonly g: Slice;
      readonly w: Slice;
      readonly n: number;
      readonly l1: number;
      readonly l2: number;
      readonly accumulate: boolean;
      readonly out: Slice;
    };
