// Dropout ops (training time only; at inference a dropout layer adds no op). One forward op with two
// outputs: y and the mask of scale factors ∂y/∂x (s = 1/(1 − rate) or 0 for dropout, a or 0 for
// alpha dropout), which only the backward reads: dx = dy ⊙ mask, the same for both kinds.
//
// The mask is drawn when the program runs, from the step seed (a HostScalar the training loop sets
// before every step) and the op's salt, element by element from a counter-based hash: the same seed
// and salt give the same mask, whatever the batch is split into.

import type { HostScalar } from '../../backend/backend.js';
import { apply, apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

/** What kind of noise: inverted dropout, or alpha dropout with its affine correction. */
export type DropoutNoise =
  | { readonly kind: 'dropout'; readonly rate: number }
  | {
      readonly kind: 'alpha';
      readonly rate: number;
      /** Kept: a·x + b; dropped: a·alphaP + b. */
      readonly a: number;
      readonly b: number;
      readonly alphaP: number;
    };

export interface DropoutAttrs {
  readonly noise: DropoutNoise;
  /** Read at run time. */
  readonly seed: HostScalar;
  /** Distinguishes the random ops of one model (a 32-bit integer). */
  readonly salt: number;
}

export const dropoutOp: OpDef<DropoutAttrs> = {
  name: 'dropout',
  infer([x], attrs) {
    invariant(attrs.noise.rate >= 0 && attrs.noise.rate < 1, `dropout rate ${attrs.noise.rate} outside [0, 1)`);
    return [
      { shape: x.shape, dtype: 'float32' },
      { shape: x.shape, dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const x = node.inputs[0];
    const [y, maskT] = node.outputs;
    const { noise, seed, salt } = node.attrs;
    const common = {
      x: ctx.slice(x),
      y: ctx.slice(y),
      mask: ctx.isUsed(maskT) ? ctx.slice(maskT) : null,
      n: x.size,
      rate: noise.rate,
      seed,
      salt,
    };
    if (noise.kind === 'dropout') return [{ kind: 'dropout', ...common }];
    return [{ kind: 'alphaDropout', ...common, a: noise.a, b: noise.b, alphaP: noise.alphaP }];
  },
  gradient(node, [dy, dMask]) {
    invariant(dMask === null, 'a dropout mask is not differentiated');
    return [applyMask(dy as SymbolicTensor, node.outputs[1])];
  },
};

/** Returns [y, mask]; y's gradient is dy ⊙ mask. */
export function dropout(
  x: SymbolicTensor,
  noise: DropoutNoise,
  seed: HostScalar,
  salt: number,
): [SymbolicTensor, SymbolicTensor] {
  const [y, mask] = apply(dropoutOp, [x], { noise, seed, salt: salt >>> 0 });
  return [y, mask];
}

export const applyMaskOp: OpDef<Record<string, never>> = {
  name: 'applyMask',
  infer([dy, mask]) {
    invariant(sameShape(dy.shape, mask.shape), 'applyMask shapes differ');
    return [{ shape: dy.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [dy, mask] = node.inputs;
    return [
      { kind: 'dropoutBackward', dy: ctx.slice(dy), mask: ctx.slice(mask), dx: ctx.slice(node.outputs[0]), n: dy.size },
    ];
  },
  gradient(node, [g]) {
    // Linear in dy; the mask is a constant of the step.
    return [applyMask(g as SymbolicTensor, node.inputs[1]), null];
  },
};

/** dy ⊙ mask. */
export function applyMask(dy: SymbolicTensor, mask: SymbolicTensor): SymbolicTensor {
  return apply1(applyMaskOp, [dy, mask], {});
}
