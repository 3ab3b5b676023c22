// Elementwise losses on the model's output as is: mean squared error, mean absolute error, Huber
// (quadratic within δ, linear beyond), hinge (max(1 − t·y, 0), with Keras's conversion of 0/1 targets
// to −1/1). Each sample's loss is the mean over its units; one fused kernel writes the loss and its
// gradient.

import type { PointwiseLossKind } from '../graph/ops/losses.js';
import { pointwiseLoss } from '../graph/ops/losses.js';
import { placeholder, type SymbolicTensor } from '../graph/tensor.js';
import type { Tensor } from '../tensor.js';
import type { Loss, LossGraph } from './loss.js';
import { requireFlatOutput, validateSameShape } from './targets.js';

export interface HuberArgs {
  /** Where the loss turns from quadratic to linear (default 1); must be positive. */
  delta?: number;
}

export class PointwiseLoss implements Loss {
  readonly labels = 'dense';
  readonly fromLogits = false;
  readonly family: 'regression' | 'hinge';
  constructor(
    readonly name: Exclude<PointwiseLossKind, 'binaryCrossentropy'>,
    /** Huber's δ (0 for the others). */
    readonly delta = 0,
  ) {
    this.family = name === 'hinge' ? 'hinge' : 'regression';
  }

  targetPlaceholder(outputShape: readonly number[]) {
    return placeholder(outputShape, 'float32', 'targets');
  }

  build(output: SymbolicTensor, target: SymbolicTensor, sampleWeight: SymbolicTensor | null = null): LossGraph {
    const lossSum = pointwiseLoss(
      output,
      target,
      { loss: this.name, input: 'probs', gradScale: 1 / output.shape[0], param: this.delta },
      sampleWeight,
    );
    return { lossSum, scores: output, output };
  }

  validateTargets(y: Tensor, outputShape: readonly number[], argName: string): void {
    const units = requireFlatOutput(this.name, outputShape);
    const hint =
      units > 1 && y.shape.length === 1
        ? ': one target per output unit (for class indices use a softmax output with loss ' +
          'sparseCategoricalCrossentropy)'
        : '';
    validateSameShape(y, units, this.name, argName, hint);
  }

  getConfig(): Record<string, number> {
    return this.name === 'huber' ? { delta: this.delta } : {};
  }
}
