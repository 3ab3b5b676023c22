// Cases large enough to split over threads (src/backend/wasm/split-thresholds.ts: 16,384 elements
// of light work, 4,096 of heavy, 32,768 multiply-adds): [300, 257] elementwise and row or column
// work, the dense products of a 784-300 layer at batch 64, losses with partial sums. Checked like
// every case and, on two threads, bitwise against one thread (calls.test.ts).

import type { Backend } from '../../../../src/backend/backend.js';
import { type CallCase, dropoutCheck, ints, normals, uniformCheck, uniforms } from '../calls-harness.js';
import { beforeStep, RULES, updateBuffers, updateLearningRate } from './update.js';

const ROWS = 300;
const COLS = 257;
const N = ROWS * COLS;
const [BATCH, IN, OUT] = [64, 784, 300];
const seed = { value: 12345 };

const elementwise = (): Record<string, { data: Float32Array } | { length: number }> => ({
  x: { data: normals(N, 2) },
  b: { data: normals(N) },
  row: { data: normals(COLS) },
  y: { length: N },
});

/** A dense layer's three products: forward X·W (+ bias, relu), Xᵀ·dY and dY·Wᵀ. */
const GEMMS = [
  ['nn', BATCH, OUT, IN],
  ['tn', IN, OUT, BATCH],
  ['nt', BATCH, IN, OUT],
] as const;

const adam = RULES.find((r) => r.label === 'adam')!;
const rate = 0.3;

const LARGE: CallCase[] = [
  {
    name: 'unary sigmoid [300, 257]',
    buffers: elementwise(),
    call: (s) => ({ kind: 'unary', op: 'sigmoid', x: s.x, y: s.y, n: N }),
  },
  {
    name: 'binary mul [300, 257] by a row',
    buffers: elementwise(),
    call: (s) => ({
      kind: 'binary',
      op: 'mul',
      a: { kind: 'full', slice: s.x },
      b: { kind: 'row', slice: s.row },
      y: s.y,
      rows: ROWS,
      cols: COLS,
    }),
  },
  {
    name: 'where [300, 257]',
    buffers: elementwise(),
    call: (s) => ({
      kind: 'where',
      cond: { kind: 'full', slice: s.x },
      a: { kind: 'full', slice: s.b },
      b: { kind: 'constant', value: 0.5 },
      y: s.y,
      rows: ROWS,
      cols: COLS,
    }),
  },
  ...(['rows', 'cols'] as const).map(
    (axis): CallCase => ({
      name: `reduce sum along ${axis} of [300, 257]`,
      buffers: { x: { data: normals(N) }, y: { length: axis === 'cols' ? ROWS : COLS } },
      call: (s) => ({ kind: 'reduce', op: 'sum', axis, x: s.x, y: s.y, rows: ROWS, cols: COLS }),
    }),
  ),
  {
    name: `matmul nn ${BATCH}×${OUT}×${IN}`,
    buffers: {
      a: { data: uniforms(BATCH * IN, 0, 1) },
      b: { data: normals(IN * OUT, 0.05) },
      c: { length: BATCH * OUT },
    },
    call: (s) => ({ kind: 'matmul', layout: 'nn', m: BATCH, n: OUT, k: IN, a: s.a, b: s.b, c: s.c }),
  },
  {
    name: 'fill [300, 257]',
    buffers: { y: { length: N } },
    call: (s) => ({ kind: 'fill', y: s.y, n: N, value: 0.25 }),
  },
  {
    name: 'randomUniform [300, 257]',
    buffers: { y: { length: N } },
    call: (s) => ({ kind: 'randomUniform', y: s.y, n: N, seed, salt: 9 }),
    exact: ['y'],
    random: { outputs: ['y'], check: uniformCheck('y') },
  },
  {
    name: 'oneHot [2048, 10]',
    buffers: { labels: { data: ints(2048, 10) }, y: { length: 20480 } },
    call: (s) => ({ kind: 'oneHot', labels: s.labels, y: s.y, rows: 2048, cols: 10 }),
  },
  {
    name: 'gatherRows 300 rows of 257',
    buffers: { source: { data: normals(400 * COLS) }, rows: { data: ints(ROWS, 400) }, out: { length: N } },
    call: (s, bound) => ({
      kind: 'gatherRows',
      source: bound.source,
      rows: s.rows,
      out: s.out,
      count: ROWS,
      rowLength: COLS,
    }),
  },

  {
    name: 'activationForward gelu [300, 257]',
    buffers: elementwise(),
    call: (s) => ({ kind: 'activationForward', activation: 'gelu', alpha: 0, x: s.x, y: s.y, n: N }),
  },
  {
    name: 'activationBackward swish [300, 257]',
    buffers: {
      x: { data: normals(N, 2) },
      y: { data: uniforms(N, -0.3, 3) },
      dy: { data: normals(N) },
      dx: { length: N },
    },
    call: (s) => ({
      kind: 'activationBackward',
      activation: 'swish',
      alpha: 0,
      x: s.x,
      y: s.y,
      dy: s.dy,
      dx: s.dx,
      n: N,
    }),
  },
  {
    name: 'softmax [300, 257]',
    buffers: elementwise(),
    call: (s) => ({ kind: 'softmax', x: s.x, y: s.y, rows: ROWS, cols: COLS }),
  },
  ...GEMMS.map(
    ([layout, m, n, k]): CallCase => ({
      name: `gemm ${layout} ${m}×${n}×${k}${layout === 'nn' ? ' with a bias and relu' : ''}`,
      buffers: {
        a: { data: layout === 'nn' ? uniforms(m * k, 0, 1) : normals(m * k, 0.1) },
        b: { data: normals(k * n, 0.05) },
        bias: { data: normals(n, 0.1) },
        c: { length: m * n },
        scratch: { length: (backend: Backend) => backend.gemmScratchBytes(layout, m, n, k) / 4, ignore: true },
      },
      call: (s) => ({
        kind: 'gemm',
        layout,
        m,
        n,
        k,
        a: s.a,
        b: s.b,
        c: s.c,
        bias: layout === 'nn' ? s.bias : null,
        activation: layout === 'nn' ? 'relu' : 'linear',
        alpha: 0,
        scratch: s.scratch,
      }),
    }),
  ),
  {
    name: 'columnSums [300, 257]',
    buffers: { x: { data: normals(N) }, out: { length: COLS } },
    call: (s) => ({ kind: 'columnSums', rows: ROWS, cols: COLS, x: s.x, out: s.out }),
  },
  {
    name: 'batchNormTrain [300, 257]',
    buffers: {
      x: { data: normals(N, 2) },
      y: { length: N },
      gamma: { data: uniforms(COLS, 0.5, 1.5) },
      beta: { data: normals(COLS) },
      movingMean: { length: COLS },
      movingVariance: { data: uniforms(COLS, 0.5, 2) },
      mean: { length: COLS },
      invStd: { length: COLS },
    },
    call: (s) => ({
      kind: 'batchNormTrain',
      x: s.x,
      y: s.y,
      rows: ROWS,
      cols: COLS,
      gamma: s.gamma,
      beta: s.beta,
      movingMean: s.movingMean,
      movingVariance: s.movingVariance,
      momentum: 0.9,
      epsilon: 1e-3,
      mean: s.mean,
      invStd: s.invStd,
    }),
  },
  {
    name: 'dropout [300, 257] with a mask',
    buffers: { x: { data: normals(N) }, y: { length: N }, mask: { length: N } },
    call: (s) => ({ kind: 'dropout', x: s.x, y: s.y, mask: s.mask, n: N, rate, seed, salt: 4 }),
    exact: ['y', 'mask'],
    random: {
      outputs: ['y', 'mask'],
      check: dropoutCheck({
        x: 'x',
        y: 'y',
        mask: 'mask',
        rate,
        keep: (x) => x / (1 - rate),
        dropped: 0,
        maskKept: 1 / (1 - rate),
      }),
    },
  },
  {
    name: 'adamUpdate [300, 257], every transform, 4 steps',
    buffers: updateBuffers(adam, N),
    call: (s) =>
      adam.build(s, {
        w: s.w,
        g: s.g,
        n: N,
        cols: COLS,
        learningRate: updateLearningRate,
        transform: { l1: 0.01, l2: 0.02, clipNorm: 100, clipValue: 0.3, weightDecay: 0.05, normSq: s.normSq },
      }),
    steps: 4,
    before: beforeStep,
  },
  {
    name: 'crossEntropy logits sparse [512, 10] with partial sums',
    buffers: {
      x: { data: uniforms(5120, -4, 4) },
      target: { data: ints(512, 10) },
      grad: { length: 5120 },
      loss: { length: 1 },
      partials: { length: 2 * 512, ignore: true },
    },
    call: (s) => ({
      kind: 'crossEntropy',
      input: 'logits',
      labels: 'sparse',
      x: s.x,
      target: s.target,
      rows: 512,
      cols: 10,
      grad: s.grad,
      gradScale: 1 / 512,
      lossOut: s.loss,
      weights: null,
      smoothing: 0,
      partials: s.partials,
    }),
  },
  {
    name: 'pointwiseLoss meanSquaredError [2048, 10] with partial sums',
    buffers: {
      x: { data: normals(20480) },
      target: { data: normals(20480) },
      grad: { length: 20480 },
      loss: { length: 1 },
      partials: { length: 2 * 2048, ignore: true },
    },
    call: (s) => ({
      kind: 'pointwiseLoss',
      loss: 'meanSquaredError',
      input: 'logits',
      x: s.x,
      target: s.target,
      rows: 2048,
      cols: 10,
      grad: s.grad,
      gradScale: 1 / 2048,
      lossOut: s.loss,
      weights: null,
      param: 0,
      partials: s.partials,
    }),
  },
];

export const SPLIT_CASES: CallCase[] = LARGE.map((c) => ({ ...c, split: true }));
