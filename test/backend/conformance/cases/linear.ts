// Linear calls: gemm in every layout (with its packing scratch), with a bias and every activation in
// its epilogue, an activation without a bias; columnSums.

import type { Backend } from '../../../../src/backend/backend.js';
import { type CallCase, normals } from '../calls-harness.js';
import { ACTIVATIONS } from './activation.js';

const [M, N, K] = [3, 7, 5];

const gemmBuffers = (layout: 'nn' | 'tn' | 'nt') => ({
  a: { data: normals(M * K) },
  b: { data: normals(K * N) },
  c: { data: normals(M * N) }, // overwritten
  bias: { data: normals(N) },
  scratch: { length: (backend: Backend) => backend.gemmScratchBytes(layout, M, N, K) / 4, ignore: true },
});

export const LINEAR_CASES: CallCase[] = [
  ...(['nn', 'tn', 'nt'] as const).map(
    (layout): CallCase => ({
      name: `gemm ${layout}`,
      buffers: gemmBuffers(layout),
      call: (s) => ({
        kind: 'gemm',
        layout,
        m: M,
        n: N,
        k: K,
        a: s.a,
        b: s.b,
        c: s.c,
        bias: null,
        activation: 'linear',
        alpha: 0,
        scratch: s.scratch,
      }),
    }),
  ),
  ...ACTIVATIONS.map(
    ([activation, alpha]): CallCase => ({
      name: `gemm nn with a bias and ${activation}`,
      buffers: gemmBuffers('nn'),
      call: (s) => ({
        kind: 'gemm',
        layout: 'nn',
        m: M,
        n: N,
        k: K,
        a: s.a,
        b: s.b,
        c: s.c,
        bias: s.bias,
        activation,
        alpha,
        scratch: null,
      }),
    }),
  ),
  {
    name: 'gemm nn with an activation (elu α 0.7) and no bias',
    buffers: gemmBuffers('nn'),
    call: (s) => ({
      kind: 'gemm',
      layout: 'nn',
      m: M,
      n: N,
      k: K,
      a: s.a,
      b: s.b,
      c: s.c,
      bias: null,
      activation: 'elu',
      alpha: 0.7,
      scratch: null,
    }),
  },
  {
    name: 'gemm tn with a bias and elu (α 0.7), no scratch',
    buffers: gemmBuffers('tn'),
    call: (s) => ({
      kind: 'gemm',
      layout: 'tn',
      m: M,
      n: N,
      k: K,
      a: s.a,
      b: s.b,
      c: s.c,
      bias: s.bias,
      activation: 'elu',
      alpha: 0.7,
      scratch: null,
    }),
  },
  {
    name: 'gemm nt with an activation and no bias',
    buffers: gemmBuffers('nt'),
    call: (s) => ({
      kind: 'gemm',
      layout: 'nt',
      m: M,
      n: N,
      k: K,
      a: s.a,
      b: s.b,
      c: s.c,
      bias: null,
      activation: 'gelu',
      alpha: 0,
      scratch: s.scratch,
    }),
  },
  {
    name: 'columnSums (overwriting out)',
    buffers: { x: { data: normals(5 * 19) }, out: { data: normals(19) } },
    call: (s) => ({ kind: 'columnSums', rows: 5, cols: 19, x: s.x, out: s.out }),
  },
];
