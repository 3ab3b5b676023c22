// Random kernel calls: dropout masks drawn from a counter-based stream (element i's number depends on
// the step seed, the op's salt and i only), and the masked backward both dropouts share.

import type { HostScalar, Slice } from '../backend.js';

export type RandomCall =
  | {
      /** Inverted dropout: y = x·s where kept (s = 1/(1 − rate)), 0 where dropped. */
      readonly kind: 'dropout';
      readonly x: Slice;
      readonly y: Slice;
      /** The scale factors ∂y/∂x (s or 0), for the backward; null when nothing reads them. */
      readonly mask: Slice | null;
      readonly n: number;
      readonly rate: number;
      /** Read when the call runs: the training loop sets it before every step. */
      readonly seed: HostScalar;
      readonly salt: number;
    }
  | {
      /** Alpha dropout: kept y = a·x + b, dropped y = a·α′ + b; mask a or 0. */
      readonly kind: 'alphaDropout';
      readonly x: Slice;
      readonly y: Slice;
      readonly mask: Slice | null;
      readonly n: number;
      readonly rate: number;
      readonly a: number;
      readonly b: number;
      readonly alphaP: number;
      readonly seed: HostScalar;
      readonly salt: number;
    }
  | {
      readonly kind: 'dropoutBackward';
      readonly dy: Slice;
      readonly mask: Slice;
      readonly dx: Slice;
      readonly n: number;
    };
