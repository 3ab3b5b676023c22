// Parameter updates: effect nodes (no outputs) that write a variable in place.

import type { HostScalar } from '../../backend/backend.js';
import { Node, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

export interface SgdAttrs {
  readonly learningRate: HostScalar;
}

export const sgdUpdateOp: OpDef<SgdAttrs> = {
  name: 'sgdUpdate',
  infer([w, g]) {
    invariant(sameShape(w.shape, g.shape), 'sgdUpdate gradient shape differs from the variable');
    return [];
  },
  emit(ctx, node) {
    const [w, g] = node.inputs;
    return [{ kind: 'sgdUpdate', w: ctx.slice(w), g: ctx.slice(g), n: w.size, learningRate: node.attrs.learningRate }];
  },
};

/** w ← w − η·g, with η read when the program runs. */
export function sgdUpdate(w: SymbolicTensor, g: SymbolicTensor, learningRate: HostScalar): Node {
  invariant(w.source.kind === 'variable', 'sgdUpdate target must be a variable');
  return new Node(sgdUpdateOp, [w, g], { learningRate });
}
