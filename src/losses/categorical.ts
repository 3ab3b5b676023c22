// Categorical cross-entropy (one-hot or soft targets, with label smoothing) and its sparse form
// (class indices). After a softmax output the loss is computed from the softmax's input in one fused
// kernel (stable, gradient p − y); with fromLogits the output itself is the logits; otherwise from
// probabilities with Keras's clipping.

import { softmaxOp } from '../graph/ops/activation.js';
import { crossEntropy } from '../graph/ops/losses.js';
import { placeholder } from '../graph/tensor.js';
import type { Loss, LossGraph } from './loss.js';
import { requireFlatOutput, validateOneHot, validateSparse } from './targets.js';

export interface CategoricalCrossentropyArgs {
  /** The model's output is logits (no softmax); default false. */
  fromLogits?: boolean;
  /** Label smoothing ε in [0, 1]: targets become t·(1 − ε) + ε/classes; default 0. */
  labelSmoothing?: number;
}

export interface SparseCategoricalCrossentropyArgs {
  /** The model's output is logits (no softmax); default false. */
  fromLogits?: boolean;
}

export class CategoricalCrossentropy implements Loss {
  readonly family = 'categorical';
  readonly name: 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy';
  constructor(
    readonly labels: 'sparse' | 'dense',
    readonly fromLogits: boolean,
    readonly labelSmoothing: number,
  ) {
    this.name = labels === 'sparse' ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy';
  }

  targetPlaceholder(outputShape: readonly number[]) {
    return this.labels === 'sparse'
      ? placeholder([outputShape[0]], 'int32', 'labels')
      : placeholder(outputShape, 'float32', 'labels');
  }

  build(
    output: Parameters<Loss['build']>[0],
    target: Parameters<Loss['build']>[1],
    sampleWeight: Parameters<Loss['build']>[2] = null,
  ): LossGraph {
    const node = output.node;
    const fused = !this.fromLogits && node !== null && node.op === softmaxOp;
    const logits = this.fromLogits || fused;
    const x = fused ? node.inputs[0] : output;
    const lossSum = crossEntropy(
      x,
      target,
      {
        input: logits ? 'logits' : 'probs',
        labels: this.labels,
        gradScale: 1 / x.shape[0],
        smoothing: this.labelSmoothing,
      },
      sampleWeight,
    );
    return { lossSum, scores: x, output };
  }

  validateTargets(y: Parameters<Loss['validateTargets']>[0], outputShape: readonly number[], argName: string): void {
    const classes = requireFlatOutput(this.name, outputShape);
    if (this.labels === 'sparse') validateSparse(y, classes, argName);
    else validateOneHot(y, classes, argName);
  }

  getConfig(): Record<string, number | boolean> {
    return this.labels === 'sparse'
      ? { fromLogits: this.fromLogits }
      : { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}
