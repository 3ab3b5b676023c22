// Matrix products: matmul in the three layouts a dense layer needs, the fused dense op
// (GEMM + bias + activation in one pass), and the bias gradient (column sums).

import type { KernelActivation } from '../../backend/backend.js';
import { apply1, type Node, type SymbolicTensor, type TensorInfo } from '../tensor.js';
import { formatShape, invariant, type OpDef } from '../op.js';
import { activationGrad, activationNeedsInput } from './activation.js';

export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

function layoutOf(attrs: MatmulAttrs): 'nn' | 'tn' | 'nt' {
  invariant(!(attrs.transA && attrs.transB), 'matmul with both operands transposed has no kernel');
  return attrs.transA ? 'tn' : attrs.transB ? 'nt' : 'nn';
}

/** m, n, k of a product, checking that the inner dimensions agree. */
function dims(a: TensorInfo, b: TensorInfo, attrs: MatmulAttrs): { m: number; n: number; k: number } {
  invariant(
    a.shape.length === 2 && b.shape.length === 2,
    `matmul needs 2-D operands, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
  );
  const [m, ka] = attrs.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = attrs.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  invariant(
    ka === kb,
    `matmul inner dimensions differ: ${formatShape(a.shape)} and ${formatShape(b.shape)} (transA ${attrs.transA}, ` +
      `transB ${attrs.transB})`,
  );
  return { m, n, k: ka };
}

export const matmulOp: OpDef<MatmulAttrs> = {
  name: 'matmul',
  infer([a, b], attrs) {
    const { m, n } = dims(a, b, attrs);
    return [{ shape: [m, n], dtype: 'float32' }];
  },
  scratchBytes(node, backend) {
    const { m, n, k } = dims(node.inputs[0], node.inputs[1], node.attrs);
    return backend.gemmScratchBytes(layoutOf(node.attrs), m, n, k);
  },
  emit(ctx, node) {
    const [a, b] = node.inputs;
    const { m, n, k } = dims(a, b, node.attrs);
    return [
      {
        kind: 'gemm',
        layout: layoutOf(node.attrs),
        m,
        n,
        k,
        a: ctx.slice(a),
        b: ctx.slice(b),
        c: ctx.slice(node.outputs[0]),
        bias: null,
        activation: 'linear',
        alpha: 0,
        scratch: ctx.scratch(),
      },
    ];
  },
  gradient(node, [dC], needed) {
    const [a, b] = node.inputs;
    const dc = dC as SymbolicTensor;
    const layout = layoutOf(node.attrs);
    // C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC. C = Aᵀ·B: dA = B·dCᵀ, dB = A·dC.
    // C = A·Bᵀ: dA = dC·B, dB = dCᵀ·A.
    if (layout === 'nn')
      return [needed[0] ? matmul(dc, b, false, true) : null, needed[1] ? matmul(a, dc, true, false) : null];
    if (layout === 'tn')
      return [needed[0] ? matmul(b, dc, false, true) : null, needed[1] ? matmul(a, dc, false, false) : null];
    return [needed[0] ? matmul(dc, b, false, false) : null, needed[1] ? matmul(dc, a, true, false) : null];
  },
};

/** Matrix product with optional transposes of either operand (not both). */
export function matmul(a: SymbolicTensor, b: SymbolicTensor, transA = false, transB = false): SymbolicTensor {
  return apply1(matmulOp, [a, b], { transA, transB });
}

export interface DenseAttrs {
  readonly activation: KernelActivation;
  /** The activation's parameter (leaky slope, elu alpha); 0 when it has none. */
  readonly alpha: number;
}

export const denseOp: OpDef<DenseAttrs> = {
  name: 'dense',
  infer(inputs, attrs) {
    const [x, w, bias] = inputs;
    invariant(
      x.shape.length === 2 && w.shape.length === 2 && x.shape[1] === w.shape[0],
      `dense shapes ${formatShape(x.shape)} · ${formatShape(w.shape)}`,
    );
    invariant(
      !bias || (bias.shape.length === 1 && bias.shape[0] === w.shape[1]),
      'dense bias length differs from units',
    );
    // the epilogue overwrites the pre-activation, so only activations differentiable from y fuse
    invariant(
      !activationNeedsInput(attrs.activation),
      `dense cannot fuse ${attrs.activation}: apply it as an activation op after a linear dense`,
    );
    return [{ shape: [x.shape[0], w.shape[1]], dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [x, w, bias] = node.inputs;
    return [
      {
        kind: 'gemm',
        layout: 'nn',
        m: x.shape[0],
        n: w.shape[1],
        k: x.shape[1],
        a: ctx.slice(x),
        b: ctx.slice(w),
        c: ctx.slice(node.outputs[0]),
        bias: bias ? ctx.slice(bias) : null,
        activation: node.attrs.activation,
        alpha: node.attrs.alpha,
        scratch: null,
      },
    ];
  },
  gradient(node, [dY], needed) {
    const [x, w] = node.inputs;
    const { activation, alpha } = node.attrs;
    const dz =
      activation === 'linear'
        ? (dY as SymbolicTensor)
        : activationGrad(dY as SymbolicTensor, node.outputs[0], activation, alpha);
    return [
      needed[0] ? matmul(dz, w, false, true) : null,
      needed[1] ? matmul(x, dz, true, false) : null,
      needed[2] ? biasGrad(dz) : null,
    ];
  },
};

/** y = activation(x·w + b), computed in one GEMM pass with a bias-and-activation epilogue. */
export function dense(
  x: SymbolicTensor,
  w: SymbolicTensor,
  bias: SymbolicTensor | null,
  activation: KernelActivation,
  alpha = 0,
): SymbolicTensor {
  return apply1(denseOp, bias ? [x, w, bias] : [x, w], { activation, alpha });
}

export const biasGradOp: OpDef<Record<string, never>> = {
  name: 'biasGrad',
  infer([dz]) {
    invariant(dz.shape.length === 2, 'biasGrad needs a 2-D gradient');
    return [{ shape: [dz.shape[1]], dtype: 'float32' }];
  },
  emit(ctx, node: Node<Record<string, never>>) {
    const dz = node.inputs[0];
    return [
      { kind: 'columnSums', rows: dz.shape[0], cols: dz.shape[1], x: ctx.slice(dz), out: ctx.slice(node.outputs[0]) },
    ];
  },
};

/** Column sums of a [rows, cols] gradient: the gradient of a bias added to every row. */
export function biasGrad(dz: SymbolicTensor): SymbolicTensor {
  return apply1(biasGradOp, [dz], {});
}
