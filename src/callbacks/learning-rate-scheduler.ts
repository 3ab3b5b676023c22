// Keras's LearningRateScheduler: at the start of every epoch, the rate becomes schedule(epoch, rate).

import { StateError, ValueError, describe } from '../errors.js';
import { Callback } from './callback.js';

/** The new rate from the epoch (counted from 0) and the current rate. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: EpochSchedule,
    /** Print the rate set at every epoch (default 0). */
    readonly verbose: 0 | 1 = 0,
    private readonly print: (line: string) => void = console.log,
  ) {
    super();
    if (typeof schedule !== 'function') {
      throw new ValueError(
        `learningRateScheduler: expected a function (epoch, lr) => newLr such as (epoch, lr) => epoch < 10 ? lr : lr ` +
          `* Math.exp(-0.1), received ${describe(schedule)}.`,
      );
    }
    if (verbose !== 0 && verbose !== 1)
      throw new ValueError(`learningRateScheduler: verbose must be 0 or 1, received ${describe(verbose)}.`);
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer)
      throw new StateError(
        'learningRateScheduler: the model has no optimizer; compile it and pass the callback to fit.',
      );
    const current = optimizer.learningRate;
    const next: unknown = this.schedule(epoch, current);
    if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
      throw new ValueError(
        `learningRateScheduler: the schedule returned ${describe(next)} for epoch ${epoch} (current rate ` +
          `${current}); it must return a finite learning rate >= 0.`,
      );
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
  }
}

/**
 * Sets the learning rate at the start of every epoch from `schedule(epoch, currentRate)` (epochs count
 * from 0). Setting the rate replaces a schedule given to the optimizer with a constant.
 *
 * @example
 * callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * callbacks.learningRateScheduler((epoch) => 0.01 * 0.1 ** (epoch / 20));
 */
export function learningRateScheduler(schedule: EpochSchedule, verbose: 0 | 1 = 0): LearningRateScheduler {
  return new LearningRateScheduler(schedule, verbose);
}
