// The harness of the per-call conformance suite (calls.test.ts): what a case is (buffers and one
// kernel call, as data), how a case runs on a backend, how its outputs are compared with the float64
// reference backend's, and the seeded data and statistical checks the cases (cases/*.ts) use.

import { expect } from 'vitest';
import type { Backend, BufferBinding, DeviceBuffer, KernelCall, Slice } from '../../../src/backend/backend.js';
import { Generator } from '../../../src/random.js';

// ---- cases -------------------------------------------------------------------------------------

/** A buffer of a case: its initial contents (or `length` zeros); compared after the run unless int32 or `ignore`. */
export interface BufferSpec {
  readonly data?: Float32Array | Int32Array;
  /** Floats; a function for sizes the backend decides (GEMM scratch). */
  readonly length?: number | ((backend: Backend) => number);
  /** Scratch: not compared. */
  readonly ignore?: boolean;
}
export type Slices = Readonly<Record<string, Slice>>;
/** Every buffer of a case as a BufferBinding too (for gatherRows' bound source). */
export type Bindings = Readonly<Record<string, BufferBinding>>;
/** A run's float buffers, by name. */
export type Outputs = Record<string, Float32Array>;

export interface CallCase {
  readonly name: string;
  readonly buffers: Readonly<Record<string, BufferSpec>>;
  readonly call: (s: Slices, bound: Bindings) => KernelCall;
  /** Runs of the program (stateful updates: several; 1 by default). */
  readonly steps?: number;
  /** Sets the case's host scalars before run `step` (1, 2, …). */
  readonly before?: (step: number) => void;
  /** Outputs compared bitwise instead of within the tolerance. */
  readonly exact?: readonly string[];
  /**
   * Outputs drawn from the random stream: compared with the reference only on a backend with the
   * same stream (`sameRandomStream`); on the others `check` looks at them statistically instead.
   */
  readonly random?: { readonly outputs: readonly string[]; readonly check: (out: Outputs, c: CallCase) => void };
  /** Facts about the reference's outputs that make the case mean something (a NaN loss, w changed). */
  readonly expectReference?: (out: Outputs) => void;
  /** Large enough to split over threads: on two threads also bitwise equal to one thread's result. */
  readonly split?: boolean;
}

// ---- running -----------------------------------------------------------------------------------

const floats = (spec: BufferSpec, backend: Backend) =>
  spec.data?.length ?? (typeof spec.length === 'function' ? spec.length(backend) : (spec.length ?? 0));

/** The one-call program of a case with placeholder slices (for looking at its kind or its expansion). */
export function placeholderProgram(c: CallCase): { arenaBytes: number; calls: KernelCall[] } {
  const slice = new Proxy({}, { get: (): Slice => ({ kind: 'arena', byteOffset: 0 }) }) as Slices;
  const bound = new Proxy({}, { get: (): BufferBinding => ({ buffer: null }) }) as Bindings;
  return { arenaBytes: 0, calls: [c.call(slice, bound)] };
}

/** Runs the case as a one-call program on `backend` (fresh buffers), returning its float buffers. */
export function runCase(backend: Backend, c: CallCase): Outputs {
  const buffers: Record<string, DeviceBuffer> = {};
  const slices: Record<string, Slice> = {};
  const bound: Record<string, BufferBinding> = {};
  for (const [name, spec] of Object.entries(c.buffers)) {
    const buffer = spec.data ? backend.upload(spec.data) : backend.createBuffer(4 * Math.max(1, floats(spec, backend)));
    buffers[name] = buffer;
    slices[name] = { kind: 'buffer', buffer, byteOffset: 0 };
    bound[name] = { buffer };
  }
  const exe = backend.compile({ arenaBytes: 0, calls: [c.call(slices, bound)] });
  try {
    for (let step = 1; step <= (c.steps ?? 1); step++) {
      c.before?.(step);
      exe.run();
    }
    const out: Outputs = {};
    for (const [name, spec] of Object.entries(c.buffers)) {
      if (!spec.ignore && !(spec.data instanceof Int32Array))
        out[name] = backend.readF32(buffers[name], 0, floats(spec, backend));
    }
    return out;
  } finally {
    exe.dispose();
    for (const buffer of Object.values(buffers)) backend.disposeBuffer(buffer);
  }
}

// ---- comparing ---------------------------------------------------------------------------------

/** Elementwise |a − e| ≤ atol + rtol·|e|; NaN only where the reference has NaN, ±Infinity exactly. */
export function expectClose(
  actual: Float32Array,
  expected: Float32Array,
  rtol: number,
  atol: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
      expect.fail(`${what}[${i}]: ${a}, the reference ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Bitwise equal (NaN payloads aside). */
export function expectSame(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect.fail(`${what}[${i}]: ${actual[i]}, expected exactly ${expected[i]}`);
    }
  }
}

// ---- statistical checks of random outputs --------------------------------------------------------

/** |kept − n·p| within 4 standard deviations of Binomial(n, p), plus one. */
export function expectBinomial(kept: number, n: number, p: number, what: string): void {
  const bound = 4 * Math.sqrt(n * p * (1 - p)) + 1;
  expect(
    Math.abs(kept - n * p),
    `${what}: ${kept} of ${n} kept, expected ${n * p} ± ${bound.toFixed(1)}`,
  ).toBeLessThanOrEqual(bound);
}

const near = (a: number, e: number) => Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e);

/** Uniform values: in [0, 1), their mean within 4σ of ½. */
export function uniformCheck(name: string) {
  return (out: Outputs): void => {
    const y = out[name];
    for (let i = 0; i < y.length; i++)
      if (!(y[i] >= 0 && y[i] < 1)) expect.fail(`${name}[${i}] = ${y[i]} is outside [0, 1)`);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    expect(Math.abs(mean - 0.5), `mean ${mean}`).toBeLessThanOrEqual(4 * Math.sqrt(1 / 12 / y.length) + 1e-6);
  };
}

/**
 * A dropout's outputs on a backend with its own stream: every element kept (y = keep(x), mask =
 * maskKept) or dropped (y = dropped, mask 0), the mask agreeing with y, the fraction kept binomial.
 */
export function dropoutCheck(o: {
  x: string;
  y: string;
  mask?: string;
  rate: number;
  keep: (x: number) => number;
  dropped: number;
  maskKept: number;
}) {
  return (out: Outputs, c: CallCase): void => {
    const x = c.buffers[o.x].data!;
    const y = out[o.y];
    const mask = o.mask ? out[o.mask] : null;
    let kept = 0;
    for (let i = 0; i < y.length; i++) {
      const isKept = mask ? mask[i] !== 0 : !near(y[i], o.dropped) || near(y[i], o.keep(x[i]));
      if (isKept) kept++;
      if (!near(y[i], isKept ? o.keep(x[i]) : o.dropped))
        expect.fail(`${o.y}[${i}] = ${y[i]}: neither kept (${o.keep(x[i])}) nor dropped (${o.dropped})`);
      if (mask && !near(mask[i], isKept ? o.maskKept : 0)) expect.fail(`${o.mask}[${i}] = ${mask[i]}`);
    }
    expectBinomial(kept, y.length, 1 - o.rate, 'kept');
  };
}

// ---- seeded data -------------------------------------------------------------------------------

let counter = 1;
const rng = () => new Generator(1000 + counter++);

/** n seeded normal values times `scale`. */
export function normals(n: number, scale = 1): Float32Array {
  const g = rng();
  return Float32Array.from({ length: n }, () => g.normal() * scale);
}
/** n seeded values in [lo, hi). */
export function uniforms(n: number, lo: number, hi: number): Float32Array {
  const g = rng();
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * g.uniform());
}
/** n seeded integers in [0, k). */
export function ints(n: number, k: number): Int32Array {
  const g = rng();
  return Int32Array.from({ length: n }, () => g.int(k));
}
/** Values from {0, 1, 2, 3}·0.5: rows with ties. */
export function tied(n: number): Float32Array {
  const g = rng();
  return Float32Array.from({ length: n }, () => g.int(4) * 0.5);
}
/** One-hot rows of `labels`. */
export function oneHotRows(labels: Int32Array, cols: number): Float32Array {
  const t = new Float32Array(labels.length * cols);
  for (const [i, l] of labels.entries()) t[i * cols + l] = 1;
  return t;
}
/** Per-sample weights, one of them 0. */
export function sampleWeights(rows: number): Float32Array {
  const w = uniforms(rows, 0.25, 2);
  w[1] = 0;
  return w;
}
/** Activation inputs: normals over the interesting range, with zeros, tiny and saturating values. */
export function activationInputs(n: number): Float32Array {
  const x = normals(n, 2.5);
  const specials = [0, -0, 1e-6, -1e-6, 30, -30, 100, -100, -3, 2.6, -2.4, NaN, Infinity, -Infinity];
  for (const [i, v] of specials.entries()) x[(i * 5) % n] = v;
  return x;
}
