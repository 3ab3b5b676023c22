// Parameter updates: effect nodes (no outputs) that write a variable in place.

import type { HostScalar } from '../../backend/backend.js';
import { Node, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

export interface SgdAttrs {
  readonly learningRate: HostScalar;
  /** Regularizer factors fused into the update (0 when none). */
  readonly l1: number;
  readonly l2: number;
}

export const sgdUpdateOp: OpDef<SgdAttrs> = {
  name: 'sgdUpdate',
  infer([w, g]) {
    invariant(sameShape(w.shape, g.shape), 'sgdUpdate gradient shape differs from the variable');
    return [];
  },
  emit(ctx, node) {
    const [w, g] = node.inputs;
    const { learningRate, l1, l2 } = node.attrs;
    return [{ kind: 'sgdUpdate', w: ctx.slice(w), g: ctx.slice(g), n: w.size, learningRate, l1, l2 }];
  },
};

/** w ← w − η·(g + l1·sign(w) + 2·l2·w), with η read when the program runs. */
export function sgdUpdate(w: SymbolicTensor, g: SymbolicTensor, learningRate: HostScalar, l1 = 0, l2 = 0): Node {
  invariant(w.source.kind === 'variable', 'sgdUpdate target must be a variable');
  return new Node(sgdUpdateOp, [w, g], { learningRate, l1, l2 });
}
