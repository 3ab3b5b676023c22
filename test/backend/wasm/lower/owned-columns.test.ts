// A large weight matrix trained on a small batch keeps one owner per column range for a whole step on
// threads: the product that reads it (X·W), the one that writes its gradient (Xᵀ·dY) and its update
// all split by the same 8-column ranges (lower/split.ts ownsColumns); larger batches, smaller tensors
// and one thread keep the splits they had. Results are covered elsewhere: test/kernels/optimizers.test.ts
// (a column-range update is bitwise the whole one) and test/backend/threads.test.ts (1 and 2 threads
// train alike).
import { describe, expect, it } from 'vitest';
import type { Slice } from '../../../../src/backend/backend.js';
import type { LinearCall } from '../../../../src/backend/calls/linear.js';
import type { UpdateCall } from '../../../../src/backend/calls/update.js';
import { createLowering } from '../../../../src/backend/wasm/lower/index.js';
import { linearLowerers } from '../../../../src/backend/wasm/lower/linear.js';
import { OWNED_MATRIX_FLOATS, OWNED_BATCH_RATIO } from '../../../../src/backend/wasm/lower/split.js';
import type { Lowering } from '../../../../src/backend/wasm/lower/types.js';
import { updateLowerers } from '../../../../src/backend/wasm/lower/update.js';
import { partArgs, partRange, type LoweredCall } from '../../../../src/backend/wasm/threads/lowered.js';

const arena = (byteOffset: number): Slice => ({ kind: 'arena', byteOffset });

/** A lowering that resolves arena slices to 4096 + their offset. */
function lowering(threads: number): Lowering {
  return createLowering(
    (slice) => 4096 + (slice as { byteOffset: number }).byteOffset,
    threads,
    () => 0,
  ).lowering;
}

const one = (lowered: LoweredCall | LoweredCall[]): LoweredCall => (Array.isArray(lowered) ? lowered[0] : lowered);

const GRADIENT = 2 << 20;

function sgd(rows: number, cols: number): Extract<UpdateCall, { kind: 'sgdUpdate' }> {
  const n = rows * cols;
  const transform = { l1: 0, l2: 0, clipValue: Infinity, normSq: null, clipNorm: 0, weightDecay: 0 };
  return {
    kind: 'sgdUpdate',
    w: arena(4 << 20),
    g: arena(GRADIENT),
    n,
    cols,
    learningRate: { value: 0.01 },
    transform,
  };
}

/** nn: X[batch×in]·W[in×out]; tn: the gradient Xᵀ·dY into GRADIENT (m = in, n = out, k = batch). */
function gemm(layout: 'nn' | 'tn', m: number, n: number, k: number): Extract<LinearCall, { kind: 'gemm' }> {
  return {
    kind: 'gemm',
    layout,
    m,
    n,
    k,
    a: arena(0),
    b: arena(1 << 20),
    c: arena(GRADIENT),
    bias: null,
    activation: 'linear',
    alpha: 0,
    scratch: layout === 'tn' ? arena(3 << 20) : null,
  };
}

/** A training step's three calls for a [inputs × units] kernel at `batch`, lowered in program order. */
function step(threads: number, batch: number, inputs: number, units: number) {
  const l = lowering(threads);
  const forward = one(linearLowerers.gemm(gemm('nn', batch, units, inputs), l));
  const gradient = one(linearLowerers.gemm(gemm('tn', inputs, units, batch), l));
  const update = one(updateLowerers.sgdUpdate(sgd(inputs, units), l));
  return { forward, gradient, update };
}

describe('a large weight matrix on a small batch, split by its columns on threads', () => {
  it(
    'splits the reference kernel (784×300) at batch 32 by 8-column ranges in all three calls; the update is 784 ' +
      'spans of its columns, 300 floats apart',
    () => {
      expect(784 * 300).toBeGreaterThanOrEqual(OWNED_MATRIX_FLOATS);
      expect(300).toBeGreaterThanOrEqual(OWNED_BATCH_RATIO * 32);
      const { forward, gradient, update } = step(2, 32, 784, 300);
      expect(update.split).toMatchObject({ units: 300, align: 8, sizeArgs: [2], minUnits: 1 });
      expect(update.args.slice(-2)).toEqual([784, 300]);
      expect(partRange(update.split, 0, 2)).toEqual([0, 152]);
      expect(partRange(update.split, 1, 2)).toEqual([152, 300]);
      // Thread 1: w and g advanced by 152 floats, 148 columns per row.
      const part = partArgs(update, 1, 2, 0);
      expect([part[0], part[1], part[2]]).toEqual([4096 + (4 << 20) + 152 * 4, 4096 + GRADIENT + 152 * 4, 148]);
      // The products' column count (n, argument 1) is what each part gets: the update's ranges.
      for (const call of [forward, gradient]) {
        expect(call.split?.sizeArgs).toEqual([1]);
        expect([0, 1].map((t) => partRange(call.split, t, 2))).toEqual(
          [0, 1].map((t) => partRange(update.split, t, 2)),
        );
      }
      // The gradient's product reads X in place: no pack, no per-thread scratch.
      expect(gradient.args[10]).toBe(0);
      expect(gradient.split?.scratchArg).toBeUndefined();
    },
  );

  it('keeps row and element splits at batch 128 (X large next to W), for a smaller matrix, and on one thread', () => {
    for (const [threads, batch, inputs, units] of [
      [2, 128, 784, 300],
      [2, 32, 300, 100],
      [1, 32, 784, 300],
    ]) {
      const { forward, gradient, update } = step(threads, batch, inputs, units);
      const what = `${threads} threads, batch ${batch}, ${inputs}×${units}`;
      expect(gradient.split?.sizeArgs, what).toEqual([0]);
      expect(gradient.args[10], what).toBe(4096 + (3 << 20));
      expect(update.split, what).toMatchObject({ units: inputs * units, align: 16 });
      expect(update.args.slice(-2), what).toEqual([1, 0]);
      // the forward product keeps the cheaper split: rows here
      if (threads > 1) expect(forward.split?.sizeArgs, what).toEqual([0]);
    }
  });
});
