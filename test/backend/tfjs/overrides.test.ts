// The tfjs backend's overrides against the default compositions they replace: gemm (tf.fused.matMul
// with bias and activation) for every activation, layout, with and without bias, on tfjs's cpu and
// wasm backends, against the same call expanded into primitives on tfjs and on the float64 reference.

import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelActivation, KernelCall } from '../../../src/backend/backend.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';
import { expectClose, runOn, tf, uniforms, type Slices } from './helpers.js';

const ACTIVATIONS: readonly KernelActivation[] = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'leakyRelu',
  'elu',
  'selu',
  'hardSigmoid',
  'softplus',
  'softsign',
  'swish',
  'gelu',
];
const reference = new ReferenceBackend();

afterAll(async () => {
  await tf.setBackend('cpu');
});

for (const tfBackend of ['cpu', 'wasm'] as const) {
  describe(`tfjs backend overrides on tfjs ${tfBackend}: gemm`, () => {
    const backends = async () => {
      await tf.setBackend(tfBackend);
      await tf.ready();
      return { fused: new TfjsBackend(tf), plain: new TfjsBackend(tf, { overrides: false }) };
    };

    it('runs gemm itself, and only with overrides on', async () => {
      const { fused, plain } = await backends();
      expect(fused.implements('gemm')).toBe(true);
      expect(plain.implements('gemm')).toBe(false);
    });

    for (const activation of ACTIVATIONS) {
      it(`${activation}: every layout, with and without bias, as the default and the reference`, async () => {
        const { fused, plain } = await backends();
        for (const layout of ['nn', 'tn', 'nt'] as const) {
          for (const withBias of [true, false]) {
            for (const alpha of activation === 'leakyRelu' ? [0.2, 0.01] : activation === 'elu' ? [1, 0.5] : [0]) {
              const [m, n, k] = [7, 5, 11];
              const specs = {
                a: { data: uniforms(m * k, 3 + k, -1.5, 1.5) },
                b: { data: uniforms(k * n, 5 + n, -1.5, 1.5) },
                bias: { data: uniforms(n, 9, -1, 1) },
                c: { length: m * n },
              };
              const build = (s: Slices): KernelCall[] => [
                {
                  kind: 'gemm',
                  layout,
                  m,
                  n,
                  k,
                  a: s.a,
                  b: s.b,
                  c: s.c,
                  bias: withBias ? s.bias : null,
                  activation,
                  alpha,
                  scratch: null,
                },
              ];
              const what = `${activation}(α ${alpha}) ${layout}${withBias ? ' + bias' : ''}`;
              const expected = runOn(reference, specs, build).c;
              const byDefault = runOn(plain, specs, build).c;
              const overridden = runOn(fused, specs, build).c;
              expectClose(byDefault, expected, `default ${what}`, 1e-5, 1e-6);
              expectClose(overridden, expected, `override ${what}`, 1e-5, 1e-6);
              expectClose(overridden, byDefault, `override vs default ${what}`, 1e-5, 1e-6);
            }
          }
        }
      });
    }

    it('a bias computed as a matrix (a broadcast op over rows) and flattened', async () => {
      const { fused } = await backends();
      // bias = column sums of a [3, 4] matrix ... written by a broadcasting binary over [2, 2]
      const specs = {
        a: { data: uniforms(8, 1) },
        b: { data: uniforms(8, 2) },
        r: { data: new Float32Array([1, 2]) },
        c0: { data: new Float32Array([0.5, -0.5]) },
        bias: { length: 4 },
        c: { length: 8 },
      };
      const build = (s: Slices): KernelCall[] => [
        {
          kind: 'binary',
          op: 'add',
          a: { kind: 'row', slice: s.r },
          b: { kind: 'column', slice: s.c0 },
          y: s.bias,
          rows: 2,
          cols: 2,
        },
        {
          kind: 'gemm',
          layout: 'nn',
          m: 2,
          n: 4,
          k: 4,
          a: s.a,
          b: s.b,
          c: s.c,
          bias: s.bias,
          activation: 'relu',
          alpha: 0,
          scratch: null,
        },
      ];
      expectClose(runOn(fused, specs, build).c, runOn(reference, specs, build).c, 'gemm with a computed bias');
    });
  });
}
