// Binary cross-entropy, for one sigmoid unit or several independent ones (multi-label): per sample the
// mean over the units of −t·log p − (1 − t)·log(1 − p). After a sigmoid output (a sigmoid layer, or a
// dense layer with activation 'sigmoid') the loss is computed from the logits in one fused kernel
// (stable: softplus(z) − z·t, gradient σ(z) − t); with fromLogits the output is the logits; otherwise
// from probabilities with Keras's clipping to [1e-7, 1 − 1e-7].

import { activation, activationOp, type ActivationAttrs } from '../graph/ops/activation.js';
import { dense, denseOp, type DenseAttrs } from '../graph/ops/linear.js';
import { pointwiseLoss } from '../graph/ops/losses.js';
import { placeholder, type Node, type SymbolicTensor } from '../graph/tensor.js';
import { ValueError, describe } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Loss, LossGraph } from './loss.js';
import { requireFlatOutput, validateSameShape } from './targets.js';

export interface BinaryCrossentropyArgs {
  /** The model's output is logits (no sigmoid); default false. */
  fromLogits?: boolean;
  /** Label smoothing ε in [0, 1]: targets become t·(1 − ε) + ε/2; default 0. */
  labelSmoothing?: number;
}

/** The logits under a sigmoid output, or null when the output is not a sigmoid. */
function sigmoidLogits(output: SymbolicTensor): SymbolicTensor | null {
  const node = output.node;
  if (node === null) return null;
  if (node.op === activationOp && (node as Node<ActivationAttrs>).attrs.activation === 'sigmoid') return node.inputs[0];
  if (node.op === denseOp && (node as Node<DenseAttrs>).attrs.activation === 'sigmoid') {
    // The sigmoid ran in the GEMM epilogue: the same product without it gives the logits. The
    // original node is then unused in training and evaluation, and the compiler drops it.
    const [x, w, bias] = node.inputs;
    return dense(x, w, bias ?? null, 'linear');
  }
  return null;
}

export class BinaryCrossentropy implements Loss {
  readonly name = 'binaryCrossentropy';
  readonly family = 'binary';
  readonly labels = 'dense';
  constructor(
    readonly fromLogits: boolean,
    readonly labelSmoothing: number,
  ) {}

  targetPlaceholder(outputShape: readonly number[]) {
    return placeholder(outputShape, 'float32', 'labels');
  }

  build(output: SymbolicTensor, target: SymbolicTensor, sampleWeight: SymbolicTensor | null = null): LossGraph {
    const fused = this.fromLogits ? null : sigmoidLogits(output);
    const logits = this.fromLogits ? output : fused;
    const x = logits ?? output;
    const lossSum = pointwiseLoss(
      x,
      target,
      {
        loss: 'binaryCrossentropy',
        input: logits ? 'logits' : 'probs',
        gradScale: 1 / x.shape[0],
        param: this.labelSmoothing,
      },
      sampleWeight,
    );
    // Metrics read probabilities: a new sigmoid node only when the original output is not one
    // (it is computed only if a metric uses it).
    const probs =
      logits === null
        ? output
        : fused !== null && output.node?.op === activationOp
          ? output
          : activation(logits, 'sigmoid');
    return { lossSum, scores: x, output: probs };
  }

  validateTargets(y: Tensor, outputShape: readonly number[], argName: string): void {
    const units = requireFlatOutput(this.name, outputShape);
    const looksSparse = units > 1 && y.shape.length === 1;
    const hint = looksSparse
      ? `. They look like class indices: for one class per sample use a softmax output with loss ` +
        `'sparseCategoricalCrossentropy' (or 'categoricalCrossentropy' with one-hot targets); for several labels per ` +
        `sample pass a [samples, ${units}] array of 0/1`
      : units > 1
        ? `; binaryCrossentropy on ${units} units is multi-label (one 0/1 target per unit); for one class out of ` +
          `${units} use a softmax output with 'categoricalCrossentropy'`
        : '';
    validateSameShape(y, units, this.name, argName, hint);
    const data = y.data;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < 0 || v > 1) {
        throw new ValueError(
          `${argName}: binaryCrossentropy expects targets in [0, 1] (0/1 labels or probabilities), received ` +
            `${describe(v)} at row ${Math.floor(i / units)}; for class indices use 'sparseCategoricalCrossentropy' ` +
            `with a softmax output, for ±1 labels use 'hinge' or map them to 0/1.`,
        );
      }
    }
  }

  getConfig() {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}
