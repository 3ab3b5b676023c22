import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, optimizers } from '../../src/index.js';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { ValueError } from '../../src/errors.js';
import { referenceSgd, trainLinear } from '../helpers/linear-softmax.js';
import { FakeModel, fromList, scriptedRun } from '../helpers/scripted-training.js';

const flat = (n: number, value = 1) => Array.from({ length: n }, () => value);

function expectRates(actual: number[], expected: number[]) {
  expect(actual.length).toBe(expected.length);
  for (const [i, a] of actual.entries()) expect(a).toBeCloseTo(expected[i], 15);
}

describe('reduceLROnPlateau on scripted figures (Keras semantics)', () => {
  it(
    'reduces after `patience` epochs without improvement, ' + 'then waits `cooldown` epochs, never below minLR',
    async () => {
      const plateau = callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLR: 0.02 });
      const run = await scriptedRun([plateau], 11, fromList([...flat(7), 0.5, 0.5, 0.5, 0.5]));
      // Worked by hand from Keras's algorithm: a cooldown of 1 is over at the next epoch's start, so
      // that epoch already counts towards the next reduction; 0.025 · 0.5 is clipped to minLR 0.02;
      // at minLR nothing more happens.
      expectRates(run.rates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02]);
      expect(plateau.best).toBe(0.5);
    },
  );

  it('cooldown 2 with patience 1', async () => {
    const run = await scriptedRun(
      [callbacks.reduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 })],
      9,
      fromList(flat(9)),
    );
    expectRates(run.rates, [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625]);
  });

  it('an improvement resets the wait; minDelta decides what improves', async () => {
    const slow = fromList([1, 0.99995, 0.9999, 0.9998, 0.9997]);
    const strict = await scriptedRun([callbacks.reduceLROnPlateau({ patience: 2 })], 5, slow);
    // minDelta 1e-4: neither 0.99995 nor 0.9999 is more than 1e-4 below the best (1): reduced at
    // epoch 2; 0.9998 then improves, 0.9997 does not (by exactly 1e-4) but patience is 2.
    expectRates(strict.rates, [0.1, 0.1, 0.01, 0.01, 0.01]);
    const loose = await scriptedRun([callbacks.reduceLROnPlateau({ patience: 2, minDelta: 0 })], 5, slow);
    expectRates(loose.rates, flat(5, 0.1));
  });

  it("mode 'max' (and 'auto' for accuracy) watches for increases", async () => {
    const acc = [0.5, 0.6, 0.6, 0.6, 0.7];
    const auto = await scriptedRun(
      [callbacks.reduceLROnPlateau({ monitor: 'valAccuracy', patience: 2 })],
      5,
      fromList(acc, 'valAccuracy'),
    );
    expectRates(auto.rates, [0.1, 0.1, 0.1, 0.01, 0.01]);
    const max = await scriptedRun(
      [callbacks.reduceLROnPlateau({ monitor: 'score', mode: 'max', patience: 2 })],
      5,
      fromList(acc, 'score'),
    );
    expectRates(max.rates, auto.rates);
    const min = await scriptedRun(
      [callbacks.reduceLROnPlateau({ monitor: 'score', mode: 'min', patience: 2 })],
      5,
      fromList(acc, 'score'),
    );
    expectRates(min.rates, [0.1, 0.1, 0.01, 0.01, 0.001]);
  });

  it("replaces the optimizer's schedule with a constant when it reduces", async () => {
    const model = new FakeModel(optimizers.sgd({ learningRate: (step) => 0.4 / (step + 1) }));
    model.optimizer.finishStep();
    const run = await scriptedRun(
      [callbacks.reduceLROnPlateau({ factor: 0.5, patience: 1 })],
      2,
      fromList([1, 1]),
      model,
    );
    expectRates(run.rates, [0.2, 0.1]);
    expect(model.optimizer.learningRateSchedule).toBeNull();
  });

  it('a monitor missing from the logs is an error listing the figures there are', async () => {
    await expect(scriptedRun([callbacks.reduceLROnPlateau()], 2, () => ({ loss: 1 }))).rejects.toThrow(
      /reduceLROnPlateau: monitor "valLoss" is not in the epoch logs, which have: loss; pass validationData to fit/,
    );
  });

  it('checks its options', () => {
    const e = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(pattern);
    };
    e(
      () => callbacks.reduceLROnPlateau({ factor: 1 }),
      /reduceLROnPlateau: factor must be a number in \(0, 1\) \(the rate is multiplied by it\), received 1/,
    );
    e(() => callbacks.reduceLROnPlateau({ factor: 0 }), /factor must be a number in \(0, 1\).*received 0/);
    e(
      () => callbacks.reduceLROnPlateau({ patience: -1 }),
      /reduceLROnPlateau: patience must be an integer >= 0 \(a number of epochs\), received -1/,
    );
    e(
      () => callbacks.reduceLROnPlateau({ cooldown: 0.5 }),
      /reduceLROnPlateau: cooldown must be an integer >= 0 \(a number of epochs\), received 0.5/,
    );
    e(
      () => callbacks.reduceLROnPlateau({ minDelta: -1 }),
      /reduceLROnPlateau: minDelta must be a finite number >= 0, received -1/,
    );
    e(
      () => callbacks.reduceLROnPlateau({ minLR: Infinity }),
      /reduceLROnPlateau: minLR must be a finite number >= 0, received Infinity/,
    );
    e(
      () => callbacks.reduceLROnPlateau({ mode: 'MIN' as never }),
      /reduceLROnPlateau: mode must be 'auto', 'min' or 'max', received "MIN"/,
    );
    e(
      () => callbacks.reduceLROnPlateau({ monitor: 3 as never }),
      /reduceLROnPlateau: monitor must be the name of a logged figure such as 'valLoss' or 'accuracy', received 3/,
    );
  });
});

beforeEach(() => clearSession());

describe('reduceLROnPlateau in fit', () => {
  it('the steps use the reduced rate, and the history logs each epoch’s rate before the reduction', async () => {
    const script = [1, 1, 1, 0.5, 0.5];
    class Script extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        logs.score = script[epoch];
      }
    }
    const { k0, b0, k, history } = await trainLinear(0.4, 5, {
      callbacks: [new Script(), callbacks.reduceLROnPlateau({ monitor: 'score', factor: 0.25, patience: 1 })],
    });
    // Reduced at the end of epochs 1, 2 and 4: epochs run at 0.4, 0.4, 0.1, 0.025, 0.025.
    expectRates(history.history.learningRate, [0.4, 0.4, 0.1, 0.025, 0.025]);
    const want = referenceSgd(k0, b0, [0.4, 0.4, 0.1, 0.025, 0.025]);
    for (const [i, v] of k.entries()) expect(v).toBeCloseTo(want.kernel[i], 5);
  });
});
