import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, optimizers } from '../../src/index.js';
import { LearningRateScheduler } from '../../src/callbacks/learning-rate-scheduler.js';
import { ValueError } from '../../src/errors.js';
import { referenceSgd, trainLinear } from '../helpers/linear-softmax.js';
import { FakeModel, fromList, scriptedRun } from '../helpers/scripted-training.js';

beforeEach(() => clearSession());

describe('learningRateScheduler', () => {
  it("runs the reference material's step decay as written, and the history records the rates", async () => {
    const epochs = 14;
    const { history } = await trainLinear(0.01, epochs, {
      callbacks: [callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))],
    });
    const want = Array.from({ length: epochs }, (_, e) => (e < 10 ? 0.01 : 0.01 * Math.exp(-0.1 * (e - 9))));
    for (const [e, lr] of history.history.learningRate.entries()) expect(lr).toBeCloseTo(want[e], 14);
  });

  it('the classic 0.01 · 0.1^(epoch/20) form; every step uses its epoch’s rate', async () => {
    const epochs = 6;
    const rate = (epoch: number) => 0.01 * 0.1 ** (epoch / 20);
    const { k0, b0, k, b, history } = await trainLinear(0.5, epochs, {
      callbacks: [callbacks.learningRateScheduler((epoch) => 0.01 * 0.1 ** (epoch / 20))],
    });
    expect(history.history.learningRate).toEqual(Array.from({ length: epochs }, (_, e) => rate(e)));
    const want = referenceSgd(
      k0,
      b0,
      Array.from({ length: epochs }, (_, e) => rate(e)),
    );
    for (const [i, v] of k.entries()) expect(v).toBeCloseTo(want.kernel[i], 5);
    for (const [i, v] of b.entries()) expect(v).toBeCloseTo(want.bias[i], 5);
  });

  it('gets the current rate and replaces a schedule given to the optimizer', async () => {
    const seen: number[] = [];
    const model = new FakeModel(
      optimizers.sgd({
        learningRate: optimizers.schedules.exponentialDecay({
          initialLearningRate: 0.3,
          decaySteps: 1,
          decayRate: 0.5,
        }),
      }),
    );
    model.optimizer.finishStep();
    const run = await scriptedRun(
      [
        callbacks.learningRateScheduler((_, lr) => {
          seen.push(lr);
          return lr / 3;
        }),
      ],
      3,
      fromList([1, 1, 1]),
      model,
    );
    expect(seen[0]).toBe(0.15);
    for (const [e, r] of run.rates.entries()) expect(r).toBeCloseTo(0.15 / 3 ** (e + 1), 15);
    expect(model.optimizer.learningRateSchedule).toBeNull();
  });

  it('verbose 1 prints the rate it sets', async () => {
    const lines: string[] = [];
    await scriptedRun(
      [
        new LearningRateScheduler(
          (epoch) => 0.5 / (epoch + 1),
          1,
          (l) => lines.push(l),
        ),
      ],
      2,
      fromList([1, 1]),
    );
    expect(lines).toEqual([
      'Epoch 1: LearningRateScheduler setting learning rate to 0.5.',
      'Epoch 2: LearningRateScheduler setting learning rate to 0.25.',
    ]);
  });

  it('a bad rate from the schedule stops training with an error naming the epoch and the value', async () => {
    await expect(
      trainLinear(0.1, 5, { callbacks: [callbacks.learningRateScheduler((epoch, lr) => (epoch < 3 ? lr : -lr))] }),
    ).rejects.toThrow(
      new RegExp(
        'learningRateScheduler: the schedule returned -0.1 for epoch 3 \\(current rate 0.1\\); it must return a ' +
          'finite learning rate >= 0\\.',
      ),
    );
    await expect(scriptedRun([callbacks.learningRateScheduler(() => Infinity)], 2, fromList([1, 1]))).rejects.toThrow(
      /the schedule returned Infinity for epoch 0/,
    );
    await expect(
      scriptedRun([callbacks.learningRateScheduler((() => undefined) as never)], 2, fromList([1, 1])),
    ).rejects.toThrow(/the schedule returned undefined for epoch 0/);
  });

  it('checks its arguments', () => {
    expect(() => callbacks.learningRateScheduler(0.1 as never)).toThrow(ValueError);
    expect(() => callbacks.learningRateScheduler(0.1 as never)).toThrow(
      /learningRateScheduler: expected a function \(epoch, lr\) => newLr such as .*, received 0.1/,
    );
    expect(() => callbacks.learningRateScheduler((e) => e, 2 as never)).toThrow(
      /learningRateScheduler: verbose must be 0 or 1, received 2/,
    );
  });
});
