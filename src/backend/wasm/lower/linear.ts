import type { LinearCall } from '../../calls/linear.js';
import { ACTIVATION_CODES } from '../kernels.js';
import { byColumns, gemmSplit, ownsColumns } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface LinearKernels {
  gemmNN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, bias: Ptr, act: number, alpha: number, accumulate: number): void;
  gemmTN(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmNT(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number, c: Ptr, ldc: number, accumulate: number, pack: Ptr): void;
  gemmScratchFloats(m: number, n: number, k: number, layout: number): number;
  peakProbe(iterations: number): number;
  columnSums(rows: number, cols: number, x: Ptr, ldx: number, out: Ptr, accumulate: number): void;
}

// Argument positions of the GEMM exports: (m, n, k, a, lda, b, ldb, c, ldc, ...).
const M = 0, N = 1, A = 3, B = 5, C = 7;

export const linearLowerers: Lowerers<LinearCall> = {
  gemm(call, l) {
    const { m, n, k: depth } = call;
    const a = l.at(call.a);
    const b = l.at(call.b);
    const c = l.at(call.c);
    const acc = 0;
    const scratch = call.scratch ? l.at(call.scratch) : 0;
    if (call.layout === 'nn') {
      // C = A·B: rows of A and C, or columns of B, C and the bias.
      const bias = call.bias ? l.at(call.bias) : 0;
      const args = [m, n, depth, a, depth, b, n, c, n, bias, ACTIVATION_CODES[call.activation], call.alpha, acc];
      const colOffsets: [number, number][] = [[B, 4], [C, 4]];
      if (bias) colOffsets.push([9, 4]);
      // X·W with a large W next to the batch: by W's columns, which its gradient and update own too.
      const rowOffsets: [number, number][] = [[A, depth * 4], [C, n * 4]];
      const rows = ownsColumns(l.threads, m, depth, n) ? null : { sizeArg: M, offsets: rowOffsets, align: 1 };
      const split = gemmSplit(m, n, depth, l.threads, rows, { sizeArg: N, offsets: colOffsets });
      return l.call('gemmNN', args, split);
    }
    if (call.layout === 'tn') {
      // C = Aᵀ·B, A stored [k×m]: rows of C are columns of A (6-row blocks keep the packed panels
      // whole). The gradient Xᵀ·dY of a weight with column owners: by columns of C (columns of B), A
      // read in place by every thread (packed, each thread would pack all of it; in place measured
      // as fast here).
      if (ownsColumns(l.threads, depth, m, n)) {
        l.columnOwned.add(c);
        const args = [m, n, depth, a, m, b, n, c, n, acc, 0];
        return l.call('gemmTN', args, gemmSplit(m, n, depth, l.threads, null, { sizeArg: N, offsets: [[B, 4], [C, 4]] }));
      }
      const args = [m, n, depth, a, m, b, n, c, n, acc, scratch];
      const split = gemmSplit(m, n, depth, l.threads, { sizeArg: M, offsets: [[A, 4], [C, n * 4]], align: 6 }, null, scratch ? { arg: 10 } : undefined);
      return l.call('gemmTN', args, split);
    }
    // C = A·Bᵀ, B stored [n×k]: 8-column strips of C are 8-row strips of B, each packed by its thread.
    const args = [m, n, depth, a, depth, b, depth, c, n, acc, scratch];
    const split = gemmSplit(m, n, depth, l.threads, null, { sizeArg: N, offsets: [[B, depth * 4], [C, 4]] }, { arg: 10 });
    return l.call('gemmNT', args, split);
  },
  columnSums(call, l) {
    const args = [call.rows, call.cols, l.at(call.x), call.cols, l.at(call.out), 0];
    return l.call('columnSums', args, byColumns(args, call.rows, call.cols, 1, [2, 4], 'light'));
  },
};
