import type { PrimitiveCall } from '../../calls/primitive.js';
import { byRows } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface PrimitiveKernels {
  gatherRows(source: Ptr, rows: Ptr, count: number, rowBytes: number, out: Ptr): void;
}

export const primitiveLowerers: Partial<Lowerers<PrimitiveCall>> = {
  gatherRows(call, l) {
    // Split by rows: each thread copies its range of out's rows (indices and out advance; the source
    // pointer, read from the binding at each run, stays put).
    const args = [l.bound(call.source), l.at(call.rows), call.count, call.rowLength * 4, l.at(call.out)];
    return l.call('gatherRows', args, byRows(args, call.count, call.rowLength, 2, [4], 'light', [[1, 4]]));
  },
};
