// A training step compiled by hand, as the graph compiler would emit it: a batch gathered from a
// bound data set, dense relu (+ dropout) → dense, sparse softmax cross-entropy from logits with its
// accuracy count, the backward pass and an Adam update of every parameter. Intermediates live in the
// arena; parameters, optimizer slots and outputs in buffers. Used by the leak and training tests.

import type { Backend, DeviceBuffer, HostScalar, KernelCall, Slice } from '../../../src/backend/backend.js';
import type { GradientTransform } from '../../../src/backend/calls/update.js';
import { uniforms } from './helpers.js';

export const SAMPLES = 24;
export const FEATURES = 5;
export const HIDDEN = 7;
export const CLASSES = 3;
export const BATCH = 6;

/** A data set with a learnable rule (class from the sign of two feature sums). */
export function stepData(): { x: Float32Array; y: Int32Array } {
  const x = uniforms(SAMPLES * FEATURES, 99, -1, 1);
  const y = new Int32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const s = x[i * FEATURES] + x[i * FEATURES + 1] - x[i * FEATURES + 2];
    y[i] = s < -0.4 ? 0 : s < 0.4 ? 1 : 2;
  }
  return { x, y };
}

export interface StepProgram {
  /** Runs step t (1-based): sets the batch rows, learning rate and Adam corrections, runs. */
  step(t: number): void;
  loss(): number;
  hits(): Float32Array;
  weights(): Float32Array[];
  dispose(): void;
}

const NO_TRANSFORM: GradientTransform = {
  l1: 0,
  l2: 0,
  normSq: null,
  clipNorm: 0,
  clipValue: Infinity,
  weightDecay: 0,
};

/** Builds the step on `backend`: `dropout` 0 leaves the dropout out (backends draw different masks). */
export function stepProgram(backend: Backend, dropout = 0): StepProgram {
  const { x, y } = stepData();
  const params = [
    uniforms(FEATURES * HIDDEN, 1, -0.6, 0.6),
    uniforms(HIDDEN, 2, -0.1, 0.1),
    uniforms(HIDDEN * CLASSES, 3, -0.6, 0.6),
    uniforms(CLASSES, 4, -0.1, 0.1),
  ];
  const buffers: DeviceBuffer[] = [];
  const keep = <B extends DeviceBuffer>(b: B): B => {
    buffers.push(b);
    return b;
  };
  const at = (buffer: DeviceBuffer): Slice => ({ kind: 'buffer', buffer, byteOffset: 0 });
  const w = params.map((p) => keep(backend.upload(p)));
  const m = params.map((p) => keep(backend.createBuffer(p.byteLength)));
  const v = params.map((p) => keep(backend.createBuffer(p.byteLength)));
  const lossBuf = keep(backend.createBuffer(4));
  const hitsBuf = keep(backend.createBuffer(8));
  const rowsBuf = keep(backend.createBuffer(BATCH * 4));
  const data = { buffer: keep(backend.upload(x)) };
  const labels = { buffer: keep(backend.upload(y)) };

  let top = 0;
  const arena = (floats: number): Slice => {
    const slice: Slice = { kind: 'arena', byteOffset: top };
    top += Math.ceil((floats * 4) / 64) * 64;
    return slice;
  };
  const X = arena(BATCH * FEATURES);
  const Y = arena(BATCH);
  const h = arena(BATCH * HIDDEN);
  const mask = arena(BATCH * HIDDEN);
  const d = arena(BATCH * HIDDEN);
  const z = arena(BATCH * CLASSES);
  const dz = arena(BATCH * CLASSES);
  const dd = arena(BATCH * HIDDEN);
  const grads = [arena(FEATURES * HIDDEN), arena(HIDDEN), arena(HIDDEN * CLASSES), arena(CLASSES)];

  /** The packing scratch a gemm needs on this backend (WASM), null when none. */
  const scratch = (layout: 'nn' | 'tn' | 'nt', m: number, n: number, k: number): Slice | null => {
    const bytes = backend.gemmScratchBytes(layout, m, n, k);
    return bytes > 0 ? arena(bytes / 4) : null;
  };
  const seed: HostScalar = { value: 1 };
  const lr: HostScalar = { value: 0.05 };
  const c1: HostScalar = { value: 0 };
  const c2: HostScalar = { value: 0 };
  const hidden = dropout > 0 ? d : h;
  const calls: KernelCall[] = [
    { kind: 'gatherRows', source: data, rows: at(rowsBuf), out: X, count: BATCH, rowLength: FEATURES },
    { kind: 'gatherRows', source: labels, rows: at(rowsBuf), out: Y, count: BATCH, rowLength: 1 },
    {
      kind: 'gemm',
      layout: 'nn',
      m: BATCH,
      n: HIDDEN,
      k: FEATURES,
      a: X,
      b: at(w[0]),
      c: h,
      bias: at(w[1]),
      activation: 'relu',
      alpha: 0,
      scratch: scratch('nn', BATCH, HIDDEN, FEATURES),
    },
    ...(dropout > 0
      ? [{ kind: 'dropout', x: h, y: d, mask, n: BATCH * HIDDEN, rate: dropout, seed, salt: 7 } as const]
      : []),
    {
      kind: 'gemm',
      layout: 'nn',
      m: BATCH,
      n: CLASSES,
      k: HIDDEN,
      a: hidden,
      b: at(w[2]),
      c: z,
      bias: at(w[3]),
      activation: 'linear',
      alpha: 0,
      scratch: scratch('nn', BATCH, CLASSES, HIDDEN),
    },
    {
      kind: 'crossEntropy',
      input: 'logits',
      labels: 'sparse',
      x: z,
      target: Y,
      rows: BATCH,
      cols: CLASSES,
      grad: dz,
      gradScale: 1 / BATCH,
      lossOut: at(lossBuf),
      weights: null,
      smoothing: 0,
      partials: null,
    },
    {
      kind: 'categoricalHits',
      labels: 'sparse',
      scores: z,
      target: Y,
      rows: BATCH,
      cols: CLASSES,
      k: 0,
      weights: null,
      out: at(hitsBuf),
    },
    // backward
    {
      kind: 'gemm',
      layout: 'tn',
      m: HIDDEN,
      n: CLASSES,
      k: BATCH,
      a: hidden,
      b: dz,
      c: grads[2],
      bias: null,
      activation: 'linear',
      alpha: 0,
      scratch: scratch('tn', HIDDEN, CLASSES, BATCH),
    },
    { kind: 'columnSums', rows: BATCH, cols: CLASSES, x: dz, out: grads[3] },
    {
      kind: 'gemm',
      layout: 'nt',
      m: BATCH,
      n: HIDDEN,
      k: CLASSES,
      a: dz,
      b: at(w[2]),
      c: dd,
      bias: null,
      activation: 'linear',
      alpha: 0,
      scratch: scratch('nt', BATCH, HIDDEN, CLASSES),
    },
    ...(dropout > 0 ? [{ kind: 'dropoutBackward', dy: dd, mask, dx: dd, n: BATCH * HIDDEN } as const] : []),
    { kind: 'activationBackward', activation: 'relu', alpha: 0, x: null, y: h, dy: dd, dx: dd, n: BATCH * HIDDEN },
    {
      kind: 'gemm',
      layout: 'tn',
      m: FEATURES,
      n: HIDDEN,
      k: BATCH,
      a: X,
      b: dd,
      c: grads[0],
      bias: null,
      activation: 'linear',
      alpha: 0,
      scratch: scratch('tn', FEATURES, HIDDEN, BATCH),
    },
    { kind: 'columnSums', rows: BATCH, cols: HIDDEN, x: dd, out: grads[1] },
    ...params.map(
      (p, i): KernelCall => ({
        kind: 'adamUpdate',
        w: at(w[i]),
        g: grads[i],
        n: p.length,
        cols: i % 2 === 0 ? (i === 0 ? HIDDEN : CLASSES) : p.length,
        learningRate: lr,
        transform: NO_TRANSFORM,
        m: at(m[i]),
        v: at(v[i]),
        vHat: null,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        correction1: c1,
        correction2: c2,
      }),
    ),
  ];
  const exe = backend.compile({ arenaBytes: top, calls });
  return {
    step(t) {
      const order = new Int32Array(BATCH);
      for (let i = 0; i < BATCH; i++) order[i] = ((t - 1) * BATCH + i * 5) % SAMPLES;
      backend.write(rowsBuf, order);
      seed.value = 1000 + t;
      c1.value = 1 - 0.9 ** t;
      c2.value = 1 - 0.999 ** t;
      exe.run();
    },
    loss: () => backend.readScalar(lossBuf, 0),
    hits: () => backend.readF32(hitsBuf, 0, 2),
    weights: () => params.map((p, i) => backend.readF32(w[i], 0, p.length)),
    dispose() {
      exe.dispose();
      for (const b of buffers) backend.disposeBuffer(b);
    },
  };
}
