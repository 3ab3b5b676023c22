import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, layers, optimizers, sequential, tensor } from '../../src/index.js';
import { TerminateOnNaN } from '../../src/callbacks/terminate-on-nan.js';
import { NonFiniteLossError } from '../../src/model/fit.js';
import { blobs } from '../helpers/data.js';
import { FakeModel } from '../helpers/scripted-training.js';

beforeEach(() => clearSession());

function diverging() {
  const { x, y } = blobs(20, 8, 4, 3);
  const model = sequential([layers.dense({ units: 4, activation: 'softmax', inputShape: [8] })], { seed: 1 });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 1e30 }), loss: 'sparseCategoricalCrossentropy' });
  return {
    model,
    x: tensor(
      (x.data as Float32Array).map((v) => v * 1e6),
      [20, 8],
    ),
    y,
  };
}

describe('terminateOnNaN', () => {
  it('ends a diverging run quietly after the batch whose loss is not finite (fit does not throw first)', async () => {
    const { model, x, y } = diverging();
    const stop = callbacks.terminateOnNaN();
    const history = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stop] });
    expect(history.epoch).toEqual([0]);
    expect(stop.terminatedAt).not.toBeNull();
    expect(stop.terminatedAt!.epoch).toBe(0);
    expect(Number.isFinite(history.history.loss[0])).toBe(false);
  });

  it('an explicit stopOnNaN: true still throws', async () => {
    const { model, x, y } = diverging();
    await expect(
      model.fit(x, y, {
        epochs: 5,
        batchSize: 4,
        verbose: 0,
        stopOnNaN: true,
        callbacks: [callbacks.terminateOnNaN()],
      }),
    ).rejects.toThrow(NonFiniteLossError);
  });

  it('reacts to NaN and ±Infinity batch losses only, and says so when fit is verbose', () => {
    const lines: string[] = [];
    const stop = new TerminateOnNaN((l) => lines.push(l));
    const model = new FakeModel();
    stop.setModel(model);
    stop.setParams({ epochs: 3, initialEpoch: 0, steps: 10, samples: 10, batchSize: 1, verbose: 1, metrics: ['loss'] });
    stop.onTrainBegin();
    stop.onEpochBegin(2);
    for (const loss of [1, 0, 1e38]) stop.onBatchEnd(0, { loss });
    stop.onBatchEnd(0, { accuracy: NaN });
    expect(model.stopTraining).toBe(false);
    stop.onBatchEnd(4, { loss: -Infinity });
    expect(model.stopTraining).toBe(true);
    expect(stop.terminatedAt).toEqual({ epoch: 2, batch: 4 });
    expect(lines).toEqual(['Epoch 3, batch 5: invalid loss -Infinity, terminating training.']);
    model.stopTraining = false;
    stop.onBatchEnd(0, { loss: NaN });
    expect(model.stopTraining).toBe(true);
  });
});
