// Matrix products with their epilogue, and column sums (assembly/gemm.ts, reductions.ts).

import type { LinearCall } from '../calls/linear.js';
import { full, row } from './compose.js';
import type { Defaults } from './types.js';

export const linearDefaults: Defaults<LinearCall> = {
  // C = act(op(A)·op(B) + bias); the packing scratch is not needed
  gemm(call, c) {
    const { layout, m, n, k, a, b, bias, activation, alpha } = call;
    const out = c.matmul(layout, m, n, k, a, b, call.c);
    if (bias) c.binary('add', full(out), row(bias), m, n, out);
    if (activation !== 'linear') c.emit({ kind: 'activationForward', activation, alpha, x: out, y: out, n: m * n });
  },

  // out_j = Σ_rows x_ij
  columnSums(call, c) {
    c.reduce('sum', 'rows', call.x, call.rows, call.cols, call.out);
  },
};
