import type { LinearCall } from '../../calls/linear.js';
import { ACTIVATION_CODES } from '../kernels.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface LinearKernels {
  gemmNN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, bias: Ptr, act: number, alpha: number, accumulate: number): void;
  gemmTN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmNT(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmScratchFloats(m: number, n: number, k: number, layout: number): number;
  peakProbe(iterations: number): number;
  columnSums(rows: number, cols: number, x: Ptr, ldx: number, out: Ptr, accumulate: number): void;
}

export const linearBinders: Binders<LinearCall> = {
  gemm(call, at, k) {
    const { m, n, k: depth } = call;
    const a = at(call.a);
    const b = at(call.b);
    const c = at(call.c);
    const acc = call.accumulate ? 1 : 0;
    const scratch = call.scratch ? at(call.scratch) : 0;
    if (call.layout === 'nn') {
      const bias = call.bias ? at(call.bias) : 0;
      const act = ACTIVATION_CODES[call.activation];
      const alpha = call.alpha;
      return () => k.gemmNN(m, n, depth, a, depth, b, n, c, n, bias, act, alpha, acc);
    }
    if (call.layout === 'tn') return () => k.gemmTN(m, n, depth, a, m, b, n, c, n, acc, scratch);
    return () => k.gemmNT(m, n, depth, a, depth, b, depth, c, n, acc, scratch);
  },
  columnSums(call, at, k) {
    const x = at(call.x);
    const out = at(call.out);
    const acc = call.accumulate ? 1 : 0;
    return () => k.columnSums(call.rows, call.cols, x, call.cols, out, acc);
  },
};
