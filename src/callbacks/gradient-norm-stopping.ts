// A convergence stop: end training once the global gradient norm ‖g‖₂ (over every trainable weight,
// regularizer gradients included) has stayed under a threshold. Keras has no such callback; this one
// follows EarlyStopping's shape (patience, stoppedEpoch) and reads the `gradNorm` that fit logs at
// the end of every epoch when a callback asks for it (needsGradientNorm).
//
// What gradNorm is: each step's ‖g‖₂ is the norm of the gradient of that batch's mean loss, taken at
// the weights before the step; the epoch's figure is their root mean square, steps weighted by their
// sizes. With one full batch per epoch that is exactly the gradient norm of the training loss; with
// mini-batches it is never below the norm of the epoch's mean gradient (Jensen), so the test is
// conservative, but it also carries the batch noise: it stays above a floor that shrinks with the
// batch size, and a threshold must sit above that floor to fire.

import { StateError, ValueError, describe } from '../errors.js';
import { Callback, type Logs } from './callback.js';
import { nonNegativeInteger, optionsObject } from './monitor.js';

export interface GradientNormStoppingArgs {
  /** Stop when the epoch's gradient norm is below this (a finite number > 0). */
  threshold: number;
  /** Further epochs the norm must stay under the threshold before stopping (default 0: stop at the first). */
  patience?: number;
}

export class GradientNormStopping extends Callback {
  override readonly needsGradientNorm = true;
  readonly threshold: number;
  readonly patience: number;
  /** Consecutive epochs (up to the current one) whose gradient norm was under the threshold. */
  wait = 0;
  /** The epoch at which training was stopped, or 0 when it ran to the end (as EarlyStopping). */
  stoppedEpoch = 0;
  /** The last epoch's gradient norm, or null before the first epoch. */
  lastNorm: number | null = null;

  constructor(args: GradientNormStoppingArgs) {
    super();
    const where = 'gradientNormStopping';
    const example = '{ threshold: 1e-3, patience: 2 }';
    if (args === undefined)
      throw new ValueError(`${where}: expected options with a threshold, such as ${example}, received undefined.`);
    const a = optionsObject(args, where, example);
    if (typeof a.threshold !== 'number' || !Number.isFinite(a.threshold) || a.threshold <= 0) {
      throw new ValueError(
        `${where}: threshold must be a finite number > 0 (the gradient norm ‖g‖₂ under which training stops), ` +
          `received ${describe(a.threshold)}; e.g. ${example}.`,
      );
    }
    this.threshold = a.threshold;
    this.patience = nonNegativeInteger(a.patience, where, 'patience', 0);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.lastNorm = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const norm = logs.gradNorm;
    if (typeof norm !== 'number') {
      throw new StateError(
        'gradientNormStopping: the epoch logs have no gradNorm; the callback works inside fit, which logs it when ' +
          'the callback is in { callbacks: [...] }.',
      );
    }
    if (!this.model)
      throw new StateError(
        'gradientNormStopping: the callback is not attached to a model; pass it to fit in { callbacks: [...] }.',
      );
    this.lastNorm = norm;
    // NaN compares false: a diverged run never counts as converged.
    this.wait = norm < this.threshold ? this.wait + 1 : 0;
    if (this.wait > this.patience) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }
}

/**
 * Stops training when the global gradient norm ‖g‖₂ falls under `threshold` (and stays there for
 * `patience` more epochs): a convergence test. fit then logs the norm as `gradNorm` every epoch
 * (the root mean square of the steps' norms; exact with one full batch per epoch).
 *
 * @example
 * await model.fit(x, y, { epochs: 500, batchSize: x.shape[0],
 *   callbacks: [callbacks.gradientNormStopping({ threshold: 1e-4 })] });
 */
export function gradientNormStopping(args: GradientNormStoppingArgs): GradientNormStopping {
  return new GradientNormStopping(args);
}
