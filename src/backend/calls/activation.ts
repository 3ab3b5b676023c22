// Elementwise activations and softmax.

import type { KernelActivation, Slice } from '../backend.js';

export type ActivationCall =
  | { readonly kind: 'activationForward'; readonly activation: KernelActivation; readonly alpha: number; readonly x: Slice; readonly y: Slice; readonly n: number }
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
  | { readonly kind: 'softmaxBackward'; readonly y: Slice; readonly dy: Slice; readonly dx: Slice; readonly rows: number; readonly cols: number };
