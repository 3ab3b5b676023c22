import type { LossCall } from '../../calls/loss.js';
import type { Binders } from './types.js';

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

export const lossBinders: Binders<LossCall> = {
  crossEntropy(call, at, k) {
    const x = at(call.x);
    const t = at(call.target);
    const grad = call.grad ? at(call.grad) : 0;
    const out = at(call.lossOut);
    const weights = call.weights ? at(call.weights) : 0;
    const { rows, cols, gradScale, smoothing } = call;
    const fn =
      call.input === 'logits'
        ? call.labels === 'sparse'
          ? k.softmaxCrossEntropySparse
          : k.softmaxCrossEntropyDense
        : call.labels === 'sparse'
          ? k.crossEntropySparseFromProbs
          : k.crossEntropyDenseFromProbs;
    return () => fn(x, t, rows, cols, grad, gradScale, out, weights, smoothing);
  },
  pointwiseLoss(call, at, k) {
    const x = at(call.x);
    const t = at(call.target);
    const grad = call.grad ? at(call.grad) : 0;
    const out = at(call.lossOut);
    const weights = call.weights ? at(call.weights) : 0;
    const { rows, cols, gradScale, param } = call;
    const fn = {
      binaryCrossentropy: call.input === 'logits' ? k.sigmoidCrossEntropy : k.binaryCrossEntropyFromProbs,
      meanSquaredError: k.meanSquaredErrorLoss,
      meanAbsoluteError: k.meanAbsoluteErrorLoss,
      huber: k.huberLoss,
      hinge: k.hingeLoss,
    }[call.loss];
    return () => fn(x, t, rows, cols, grad, gradScale, out, weights, param);
  },
};
