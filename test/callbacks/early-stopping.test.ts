import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, layers, optimizers, sequential, type Tensor } from '../../src/index.js';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { ValueError } from '../../src/errors.js';
import { blobs } from '../helpers/data.js';
import { fromList, scriptedRun } from '../helpers/scripted-training.js';

describe('earlyStopping on scripted figures (Keras 3 semantics)', () => {
  it('stops after `patience` epochs without improvement', async () => {
    const run = await scriptedRun(
      [callbacks.earlyStopping({ patience: 2 })],
      20,
      fromList([5, 4, 3, 3.5, 3.2, 3.1, 1]),
    );
    // Best at epoch 2; epochs 3 and 4 do not improve: stop at the end of epoch 4.
    expect(run.epochs).toEqual([0, 1, 2, 3, 4]);
  });

  it('patience 0 stops at the first epoch that does not improve (never at epoch 0)', async () => {
    const stopper = callbacks.earlyStopping();
    const run = await scriptedRun([stopper], 20, fromList([5, 4, 4, 1]));
    expect(run.epochs).toEqual([0, 1, 2]);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(stopper.best).toBe(4);
    expect(stopper.bestEpoch).toBe(1);
  });

  it('runs to the end when it keeps improving (stoppedEpoch stays 0)', async () => {
    const stopper = callbacks.earlyStopping({ patience: 1 });
    const run = await scriptedRun([stopper], 5, fromList([5, 4, 3, 2, 1]));
    expect(run.epochs).toEqual([0, 1, 2, 3, 4]);
    expect(stopper.stoppedEpoch).toBe(0);
  });

  it('minDelta: a smaller change is no improvement', async () => {
    const values = [1, 0.95, 0.9, 0.85, 0.8];
    expect((await scriptedRun([callbacks.earlyStopping({ minDelta: 0.1 })], 5, fromList(values))).epochs).toEqual([
      0, 1,
    ]);
    expect((await scriptedRun([callbacks.earlyStopping({ minDelta: 0.04 })], 5, fromList(values))).epochs).toEqual([
      0, 1, 2, 3, 4,
    ]);
    // Exactly minDelta better is not enough (strict comparison, as Keras).
    expect(
      (await scriptedRun([callbacks.earlyStopping({ minDelta: 0.25 })], 5, fromList([1, 0.75, 0.5]))).epochs,
    ).toEqual([0, 1]);
  });

  it("mode 'max', and 'auto' reading accuracy-like names as max", async () => {
    const rising = [0.5, 0.6, 0.7, 0.65, 0.66, 0.9];
    for (const args of [
      { monitor: 'valAccuracy', patience: 2 },
      { monitor: 'auc', patience: 2 },
      { monitor: 'score', mode: 'max' as const, patience: 2 },
    ]) {
      expect((await scriptedRun([callbacks.earlyStopping(args)], 10, fromList(rising, args.monitor))).epochs).toEqual([
        0, 1, 2, 3, 4,
      ]);
    }
    // The same figures watched as a loss: epoch 1 already fails to improve on 0.5.
    expect(
      (await scriptedRun([callbacks.earlyStopping({ monitor: 'score', mode: 'min' })], 10, fromList(rising, 'score')))
        .epochs,
    ).toEqual([0, 1]);
    expect(
      (await scriptedRun([callbacks.earlyStopping({ monitor: 'mse' })], 10, fromList(rising, 'mse'))).epochs,
    ).toEqual([0, 1]);
  });

  it('baseline: improvements that do not beat it do not reset the wait', async () => {
    // Epochs that improve without beating the baseline 1 still count towards patience, so the
    // first epoch without improvement stops training; without a baseline it takes two.
    const figures = fromList([5, 4, 4.5, 4.6, 4.7]);
    expect((await scriptedRun([callbacks.earlyStopping({ patience: 2, baseline: 1 })], 20, figures)).epochs).toEqual([
      0, 1, 2,
    ]);
    expect((await scriptedRun([callbacks.earlyStopping({ patience: 2 })], 20, figures)).epochs).toEqual([0, 1, 2, 3]);
    // An improving epoch never stops training, baseline or not (Keras 3).
    expect(
      (await scriptedRun([callbacks.earlyStopping({ patience: 1, baseline: 0 })], 5, fromList([5, 4, 3, 2, 1]))).epochs,
    ).toEqual([0, 1, 2, 3, 4]);
    // Beating the baseline restarts the wait as usual.
    const beat = await scriptedRun(
      [callbacks.earlyStopping({ patience: 2, baseline: 4.5 })],
      20,
      fromList([5, 4, 3, 3, 3, 3]),
    );
    expect(beat.epochs).toEqual([0, 1, 2, 3, 4]);
  });

  it('startFromEpoch: the first epochs are not watched', async () => {
    const values = [1, 2, 3, 4, 5, 6];
    expect((await scriptedRun([callbacks.earlyStopping({ startFromEpoch: 3 })], 6, fromList(values))).epochs).toEqual([
      0, 1, 2, 3, 4,
    ]);
    const stopper = callbacks.earlyStopping({ startFromEpoch: 2, patience: 1, restoreBestWeights: true });
    const run = await scriptedRun([stopper], 10, fromList([0, 0, 9, 8, 8.5, 8.7]));
    expect(run.epochs).toEqual([0, 1, 2, 3, 4]);
    // Best among watched epochs only (epoch 0's 0 was never seen).
    expect(stopper.best).toBe(8);
    expect(run.model.weightEpoch).toBe(3);
  });

  it(
    'restoreBestWeights restores the best epoch when stopping early, ' + 'and at the end when the best was not last',
    async () => {
      const early = await scriptedRun(
        [callbacks.earlyStopping({ patience: 2, restoreBestWeights: true })],
        20,
        fromList([5, 2, 3, 4, 1]),
      );
      expect(early.epochs).toEqual([0, 1, 2, 3]);
      expect(early.model.weightEpoch).toBe(1);
      // Keras 3: also when training runs to its last epoch.
      const full = await scriptedRun(
        [callbacks.earlyStopping({ patience: 10, restoreBestWeights: true })],
        4,
        fromList([5, 2, 3, 4]),
      );
      expect(full.epochs).toEqual([0, 1, 2, 3]);
      expect(full.model.weightEpoch).toBe(1);
      const last = await scriptedRun(
        [callbacks.earlyStopping({ patience: 10, restoreBestWeights: true })],
        4,
        fromList([5, 4, 3, 2]),
      );
      expect(last.model.weightEpoch).toBe(3);
      // Without restoreBestWeights the last weights stay.
      const keep = await scriptedRun([callbacks.earlyStopping({ patience: 2 })], 20, fromList([5, 2, 3, 4, 1]));
      expect(keep.model.weightEpoch).toBe(3);
    },
  );

  it('restoreBestWeights with a baseline nobody beats: the best of the patience window', async () => {
    const run = await scriptedRun(
      [callbacks.earlyStopping({ patience: 3, baseline: 0.1, restoreBestWeights: true })],
      20,
      fromList([0.5, 0.3, 0.4, 0.35]),
    );
    expect(run.epochs).toEqual([0, 1, 2]);
    expect(run.model.weightEpoch).toBe(1);
  });

  it('is reusable: a second fit starts from scratch', async () => {
    const stopper = callbacks.earlyStopping({ patience: 1 });
    await scriptedRun([stopper], 10, fromList([1, 2, 3]));
    const again = await scriptedRun([stopper], 10, fromList([9, 8, 7, 8, 9]));
    expect(again.epochs).toEqual([0, 1, 2, 3]);
    expect(stopper.best).toBe(7);
  });

  it('a monitor missing from the logs is an error listing the figures there are', async () => {
    await expect(scriptedRun([callbacks.earlyStopping()], 3, () => ({ loss: 1, accuracy: 0.5 }))).rejects.toThrow(
      new RegExp(
        'earlyStopping: monitor "valLoss" is not in the epoch logs, which have: loss, accuracy; pass ' +
          'validationData to fit to get val\\* figures, or monitor one of those\\.',
      ),
    );
    await expect(
      scriptedRun([callbacks.earlyStopping({ monitor: 'acc' })], 3, () => ({ loss: 1, valLoss: 2 })),
    ).rejects.toThrow(/monitor "acc" is not in the epoch logs, which have: loss, valLoss; monitor one of those\./);
  });

  it('checks its options', () => {
    const e = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(pattern);
    };
    e(
      () => callbacks.earlyStopping({ patience: -1 }),
      /earlyStopping: patience must be an integer >= 0 \(a number of epochs\), received -1/,
    );
    e(() => callbacks.earlyStopping({ patience: 1.5 }), /patience must be an integer >= 0.*received 1.5/);
    e(
      () => callbacks.earlyStopping({ minDelta: -0.1 }),
      /earlyStopping: minDelta must be a finite number >= 0, received -0.1/,
    );
    e(
      () => callbacks.earlyStopping({ mode: 'up' as never }),
      /earlyStopping: mode must be 'auto', 'min' or 'max', received "up"/,
    );
    e(() => callbacks.earlyStopping({ monitor: '' }), /earlyStopping: monitor must be the name of a logged figure/);
    e(
      () => callbacks.earlyStopping({ baseline: NaN }),
      /earlyStopping: baseline must be a finite number \(the value to beat\) or null, received NaN/,
    );
    e(
      () => callbacks.earlyStopping({ restoreBestWeights: 'yes' as never }),
      /earlyStopping: restoreBestWeights must be true or false, received "yes"/,
    );
    e(() => callbacks.earlyStopping({ startFromEpoch: -2 }), /earlyStopping: startFromEpoch must be an integer >= 0/);
    e(() => callbacks.earlyStopping(7 as never), /earlyStopping: expected an options object such as/);
  });
});

beforeEach(() => clearSession());

describe('earlyStopping in fit', () => {
  it('restores the weights a snapshot took at the best epoch', async () => {
    const { x, y } = blobs(48, 6, 3, 11);
    const model = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [6] })], { seed: 2 });
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
    const script = [3, 2, 1, 1.5, 1.7, 1.8, 1.9];
    // Writes a figure we control into the logs, before earlyStopping reads them.
    class Script extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        logs.score = script[epoch];
      }
    }
    const snapshots: Tensor[][] = [];
    class Snapshot extends Callback {
      override onEpochEnd(): void {
        snapshots.push(model.getWeights());
      }
    }
    const stopper = callbacks.earlyStopping({ monitor: 'score', patience: 3, restoreBestWeights: true });
    const history = await model.fit(x, y, {
      epochs: 20,
      batchSize: 16,
      verbose: 0,
      callbacks: [new Script(), stopper, new Snapshot()],
    });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stopper.bestEpoch).toBe(2);
    const after = model.getWeights();
    for (const [i, w] of after.entries()) expect(Array.from(w.data)).toEqual(Array.from(snapshots[2][i].data));
    expect(Array.from(after[0].data)).not.toEqual(Array.from(snapshots[5][0].data));
  });

  it("the default monitor 'valLoss' without validation data fails at the end of the first epoch", async () => {
    const { x, y } = blobs(16, 6, 3, 1);
    const model = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [6] })], { seed: 2 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await expect(model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [callbacks.earlyStopping()] })).rejects.toThrow(
      /monitor "valLoss" is not in the epoch logs, which have: loss, accuracy, learningRate; pass validationData/,
    );
  });
});
