// Structural ops: reshape (a view: no kernel, shared storage) and add (gradient accumulation).

import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

export interface ReshapeAttrs {
  readonly shape: readonly number[];
}

export const reshapeOp: OpDef<ReshapeAttrs> = {
  name: 'reshape',
  view: true,
  infer([x], attrs) {
    invariant(
      attrs.shape.reduce((a, b) => a * b, 1) === x.shape.reduce((a, b) => a * b, 1),
      'reshape changes the size',
    );
    return [{ shape: attrs.shape, dtype: x.dtype }];
  },
  emit() {
    return [];
  },
  gradient(node, [dy]) {
    return [reshape(dy as SymbolicTensor, node.inputs[0].shape)];
  },
};

export function reshape(x: SymbolicTensor, shape: readonly number[]): SymbolicTensor {
  return sameShape(x.shape, shape) ? x : apply1(reshapeOp, [x], { shape });
}

export const addOp: OpDef<Record<string, never>> = {
  name: 'add',
  infer([a, b]) {
    invariant(sameShape(a.shape, b.shape), 'add shapes differ');
    return [{ shape: a.shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [a, b] = node.inputs;
    return [{ kind: 'add', a: ctx.slice(a), b: ctx.slice(b), y: ctx.slice(node.outputs[0]), n: a.size }];
  },
  gradient(_node, [dy]) {
    return [dy as SymbolicTensor, dy as SymbolicTensor];
  },
};

export function add(a: SymbolicTensor, b: SymbolicTensor): SymbolicTensor {
  return apply1(addOp, [a, b], {});
}
