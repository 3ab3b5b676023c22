// Matrix products and the reductions of a dense layer's backward pass.

import type { KernelActivation, Slice } from '../backend.js';

export type LinearCall =
  | {
      readonly kind: 'gemm';
      /** nn: C = A·B; tn: C = Aᵀ·B with A stored [k, m]; nt: C = A·Bᵀ with B stored [n, k]. */
      readonly layout: 'nn' | 'tn' | 'nt';
      readonly m: number;
      readonly n: number;
      readonly k: number;
      readonly a: Slice;
      readonly b: Slice;
      readonly c: Slice;
      readonly bias: Slice | null;
      readonly activation: KernelActivation;
      /** The activation's parameter (leaky slope, elu alpha); 0 when it has none. */
      readonly alpha: number;
      /** Scratch for packing, `gemmScratchBytes` long. */
      readonly scratch: Slice | null;
    }
  | {
      readonly kind: 'columnSums';
      readonly rows: number;
      readonly cols: number;
      readonly x: Slice;
      readonly out: Slice;
    };
