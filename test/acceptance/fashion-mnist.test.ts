// The reference notebook's first experiment on the real Fashion-MNIST (CI installs the Debian
// package dataset-fashion-mnist): the same model, split, optimizer and schedule, held to the
// notebook's figures.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearSession, datasets, layers, optimizers, sequential, tensor } from '../../src/index.js';

const seedResults = JSON.parse(readFileSync(new URL('../fixtures/seed-results.json', import.meta.url), 'utf8'));
const haveData =
  existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') || Boolean(process.env.FASHION_MNIST_DIR);

describe.skipIf(!haveData)('notebook experiment 1: MLP with SGD on Fashion-MNIST (needs dataset-fashion-mnist)', () => {
  it('reaches the notebook accuracy, counts 266,610 parameters and predicts 9, 2, 1', async () => {
    clearSession();
    const { xTrain, yTrain, xValid, yValid, xTest, yTest } = await datasets.fashionMnist({
      validation: 5000,
      trainSamples: 10000,
    });
    const model = sequential(
      [
        layers.flatten({ inputShape: [28, 28] }),
        layers.dense({ units: 300, activation: 'relu' }),
        layers.dense({ units: 100, activation: 'relu' }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
      { seed: 42 },
    );
    expect(model.countParams()).toBe(seedResults.summaries.mlp.total);
    expect(model.summaryRows().map((r) => [r.name, r.outputShape, r.params])).toEqual(seedResults.summaries.mlp.layers);
    model.compile({
      optimizer: optimizers.sgd({ learningRate: 0.01 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(xTrain, yTrain, {
      epochs: 10,
      batchSize: 32,
      validationData: [xValid, yValid],
      verbose: 0,
    });

    const { valAccuracy, loss } = history.history;
    expect(valAccuracy).toHaveLength(10);
    const lastThree = (valAccuracy[7] + valAccuracy[8] + valAccuracy[9]) / 3;
    expect(lastThree).toBeGreaterThanOrEqual(0.8);
    expect(lastThree).toBeLessThanOrEqual(0.86);
    // The training loss falls the way the notebook's does (1.18 → 0.44).
    expect(loss[0]).toBeGreaterThan(0.9);
    expect(loss[0]).toBeLessThan(1.5);
    expect(loss[9]).toBeLessThan(0.5);

    const test = model.evaluate(xTest, yTest);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.79);
    expect(test.loss).toBeLessThan(0.6);

    const probs = model.predict(tensor(xTest.data.subarray(0, 3 * 784), [3, 28, 28]));
    const predicted = [0, 1, 2].map((i) => {
      const row = Array.from(probs.data.subarray(i * 10, i * 10 + 10));
      return row.indexOf(Math.max(...row));
    });
    expect(predicted).toEqual(seedResults.experiments.mlpSgd.predictFirstThreeTest);
  }, 180_000);
});
