// Elementwise activations and softmax. Gradients are written in terms of the output y where the
// derivative is a function of y (relu: y > 0, sigmoid: y(1 − y), tanh: 1 − y², elu: y + α, …,
// softmax: y ⊙ (dy − Σ dy ⊙ y)) and of the input x otherwise (swish, gelu): only those keep x alive.

import type { KernelActivation } from '../../backend/backend.js';
import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

export interface ActivationAttrs {
  readonly activation: KernelActivation;
  /** The activation's parameter (leaky slope, elu alpha); 0 when it has none. */
  readonly alpha: number;
}

/** Activations whose derivative needs the input x (it is not a function of the output y). */
export function activationNeedsInput(kind: KernelActivation): boolean {
  return kind === 'swish' || kind === 'gelu';
}

export const activationOp: OpDef<ActivationAttrs> = {
  name: 'activation',
  infer([x]) {
    return [{ shape: x.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const x = node.inputs[0];
    return [
      {
        kind: 'activationForward',
        activation: node.attrs.activation,
        alpha: node.attrs.alpha,
        x: ctx.slice(x),
        y: ctx.slice(node.outputs[0]),
        n: x.size,
      },
    ];
  },
  gradient(node, [dy]) {
    const { activation: kind, alpha } = node.attrs;
    const x = activationNeedsInput(kind) ? node.inputs[0] : null;
    return [activationGrad(dy as SymbolicTensor, node.outputs[0], kind, alpha, x)];
  },
};

export function activation(x: SymbolicTensor, kind: KernelActivation, alpha = 0): SymbolicTensor {
  return apply1(activationOp, [x], { activation: kind, alpha });
}

export const activationGradOp: OpDef<ActivationAttrs> = {
  name: 'activationGrad',
  infer([dy, y, x], attrs) {
    invariant(sameShape(dy.shape, y.shape), 'activationGrad shapes differ');
    invariant(
      !activationNeedsInput(attrs.activation) || (x !== undefined && sameShape(x.shape, y.shape)),
      `activationGrad of ${attrs.activation} needs the input x`,
    );
    return [{ shape: y.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [dy, y, x] = node.inputs;
    const { activation: kind, alpha } = node.attrs;
    return [
      {
        kind: 'activationBackward',
        activation: kind,
        alpha,
        x: x ? ctx.slice(x) : null,
        y: ctx.slice(y),
        dy: ctx.slice(dy),
        dx: ctx.slice(node.outputs[0]),
        n: y.size,
      },
    ];
  },
};

/**
 * dx = dy ⊙ f′, from the activation's output y, and from its input x for the kinds that need it
 * (`activationNeedsInput`: pass x as the third input then; null otherwise).
 */
export function activationGrad(
  dy: SymbolicTensor,
  y: SymbolicTensor,
  kind: KernelActivation,
  alpha = 0,
  x: SymbolicTensor | null = null,
): SymbolicTensor {
  return apply1(activationGradOp, x ? [dy, y, x] : [dy, y], { activation: kind, alpha });
}

/** Rows and columns of a tensor whose last axis is the softmax axis. */
function rowsCols(shape: readonly number[]): { rows: number; cols: number } {
  const cols = shape[shape.length - 1];
  return { rows: shape.reduce((a, b) => a * b, 1) / cols, cols };
}

export const softmaxOp: OpDef<Record<string, never>> = {
  name: 'softmax',
  infer([x]) {
    invariant(x.shape.length >= 1, 'softmax of a scalar');
    return [{ shape: x.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const x = node.inputs[0];
    return [{ kind: 'softmax', x: ctx.slice(x), y: ctx.slice(node.outputs[0]), ...rowsCols(x.shape) }];
  },
  gradient(node, [dy]) {
    return [apply1(softmaxGradOp, [dy as SymbolicTensor, node.outputs[0]], {})];
  },
};

/** Softmax over the last axis (numerically stable). */
export function softmax(x: SymbolicTensor): SymbolicTensor {
  return apply1(softmaxOp, [x], {});
}

export const softmaxGradOp: OpDef<Record<string, never>> = {
  name: 'softmaxGrad',
  infer([dy, y]) {
    invariant(sameShape(dy.shape, y.shape), 'softmaxGrad shapes differ');
    return [{ shape: y.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [dy, y] = node.inputs;
    return [
      {
        kind: 'softmaxBackward',
        y: ctx.slice(y),
        dy: ctx.slice(dy),
        dx: ctx.slice(node.outputs[0]),
        ...rowsCols(y.shape),
      },
    ];
  },
};
