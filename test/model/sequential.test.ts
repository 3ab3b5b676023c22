import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, layers, optimizers, sequential, tensor, Tensor } from '../../src/index.js';
import { getBackend } from '../../src/backend/index.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { Callback } from '../../src/callbacks/callback.js';
import { blobs } from '../helpers/data.js';

const seedResults = JSON.parse(readFileSync(new URL('../fixtures/seed-results.json', import.meta.url), 'utf8'));

function referenceMlp(seed = 1) {
  return sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 300, activation: 'relu' }),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed },
  );
}

function smallModel(seed = 3) {
  const model = sequential(
    [
      layers.dense({ units: 16, activation: 'relu', inputShape: [8] }),
      layers.dense({ units: 4, activation: 'softmax' }),
    ],
    { seed },
  );
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

beforeEach(() => clearSession());

describe('summary', () => {
  it("matches the notebook's table: names, output shapes, parameter counts, totals", () => {
    const model = referenceMlp();
    const rows = model.summaryRows().map((r) => [r.name, r.outputShape, r.params]);
    expect(rows).toEqual(seedResults.summaries.mlp.layers);
    expect(model.countParams()).toBe(seedResults.summaries.mlp.total);
    const lines: string[] = [];
    const text = model.summary((l) => lines.push(l));
    expect(text).toContain('dense_1 (Dense)             (None, 100)               30100');
    expect(text).toContain('Total params: 266,610');
    expect(text).toContain('Trainable params: 266,610');
    expect(text).toContain('Non-trainable params: 0');
    expect(lines.join('\n')).toBe(text);
  });

  it('glorot-uniform kernels have the right range and zero biases', () => {
    const [k1, b1] = referenceMlp().getWeights();
    const limit = Math.sqrt(6 / (784 + 300));
    const values = k1.data as Float32Array;
    expect(values.reduce((a, b) => Math.max(a, b), -Infinity)).toBeLessThanOrEqual(limit);
    expect(values.reduce((a, b) => Math.min(a, b), Infinity)).toBeGreaterThanOrEqual(-limit);
    // Variance of U(−l, l) is l²/3.
    const variance = values.reduce((s, v) => s + v * v, 0) / values.length;
    expect(variance).toBeCloseTo((limit * limit) / 3, 4);
    expect([...b1.data].every((v) => v === 0)).toBe(true);
  });
});

describe('fit, evaluate, predict', () => {
  it('learns separable data, and evaluate agrees with predict', async () => {
    const { x, y } = blobs(200, 8, 4, 1);
    const model = smallModel();
    const history = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'learningRate']);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(history.history.loss[4]).toBeLessThan(history.history.loss[0]);
    expect(history.history.accuracy[4]).toBeGreaterThan(0.9);
    const { loss, accuracy } = model.evaluate(x, y, { batchSize: 64 });
    const probs = model.predict(x, { batchSize: 50 });
    expect(probs.shape).toEqual([200, 4]);
    let correct = 0;
    let ce = 0;
    for (let i = 0; i < 200; i++) {
      const row = Array.from(probs.data.subarray(i * 4, i * 4 + 4));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === y.data[i]) correct++;
      ce -= Math.log(row[y.data[i]]);
    }
    expect(accuracy).toBeCloseTo(correct / 200, 6);
    expect(loss).toBeCloseTo(ce / 200, 4);
  });

  it('reports validation figures under valLoss and valAccuracy, equal to evaluate on the same data', async () => {
    const { x, y } = blobs(120, 8, 4, 2);
    const v = blobs(50, 8, 4, 3);
    const model = smallModel();
    const history = await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, validationData: [v.x, v.y] });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate']);
    const after = model.evaluate(v.x, v.y, { batchSize: 32 });
    expect(history.history.valLoss[1]).toBeCloseTo(after.loss, 6);
    expect(history.history.valAccuracy[1]).toBeCloseTo(after.accuracy, 6);
  });

  it('takes nested arrays and one-hot targets with categoricalCrossentropy', async () => {
    const model = sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })], { seed: 4 });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = [
      [0, 1],
      [1, 0],
      [0.9, 0.1],
      [0.1, 0.9],
    ];
    const y = [
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ];
    const before = model.evaluate(x, y);
    await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
    expect(model.evaluate(x, y).loss).toBeLessThan(before.loss);
  });

  it('the same seed gives the same weights after training; another seed does not', async () => {
    const { x, y } = blobs(100, 8, 4, 5);
    const run = async (seed: number) => {
      const m = smallModel(seed);
      await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 });
      return m.getWeights().map((w) => Array.from(w.data));
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('steps allocate nothing: memory size and high-water mark stay put over an epoch', async () => {
    const { x, y } = blobs(330, 8, 4, 6);
    const model = smallModel();
    const memory = (getBackend() as WasmBackend).memory;
    const seen = new Set<string>();
    class Probe extends Callback {
      override onBatchEnd(): void {
        seen.add(`${memory.byteLength}/${memory.highWater}`);
      }
    }
    // 330 = 10 × 32 + 10: both the full-batch and the tail program are compiled before the first step.
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: [new Probe()] });
    expect(seen.size).toBe(1);
  });

  it('setWeights then getWeights round-trips', () => {
    const model = smallModel();
    const weights = model.getWeights().map(
      (w) =>
        new Tensor(
          (w.data as Float32Array).map((_, i) => i * 0.001),
          w.shape,
        ),
    );
    model.setWeights(weights);
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(weights.map((w) => Array.from(w.data)));
  });

  it('stopTraining set by a callback ends fit after the batch', async () => {
    const { x, y } = blobs(64, 8, 4, 7);
    const model = smallModel();
    class Stop extends Callback {
      override onEpochEnd(epoch: number): void {
        if (epoch === 1) this.model!.stopTraining = true;
      }
    }
    const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0, callbacks: [new Stop()] });
    expect(history.epoch).toEqual([0, 1]);
  });

  it('awaits asynchronous hooks before the next batch, in callback order', async () => {
    const { x, y } = blobs(48, 8, 4, 8);
    const events: string[] = [];
    class Slow extends Callback {
      override async onBatchEnd(batch: number): Promise<void> {
        await new Promise((r) => setTimeout(r, 2));
        events.push(`slow end ${batch}`);
      }
    }
    class Fast extends Callback {
      override onBatchBegin(batch: number): void {
        events.push(`begin ${batch}`);
      }
      override onBatchEnd(batch: number): void {
        events.push(`fast end ${batch}`);
      }
    }
    await smallModel().fit(x, y, {
      epochs: 1,
      batchSize: 16,
      verbose: 0,
      shuffle: false,
      callbacks: [new Slow(), new Fast()],
    });
    expect(events).toEqual([
      'begin 0',
      'slow end 0',
      'fast end 0',
      'begin 1',
      'slow end 1',
      'fast end 1',
      'begin 2',
      'slow end 2',
      'fast end 2',
    ]);
  });

  it('builds from the data when no layer declares an input shape', async () => {
    const model = sequential([layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })], { seed: 1 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(tensor(new Float32Array(2 * 4 * 5), [2, 4, 5]), [0, 2], { verbose: 0 });
    expect(model.countParams()).toBe(20 * 3 + 3);
  });
});
