// The formula activations (mish, relu6: graph primitives, gradients from the graph's table) in
// float64 on the ReferenceBackend against Keras's formulas and their central differences (1e-6
// relative), and their names wherever an activation name is taken: dense and activation layers,
// simdnet's and tfjs's saved configs, a model tfjs saved. (Parity with tfjs through a model and one SGD step on the
// WASM kernels: activation-layers.test.ts.)
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { layers, loadModel, Tensor } from '../../src/index.js';
import { ACTIVATION_NAMES, applyActivation, isFusable } from '../../src/layers/activations.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Dense } from '../../src/layers/dense.js';
import type { Activation } from '../../src/layers/activation.js';
import { relErr } from '../helpers/compare.js';
import { check, input, uniform } from '../graph/reference-gradcheck.js';

const TOL = 1e-6;
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe('formula activations: forward and gradient in float64', () => {
  it('mish = x·tanh(softplus(x))', () => {
    const x = input([4, 6], uniform(24, 1, -5, 5));
    const r = check(
      ([t]) => applyActivation(t, 'mish'),
      ([t]) => t.map((v) => v * Math.tanh(softplus(v))),
      [x],
    );
    expect(r.forwardError).toBeLessThan(TOL);
    expect(r.gradientErrors[0]).toBeLessThan(TOL);
  });

  it('relu6 = min(max(x, 0), 6), away from its kinks', () => {
    // values in (−3, 9) at least 0.05 from 0 and 6
    const data = uniform(40, 2, -3, 9).map((v) => (Math.abs(v) < 0.05 || Math.abs(v - 6) < 0.05 ? v + 0.1 : v));
    const r = check(
      ([t]) => applyActivation(t, 'relu6'),
      ([t]) => t.map((v) => Math.min(Math.max(v, 0), 6)),
      [input([5, 8], data)],
    );
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
      expect(
        (layerFromConfig('Dense', { name: `k_${name}`, units: 2, activation: name, use_bias: true }) as Dense)
          .activation,
      ).toBe(name);
    }
  });

  it('a misspelt name is refused, listing the formula names too', () => {
    expect(() => layers.dense({ units: 2, activation: 'Mish' as 'mish' })).toThrow(
      /activation: unknown activation "Mish"; known: .*mish, relu6/,
    );
  });
});

describe('a model tfjs saved with mish and relu6 loads and predicts as tfjs does', () => {
  it('loadModel of tfjs artifacts (reference backend), outputs within 1e-5', async () => {
    await tf.setBackend('cpu');
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, activation: 'mish', inputShape: [3] }),
        tf.layers.dense({ units: 2, activation: 'relu6' }),
      ],
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await tfModel.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-formula-'));
    configureBackend({ backend: 'reference' });
    try {
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts!.modelTopology,
          format: artifacts!.format,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }],
        }),
      );
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts!.weightData as ArrayBuffer));
      const model = await loadModel(`file://${dir}/model.json`);
      expect(model.layers.map((l) => (l as Dense).activation)).toEqual(['mish', 'relu6']);
      const x = Float32Array.from({ length: 15 }, (_, i) => (i - 7) * 0.9);
      const ours = model.predict(new Tensor(x, [5, 3])).data;
      const theirs = tf.tidy(() => (tfModel.predict(tf.tensor(x, [5, 3])) as tf.Tensor).dataSync());
      expect(relErr(ours, theirs)).toBeLessThan(1e-5);
      model.dispose();
    } finally {
      configureBackend({ backend: 'wasm' });
      rmSync(dir, { recursive: true, force: true });
      tfModel.dispose();
    }
  });
});
