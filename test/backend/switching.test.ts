// Moving between backends: a model trained on one keeps training on another after
// configureBackend (weights and optimizer state carried over), a model saved on one loads on another
// with the same predictions, and the switch is refused while a fit runs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  callbacks,
  configureBackend,
  getBackend,
  layers,
  loadModel,
  optimizers,
  sequential,
  StateError,
  tensor,
  ValueError,
} from '../../src/index.js';
import { relErr } from '../helpers/compare.js';

const SAMPLES = 32;
const x = tensor(
  Float32Array.from({ length: SAMPLES * 5 }, (_, i) => Math.sin(i * 0.37)),
  [SAMPLES, 5],
);
const y = tensor(
  Int32Array.from({ length: SAMPLES }, (_, i) => i % 3),
  [SAMPLES],
  'int32',
);

function model() {
  const m = sequential(
    [
      layers.dense({ units: 7, activation: 'tanh', inputShape: [5] }),
      layers.batchNormalization({}),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 3 },
  );
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

const fit = (m: ReturnType<typeof model>) => m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
const weightsOf = (m: ReturnType<typeof model>) => m.getWeights().map((w) => w.dataSync() as Float32Array);

afterAll(() => configureBackend({ backend: 'wasm', threads: 1 }));

describe('switching backends', () => {
  it('keeps training on the new backend where it stopped, optimizer state included', async () => {
    // All four epochs on the reference backend…
    configureBackend({ backend: 'reference' });
    const straight = model();
    await fit(straight);
    await fit(straight);
    // …against two on WASM, then two more on the reference after a switch.
    configureBackend({ backend: 'wasm', threads: 1 });
    const moved = model();
    await fit(moved);
    expect(moved.optimizer!.getWeights()[0].dataSync()[0]).toBe(8);
    configureBackend({ backend: 'reference' });
    await fit(moved);
    expect(getBackend().name).toBe('reference');
    // Adam's iterations and moments came along: without them the second half would differ widely.
    expect(moved.optimizer!.getWeights()[0].dataSync()[0]).toBe(16);
    const a = weightsOf(moved);
    const b = weightsOf(straight);
    for (const [i, w] of a.entries()) expect(relErr(w, b[i]), `weight ${i}`).toBeLessThan(1e-4);
  });

  it('loads a model saved on one backend on another, with the same predictions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simdnet-switch-'));
    try {
      configureBackend({ backend: 'wasm', threads: 1 });
      const m = model();
      await fit(m);
      const before = m.predict(x).dataSync() as Float32Array;
      await m.save(`file://${dir}`);
      configureBackend({ backend: 'reference' });
      const loaded = await loadModel(`file://${dir}`);
      expect(relErr(loaded.predict(x).dataSync() as Float32Array, before)).toBeLessThan(1e-5);
      // and it trains on there, from the saved optimizer state
      await fit(loaded);
      expect(loaded.optimizer!.getWeights()[0].dataSync()[0]).toBe(16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to switch while a fit runs, and says what to do', async () => {
    configureBackend({ backend: 'wasm', threads: 1 });
    const m = model();
    let refused: unknown = null;
    const probe = new (class extends callbacks.Callback {
      override onBatchEnd() {
        if (refused === null) {
          try {
            configureBackend({ backend: 'reference' });
            refused = 'accepted';
          } catch (error) {
            refused = error;
          }
        }
      }
    })();
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [probe] });
    expect(refused).toBeInstanceOf(StateError);
    expect((refused as Error).message).toMatch(/fit\(\) is running.*after it resolves/);
    expect(getBackend().name).toBe('wasm');
    // Once the fit has resolved, the switch goes through.
    configureBackend({ backend: 'reference' });
    expect(getBackend().name).toBe('reference');
  });

  it('takes layers built before a switch into a model built after it', async () => {
    configureBackend({ backend: 'wasm', threads: 1 });
    const base = model();
    await fit(base);
    configureBackend({ backend: 'reference' });
    const head = sequential([...base.layers.slice(0, 2), layers.dense({ units: 3, activation: 'softmax' })], {
      seed: 4,
    });
    head.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await head.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(head.layers[0].weights[0].backend.name).toBe('reference');
  });

  it('says a disposed model cannot be used, instead of failing inside', async () => {
    configureBackend({ backend: 'wasm', threads: 1 });
    const m = model();
    m.dispose();
    configureBackend({ backend: 'reference' });
    expect(() => m.predict(x)).toThrow(StateError);
    expect(() => m.predict(x)).toThrow(/was disposed \(its weights were released\); build or load it again/);
  });

  it('refuses a tf option that is not the TensorFlow.js module', () => {
    expect(() => configureBackend({ backend: 'tfjs', tf: {} as never })).toThrow(ValueError);
    expect(() => configureBackend({ backend: 'tfjs', tf: {} as never })).toThrow(
      /configureBackend: tf: expected your TensorFlow\.js module .* received an object/,
    );
  });

  it('refuses unknown backends and options of another backend by name', () => {
    expect(() => configureBackend({ backend: 'gpu' as never })).toThrow(ValueError);
    expect(() => configureBackend({ backend: 'gpu' as never })).toThrow(
      /backend: expected one of 'wasm', 'tfjs', 'reference', received "gpu"/,
    );
    expect(() => configureBackend({ backend: 'reference', threads: 2 })).toThrow(
      /threads is a setting of the wasm backend, but the backend is 'reference'/,
    );
    expect(() => configureBackend({ backend: 'wasm', tfjsBackend: 'webgl' })).toThrow(
      /tfjsBackend is a setting of the tfjs backend/,
    );
    expect(() => configureBackend({ backend: 'tfjs', tfjsBackend: '' })).toThrow(
      /tfjsBackend: expected a tfjs backend name/,
    );
    expect(() => configureBackend({ backnd: 'tfjs' } as never)).toThrow(/unknown option "backnd"/);
  });
});
