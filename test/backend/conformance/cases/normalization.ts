// Batch normalization: training (every combination of γ, β and the saved statistics; in place),
// inference, and the backward in both modes with every useful subset of outputs. Every batch has a
// column of equal values (σ² = 0).

import { type BufferSpec, type CallCase, normals, uniforms } from '../calls-harness.js';

const ROWS = 5;
const COLS = 9;
const N = ROWS * COLS;

/** x with an offset per column, and one constant column. */
function batch(): Float32Array {
  const x = normals(N, 1.5);
  for (let i = 0; i < N; i++) x[i] += (i % COLS) - 3;
  for (let r = 0; r < ROWS; r++) x[r * COLS + 2] = 0.75;
  return x;
}

const gamma = () => ({ data: uniforms(COLS, 0.5, 1.5) });
const moving = (lo: number) => ({
  movingMean: { data: normals(COLS) },
  movingVariance: { data: uniforms(COLS, lo, 3) },
});

export const NORMALIZATION_CASES: CallCase[] = [
  ...(
    [
      [true, true, true],
      [false, false, false],
      [true, false, true],
      [false, true, false],
    ] as const
  ).map(
    ([withGamma, withBeta, withStats]): CallCase => ({
      name: `batchNormTrain gamma ${withGamma}, beta ${withBeta}, mean/invStd ${withStats}`,
      buffers: {
        x: { data: batch() },
        y: { length: N },
        ...moving(0.5),
        gamma: gamma(),
        beta: { data: normals(COLS) },
        mean: { length: COLS },
        invStd: { length: COLS },
      },
      call: (s) => ({
        kind: 'batchNormTrain',
        x: s.x,
        y: s.y,
        rows: ROWS,
        cols: COLS,
        gamma: withGamma ? s.gamma : null,
        beta: withBeta ? s.beta : null,
        movingMean: s.movingMean,
        movingVariance: s.movingVariance,
        momentum: 0.9,
        epsilon: 1e-3,
        mean: withStats ? s.mean : null,
        invStd: withStats ? s.invStd : null,
      }),
    }),
  ),
  {
    name: 'batchNormTrain in place (y = x)',
    buffers: { x: { data: batch() }, gamma: gamma(), beta: { data: normals(COLS) }, ...moving(0.5) },
    call: (s) => ({
      kind: 'batchNormTrain',
      x: s.x,
      y: s.x,
      rows: ROWS,
      cols: COLS,
      gamma: s.gamma,
      beta: s.beta,
      movingMean: s.movingMean,
      movingVariance: s.movingVariance,
      momentum: 0.99,
      epsilon: 1e-3,
      mean: null,
      invStd: null,
    }),
  },

  ...(
    [
      [true, true],
      [false, false],
      [true, false],
      [false, true],
    ] as const
  ).map(
    ([withGamma, withBeta]): CallCase => ({
      name: `batchNormInference gamma ${withGamma}, beta ${withBeta}`,
      buffers: {
        x: { data: batch() },
        y: { length: N },
        ...moving(0.1),
        gamma: gamma(),
        beta: { data: normals(COLS) },
      },
      call: (s) => ({
        kind: 'batchNormInference',
        x: s.x,
        y: s.y,
        rows: ROWS,
        cols: COLS,
        gamma: withGamma ? s.gamma : null,
        beta: withBeta ? s.beta : null,
        movingMean: s.movingMean,
        movingVariance: s.movingVariance,
        epsilon: 1e-3,
      }),
    }),
  ),

  ...(['train', 'inference'] as const).flatMap((mode) =>
    (
      [
        ['every output, gamma', true, true, true, true],
        ['dx only, gamma', true, true, false, false],
        ['dx only, no gamma', false, true, false, false],
        ['dgamma and dbeta only', true, false, true, true],
        ['dbeta only', false, false, false, true],
        ['dx and dgamma, no gamma', false, true, true, false],
        ['every output in place (dx = dy)', true, 'inPlace', true, true],
      ] as const
    ).map(([what, withGamma, dx, withDgamma, withDbeta]): CallCase => {
      const x = batch();
      const mean = new Float32Array(COLS);
      for (let i = 0; i < N; i++) mean[i % COLS] += x[i] / ROWS;
      const buffers: Record<string, BufferSpec> = {
        x: { data: x },
        dy: { data: normals(N) },
        mean: { data: mode === 'train' ? mean : normals(COLS) },
        // train: the batch's 1/√(σ² + ε); inference: the moving variance
        stat: { data: uniforms(COLS, mode === 'train' ? 0.3 : 0.1, 3) },
        gamma: gamma(),
        dx: { length: N },
        dgamma: { data: normals(COLS) },
        dbeta: { data: normals(COLS) },
      };
      return {
        name: `batchNormBackward ${mode}: ${what}`,
        buffers,
        call: (s) => ({
          kind: 'batchNormBackward',
          mode,
          x: s.x,
          dy: s.dy,
          rows: ROWS,
          cols: COLS,
          gamma: withGamma ? s.gamma : null,
          mean: s.mean,
          stat: s.stat,
          epsilon: 1e-3,
          dx: dx === 'inPlace' ? s.dy : dx ? s.dx : null,
          dgamma: withDgamma ? s.dgamma : null,
          dbeta: withDbeta ? s.dbeta : null,
        }),
      };
    }),
  ),
];
