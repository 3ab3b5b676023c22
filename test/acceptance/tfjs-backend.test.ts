// The reference notebook's model on the real Fashion-MNIST, trained on the tfjs backend (tfjs `cpu`
// in Node) on a subset, since tfjs-cpu trains ~400 samples/s here: 1,000 training samples, 3 epochs,
// validated on 1,000. The band below is this subset's (the notebook's 0.80–0.86 is for 10,000 samples
// and 10 epochs, which the WASM acceptance test holds); the WASM backend trains the same subset in
// the same test and the two must agree to float32 rounding, epoch by epoch.

import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { configureBackend, datasets, layers, optimizers, ready, sequential, Tensor } from '../../src/index.js';

const haveData =
  existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') || Boolean(process.env.FASHION_MNIST_DIR);

function head(t: Tensor, n: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.subarray(0, n * per), [n, ...t.shape.slice(1)]);
}

async function train(xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor) {
  const model = sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 300, activation: 'relu' }),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 42 },
  );
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(xTrain, yTrain, {
    epochs: 3,
    batchSize: 32,
    validationData: [xValid, yValid],
    verbose: 0,
  });
  return history.history;
}

afterAll(() => configureBackend({ backend: 'wasm' }));

describe.skipIf(!haveData)(
  'the notebook model on the tfjs backend (tfjs cpu, a 1,000-sample subset; needs dataset-fashion-mnist)',
  () => {
    it('learns as on the WASM backend: the same losses and accuracies epoch by epoch, in the subset band', async () => {
      const data = await datasets.fashionMnist({ validation: 5000, trainSamples: 1000 });
      const args = [data.xTrain, data.yTrain, head(data.xValid, 1000), head(data.yValid, 1000)] as const;
      configureBackend({ backend: 'tfjs', tf, tfjsBackend: 'cpu' });
      await ready();
      const onTfjs = await train(...args);
      configureBackend({ backend: 'wasm', threads: 1 });
      const onWasm = await train(...args);

      for (const [i, loss] of onTfjs.loss.entries()) expect(loss).toBeCloseTo(onWasm.loss[i], 3);
      for (const [i, acc] of onTfjs.valAccuracy.entries())
        expect(Math.abs(acc - onWasm.valAccuracy[i])).toBeLessThanOrEqual(0.002);
      // This subset's band (measured: loss 2.06 → 1.40, validation accuracy 0.465 → 0.616).
      expect(onTfjs.loss[0]).toBeGreaterThan(1.8);
      expect(onTfjs.loss[0]).toBeLessThan(2.3);
      expect(onTfjs.loss[2]).toBeLessThan(1.5);
      expect(onTfjs.valAccuracy[2]).toBeGreaterThanOrEqual(0.56);
      expect(onTfjs.valAccuracy[2]).toBeLessThanOrEqual(0.68);
    }, 120_000);
  },
);
