// Gathering a batch inside the compiled step: rows of a data set that `fit` copied into the backend
// once, picked by an int32 feed of row indices. The batch then never passes through JavaScript: a
// step writes `batch` indices instead of `batch` rows, and the copy is a kernel split over threads.

import type { BufferBinding } from '../../backend/backend.js';
import type { DType } from '../../tensor.js';
import { apply1, type SymbolicTensor } from '../tensor.js';
import { invariant, type OpDef } from '../op.js';

export interface GatherRowsAttrs {
  /** The data set, bound when the program runs: [sourceRows, …rowShape] values of `dtype`. */
  readonly source: BufferBinding;
  /** The shape of one row (one sample's features, target or weight). */
  readonly rowShape: readonly number[];
  readonly dtype: DType;
}

export const gatherRowsOp: OpDef<GatherRowsAttrs> = {
  name: 'gatherRows',
  infer([rows], attrs) {
    invariant(rows.dtype === 'int32' && rows.shape.length === 1, 'gatherRows takes int32 row indices [batch]');
    return [{ shape: [rows.shape[0], ...attrs.rowShape], dtype: attrs.dtype }];
  },
  emit(ctx, node) {
    const rows = node.inputs[0];
    const rowLength = node.attrs.rowShape.reduce((a, b) => a * b, 1);
    return [
      {
        kind: 'gatherRows',
        source: node.attrs.source,
        rows: ctx.slice(rows),
        out: ctx.slice(node.outputs[0]),
        count: rows.shape[0],
        rowLength,
      },
    ];
  },
  // Data: nothing upstream to differentiate.
};

/** Rows `rows[i]` of the bound source, as a [batch, …rowShape] tensor of `dtype`. */
export function gatherRows(
  source: BufferBinding,
  rows: SymbolicTensor,
  rowShape: readonly number[],
  dtype: DType,
): SymbolicTensor {
  return apply1(gatherRowsOp, [rows], { source, rowShape, dtype });
}
