// What the tfjs backend tests share: the backend on tfjs's cpu backend in Node, the float64
// reference, a one-program runner over buffers, and a float32-tolerance comparison.

import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Backend, DeviceBuffer, KernelCall, Slice } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';

export { tf };

/** tfjs on its cpu backend, then the simdnet backend on it (and one without overrides). */
export async function tfjsCpu(): Promise<{ tfjs: TfjsBackend; plain: TfjsBackend; reference: ReferenceBackend }> {
  await tf.setBackend('cpu');
  await tf.ready();
  return {
    tfjs: new TfjsBackend(tf),
    plain: new TfjsBackend(tf, { overrides: false }),
    reference: new ReferenceBackend(),
  };
}

/** A buffer of a case: its contents, or `length` zeros; read back after the run unless int32. */
export interface BufferSpec {
  data?: Float32Array | Int32Array;
  length?: number;
}
export type Slices = Record<string, Slice>;

/**
 * Uploads the buffers, compiles `build`'s calls as one program (buffers only), runs it `runs` times, reads every float
 * buffer.
 */
export function runOn(
  backend: Backend,
  specs: Record<string, BufferSpec>,
  build: (s: Slices, buffers: Record<string, DeviceBuffer>) => KernelCall[],
  runs = 1,
): Record<string, Float32Array> {
  const buffers: Record<string, DeviceBuffer> = {};
  const slices: Slices = {};
  for (const [name, spec] of Object.entries(specs)) {
    const buffer = spec.data ? backend.upload(spec.data) : backend.createBuffer(4 * (spec.length ?? 0));
    buffers[name] = buffer;
    slices[name] = { kind: 'buffer', buffer, byteOffset: 0 };
  }
  const exe = backend.compile({ arenaBytes: 0, calls: build(slices, buffers) });
  try {
    for (let i = 0; i < runs; i++) exe.run();
    const values: Record<string, Float32Array> = {};
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.data instanceof Int32Array) continue;
      values[name] = backend.readF32(buffers[name], 0, spec.data?.length ?? spec.length ?? 0);
    }
    return values;
  } finally {
    exe.dispose();
    for (const buffer of Object.values(buffers)) backend.disposeBuffer(buffer);
  }
}

/** |a − e| ≤ atol + rtol·|e| elementwise; NaN matches NaN, ±Infinity itself. */
export function expectClose(
  actual: Float32Array,
  expected: Float32Array,
  what: string,
  rtol = 1e-5,
  atol = 1e-6,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
      expect.fail(`${what}[${i}]: tfjs gives ${a}, the reference ${e}`);
  }
}

/** The largest |a − e| / max(1, |e|) over finite pairs (for reporting tolerances). */
export function worstRelative(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isFinite(expected[i])) continue;
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  return worst;
}

/** A seeded stream of numbers in [0, 1) (integer LCG, the same everywhere). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 8) / 16777216;
  };
}

/** n values in [lo, hi), seeded. */
export function uniforms(n: number, seed: number, lo = -3, hi = 3): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** n multiples of 0.25 in [-3, 3] (exact in float32; equal values, zeros and integers occur). */
export function quarters(n: number, seed: number): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length: n }, () => Math.round(next() * 24 - 12) / 4);
}
