// Activation calls: every activation forward and backward (with the x its derivative needs), softmax
// with large logits, PReLU with every optional output; each also in place where the kernels allow it.

import type { KernelActivation } from '../../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../../src/backend/reference/reference-backend.js';
import { activationInputs, type CallCase, normals, runCase, uniforms } from '../calls-harness.js';

const ROWS = 3;
const COLS = 7;
const N = ROWS * COLS;

export const ACTIVATIONS: readonly (readonly [KernelActivation, number])[] = [
  ['linear', 0],
  ['relu', 0],
  ['sigmoid', 0],
  ['tanh', 0],
  ['leakyRelu', 0.3],
  ['elu', 1.3],
  ['selu', 0],
  ['hardSigmoid', 0],
  ['softplus', 0],
  ['softsign', 0],
  ['swish', 0],
  ['gelu', 0],
];

/** f(x) as the reference computes it: the y an activation's backward reads. */
function forward(activation: KernelActivation, alpha: number, x: Float32Array): Float32Array {
  return runCase(new ReferenceBackend(), {
    name: '',
    buffers: { x: { data: x }, y: { length: x.length } },
    call: (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.y, n: x.length }),
  }).y;
}

/** Softmax rows of `logits`, in float64. */
function softmaxRows(logits: Float32Array): Float32Array {
  const y = new Float32Array(N);
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from(logits.subarray(r * COLS, (r + 1) * COLS), Math.exp);
    const sum = row.reduce((a, b) => a + b, 0);
    for (const [j, v] of row.entries()) y[r * COLS + j] = v / sum;
  }
  return y;
}

const largeLogits = () => {
  const x = normals(N, 3);
  [x[2], x[9]] = [80, -90];
  return x;
};

export const ACTIVATION_CASES: CallCase[] = [
  ...ACTIVATIONS.flatMap(([activation, alpha]): CallCase[] => {
    const x = activationInputs(N);
    const y = forward(activation, alpha, x);
    const dy = normals(N);
    const usesX = activation === 'swish' || activation === 'gelu';
    return [
      {
        name: `activationForward ${activation}`,
        buffers: { x: { data: x }, y: { length: N } },
        call: (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.y, n: N }),
      },
      {
        name: `activationForward ${activation} in place`,
        buffers: { x: { data: x } },
        call: (s) => ({ kind: 'activationForward', activation, alpha, x: s.x, y: s.x, n: N }),
      },
      {
        name: `activationBackward ${activation}`,
        buffers: { x: { data: x }, y: { data: y }, dy: { data: dy }, dx: { length: N } },
        call: (s) => ({
          kind: 'activationBackward',
          activation,
          alpha,
          x: usesX ? s.x : null,
          y: s.y,
          dy: s.dy,
          dx: s.dx,
          n: N,
        }),
      },
      {
        name: `activationBackward ${activation} in place (dx = dy)`,
        buffers: { x: { data: x }, y: { data: y }, dy: { data: dy } },
        call: (s) => ({
          kind: 'activationBackward',
          activation,
          alpha,
          x: usesX ? s.x : null,
          y: s.y,
          dy: s.dy,
          dx: s.dy,
          n: N,
        }),
      },
    ];
  }),

  {
    name: 'softmax with large logits',
    buffers: { x: { data: largeLogits() }, y: { length: N } },
    call: (s) => ({ kind: 'softmax', x: s.x, y: s.y, rows: ROWS, cols: COLS }),
  },
  {
    name: 'softmax in place',
    buffers: { x: { data: largeLogits() } },
    call: (s) => ({ kind: 'softmax', x: s.x, y: s.x, rows: ROWS, cols: COLS }),
  },
  ...[false, true].map(
    (inPlace): CallCase => ({
      name: `softmaxBackward${inPlace ? ' in place (dx = dy)' : ''}`,
      buffers: { y: { data: softmaxRows(normals(N, 2)) }, dy: { data: normals(N) }, dx: { length: N } },
      call: (s) => ({ kind: 'softmaxBackward', y: s.y, dy: s.dy, dx: inPlace ? s.dy : s.dx, rows: ROWS, cols: COLS }),
    }),
  ),

  ...[false, true].map(
    (inPlace): CallCase => ({
      name: `prelu${inPlace ? ' in place' : ''}`,
      buffers: { x: { data: activationInputs(N) }, alpha: { data: uniforms(COLS, -0.5, 0.8) }, y: { length: N } },
      call: (s) => ({ kind: 'prelu', x: s.x, alpha: s.alpha, y: inPlace ? s.x : s.y, rows: ROWS, cols: COLS }),
    }),
  ),
  ...(
    [
      [true, true],
      [true, false],
      [false, true],
    ] as const
  ).map(
    ([withDx, withDalpha]): CallCase => ({
      name: `preluBackward with${withDx ? '' : 'out'} dx, with${withDalpha ? '' : 'out'} dalpha`,
      // dalpha starts nonzero: overwritten, not accumulated.
      buffers: {
        x: { data: activationInputs(N) },
        alpha: { data: uniforms(COLS, -0.5, 0.8) },
        dy: { data: normals(N) },
        dx: { length: N },
        dalpha: { data: normals(COLS) },
      },
      call: (s) => ({
        kind: 'preluBackward',
        x: s.x,
        alpha: s.alpha,
        dy: s.dy,
        dx: withDx ? s.dx : null,
        dalpha: withDalpha ? s.dalpha : null,
        rows: ROWS,
        cols: COLS,
      }),
    }),
  ),
  {
    name: 'preluBackward in place (dx = dy)',
    buffers: {
      x: { data: activationInputs(N) },
      alpha: { data: uniforms(COLS, 0, 0.5) },
      dy: { data: normals(N) },
      dalpha: { length: COLS },
    },
    call: (s) => ({
      kind: 'preluBackward',
      x: s.x,
      alpha: s.alpha,
      dy: s.dy,
      dx: s.dy,
      dalpha: s.dalpha,
      rows: ROWS,
      cols: COLS,
    }),
  },
];
