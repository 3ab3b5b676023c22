import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, layers, optimizers, sequential, ValueError } from '../../src/index.js';
import type { Logs } from '../../src/callbacks/index.js';
import { blobs } from '../helpers/data.js';

beforeEach(() => clearSession());

function model() {
  const m = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })], { seed: 2 });
  m.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe('lambdaCallback', () => {
  it('runs each hook in order with the figures fit logs, and awaits hooks that return a promise', async () => {
    const { x, y } = blobs(12, 4, 3, 5);
    const calls: string[] = [];
    const epochLosses: number[] = [];
    const hooks = callbacks.lambdaCallback({
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: (epoch) => void calls.push(`epochBegin ${epoch}`),
      onBatchBegin: (batch) => void calls.push(`batchBegin ${batch}`),
      onBatchEnd: (batch, logs) => void calls.push(`batchEnd ${batch} ${Number.isFinite(logs.loss)}`),
      onEpochEnd: async (epoch, logs: Logs) => {
        await new Promise((r) => setTimeout(r, 5));
        epochLosses.push(logs.loss);
        calls.push(`epochEnd ${epoch}`);
      },
      onTrainEnd: () => void calls.push('trainEnd'),
    });
    const history = await model().fit(x, y, {
      epochs: 2,
      batchSize: 6,
      shuffle: false,
      verbose: 0,
      callbacks: [hooks],
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0 true',
      'batchBegin 1',
      'batchEnd 1 true',
      'epochEnd 0',
      'epochBegin 1',
      'batchBegin 0',
      'batchEnd 0 true',
      'batchBegin 1',
      'batchEnd 1 true',
      'epochEnd 1',
      'trainEnd',
    ]);
    expect(epochLosses).toEqual(history.history.loss);
  });

  it('fit takes a plain hooks object as tfjs does, in an array or alone, next to Callback instances', async () => {
    const { x, y } = blobs(12, 4, 3, 5);
    const seen: number[] = [];
    const stop = callbacks.earlyStopping({ monitor: 'loss', patience: 100 });
    await model().fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [{ onEpochEnd: (epoch) => void seen.push(epoch) }, stop],
    });
    await model().fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: { onEpochEnd: (epoch) => void seen.push(10 + epoch) },
    });
    expect(seen).toEqual([0, 1, 2, 10, 11]);
  });

  it('can stop training through the model it is given', async () => {
    const { x, y } = blobs(12, 4, 3, 5);
    const stopper = callbacks.lambdaCallback({});
    const hooks = callbacks.lambdaCallback({
      onEpochEnd: (epoch) => {
        if (epoch === 1) stopper.model!.stopTraining = true;
      },
    });
    const history = await model().fit(x, y, { epochs: 10, verbose: 0, callbacks: [stopper, hooks] });
    expect(history.epoch).toEqual([0, 1]);
  });

  it('refuses what is not an object of hook functions, naming the hook and the fix', () => {
    expect(() => callbacks.lambdaCallback(null as never)).toThrow(ValueError);
    expect(() => callbacks.lambdaCallback(null as never)).toThrow(
      new RegExp(
        'lambdaCallback: expected an object of hook functions such as \\{ onEpochEnd: \\(epoch, logs\\) => … \\}, ' +
          'received null',
      ),
    );
    expect(() => callbacks.lambdaCallback({ onEpochEnd: 'print' } as never)).toThrow(
      /lambdaCallback\.onEpochEnd: expected a function, received "print"/,
    );
    expect(() => callbacks.lambdaCallback({ on_train_batch_end: () => {} } as never)).toThrow(
      /unknown hook "on_train_batch_end"; use onBatchEnd/,
    );
    expect(() => callbacks.lambdaCallback({ onStep: () => {} } as never)).toThrow(
      new RegExp(
        'unknown hook "onStep"; the hooks are onTrainBegin, onTrainEnd, onEpochBegin, onEpochEnd, onBatchBegin, ' +
          'onBatchEnd',
      ),
    );
  });
});
