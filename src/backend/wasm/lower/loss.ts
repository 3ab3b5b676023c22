import type { LossCall } from '../../calls/loss.js';
import { isShared, type LoweredCall } from '../threads/lowered.js';
import type { Lowerers, Lowering } from './types.js';

type LossKernel =
  | 'softmaxCrossEntropySparse'
  | 'softmaxCrossEntropyDense'
  | 'crossEntropySparseFromProbs'
  | 'crossEntropyDenseFromProbs'
  | 'sigmoidCrossEntropy'
  | 'binaryCrossEntropyFromProbs'
  | 'meanSquaredErrorLoss'
  | 'meanAbsoluteErrorLoss'
  | 'huberLoss'
  | 'hingeLoss';

/**
 * The rows of one partial sum of an elementwise loss: at least 256 elements (so that a block keeps its
 * f32x4 body), a power of two (so that a part's start, a multiple of it, gives a whole byte offset
 * into the partials). Fixed by the shape alone: the sum's order is the same for any thread count.
 */
function rowsPerPartial(cols: number): number {
  let r = 1;
  while (r * cols < 256) r *= 2;
  return r;
}

interface LossShape {
  readonly fn: LossKernel;
  readonly call: LossCall;
  /** The per-sample mean's divisor of the summed loss (cols for elementwise losses, else 1). */
  readonly divisor: number;
  readonly rowsPerPartial: number;
  /** False for a kernel that looks at the whole batch first (hinge's {0, 1} test). */
  readonly splits: boolean;
}

/**
 * A loss as one kernel call, or, when it is large enough to split, the kernel split by blocks of rows
 * writing f64 partial sums, then sumPartials on one thread adding them in order: bitwise the sum of
 * the kernel run whole, since that kernel adds the same partials in the same order. The blocks are
 * the kernel table's row alignment (rowsPerPartial); its cost class is the kernel's.
 */
function lowerLoss(s: LossShape, param: number, l: Lowering): LoweredCall | LoweredCall[] {
  const { call } = s;
  const { x, target, rows, cols, grad, gradScale, lossOut, weights } = call;
  const args = {
    x,
    target,
    rows,
    cols,
    grad,
    gradScale,
    lossOut,
    weights,
    param,
    partials: 0,
    rowsPerPartial: s.rowsPerPartial,
  };
  if (s.splits && call.partials) {
    const split = { ...args, partials: call.partials };
    if (isShared(l.splitOf(s.fn, split), l.threads)) {
      const count = Math.ceil(rows / s.rowsPerPartial);
      return [
        l.kernel(s.fn, split),
        l.kernel('sumPartials', { partials: call.partials, count, divisor: s.divisor, out: lossOut }),
      ];
    }
  }
  return l.kernel(s.fn, args, { split: 'none' });
}

export const lossLowerers: Lowerers<LossCall> = {
  crossEntropy(call, l) {
    const fn =
      call.input === 'logits'
        ? call.labels === 'sparse'
          ? 'softmaxCrossEntropySparse'
          : 'softmaxCrossEntropyDense'
        : call.labels === 'sparse'
          ? 'crossEntropySparseFromProbs'
          : 'crossEntropyDenseFromProbs';
    return lowerLoss({ fn, call, divisor: 1, rowsPerPartial: 1, splits: true }, call.smoothing, l);
  },
  pointwiseLoss(call, l) {
    const fn = (
      {
        binaryCrossentropy: call.input === 'logits' ? 'sigmoidCrossEntropy' : 'binaryCrossEntropyFromProbs',
        meanSquaredError: 'meanSquaredErrorLoss',
        meanAbsoluteError: 'meanAbsoluteErrorLoss',
        huber: 'huberLoss',
        hinge: 'hingeLoss',
      } as const
    )[call.loss];
    return lowerLoss(
      { fn, call, divisor: call.cols, rowsPerPartial: rowsPerPartial(call.cols), splits: call.loss !== 'hinge' },
      call.param,
      l,
    );
  },
};
