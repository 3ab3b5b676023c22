import { describe, expect, it } from 'vitest';
import { layers, optimizers, sequential, Tensor } from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import { blobs } from '../helpers/data.js';

const N = 50;
const { x, y } = blobs(N, 5, 3, 7);

function model() {
  const m = sequential(
    [
      layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 5 },
  );
  m.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

function rows(t: Tensor, from: number, to: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.slice(from * per, to * per), [to - from, ...t.shape.slice(1)]);
}

describe('fit validationSplit', () => {
  it('holds out the last ⌊n·split⌋ samples, before shuffling, as Keras', async () => {
    // Keras: split_at = ceil(50 · 0.7) = 35 → train on 0..34, validate on 35..49.
    const a = model();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.3 });
    const b = model();
    const hb = await b.fit(rows(x, 0, 35), rows(y, 0, 35), {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      validationData: [rows(x, 35, N), rows(y, 35, N)],
    });
    expect(a.getWeights().map((w) => Array.from(w.data))).toEqual(b.getWeights().map((w) => Array.from(w.data)));
    expect(ha.history.valLoss).toEqual(hb.history.valLoss);
    // The last epoch's validation figures are those of the final weights on the held-out samples.
    const held = a.evaluate(rows(x, 35, N), rows(y, 35, N));
    expect(ha.history.valLoss.at(-1)).toBeCloseTo(held.loss, 6);
    expect(ha.history.valAccuracy.at(-1)).toBeCloseTo(held.accuracy, 6);
  });

  it('is ignored when validationData is given (Keras and tfjs)', async () => {
    const a = model();
    const ha = await a.fit(x, y, {
      epochs: 2,
      batchSize: 10,
      verbose: 0,
      validationSplit: 0.5,
      validationData: [x, y],
    });
    const b = model();
    const hb = await b.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, validationData: [x, y] });
    expect(ha.history.valLoss).toEqual(hb.history.valLoss);
  });

  it('drops the held-out samples’ weights from training', async () => {
    const sampleWeight = Float32Array.from({ length: N }, (_, i) => 1 + (i % 3));
    const a = model();
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.2, sampleWeight });
    const b = model();
    await b.fit(rows(x, 0, 40), rows(y, 0, 40), {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      sampleWeight: sampleWeight.slice(0, 40),
    });
    expect(a.getWeights().map((w) => Array.from(w.data))).toEqual(b.getWeights().map((w) => Array.from(w.data)));
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN, '0.2'])(
    'rejects validationSplit %s, naming it and the range',
    async (split) => {
      await expect(model().fit(x, y, { verbose: 0, validationSplit: split as number })).rejects.toThrow(ValueError);
      await expect(model().fit(x, y, { verbose: 0, validationSplit: split as number })).rejects.toThrow(
        /validationSplit: expected a fraction strictly between 0 and 1.*received/,
      );
    },
  );

  it('rejects a split that leaves no validation sample, saying what to change', async () => {
    await expect(model().fit(rows(x, 0, 4), rows(y, 0, 4), { verbose: 0, validationSplit: 0.1 })).rejects.toThrow(
      /0\.1 of 4 samples leaves no validation samples; use a larger fraction/,
    );
  });
});
