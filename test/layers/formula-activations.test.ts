// The formula activations (mish, relu6: graph primitives, gradients from the graph's table) in
// float64 on the ReferenceBackend against Keras's formulas and their central differences (1e-6
// relative), and their names wherever an activation name is taken: dense and activation layers,
// simdnet's and tfjs's saved configs. (Parity with tfjs through a model and one SGD step on the WASM
// kernels: activation-layers.test.ts.)
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layers } from '../../src/index.js';
import { ACTIVATION_NAMES, applyActivation, isFusable } from '../../src/layers/activations.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Dense } from '../../src/layers/dense.js';
import type { Activation } from '../../src/layers/activation.js';
import { check, input, uniform } from '../graph/reference-gradcheck.js';

const TOL = 1e-6;
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe('formula activations: forward and gradient in float64', () => {
  it('mish = x·tanh(softplus(x))', () => {
    const x = input([4, 6], uniform(24, 1, -5, 5));
    const r = check(([t]) => applyActivation(t, 'mish'), ([t]) => t.map((v) => v * Math.tanh(softplus(v))), [x]);
    expect(r.forwardError).toBeLessThan(TOL);
    expect(r.gradientErrors[0]).toBeLessThan(TOL);
  });

  it('relu6 = min(max(x, 0), 6), away from its kinks', () => {
    // values in (−3, 9) at least 0.05 from 0 and 6
    const data = uniform(40, 2, -3, 9).map((v) => (Math.abs(v) < 0.05 || Math.abs(v - 6) < 0.05 ? v + 0.1 : v));
    const r = check(([t]) => applyActivation(t, 'relu6'), ([t]) => t.map((v) => Math.min(Math.max(v, 0), 6)), [input([5, 8], data)]);
    expect(r.forwardError).toBeLessThan(TOL);
    expect(r.gradientErrors[0]).toBeLessThan(TOL);
  });

  it('are names like the others, applied after the product (not in the GEMM epilogue)', () => {
    expect(ACTIVATION_NAMES).toContain('mish');
    expect(ACTIVATION_NAMES).toContain('relu6');
    expect(isFusable('mish')).toBe(false);
    expect(isFusable('relu6')).toBe(false);
    expect(isFusable('relu')).toBe(true);
  });
});

describe('formula activations in configs', () => {
  it("simdnet's own getConfig round trip, dense and activation layers", () => {
    const d = layers.dense({ units: 3, activation: 'mish', name: 'd_mish' });
    const back = layerFromConfig('Dense', d.getConfig()) as Dense;
    expect(back.activation).toBe('mish');
    const a = layers.activation({ activation: 'relu6', name: 'a_relu6' });
    expect((layerFromConfig('Activation', a.getConfig()) as Activation).activation).toBe('relu6');
  });

  it('configs tfjs writes (and Keras, whose names are the same) load', () => {
    for (const name of ['mish', 'relu6'] as const) {
      const dense = layerFromConfig('Dense', tf.layers.dense({ units: 4, activation: name }).getConfig()) as Dense;
      expect(dense.activation).toBe(name);
      const act = layerFromConfig('Activation', tf.layers.activation({ activation: name }).getConfig()) as Activation;
      expect(act.activation).toBe(name);
      // Keras 3 writes snake_case keys with the same activation names
      expect((layerFromConfig('Dense', { name: `k_${name}`, units: 2, activation: name, use_bias: true }) as Dense).activation).toBe(name);
    }
  });

  it('a misspelt name is refused, listing the formula names too', () => {
    expect(() => layers.dense({ units: 2, activation: 'Mish' as 'mish' })).toThrow(/activation: unknown activation "Mish"; known: .*mish, relu6/);
  });
});
