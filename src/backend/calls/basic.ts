// Elementwise arithmetic and copies.

import type { Slice } from '../backend.js';

export type BasicCall =
  | { readonly kind: 'add'; readonly a: Slice; readonly b: Slice; readonly y: Slice; readonly n: number }
  | { readonly kind: 'scale'; readonly x: Slice; readonly y: Slice; readonly n: number; readonly factor: number }
  | { readonly kind: 'copy'; readonly src: Slice; readonly dst: Slice; readonly n: number };
