// The squared global norm of a step's gradients, Σ‖gᵢ‖² over every trainable weight, as one [1]
// tensor: forward only (it is fetched, never differentiated). Each gradient counts the regularizer
// gradient the update fuses in (l1·sign(w) + 2·l2·w), so it is the gradient of the whole objective.

import type { KernelCall } from '../../backend/backend.js';
import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

export interface GradientNormAttrs {
  /** Regularizer factors of each (weight, gradient) pair, in input order (0, 0 when none). */
  readonly factors: readonly { readonly l1: number; readonly l2: number }[];
}

export const gradientNormSqOp: OpDef<GradientNormAttrs> = {
  name: 'gradientNormSq',
  infer(inputs, attrs) {
    invariant(
      inputs.length > 0 && inputs.length === 2 * attrs.factors.length,
      'gradientNormSq takes (weight, gradient) pairs',
    );
    for (let i = 0; i < inputs.length; i += 2)
      invariant(
        sameShape(inputs[i].shape, inputs[i + 1].shape),
        'gradientNormSq gradient shape differs from its weight',
      );
    return [{ shape: [1], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const out = ctx.slice(node.outputs[0]);
    const calls: KernelCall[] = [];
    node.attrs.factors.forEach(({ l1, l2 }, i) => {
      const w = node.inputs[2 * i];
      const g = node.inputs[2 * i + 1];
      calls.push({
        kind: 'gradientNormSq',
        g: ctx.slice(g),
        w: ctx.slice(w),
        n: g.size,
        l1,
        l2,
        accumulate: i > 0,
        out,
      });
    });
    return calls;
  },
};

/** Σᵢ ‖gᵢ + l1ᵢ·sign(wᵢ) + 2·l2ᵢ·wᵢ‖² over (weight, gradient) pairs, as a [1] tensor. */
export function gradientNormSq(
  pairs: readonly {
    readonly w: SymbolicTensor;
    readonly g: SymbolicTensor;
    readonly l1: number;
    readonly l2: number;
  }[],
): SymbolicTensor {
  return apply1(
    gradientNormSqOp,
    pairs.flatMap((p) => [p.w, p.g]),
    { factors: pairs.map((p) => ({ l1: p.l1, l2: p.l2 })) },
  );
}
