// The default compositions of the activation, basic, linear, normalization, random and
// regularization families (backend/defaults/) against the WASM kernels: every call kind (every
// activation; with and without its optional slices; in place where the kernels allow it) as a
// one-call program on small odd shapes, run once on the WASM backend as it is and once expanded into
// primitives on the float64 reference backend. Float32 tolerance; dropout masks exactly (the
// reference draws the WASM random stream bit for bit).

import { describe, expect, it } from 'vitest';
import type { Backend, DeviceBuffer, KernelActivation, KernelCall, Slice } from '../../../src/backend/backend.js';
import { PRIMITIVE_KINDS } from '../../../src/backend/calls/primitive.js';
import { expandProgram } from '../../../src/backend/defaults/expand.js';
import { uniformStream } from '../../../src/backend/reference/random-stream.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';
import { ALPHA_P } from '../../../src/layers/alpha-dropout.js';
import { Generator } from '../../../src/random.js';

const RTOL = 1e-4;
const ATOL = 1e-5;

const PRIMITIVE = new Set<string>(PRIMITIVE_KINDS);

const wasm = new WasmBackend({ threads: 1 });
const reference = new ReferenceBackend();

// ---- data --------------------------------------------------------------------------------------

let seedCounter = 1;
/** n seeded normal values times `scale`. */
function normals(n: number, scale = 1): Float32Array {
  const rng = new Generator(1000 + seedCounter++);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}
/** n seeded values in [lo, hi). */
function uniforms(n: number, lo: number, hi: number): Float32Array {
  const rng = new Generator(2000 + seedCounter++);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}
/** Activation inputs: normals over the interesting range, with zeros, tiny and saturating values. */
function activationInputs(n: number): Float32Array {
  const x = normals(n, 2.5);
  const special = [0, -0, 1e-6, -1e-6, 30, -30, 100, -100, -3, 2.6, -2.4];
  special.forEach((v, i) => (x[(i * 5) % n] = v));
  return x;
}

// ---- running one call on both backends ---------------------------------------------------------

/** A buffer of a case: initial contents (or zeros of `length`), compared after the run unless `ignore`. */
interface BufferSpec {
  data?: Float32Array | Int32Array;
  length?: number;
  ignore?: boolean;
}
type Slices = Record<string, Slice>;

interface Outcome {
  values: Record<string, Float32Array>;
}

function runOn(backend: Backend, specs: Record<string, BufferSpec>, build: (s: Slices) => KernelCall, expand: boolean): Outcome {
  const buffers: Record<string, DeviceBuffer> = {};
  const slices: Slices = {};
  for (const [name, spec] of Object.entries(specs)) {
    const buffer = spec.data ? backend.upload(spec.data) : backend.createBuffer(4 * (spec.length ?? 0));
    buffers[name] = buffer;
    slices[name] = { kind: 'buffer', buffer, byteOffset: 0 };
  }
  let program = { arenaBytes: 0, calls: [build(slices)] };
  if (expand) {
    program = expandProgram(program, (kind) => PRIMITIVE.has(kind)) as typeof program;
    for (const call of program.calls) expect(PRIMITIVE_KINDS).toContain(call.kind);
  }
  const exe = backend.compile(program);
  try {
    exe.run();
    const values: Record<string, Float32Array> = {};
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.ignore || spec.data instanceof Int32Array) continue;
      values[name] = backend.readF32(buffers[name], 0, spec.data?.length ?? spec.length ?? 0);
    }
    return { values };
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
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
    if (!ok) expect.fail(`${what}[${i}]: defaults give ${a}, WASM gives ${e}`);
  }
}

/** Runs the call on WASM and, expanded, on the reference; every buffer must agree. */
function compare(specs: Record<string, BufferSpec>, build: (s: Slices) => KernelCall, exact: string[] = []): Record<string, Float32Array> {
  const expected = runOn(wasm, specs, build, false).values;
  const actual = runOn(reference, specs, build, true).values;
  for (const name of Object.keys(expected)) {
    if (exact.includes(name)) expect(Array.from(actual[name]), name).toEqual(Array.from(expected[name]));
    else close(actual[name], expected[name], name);
  }
  return expected;
}

/** The WASM forward of an activation (the y its backward reads). */
function wasmForward(activation: KernelActivation, alpha: number, x: Float32Array): Float32Array {
  const out = runOn(wasm, { x: { data: x }, y: { length: x.length } }, (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.y, n: x.length }), false);
  return out.values.y;
}

// ---- cases -------------------------------------------------------------------------------------

const ROWS = 3;
const COLS = 7;
const N = ROWS * COLS;

const ACTIVATIONS: [KernelActivation, number][] = [
  ['linear', 0], ['relu', 0], ['sigmoid', 0], ['tanh', 0], ['leakyRelu', 0.3], ['elu', 1.3], ['selu', 0],
  ['hardSigmoid', 0], ['softplus', 0], ['softsign', 0], ['swish', 0], ['gelu', 0],
];

describe('activation defaults', () => {
  for (const [activation, alpha] of ACTIVATIONS) {
    it(`activationForward ${activation}, and in place`, () => {
      const x = activationInputs(N);
      compare({ x: { data: x }, y: { length: N } }, (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.y, n: N }));
      compare({ x: { data: x } }, (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.x, n: N }));
    });

    it(`activationBackward ${activation}, and in place (dx = dy)`, () => {
      const x = activationInputs(N);
      const y = wasmForward(activation, alpha, x);
      const dy = normals(N);
      const usesX = activation === 'swish' || activation === 'gelu';
      const specs = { x: { data: x }, y: { data: y }, dy: { data: dy }, dx: { length: N } };
      compare(specs, (s) => ({ kind: 'activationBackward', activation, alpha, x: usesX ? s.x : null, y: s.y, dy: s.dy, dx: s.dx, n: N }));
      compare({ x: { data: x }, y: { data: y }, dy: { data: dy } }, (s) => ({ kind: 'activationBackward', activation, alpha, x: usesX ? s.x : null, y: s.y, dy: s.dy, dx: s.dy, n: N }));
    });
  }

  it('softmax, with large logits, and in place', () => {
    const x = normals(N, 3);
    x[2] = 80;
    x[9] = -90;
    compare({ x: { data: x }, y: { length: N } }, (s) => ({ kind: 'softmax', x: s.x, y: s.y, rows: ROWS, cols: COLS }));
    compare({ x: { data: x } }, (s) => ({ kind: 'softmax', x: s.x, y: s.x, rows: ROWS, cols: COLS }));
  });

  it('softmaxBackward, and in place (dx = dy)', () => {
    const logits = normals(N, 2);
    const y = new Float32Array(N);
    for (let r = 0; r < ROWS; r++) {
      const row = Array.from(logits.subarray(r * COLS, (r + 1) * COLS), Math.exp);
      const sum = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => (y[r * COLS + j] = v / sum));
    }
    const dy = normals(N);
    compare({ y: { data: y }, dy: { data: dy }, dx: { length: N } }, (s) => ({ kind: 'softmaxBackward', y: s.y, dy: s.dy, dx: s.dx, rows: ROWS, cols: COLS }));
    compare({ y: { data: y }, dy: { data: dy } }, (s) => ({ kind: 'softmaxBackward', y: s.y, dy: s.dy, dx: s.dy, rows: ROWS, cols: COLS }));
  });

  it('prelu, and in place', () => {
    const x = activationInputs(N);
    const alpha = uniforms(COLS, -0.5, 0.8);
    compare({ x: { data: x }, alpha: { data: alpha }, y: { length: N } }, (s) => ({ kind: 'prelu', x: s.x, alpha: s.alpha, y: s.y, rows: ROWS, cols: COLS }));
    compare({ x: { data: x }, alpha: { data: alpha } }, (s) => ({ kind: 'prelu', x: s.x, alpha: s.alpha, y: s.x, rows: ROWS, cols: COLS }));
  });

  for (const [withDx, withDalpha] of [[true, true], [true, false], [false, true]]) {
    it(`preluBackward with${withDx ? '' : 'out'} dx, with${withDalpha ? '' : 'out'} dalpha`, () => {
      const x = activationInputs(N);
      const alpha = uniforms(COLS, -0.5, 0.8);
      const dy = normals(N);
      const specs: Record<string, BufferSpec> = { x: { data: x }, alpha: { data: alpha }, dy: { data: dy } };
      if (withDx) specs.dx = { length: N };
      if (withDalpha) specs.dalpha = { data: normals(COLS) }; // overwritten, not accumulated
      compare(specs, (s) => ({ kind: 'preluBackward', x: s.x, alpha: s.alpha, dy: s.dy, dx: withDx ? s.dx : null, dalpha: withDalpha ? s.dalpha : null, rows: ROWS, cols: COLS }));
    });
  }

  it('preluBackward in place (dx = dy)', () => {
    const specs = { x: { data: activationInputs(N) }, alpha: { data: uniforms(COLS, 0, 0.5) }, dy: { data: normals(N) }, dalpha: { length: COLS } };
    compare(specs, (s) => ({ kind: 'preluBackward', x: s.x, alpha: s.alpha, dy: s.dy, dx: s.dy, dalpha: s.dalpha, rows: ROWS, cols: COLS }));
  });
});

describe('basic defaults', () => {
  it('add, and in place', () => {
    compare({ a: { data: normals(N) }, b: { data: normals(N) }, y: { length: N } }, (s) => ({ kind: 'add', a: s.a, b: s.b, y: s.y, n: N }));
    compare({ a: { data: normals(N) }, b: { data: normals(N) } }, (s) => ({ kind: 'add', a: s.a, b: s.b, y: s.b, n: N }));
  });

  const n = 37; // past one 8-float turn of the kernel, with a remainder
  for (const [l1, l2] of [[0, 0], [0.01, 0], [0, 0.02], [0.01, 0.02]]) {
    for (const accumulate of [false, true]) {
      it(`gradientNormSq l1 ${l1}, l2 ${l2}, accumulate ${accumulate}`, () => {
        const w = normals(n);
        w[3] = 0;
        const specs = { g: { data: normals(n, 0.1) }, w: { data: w }, out: { data: Float32Array.of(2.5) } };
        compare(specs, (s) => ({ kind: 'gradientNormSq', g: s.g, w: s.w, n, l1, l2, accumulate, out: s.out }));
      });
    }
  }
});

describe('linear defaults', () => {
  const [m, n, k] = [3, 7, 5];
  const gemmSpecs = (layout: 'nn' | 'tn' | 'nt', bias: boolean): Record<string, BufferSpec> => {
    const specs: Record<string, BufferSpec> = {
      a: { data: normals(m * k) },
      b: { data: normals(k * n) },
      c: { data: normals(m * n) }, // overwritten
      scratch: { length: Math.max(1, wasm.gemmScratchBytes(layout, m, n, k) / 4), ignore: true },
    };
    if (bias) specs.bias = { data: normals(n) };
    return specs;
  };

  for (const layout of ['nn', 'tn', 'nt'] as const) {
    it(`gemm ${layout}`, () => {
      compare(gemmSpecs(layout, false), (s) => ({ kind: 'gemm', layout, m, n, k, a: s.a, b: s.b, c: s.c, bias: null, activation: 'linear', alpha: 0, scratch: s.scratch }));
    });
  }

  for (const [activation, alpha] of ACTIVATIONS) {
    it(`gemm nn with a bias and ${activation}`, () => {
      compare(gemmSpecs('nn', true), (s) => ({ kind: 'gemm', layout: 'nn', m, n, k, a: s.a, b: s.b, c: s.c, bias: s.bias, activation, alpha, scratch: null }));
    });
  }

  it('gemm nn with an activation and no bias', () => {
    compare(gemmSpecs('nn', false), (s) => ({ kind: 'gemm', layout: 'nn', m, n, k, a: s.a, b: s.b, c: s.c, bias: null, activation: 'elu', alpha: 0.7, scratch: null }));
  });

  it('columnSums', () => {
    const [rows, cols] = [5, 19];
    compare({ x: { data: normals(rows * cols) }, out: { data: normals(cols) } }, (s) => ({ kind: 'columnSums', rows, cols, x: s.x, out: s.out }));
  });
});

describe('normalization defaults', () => {
  const [rows, cols] = [5, 9];
  const n = rows * cols;
  /** x with an offset per column, and one column of equal values (σ² = 0). */
  const batch = () => {
    const x = normals(n, 1.5);
    for (let i = 0; i < n; i++) x[i] += (i % cols) - 3;
    for (let r = 0; r < rows; r++) x[r * cols + 2] = 0.75;
    return x;
  };

  for (const [withGamma, withBeta, withStats] of [[true, true, true], [false, false, false], [true, false, true], [false, true, false]]) {
    it(`batchNormTrain gamma ${withGamma}, beta ${withBeta}, mean/invStd ${withStats}`, () => {
      const specs: Record<string, BufferSpec> = {
        x: { data: batch() }, y: { length: n },
        movingMean: { data: normals(cols) }, movingVariance: { data: uniforms(cols, 0.5, 2) },
      };
      if (withGamma) specs.gamma = { data: uniforms(cols, 0.5, 1.5) };
      if (withBeta) specs.beta = { data: normals(cols) };
      if (withStats) Object.assign(specs, { mean: { length: cols }, invStd: { length: cols } });
      compare(specs, (s) => ({
        kind: 'batchNormTrain', x: s.x, y: s.y, rows, cols, gamma: s.gamma ?? null, beta: s.beta ?? null,
        movingMean: s.movingMean, movingVariance: s.movingVariance, momentum: 0.9, epsilon: 1e-3,
        mean: s.mean ?? null, invStd: s.invStd ?? null,
      }));
    });
  }

  it('batchNormTrain in place (y = x)', () => {
    const specs = { x: { data: batch() }, gamma: { data: uniforms(cols, 0.5, 1.5) }, beta: { data: normals(cols) }, movingMean: { data: normals(cols) }, movingVariance: { data: uniforms(cols, 0.5, 2) } };
    compare(specs, (s) => ({
      kind: 'batchNormTrain', x: s.x, y: s.x, rows, cols, gamma: s.gamma, beta: s.beta,
      movingMean: s.movingMean, movingVariance: s.movingVariance, momentum: 0.99, epsilon: 1e-3, mean: null, invStd: null,
    }));
  });

  for (const [withGamma, withBeta] of [[true, true], [false, false], [true, false], [false, true]]) {
    it(`batchNormInference gamma ${withGamma}, beta ${withBeta}`, () => {
      const specs: Record<string, BufferSpec> = { x: { data: batch() }, y: { length: n }, movingMean: { data: normals(cols) }, movingVariance: { data: uniforms(cols, 0.1, 3) } };
      if (withGamma) specs.gamma = { data: uniforms(cols, 0.5, 1.5) };
      if (withBeta) specs.beta = { data: normals(cols) };
      compare(specs, (s) => ({
        kind: 'batchNormInference', x: s.x, y: s.y, rows, cols, gamma: s.gamma ?? null, beta: s.beta ?? null,
        movingMean: s.movingMean, movingVariance: s.movingVariance, epsilon: 1e-3,
      }));
    });
  }

  const outputSets: [string, boolean, boolean, boolean, boolean][] = [
    ['every output, gamma', true, true, true, true],
    ['dx only, gamma', true, true, false, false],
    ['dx only, no gamma', false, true, false, false],
    ['dgamma and dbeta only', true, false, true, true],
    ['dbeta only', false, false, false, true],
    ['dx and dgamma, no gamma', false, true, true, false],
  ];
  for (const mode of ['train', 'inference'] as const) {
    for (const [what, withGamma, withDx, withDgamma, withDbeta] of outputSets) {
      it(`batchNormBackward ${mode}: ${what}`, () => {
        const x = batch();
        const mean = new Float32Array(cols);
        for (let i = 0; i < n; i++) mean[i % cols] += x[i] / rows;
        const specs: Record<string, BufferSpec> = {
          x: { data: x }, dy: { data: normals(n) }, mean: { data: mode === 'train' ? mean : normals(cols) },
          // train: the batch's 1/√(σ² + ε); inference: the moving variance
          stat: { data: mode === 'train' ? uniforms(cols, 0.3, 3) : uniforms(cols, 0.1, 3) },
        };
        if (withGamma) specs.gamma = { data: uniforms(cols, 0.5, 1.5) };
        if (withDx) specs.dx = { length: n };
        if (withDgamma) specs.dgamma = { data: normals(cols) };
        if (withDbeta) specs.dbeta = { data: normals(cols) };
        compare(specs, (s) => ({
          kind: 'batchNormBackward', mode, x: s.x, dy: s.dy, rows, cols, gamma: s.gamma ?? null, mean: s.mean, stat: s.stat,
          epsilon: 1e-3, dx: s.dx ?? null, dgamma: s.dgamma ?? null, dbeta: s.dbeta ?? null,
        }));
      });
    }
  }

  it('batchNormBackward train in place (dx = dy)', () => {
    const specs = { x: { data: batch() }, dy: { data: normals(n) }, mean: { data: normals(cols) }, stat: { data: uniforms(cols, 0.3, 3) }, gamma: { data: uniforms(cols, 0.5, 1.5) }, dgamma: { length: cols }, dbeta: { length: cols } };
    compare(specs, (s) => ({
      kind: 'batchNormBackward', mode: 'train', x: s.x, dy: s.dy, rows, cols, gamma: s.gamma, mean: s.mean, stat: s.stat,
      epsilon: 1e-3, dx: s.dy, dgamma: s.dgamma, dbeta: s.dbeta,
    }));
  });
});

describe('random defaults', () => {
  const n = 37;
  const seed = { value: 0x9e3779b1 };

  for (const rate of [0.3, 0.5, 0.1, 0]) {
    for (const withMask of [true, false]) {
      it(`dropout rate ${rate}, with${withMask ? '' : 'out'} a mask: the same elements dropped`, () => {
        const specs: Record<string, BufferSpec> = { x: { data: normals(n) }, y: { length: n } };
        if (withMask) specs.mask = { length: n };
        const out = compare(specs, (s) => ({ kind: 'dropout', x: s.x, y: s.y, mask: withMask ? s.mask : null, n, rate, seed, salt: 11 }), ['y', 'mask']);
        const dropped = out.y.filter((v) => v === 0).length;
        if (rate > 0) expect(dropped).toBeGreaterThan(0);
        expect(dropped).toBeLessThan(n);
      });
    }
  }

  // A rate equal to element 5's uniform keeps it (u ≥ rate); the next float64 up drops it.
  const u5 = uniformStream(6, seed.value, 13)[5];
  for (const [rate, kept] of [[u5, true], [u5 + 1e-12, false]] as const) {
    it(`dropout at the boundary: rate = u₅${kept ? '' : ' + 1e-12'} ${kept ? 'keeps' : 'drops'} element 5`, () => {
      const x = normals(n);
      x[5] = 1;
      const out = compare({ x: { data: x }, y: { length: n }, mask: { length: n } }, (s) => ({ kind: 'dropout', x: s.x, y: s.y, mask: s.mask, n, rate, seed, salt: 13 }), ['y', 'mask']);
      expect(out.mask[5] !== 0).toBe(kept);
    });
  }

  it('dropout in place (y = x)', () => {
    compare({ x: { data: normals(n) }, mask: { length: n } }, (s) => ({ kind: 'dropout', x: s.x, y: s.x, mask: s.mask, n, rate: 0.4, seed, salt: 3 }), ['x', 'mask']);
  });

  for (const rate of [0.2, 0.45]) {
    for (const withMask of [true, false]) {
      it(`alphaDropout rate ${rate}, with${withMask ? '' : 'out'} a mask`, () => {
        const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
        const b = -a * ALPHA_P * rate;
        const specs: Record<string, BufferSpec> = { x: { data: normals(n) }, y: { length: n } };
        if (withMask) specs.mask = { length: n };
        compare(specs, (s) => ({ kind: 'alphaDropout', x: s.x, y: s.y, mask: withMask ? s.mask : null, n, rate, a, b, alphaP: ALPHA_P, seed, salt: 5 }), ['mask']);
      });
    }
  }

  it('dropoutBackward, and in place (dx = dy)', () => {
    const mask = Float32Array.from(uniforms(n, 0, 1), (u) => (u < 0.3 ? 0 : 1 / 0.7));
    compare({ dy: { data: normals(n) }, mask: { data: mask }, dx: { length: n } }, (s) => ({ kind: 'dropoutBackward', dy: s.dy, mask: s.mask, dx: s.dx, n }));
    compare({ dy: { data: normals(n) }, mask: { data: mask } }, (s) => ({ kind: 'dropoutBackward', dy: s.dy, mask: s.mask, dx: s.dy, n }));
  });
});

describe('regularization defaults', () => {
  const n = 23;
  for (const [l1, l2] of [[0.01, 0], [0, 0.03], [0.01, 0.03]]) {
    it(`regularizerPenalty l1 ${l1}, l2 ${l2}`, () => {
      const x = normals(n);
      x[4] = 0;
      compare({ x: { data: x }, out: { data: Float32Array.of(7) } }, (s) => ({ kind: 'regularizerPenalty', x: s.x, n, l1, l2, out: s.out }));
    });

    for (const withGrad of [true, false]) {
      it(`activityRegularizer l1 ${l1}, l2 ${l2}, with${withGrad ? '' : 'out'} the gradient`, () => {
        const x = normals(n);
        x[4] = 0;
        const specs: Record<string, BufferSpec> = { x: { data: x }, out: { data: Float32Array.of(7) } };
        if (withGrad) specs.grad = { length: n };
        compare(specs, (s) => ({ kind: 'activityRegularizer', x: s.x, n, l1, l2, scale: 1 / 3, out: s.out, grad: withGrad ? s.grad : null }));
      });
    }
  }

  it('activityRegularizer in place (grad = x)', () => {
    compare({ x: { data: normals(n) }, out: { length: 1 } }, (s) => ({ kind: 'activityRegularizer', x: s.x, n, l1: 0.02, l2: 0.01, scale: 0.5, out: s.out, grad: s.x }));
  });
});
