// A large weight matrix keeps one owner per column range for a whole step on threads: the product
// that reads it (X·W), the one that writes its gradient (Xᵀ·dY) and its update all split by the same
// 8-column ranges (lower/split.ts OWNED_MATRIX_FLOATS); smaller tensors and one thread keep the
// splits they had. Results are covered elsewhere: test/kernels/optimizers.test.ts (a column-range
// update is bitwise the whole one) and test/backend/threads.test.ts (1 and 2 threads train alike).
import { describe, expect, it } from 'vitest';
import type { Slice } from '../../../../src/backend/backend.js';
import type { LinearCall } from '../../../../src/backend/calls/linear.js';
import type { UpdateCall } from '../../../../src/backend/calls/update.js';
import { linearLowerers } from '../../../../src/backend/wasm/lower/linear.js';
import { OWNED_MATRIX_FLOATS } from '../../../../src/backend/wasm/lower/split.js';
import type { Lowering } from '../../../../src/backend/wasm/lower/types.js';
import { updateLowerers } from '../../../../src/backend/wasm/lower/update.js';
import { partArgs, partRange, type LoweredCall } from '../../../../src/backend/wasm/threads/lowered.js';

const arena = (byteOffset: number): Slice => ({ kind: 'arena', byteOffset });

/** A lowering that resolves arena slices to 4096 + their offset and keeps host scalars as 0. */
function lowering(threads: number): Lowering {
  return {
    at: (slice) => 4096 + (slice as { byteOffset: number }).byteOffset,
    threads,
    bound: () => ({ value: 0 }),
    call: (fn, args, split = null) => ({ fn, args: args.map((a) => (typeof a === 'number' ? a : 0)), scalars: [], split }),
  };
}

const one = (lowered: LoweredCall | LoweredCall[]): LoweredCall => (Array.isArray(lowered) ? lowered[0] : lowered);

function sgd(rows: number, cols: number): UpdateCall {
  const n = rows * cols;
  const transform = { l1: 0, l2: 0, clipValue: Infinity, normSq: null, clipNorm: 0, weightDecay: 0 };
  return { kind: 'sgdUpdate', w: arena(0), g: arena(4 * n), n, cols, learningRate: { value: 0.01 }, transform };
}

function gemm(layout: 'nn' | 'tn', m: number, n: number, k: number): Extract<LinearCall, { kind: 'gemm' }> {
  return { kind: 'gemm', layout, m, n, k, a: arena(0), b: arena(1 << 20), c: arena(2 << 20), bias: null, activation: 'linear', alpha: 0, accumulate: false, scratch: layout === 'tn' ? arena(3 << 20) : null };
}

describe('a large weight matrix split by its columns on threads', () => {
  it('splits the update of a 784×300 kernel by 8-column ranges: each part is 784 spans of its columns, 300 floats apart', () => {
    expect(784 * 300).toBeGreaterThanOrEqual(OWNED_MATRIX_FLOATS);
    const call = one(updateLowerers.sgdUpdate(sgd(784, 300) as Extract<UpdateCall, { kind: 'sgdUpdate' }>, lowering(2)));
    expect(call.split).toMatchObject({ units: 300, align: 8, sizeArgs: [2], minUnits: 1 });
    expect(call.args.slice(-2)).toEqual([784, 300]);
    expect(partRange(call.split, 0, 2)).toEqual([0, 152]);
    expect(partRange(call.split, 1, 2)).toEqual([152, 300]);
    // Thread 1: w and g advanced by 152 floats, 148 columns per row.
    const part = partArgs(call, 1, 2, 0);
    expect([part[0], part[1], part[2]]).toEqual([4096 + 152 * 4, 4096 + 784 * 300 * 4 + 152 * 4, 148]);
  });

  it('splits the products that read the kernel and write its gradient by the same columns', () => {
    const forward = one(linearLowerers.gemm(gemm('nn', 128, 300, 784), lowering(2)));
    const gradient = one(linearLowerers.gemm(gemm('tn', 784, 300, 128), lowering(2)));
    const update = one(updateLowerers.sgdUpdate(sgd(784, 300) as Extract<UpdateCall, { kind: 'sgdUpdate' }>, lowering(2)));
    // The column count (n, argument 1) is what each part gets: the same ranges as the update's.
    for (const call of [forward, gradient]) {
      expect(call.split?.sizeArgs).toEqual([1]);
      expect([0, 1].map((t) => partRange(call.split, t, 2))).toEqual([0, 1].map((t) => partRange(update.split, t, 2)));
    }
  });

  it('keeps the element split for a smaller matrix, a vector and one thread, with one span of the whole tensor', () => {
    const small = one(updateLowerers.sgdUpdate(sgd(300, 100) as Extract<UpdateCall, { kind: 'sgdUpdate' }>, lowering(2)));
    expect(small.split).toMatchObject({ units: 30_000, align: 16 });
    expect(small.args.slice(-2)).toEqual([1, 0]);
    const alone = one(updateLowerers.sgdUpdate(sgd(784, 300) as Extract<UpdateCall, { kind: 'sgdUpdate' }>, lowering(1)));
    expect(alone.split).toMatchObject({ units: 784 * 300, align: 16 });
    expect(alone.args.slice(-2)).toEqual([1, 0]);
    const vector = one(updateLowerers.sgdUpdate(sgd(1, 100_000) as Extract<UpdateCall, { kind: 'sgdUpdate' }>, lowering(2)));
    expect(vector.split).toMatchObject({ units: 100_000, align: 16 });
    // A smaller forward product keeps the cheaper split (rows here: 64 of 128 against 56 of 100 columns).
    const forward = one(linearLowerers.gemm(gemm('nn', 128, 100, 300), lowering(2)));
    expect(forward.split?.sizeArgs).toEqual([0]);
  });
});
