import type { LossCall } from '../../calls/loss.js';
import type { Lowerers } from './types.js';

type Ptr = number;

/** Every loss kernel: (x, target, rows, cols, grad, gradScale, lossOut, weights, param). */
type LossKernel = (x: Ptr, target: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr, weights: Ptr, param: number) => void;

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
}

// Losses sum the batch into one number, so they run on one thread (see split.ts); at the reference
// sizes (batch ≤ 512 × 10 classes) a whole loss costs less than a barrier round trip would save.
export const lossLowerers: Lowerers<LossCall> = {
  crossEntropy(call, l) {
    const fn =
      call.input === 'logits'
        ? call.labels === 'sparse' ? 'softmaxCrossEntropySparse' : 'softmaxCrossEntropyDense'
        : call.labels === 'sparse' ? 'crossEntropySparseFromProbs' : 'crossEntropyDenseFromProbs';
    const grad = call.grad ? l.at(call.grad) : 0;
    const weights = call.weights ? l.at(call.weights) : 0;
    return l.call(fn, [l.at(call.x), l.at(call.target), call.rows, call.cols, grad, call.gradScale, l.at(call.lossOut), weights, call.smoothing]);
  },
  pointwiseLoss(call, l) {
    const fn = {
      binaryCrossentropy: call.input === 'logits' ? 'sigmoidCrossEntropy' : 'binaryCrossEntropyFromProbs',
      meanSquaredError: 'meanSquaredErrorLoss',
      meanAbsoluteError: 'meanAbsoluteErrorLoss',
      huber: 'huberLoss',
      hinge: 'hingeLoss',
    }[call.loss];
    const grad = call.grad ? l.at(call.grad) : 0;
    const weights = call.weights ? l.at(call.weights) : 0;
    return l.call(fn, [l.at(call.x), l.at(call.target), call.rows, call.cols, grad, call.gradScale, l.at(call.lossOut), weights, call.param]);
  },
};
