// Reshape: each sample [d1, d2, …] → targetShape (one axis may be −1, inferred from the size); a view
// of the same storage, no copy.

import { ShapeError, ValueError, describe } from '../errors.js';
import { reshape as reshapeOp } from '../graph/ops/basic.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one output sample (without the batch axis); one entry may be −1. */
  targetShape: readonly number[];
}

export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(
        `reshape: expected an options object such as { targetShape: [28, 28] }, received ${describe(args)}.`,
      );
    super(args, 'Reshape');
    const t: unknown = args.targetShape;
    if (!Array.isArray(t) || t.length === 0 || !t.every((d) => Number.isInteger(d) && (d > 0 || d === -1))) {
      throw new ValueError(
        `${this.name}: targetShape: expected a non-empty array of positive integers (one of them may be -1), ` +
          `received ${Array.isArray(t) ? `[${t.join(', ')}]` : describe(t)}.`,
      );
    }
    if (t.filter((d) => d === -1).length > 1) {
      throw new ValueError(
        `${this.name}: targetShape: at most one dimension may be -1 (inferred), received [${t.join(', ')}].`,
      );
    }
    this.targetShape = [...(t as number[])];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, b) => (b === -1 ? a : a * b), 1);
    const unknown = this.targetShape.indexOf(-1);
    if (unknown >= 0 ? size % known !== 0 : size !== known) {
      const target = this.targetShape.map((d) => (d === -1 ? '-1' : String(d))).join(', ');
      throw new ShapeError(
        `${this.name} cannot reshape input ${formatShape([null, ...inputShape])} (${size} values per sample) to ` +
          `[null, ${target}] (${unknown >= 0 ? `a multiple of ${known}` : known} values): the sizes must match.`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return reshapeOp(x, [x.shape[0], ...this.computeOutputShape(x.shape.slice(1))]);
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      targetShape: [...this.targetShape],
      ...(this.inputShape ? { batchInputShape: [null, ...this.inputShape] } : {}),
    };
  }
}

/**
 * Reshapes each sample (the batch axis stays); one target dimension may be −1.
 *
 * @example
 * layers.reshape({ targetShape: [28, 28], inputShape: [784] });   // output [null, 28, 28]
 * layers.reshape({ targetShape: [-1, 4] });                        // [null, 12] → [null, 3, 4]
 */
export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
