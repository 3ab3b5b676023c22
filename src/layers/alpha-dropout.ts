// AlphaDropout: dropout for self-normalising networks (SELU). Dropped units are set to SELU's negative
// saturation α′ = −λα instead of 0, then an affine a·x + b restores the input's mean and variance.
// Keras's formulas (keras/src/layers/regularization/alpha_dropout.py, AlphaDropout.call):
//   alpha_p = -alpha * scale                       (alpha = 1.6732632423543772848…, scale = 1.0507009873554804934…)
//   x = inputs * kept + alpha_p * (1 - kept)       (kept where uniform >= rate)
//   a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
//   b = -a * alpha_p * rate
//   return a * x + b
// tfjs-layers writes the dropped term as (kept − 1)·alpha_p, which flips its sign; simdnet follows
// Keras. At inference (and for rate 0) the layer is the identity.

import { dropout as dropoutOp } from '../graph/ops/dropout.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { RandomDropLayer, nextSalt } from './dropout.js';
import type { CallContext, LayerArgs } from './layer.js';

/**
 * SELU's constants, as the nearest doubles to 1.6732632423543772848170429916717 and
 * 1.0507009873554804934193349852946 (the digits beyond these are lost when parsed).
 */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** α′ = −λα ≈ −1.7580993408473766, the value SELU tends to for large negative inputs. */
export const ALPHA_P = -SELU_ALPHA * SELU_SCALE;

export interface AlphaDropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Mixed into this layer's mask stream (see `dropout`). */
  seed?: number;
}

export class AlphaDropout extends RandomDropLayer {
  readonly className = 'AlphaDropout';

  constructor(args: AlphaDropoutArgs) {
    super(args, 'AlphaDropout', '{ rate: 0.1 }');
  }

  call(x: SymbolicTensor, ctx: CallContext): SymbolicTensor {
    if (!ctx.training || this.rate === 0) return x;
    const rate = this.rate;
    const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
    const b = -a * ALPHA_P * rate;
    return dropoutOp(x, { kind: 'alpha', rate, a, b, alphaP: ALPHA_P }, ctx.stepSeed, nextSalt(ctx, this.seed))[0];
  }
}

/**
 * Alpha dropout (Keras's `AlphaDropout`), for networks with SELU activations: keeps the mean and
 * variance of its inputs while dropping a fraction `rate` of them during training.
 *
 * @example
 * layers.alphaDropout({ rate: 0.1 });
 */
export function alphaDropout(args: AlphaDropoutArgs): AlphaDropout {
  return new AlphaDropout(args);
}
