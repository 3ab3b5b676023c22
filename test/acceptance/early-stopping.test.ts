// The reference notebook's second experiment on the real Fashion-MNIST (CI installs the Debian
// package dataset-fashion-mnist): dropout, ELU with He-normal kernels, Adam at 0.01, and early
// stopping on the validation loss with the best weights restored.
//
// Adam at 0.01 on this model is jumpy (the notebook's own validation loss goes 0.65 → 0.67 → 0.62 →
// 0.67 → 0.53 → 0.60 → 0.59 → 0.79), so one seed's figures say little: the test trains three seeds
// (about 15 s in all) and holds each to the early-stopping rules exactly and to a band of accuracy.

import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { callbacks, clearSession, datasets, layers, optimizers, sequential, type Tensor } from '../../src/index.js';

const haveData =
  existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') || Boolean(process.env.FASHION_MNIST_DIR);

const PATIENCE = 3;
const EPOCHS = 10;
// The notebook's best epoch reached 0.8198. A scratch run of seven seeds gave best validation
// accuracies (the highest of a run's epochs) of 0.779–0.831, 0.82 in the median; these three seeds
// reach 0.831, 0.815 and 0.814, and between them stop early and run to the end.
const BEST_ACCURACY_BAND = [0.78, 0.86];
const SEEDS = [42, 1, 2024];

function notebookModel(seed: number) {
  return sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 300, activation: 'elu', kernelInitializer: 'heNormal' }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 100, activation: 'elu', kernelInitializer: 'heNormal' }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed },
  );
}

describe.skipIf(!haveData)(
  'notebook experiment 2: dropout + ELU + Adam with early stopping on Fashion-MNIST (needs dataset-fashion-mnist)',
  () => {
    let data: { xTrain: Tensor; yTrain: Tensor; xValid: Tensor; yValid: Tensor };
    beforeAll(async () => {
      data = await datasets.fashionMnist({ validation: 5000, trainSamples: 10000 });
    });

    it.each(SEEDS)(
      'seed %i: stops 3 epochs after the best validation loss, restores that epoch, and reaches the notebook band',
      async (seed) => {
        clearSession();
        const { xTrain, yTrain, xValid, yValid } = data;
        const model = notebookModel(seed);
        model.compile({
          optimizer: optimizers.adam({ learningRate: 0.01 }),
          loss: 'sparseCategoricalCrossentropy',
          metrics: ['accuracy'],
        });
        const stopper = callbacks.earlyStopping({ monitor: 'valLoss', patience: PATIENCE, restoreBestWeights: true });
        const history = await model.fit(xTrain, yTrain, {
          epochs: EPOCHS,
          batchSize: 32,
          validationData: [xValid, yValid],
          verbose: 0,
          callbacks: [stopper],
        });

        const { valLoss, valAccuracy } = history.history;
        // The first epoch with the lowest validation loss (later ties do not improve on it).
        const best = valLoss.indexOf(Math.min(...valLoss));
        expect(stopper.bestEpoch).toBe(best);
        if (valLoss.length < EPOCHS) {
          expect(valLoss).toHaveLength(best + 1 + PATIENCE);
          expect(stopper.stoppedEpoch).toBe(best + PATIENCE);
        } else {
          // Ran to the end: the last epochs never went PATIENCE epochs without improving.
          expect(best).toBeGreaterThanOrEqual(EPOCHS - PATIENCE);
          expect(stopper.stoppedEpoch).toBe(0);
        }

        // The weights in the model are the best epoch's: evaluating them again gives its figures.
        const restored = model.evaluate(xValid, yValid, { batchSize: 32 });
        expect(Math.abs(restored.loss - valLoss[best])).toBeLessThan(1e-4);
        expect(restored.accuracy).toBe(valAccuracy[best]);

        const bestAccuracy = Math.max(...valAccuracy);
        expect(bestAccuracy).toBeGreaterThanOrEqual(BEST_ACCURACY_BAND[0]);
        expect(bestAccuracy).toBeLessThanOrEqual(BEST_ACCURACY_BAND[1]);
      },
      60_000,
    );
  },
);
