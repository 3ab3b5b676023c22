// The default compositions of the loss, metric and update families (backend/defaults/) against the
// WASM kernels: every call kind and variant (sparse/dense, logits/probs, weights, grad, smoothing,
// every pointwise loss; every metric with its tie rules; every optimizer with its options and every
// gradient-transform field) as a one-call program on small odd shapes, run on the WASM backend as it
// is and, expanded into primitives, on the float64 reference backend. Float32 tolerance; updates
// run several steps in a row (state, learning rate and bias corrections changing between steps).

import { afterAll, describe, expect, it } from 'vitest';
import type { Backend, DeviceBuffer, HostScalar, KernelCall, Slice } from '../../../src/backend/backend.js';
import type { PointwiseLossKind } from '../../../src/backend/calls/loss.js';
import { PRIMITIVE_KINDS } from '../../../src/backend/calls/primitive.js';
import type { GradientTransform, UpdateCall } from '../../../src/backend/calls/update.js';
import { expandProgram } from '../../../src/backend/defaults/expand.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';
import { Generator } from '../../../src/random.js';

const RTOL = 1e-4;
const ATOL = 1e-5;
const ROWS = 5;
const COLS = 7;
const N = ROWS * COLS;

const PRIMITIVE = new Set<string>(PRIMITIVE_KINDS);
const wasm = new WasmBackend({ threads: 1 });
const reference = new ReferenceBackend();
afterAll(() => wasm.stop());

// ---- data --------------------------------------------------------------------------------------

let seed = 1;
const rng = () => new Generator(5000 + seed++);
/** n seeded values in [lo, hi). */
function uniforms(n: number, lo: number, hi: number): Float32Array {
  const g = rng();
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * g.uniform());
}
/** n seeded integers in [0, k). */
function ints(n: number, k: number): Int32Array {
  const g = rng();
  return Int32Array.from({ length: n }, () => g.int(k));
}
/** One-hot rows of `labels`. */
function oneHot(labels: Int32Array, cols = COLS): Float32Array {
  const t = new Float32Array(labels.length * cols);
  labels.forEach((l, i) => (t[i * cols + l] = 1));
  return t;
}
/** Per-sample weights, one of them 0. */
function sampleWeights(rows = ROWS): Float32Array {
  const w = uniforms(rows, 0.25, 2);
  w[1] = 0;
  return w;
}
/** Values from {0, 1, 2, 3}·0.5: rows with ties. */
function tied(n: number): Float32Array {
  const g = rng();
  return Float32Array.from({ length: n }, () => g.int(4) * 0.5);
}

// ---- running one call on both backends ---------------------------------------------------------

/** A buffer of a case: initial contents (or zeros of `length`); compared after the run unless int32 or `ignore`. */
interface BufferSpec {
  data?: Float32Array | Int32Array;
  length?: number;
  ignore?: boolean;
}
type Slices = Record<string, Slice>;

interface Case {
  buffers: Record<string, BufferSpec>;
  build: (s: Slices) => KernelCall;
  /** Runs of the program (stateful updates: several). */
  steps?: number;
  /** Sets the host scalars before run `step` (1, 2, …). */
  before?: (step: number) => void;
}

function runOn(backend: Backend, c: Case, expand: boolean): Record<string, Float32Array> {
  const buffers: Record<string, DeviceBuffer> = {};
  const slices: Slices = {};
  for (const [name, spec] of Object.entries(c.buffers)) {
    const buffer = spec.data ? backend.upload(spec.data) : backend.createBuffer(4 * (spec.length ?? 0));
    buffers[name] = buffer;
    slices[name] = { kind: 'buffer', buffer, byteOffset: 0 };
  }
  let program = { arenaBytes: 0, calls: [c.build(slices)] };
  if (expand) {
    program = expandProgram(program, (kind) => PRIMITIVE.has(kind)) as typeof program;
    for (const call of program.calls) expect(PRIMITIVE_KINDS).toContain(call.kind);
  }
  const exe = backend.compile(program);
  try {
    for (let step = 1; step <= (c.steps ?? 1); step++) {
      c.before?.(step);
      exe.run();
    }
    const values: Record<string, Float32Array> = {};
    for (const [name, spec] of Object.entries(c.buffers)) {
      if (spec.ignore || spec.data instanceof Int32Array) continue;
      values[name] = backend.readF32(buffers[name], 0, spec.data?.length ?? spec.length ?? 0);
    }
    return values;
  } finally {
    exe.dispose();
    for (const buffer of Object.values(buffers)) backend.disposeBuffer(buffer);
  }
}

function close(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if ((Number.isNaN(e) && Number.isNaN(a)) || a === e) continue;
    if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) expect.fail(`${what}[${i}]: defaults give ${a}, WASM gives ${e}`);
  }
}

/** Runs the case on WASM and, expanded, on the reference: every float buffer must agree. Returns WASM's. */
function compare(c: Case): Record<string, Float32Array> {
  const expected = runOn(wasm, c, false);
  const actual = runOn(reference, c, true);
  for (const name of Object.keys(expected)) close(actual[name], expected[name], name);
  return expected;
}

// ---- losses ------------------------------------------------------------------------------------

/** Probability rows (not normalised: the dense path divides by the sum), some below ε and one 0. */
function probabilities(): Float32Array {
  const p = uniforms(N, 0.01, 1);
  p[3] = 0;
  p[9] = 1e-9;
  p[20] = 5e-8;
  return p;
}

describe('loss defaults', () => {
  const variants = [
    { input: 'logits', labels: 'sparse' },
    { input: 'logits', labels: 'dense' },
    { input: 'probs', labels: 'sparse' },
    { input: 'probs', labels: 'dense' },
  ] as const;
  for (const { input, labels } of variants) {
    for (const weighted of [false, true]) {
      for (const withGrad of [true, false]) {
        const smoothings = labels === 'dense' ? [0, 0.1] : [0];
        for (const smoothing of smoothings) {
          const name = `crossEntropy ${input} ${labels}${weighted ? ', weighted' : ''}${withGrad ? '' : ', no grad'}${smoothing ? `, smoothing ${smoothing}` : ''}`;
          it(name, () => {
            const x = input === 'logits' ? uniforms(N, -4, 4) : probabilities();
            const classes = ints(ROWS, COLS);
            if (input === 'probs') x[2 * COLS + classes[2]] = 1e-8; // a label probability below ε
            const target = labels === 'sparse' ? classes : oneHot(classes);
            const out = compare({
              buffers: { x: { data: x }, target: { data: target }, weights: { data: sampleWeights() }, grad: { length: N }, loss: { length: 1 } },
              build: (s) => ({
                kind: 'crossEntropy', input, labels, x: s.x, target: s.target, rows: ROWS, cols: COLS, grad: withGrad ? s.grad : null, gradScale: 1 / ROWS,
                lossOut: s.loss, weights: weighted ? s.weights : null, smoothing, partials: null,
              }),
            });
            expect(Number.isFinite(out.loss[0])).toBe(true);
          });
        }
      }
    }
  }

  for (const input of ['logits', 'probs'] as const) {
    it(`crossEntropy ${input} sparse with a label outside [0, cols): NaN loss, the gradient without its label term`, () => {
      const classes = ints(ROWS, COLS);
      classes[3] = COLS;
      classes[4] = -1;
      const out = compare({
        buffers: { x: { data: input === 'logits' ? uniforms(N, -4, 4) : probabilities() }, target: { data: classes }, grad: { length: N }, loss: { length: 1 } },
        build: (s) => ({
          kind: 'crossEntropy', input, labels: 'sparse', x: s.x, target: s.target, rows: ROWS, cols: COLS, grad: s.grad, gradScale: 0.5, lossOut: s.loss, weights: null, smoothing: 0, partials: null,
        }),
      });
      expect(out.loss[0]).toBeNaN();
    });
  }

  it('crossEntropy logits dense, smoothed and weighted, with grad written over the logits', () => {
    compare({
      buffers: { x: { data: uniforms(N, -4, 4) }, target: { data: oneHot(ints(ROWS, COLS)) }, weights: { data: sampleWeights() }, loss: { length: 1 } },
      build: (s) => ({
        kind: 'crossEntropy', input: 'logits', labels: 'dense', x: s.x, target: s.target, rows: ROWS, cols: COLS, grad: s.x, gradScale: 1 / ROWS, lossOut: s.loss, weights: s.weights, smoothing: 0.2, partials: null,
      }),
    });
  });

  interface PointwiseVariant {
    loss: PointwiseLossKind;
    input: 'logits' | 'probs';
    param: number;
    x: () => Float32Array;
    target: () => Float32Array;
    label: string;
  }
  const binary = () => Float32Array.from(ints(N, 2));
  const real = () => uniforms(N, -2, 2);
  const pointwise: PointwiseVariant[] = [
    { loss: 'binaryCrossentropy', input: 'logits', param: 0, x: () => uniforms(N, -5, 5), target: binary, label: 'logits' },
    { loss: 'binaryCrossentropy', input: 'logits', param: 0.2, x: () => uniforms(N, -5, 5), target: binary, label: 'logits, smoothing 0.2' },
    { loss: 'binaryCrossentropy', input: 'probs', param: 0, x: probabilitiesWithOne, target: binary, label: 'probabilities' },
    { loss: 'binaryCrossentropy', input: 'probs', param: 0.2, x: probabilitiesWithOne, target: binary, label: 'probabilities, smoothing 0.2' },
    { loss: 'meanSquaredError', input: 'logits', param: 0, x: () => uniforms(N, -3, 3), target: real, label: '' },
    { loss: 'meanAbsoluteError', input: 'logits', param: 0, x: () => uniforms(N, -3, 3), target: real, label: '' },
    { loss: 'huber', input: 'logits', param: 0.7, x: () => uniforms(N, -3, 3), target: real, label: 'δ 0.7' },
    { loss: 'hinge', input: 'logits', param: 0, x: () => uniforms(N, -2, 2), target: binary, label: '{0, 1} targets (made ±1)' },
    { loss: 'hinge', input: 'logits', param: 0, x: () => uniforms(N, -2, 2), target: () => binary().map((t) => 2 * t - 1), label: '±1 targets' },
    { loss: 'hinge', input: 'logits', param: 0, x: () => uniforms(N, -2, 2), target: real, label: 'real targets (kept)' },
  ];
  /** Probabilities with exact 0 and 1 and values past either end of the clip. */
  function probabilitiesWithOne(): Float32Array {
    const p = probabilities();
    p[5] = 1;
    p[11] = Math.fround(1 - 1e-8);
    return p;
  }

  for (const v of pointwise) {
    for (const weighted of [false, true]) {
      for (const withGrad of [true, false]) {
        it(`pointwiseLoss ${v.loss} ${v.label}${weighted ? ', weighted' : ''}${withGrad ? '' : ', no grad'}`, () => {
          const x = v.x();
          const target = v.target();
          x[0] = target[0]; // d = 0: MAE's sign(0), Huber's and MSE's zero
          const out = compare({
            buffers: { x: { data: x }, target: { data: target }, weights: { data: sampleWeights() }, grad: { length: N }, loss: { length: 1 } },
            build: (s) => ({
              kind: 'pointwiseLoss', loss: v.loss, input: v.input, x: s.x, target: s.target, rows: ROWS, cols: COLS, grad: withGrad ? s.grad : null, gradScale: 1 / ROWS,
              lossOut: s.loss, weights: weighted ? s.weights : null, param: v.param, partials: null,
            }),
          });
          expect(Number.isFinite(out.loss[0])).toBe(true);
        });
      }
    }
  }

  it('pointwiseLoss with one column (weights per element) and grad written over x', () => {
    compare({
      buffers: { x: { data: uniforms(ROWS, -3, 3) }, target: { data: Float32Array.from(ints(ROWS, 2)) }, weights: { data: sampleWeights() }, loss: { length: 1 } },
      build: (s) => ({
        kind: 'pointwiseLoss', loss: 'binaryCrossentropy', input: 'logits', x: s.x, target: s.target, rows: ROWS, cols: 1, grad: s.x, gradScale: 0.3, lossOut: s.loss, weights: s.weights, param: 0.1, partials: null,
      }),
    });
  });
});

// ---- metrics -----------------------------------------------------------------------------------

describe('metric defaults', () => {
  /** Every output slot starts at 7 so that a metric that adds instead of overwriting is caught. */
  const stale = (n: number) => new Float32Array(n).fill(7);

  for (const labels of ['sparse', 'dense'] as const) {
    for (const k of [0, 1, 3]) {
      for (const weighted of [false, true]) {
        it(`categoricalHits ${labels}, k = ${k}${weighted ? ', weighted' : ''} (scores with ties)`, () => {
          const rows = 11;
          const scores = tied(rows * COLS);
          const classes = ints(rows, COLS);
          let target: Float32Array | Int32Array = labels === 'sparse' ? classes : oneHot(classes);
          if (labels === 'dense') {
            // A target row with tied maxima: its label is the first.
            target = tied(rows * COLS);
          } else {
            classes[7] = COLS; // out of range: a miss
            classes[8] = -2;
          }
          if (k > 0) {
            const label = (r: number) => (labels === 'sparse' ? classes[r] : 0);
            scores[2 * COLS + label(2)] = NaN; // a non-finite label score: a miss
            scores[4 * COLS + 5] = Infinity;
          }
          const out = compare({
            buffers: { scores: { data: scores }, target: { data: target }, weights: { data: sampleWeights(rows) }, out: { data: stale(2) } },
            build: (s) => ({ kind: 'categoricalHits', labels, scores: s.scores, target: s.target, rows, cols: COLS, k, weights: weighted ? s.weights : null, out: s.out }),
          });
          expect(out.out[0]).toBeGreaterThan(0);
        });
      }
    }
  }

  for (const [rows, cols] of [[ROWS, COLS], [9, 1]]) {
    for (const weighted of [false, true]) {
      it(`binaryCounts [${rows}, ${cols}]${weighted ? ', weighted' : ''}`, () => {
        const n = rows * cols;
        const scores = uniforms(n, 0, 1);
        scores[1] = 0.5; // at the threshold: negative
        scores[2] = NaN;
        const target = Float32Array.from(ints(n, 2));
        target[3] = 0.5; // a positive label that no prediction matches exactly
        target[4] = NaN;
        compare({
          buffers: { scores: { data: scores }, target: { data: target }, weights: { data: sampleWeights(rows) }, out: { data: stale(6) } },
          build: (s) => ({ kind: 'binaryCounts', scores: s.scores, target: s.target, rows, cols, threshold: 0.5, weights: weighted ? s.weights : null, out: s.out }),
        });
      });
    }
  }

  for (const buckets of [7, 200]) {
    for (const weighted of [false, true]) {
      it(`aucHistogram, ${buckets} buckets${weighted ? ', weighted' : ''}`, () => {
        const scores = uniforms(N, -0.2, 1.2);
        scores[0] = 0;
        scores[1] = 1;
        scores[2] = NaN;
        scores[3] = 0.5;
        const target = Float32Array.from(ints(N, 2));
        target[4] = 0.25; // a positive label
        compare({
          buffers: { scores: { data: scores }, target: { data: target }, weights: { data: sampleWeights() }, out: { data: stale(2 * buckets) } },
          build: (s) => ({ kind: 'aucHistogram', scores: s.scores, target: s.target, rows: ROWS, cols: COLS, buckets, weights: weighted ? s.weights : null, out: s.out }),
        });
      });
    }
  }

  it('weightSum', () => {
    compare({
      buffers: { weights: { data: sampleWeights(13) }, out: { data: stale(1) } },
      build: (s) => ({ kind: 'weightSum', weights: s.weights, n: 13, out: s.out }),
    });
  });
});

// ---- updates -----------------------------------------------------------------------------------

describe('update defaults', () => {
  const PLAIN: GradientTransform = { l1: 0, l2: 0, normSq: null, clipNorm: 0, clipValue: Infinity, weightDecay: 0 };
  /** Every transform field on (normSq is bound by the case). Σg² ≈ 35·0.33: the norm clip scales by ~0.26. */
  const FULL = { l1: 0.01, l2: 0.02, clipNorm: 0.9, clipValue: 0.3, weightDecay: 0.05 };
  const transforms: { label: string; transform: (s: Slices) => GradientTransform }[] = [
    { label: 'plain', transform: () => PLAIN },
    { label: 'l1 + l2', transform: () => ({ ...PLAIN, l1: 0.05, l2: 0.1 }) },
    { label: 'clip value', transform: () => ({ ...PLAIN, clipValue: 0.25 }) },
    { label: 'clip norm (active)', transform: (s) => ({ ...PLAIN, normSq: s.normSq, clipNorm: 0.9 }) },
    { label: 'clip norm (inactive)', transform: (s) => ({ ...PLAIN, normSq: s.normSq, clipNorm: 100 }) },
    { label: 'weight decay', transform: () => ({ ...PLAIN, weightDecay: 0.05 }) },
    { label: 'every transform', transform: (s) => ({ ...FULL, normSq: s.normSq }) },
  ];

  /** The learning rate and bias corrections of step t (changing every step: read when the call runs). */
  const lr: HostScalar = { value: 0 };
  const c1: HostScalar = { value: 0 };
  const c2: HostScalar = { value: 0 };
  const mCoef: HostScalar = { value: 0 };
  const gCoef: HostScalar = { value: 0 };
  const before = (t: number) => {
    lr.value = 0.1 / t;
    c1.value = 1 - 0.9 ** t;
    c2.value = 1 - 0.999 ** t;
    mCoef.value = 0.9 / (1 - 0.9 ** (t + 1));
    gCoef.value = 0.1 / (1 - 0.9 ** t);
  };

  type Rule = { label: string; states: string[]; build: (s: Slices, base: Base) => UpdateCall };
  type Base = { w: Slice; g: Slice; n: number; cols: number; learningRate: HostScalar; transform: GradientTransform };
  const rules: Rule[] = [
    { label: 'sgd', states: [], build: (_s, b) => ({ kind: 'sgdUpdate', ...b }) },
    { label: 'momentum', states: ['m'], build: (s, b) => ({ kind: 'momentumUpdate', m: s.m, momentum: 0.9, nesterov: false, ...b }) },
    { label: 'momentum, nesterov', states: ['m'], build: (s, b) => ({ kind: 'momentumUpdate', m: s.m, momentum: 0.8, nesterov: true, ...b }) },
    { label: 'adagrad', states: ['a'], build: (s, b) => ({ kind: 'adagradUpdate', accumulator: s.a, epsilon: 1e-7, ...b }) },
    ...[false, true].flatMap((centered) =>
      [false, true].map((momentum): Rule => ({
        label: `rmsprop${centered ? ', centered' : ''}${momentum ? ', momentum' : ''}`,
        states: ['v', ...(centered ? ['mg'] : []), ...(momentum ? ['mom'] : [])],
        build: (s, b) => ({
          kind: 'rmspropUpdate', velocity: s.v, averageGrad: centered ? s.mg : null, momentumBuffer: momentum ? s.mom : null, rho: 0.9, momentum: momentum ? 0.7 : 0, epsilon: 1e-7, ...b,
        }),
      })),
    ),
    ...[false, true].map((amsgrad): Rule => ({
      label: `adam${amsgrad ? ', amsgrad' : ''}`,
      states: ['m', 'v', ...(amsgrad ? ['vHat'] : [])],
      build: (s, b) => ({ kind: 'adamUpdate', m: s.m, v: s.v, vHat: amsgrad ? s.vHat : null, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: c1, correction2: c2, ...b }),
    })),
    { label: 'adamax', states: ['m', 'u'], build: (s, b) => ({ kind: 'adamaxUpdate', m: s.m, u: s.u, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: c1, ...b }) },
    {
      label: 'nadam', states: ['m', 'v'],
      build: (s, b) => ({ kind: 'nadamUpdate', m: s.m, v: s.v, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, mCoef, gCoef, correction2: c2, ...b }),
    },
    { label: 'adadelta', states: ['a', 'd'], build: (s, b) => ({ kind: 'adadeltaUpdate', accumulatedGrad: s.a, accumulatedDelta: s.d, rho: 0.95, epsilon: 1e-6, ...b }) },
  ];

  for (const rule of rules) {
    for (const { label, transform } of transforms) {
      it(`${rule.label}, ${label}, 4 steps`, () => {
        const w = uniforms(N, -1, 1);
        w[0] = 0; // sign(0) = 0 for l1
        const g = uniforms(N, -1, 1);
        const normSq = g.reduce((s, v) => s + v * v, 0);
        const buffers: Record<string, BufferSpec> = { w: { data: w }, g: { data: g }, normSq: { data: Float32Array.of(normSq) } };
        // Nonzero starting state (as after earlier steps); second moments nonnegative.
        for (const state of rule.states) buffers[state] = { data: state === 'm' || state === 'mg' || state === 'mom' ? uniforms(N, -0.1, 0.1) : uniforms(N, 0, 0.1) };
        const out = compare({
          buffers,
          build: (s) => rule.build(s, { w: s.w, g: s.g, n: N, cols: COLS, learningRate: lr, transform: transform(s) }),
          steps: 4,
          before,
        });
        expect(Array.from(out.w)).not.toEqual(Array.from(w));
      });
    }
  }
});
