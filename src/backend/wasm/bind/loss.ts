import type { LossCall } from '../../calls/loss.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface LossKernels {
  softmaxCrossEntropySparse(logits: Ptr, labels: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  softmaxCrossEntropyDense(logits: Ptr, targets: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  crossEntropySparseFromProbs(probs: Ptr, labels: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
  crossEntropyDenseFromProbs(probs: Ptr, targets: Ptr, rows: number, cols: number, grad: Ptr, gradScale: number, lossOut: Ptr): void;
}

export const lossBinders: Binders<LossCall> = {
  crossEntropy(call, at, k) {
    const x = at(call.x);
    const t = at(call.target);
    const grad = call.grad ? at(call.grad) : 0;
    const out = at(call.lossOut);
    const { rows, cols, gradScale } = call;
    const fn =
      call.input === 'logits'
        ? call.labels === 'sparse'
          ? k.softmaxCrossEntropySparse
          : k.softmaxCrossEntropyDense
        : call.labels === 'sparse'
          ? k.crossEntropySparseFromProbs
          : k.crossEntropyDenseFromProbs;
    return () => fn(x, t, rows, cols, grad, gradScale, out);
  },
};
