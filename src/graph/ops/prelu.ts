// PReLU: y = x > 0 ? x : α ⊙ x, with one learned slope per feature (α has the shape of one sample,
// broadcast over the batch). The gradient op has two outputs, dx and dα, computed in one pass over
// x and dy; either is skipped when nothing uses it.

import { apply, apply1, type SymbolicTensor, type TensorInfo } from '../tensor.js';
import { formatShape, invariant, sameShape, type OpDef } from '../op.js';

/** Rows (the batch) and columns (the features of one sample) of x. */
function rowsCols(x: TensorInfo): { rows: number; cols: number } {
  return { rows: x.shape[0], cols: x.shape.slice(1).reduce((a, b) => a * b, 1) };
}

function checkAlpha(x: TensorInfo, alpha: TensorInfo): void {
  invariant(
    x.shape.length >= 2 && sameShape(alpha.shape, x.shape.slice(1)),
    `prelu alpha ${formatShape(alpha.shape)} must be the sample shape of x ${formatShape(x.shape)}`,
  );
}

export const preluOp: OpDef<Record<string, never>> = {
  name: 'prelu',
  infer([x, alpha]) {
    checkAlpha(x, alpha);
    return [{ shape: x.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [x, alpha] = node.inputs;
    return [{ kind: 'prelu', x: ctx.slice(x), alpha: ctx.slice(alpha), y: ctx.slice(node.outputs[0]), ...rowsCols(x) }];
  },
  gradient(node, [dy], needed) {
    const [x, alpha] = node.inputs;
    const [dx, dalpha] = apply(preluGradOp, [dy as SymbolicTensor, x, alpha], {});
    return [needed[0] ? dx : null, needed[1] ? dalpha : null];
  },
};

/** y = x > 0 ? x : alpha ⊙ x, alpha of shape x.shape[1:] broadcast over the batch axis. */
export function prelu(x: SymbolicTensor, alpha: SymbolicTensor): SymbolicTensor {
  return apply1(preluOp, [x, alpha], {});
}

export const preluGradOp: OpDef<Record<string, never>> = {
  name: 'preluGrad',
  infer([dy, x, alpha]) {
    checkAlpha(x, alpha);
    invariant(sameShape(dy.shape, x.shape), 'preluGrad shapes differ');
    return [
      { shape: x.shape, dtype: 'float32' },
      { shape: alpha.shape, dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const [dy, x, alpha] = node.inputs;
    const [dx, dalpha] = node.outputs;
    return [
      {
        kind: 'preluBackward',
        x: ctx.slice(x),
        alpha: ctx.slice(alpha),
        dy: ctx.slice(dy),
        dx: ctx.isUsed(dx) ? ctx.slice(dx) : null,
        dalpha: ctx.isUsed(dalpha) ? ctx.slice(dalpha) : null,
        ...rowsCols(x),
      },
    ];
  },
};
