import type { LossCall } from '../../calls/loss.js';
import { isShared, type LoweredCall, type SplitSpec } from '../threads/lowered.js';
import type { WorkClass } from '../split-thresholds.js';
import { THRESHOLDS } from '../split-thresholds.js';
import type { Lowering } from './types.js';
import type { Lowerers } from './types.js';

type Ptr = number;

/** Every loss kernel: (x, target, rows, cols, grad, gradScale, lossOut, weights, param, partials, rowsPerPartial). */
type LossKernel = (
  x: Ptr, target: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr, weights: Ptr, param: number, partials: Ptr, rowsPerPartial: number,
) => void;

export interface LossKernels {
  softmaxCrossEntropySparse: LossKernel;
  softmaxCrossEntropyDense: LossKernel;
  crossEntropySparseFromProbs: LossKernel;
  crossEntropyDenseFromProbs: LossKernel;
  sigmoidCrossEntropy: LossKernel;
  binaryCrossEntropyFromProbs: LossKernel;
  meanSquaredErrorLoss: LossKernel;
  meanAbsoluteErrorLoss: LossKernel;
  huberLoss: LossKernel;
  hingeLoss: LossKernel;
  sumPartials(partials: Ptr, count: number, divisor: number, out: Ptr): void;
}

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
  readonly fn: string;
  readonly call: LossCall;
  /** Bytes of target per row (int32 labels: 4). */
  readonly targetRowBytes: number;
  /** The per-sample mean's divisor of the summed loss (cols for elementwise losses, else 1). */
  readonly divisor: number;
  readonly rowsPerPartial: number;
  readonly cls: WorkClass;
  /** False for a kernel that looks at the whole batch first (hinge's {0, 1} test). */
  readonly splits: boolean;
}

/**
 * A loss as one kernel call, or, when it is large enough to split, the kernel split by blocks of rows
 * writing f64 partial sums, then sumPartials on one thread adding them in order: bitwise the sum of
 * the kernel run whole, since that kernel adds the same partials in the same order.
 */
function lowerLoss(s: LossShape, param: number, l: Lowering): LoweredCall | LoweredCall[] {
  const { call } = s;
  const grad = call.grad ? l.at(call.grad) : 0;
  const weights = call.weights ? l.at(call.weights) : 0;
  const R = s.rowsPerPartial;
  const args = [l.at(call.x), l.at(call.target), call.rows, call.cols, grad, call.gradScale, l.at(call.lossOut), weights, param, 0, R];
  const offsets: [number, number][] = [[0, call.cols * 4], [1, s.targetRowBytes], [9, 8 / R]];
  if (grad) offsets.push([4, call.cols * 4]);
  if (weights) offsets.push([7, 4]);
  const work = call.rows * call.cols;
  const split: SplitSpec = { units: call.rows, align: R, sizeArgs: [2], offsets, minUnits: work >= THRESHOLDS[s.cls] ? 1 : call.rows + 1 };
  if (!s.splits || !call.partials || !isShared(split, l.threads)) return l.call(s.fn, args);
  const partials = l.at(call.partials);
  args[9] = partials;
  return [l.call(s.fn, args, split), l.call('sumPartials', [partials, Math.ceil(call.rows / R), s.divisor, l.at(call.lossOut)])];
}

export const lossLowerers: Lowerers<LossCall> = {
  crossEntropy(call, l) {
    const fn =
      call.input === 'logits'
        ? call.labels === 'sparse' ? 'softmaxCrossEntropySparse' : 'softmaxCrossEntropyDense'
        : call.labels === 'sparse' ? 'crossEntropySparseFromProbs' : 'crossEntropyDenseFromProbs';
    const targetRowBytes = call.labels === 'sparse' ? 4 : call.cols * 4;
    return lowerLoss({ fn, call, targetRowBytes, divisor: 1, rowsPerPartial: 1, cls: 'heavy', splits: true }, call.smoothing, l);
  },
  pointwiseLoss(call, l) {
    const fn = {
      binaryCrossentropy: call.input === 'logits' ? 'sigmoidCrossEntropy' : 'binaryCrossEntropyFromProbs',
      meanSquaredError: 'meanSquaredErrorLoss',
      meanAbsoluteError: 'meanAbsoluteErrorLoss',
      huber: 'huberLoss',
      hinge: 'hingeLoss',
    }[call.loss];
    const cls = call.loss === 'binaryCrossentropy' ? 'heavy' : 'light';
    return lowerLoss({ fn, call, targetRowBytes: call.cols * 4, divisor: call.cols, rowsPerPartial: rowsPerPartial(call.cols), cls, splits: call.loss !== 'hinge' }, call.param, l);
  },
};
