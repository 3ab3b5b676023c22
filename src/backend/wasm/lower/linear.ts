import type { LinearCall } from '../../calls/linear.js';
import { ACTIVATION_CODES, BINARY_CODES, MODE_CODES } from '../codes.js';
import type { LoweredCall } from '../threads/lowered.js';
import { activationCost } from './activation.js';
import { ownsColumns } from './split.js';
import type { Lowerers, Lowering } from './types.js';

type Gemm = Extract<LinearCall, { kind: 'gemm' }>;

/**
 * A tn or nt product with a bias or an activation (gemmTN and gemmNT have no epilogue): the product,
 * then C += bias on every row and C = act(C) in place, as gemmNN's epilogue computes them.
 */
function withEpilogue(call: Gemm, product: LoweredCall, l: Lowering): LoweredCall | LoweredCall[] {
  const { m, n, c, bias, activation } = call;
  if (!bias && activation === 'linear') return product;
  const calls = [product];
  if (bias) {
    const add = {
      op: BINARY_CODES.add,
      a: c,
      aMode: MODE_CODES.full,
      aValue: 0,
      b: bias,
      bMode: MODE_CODES.row,
      bValue: 0,
      y: c,
      rows: m,
      cols: n,
    };
    calls.push(l.kernel('binaryF32', add, { split: 'rows' }));
  }
  if (activation !== 'linear') {
    calls.push(
      l.kernel(
        'activationForward',
        { act: ACTIVATION_CODES[activation], x: c, y: c, n: m * n, alpha: call.alpha },
        { cost: activationCost(activation) },
      ),
    );
  }
  return calls;
}

export const linearLowerers: Lowerers<LinearCall> = {
  gemm(call, l) {
    const { m, n, k, a, b, c } = call;
    if (call.layout === 'nn') {
      // C = A·B: rows of A and C, or columns of B, C and the bias. X·W with a large W next to the
      // batch: by W's columns only, which its gradient and update own too.
      const args = {
        m,
        n,
        k,
        a,
        lda: k,
        b,
        ldb: n,
        c,
        ldc: n,
        bias: call.bias,
        act: ACTIVATION_CODES[call.activation],
        alpha: call.alpha,
        accumulate: 0,
      };
      return l.kernel('gemmNN', args, { rows: !ownsColumns(l.threads, m, k, n) });
    }
    if (call.layout === 'tn') {
      // C = Aᵀ·B, A stored [k×m]: rows of C are columns of A (6-row blocks keep the packed panels
      // whole). The gradient Xᵀ·dY of a weight with column owners: by columns of C (columns of B), A
      // read in place by every thread (packed, each thread would pack all of it; in place measured
      // as fast here).
      if (ownsColumns(l.threads, k, m, n)) {
        l.columnOwned.add(l.at(c));
        return withEpilogue(
          call,
          l.kernel('gemmTN', { m, n, k, a, lda: m, b, ldb: n, c, ldc: n, accumulate: 0, pack: 0 }, { rows: false }),
          l,
        );
      }
      return withEpilogue(
        call,
        l.kernel(
          'gemmTN',
          { m, n, k, a, lda: m, b, ldb: n, c, ldc: n, accumulate: 0, pack: call.scratch },
          { columns: false },
        ),
        l,
      );
    }
    // C = A·Bᵀ, B stored [n×k]: 8-column strips of C are 8-row strips of B, each packed by its thread.
    if (!call.scratch)
      throw new Error('simdnet internal: a gemm nt call without its pack scratch (Backend.gemmScratchBytes)');
    return withEpilogue(
      call,
      l.kernel('gemmNT', { m, n, k, a, lda: k, b, ldb: k, c, ldc: n, accumulate: 0, pack: call.scratch }),
      l,
    );
  },
  columnSums({ rows, cols, x, out }, l) {
    return l.kernel('columnSums', { rows, cols, x, ldx: cols, out, accumulate: 0 });
  },
};
