// Input: declares the shape of one sample for a sequential model (Keras's InputLayer). It has no
// weights and computes nothing; a sequential model takes its shape and, as Keras 3 does, lists it
// neither among its layers nor in its summary.

import { ShapeError, ValueError, describe } from '../errors.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Layer, validateShape, type CallContext, type LayerConfig } from './layer.js';

export interface InputArgs {
  /** The shape of one sample, without the batch axis (Keras's `shape`). */
  shape?: readonly number[];
  /** tfjs's spelling of `shape`. */
  inputShape?: readonly number[];
  /** Default `input_layer`, `input_layer_1`… */
  name?: string;
}

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  /** The declared shape of one sample. */
  readonly shape: readonly number[];

  constructor(args: InputArgs) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(
        `input: expected an options object such as { shape: [28, 28] }, received ${describe(args)}.`,
      );
    if (args.shape !== undefined && args.inputShape !== undefined) {
      throw new ValueError(`input: give shape or inputShape (the same thing), not both.`);
    }
    const shape: unknown = args.shape ?? args.inputShape;
    if (shape === undefined)
      throw new ValueError(
        `input: shape: expected the shape of one sample, such as { shape: [28, 28] }, received undefined.`,
      );
    const checked = validateShape(shape, 'input: shape');
    super({ name: args.name, inputShape: checked }, 'InputLayer');
    this.shape = checked;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (formatShape(inputShape) !== formatShape(this.shape)) {
      throw new ShapeError(
        `${this.name} declares input ${formatShape([null, ...this.shape])}, received ` +
          `${formatShape([null, ...inputShape])}.`,
      );
    }
    return [...inputShape];
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return x;
  }

  getConfig(): LayerConfig {
    return { name: this.name, batchInputShape: [null, ...this.shape] };
  }
}

/**
 * Declares the shape of one input sample, as the first entry of a sequential model.
 *
 * @example
 * const model = sequential([layers.input({ shape: [28, 28] }), layers.flatten(), layers.dense({ units: 10 })]);
 * model.summary();   // flatten is the first row: the input layer is not listed (as in Keras 3)
 */
export function input(args: InputArgs): InputLayer {
  return new InputLayer(args);
}
