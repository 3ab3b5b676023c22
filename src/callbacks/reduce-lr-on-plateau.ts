// Keras's ReduceLROnPlateau: multiply the learning rate by `factor` when the monitored figure has
// not improved by more than minDelta for `patience` epochs, then wait `cooldown` epochs before
// counting again; never go below minLR.

import { StateError, ValueError, describe } from '../errors.js';
import { Callback, type Logs } from './callback.js';
import {
  checkMode,
  checkMonitor,
  directionOf,
  monitorValue,
  nonNegativeInteger,
  nonNegativeNumber,
  optionsObject,
  type MonitorMode,
} from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** The figure watched (default 'valLoss'). */
  monitor?: string;
  /** New rate = rate · factor, factor in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default): max for accuracy-like names, min otherwise. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs after a reduction during which no plateau is counted (default 0). */
  cooldown?: number;
  /** Lower bound of the rate (default 0). */
  minLR?: number;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLR: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const where = 'reduceLROnPlateau';
    const a = optionsObject(args, where, "{ monitor: 'valLoss', factor: 0.5, patience: 5 }");
    this.monitor = checkMonitor(a.monitor, where, 'valLoss');
    const factor = a.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) {
      throw new ValueError(
        `${where}: factor must be a number in (0, 1) (the rate is multiplied by it), received ${describe(a.factor)}.`,
      );
    }
    this.factor = factor;
    this.patience = nonNegativeInteger(a.patience, where, 'patience', 10);
    this.mode = checkMode(a.mode, where);
    this.minDelta = nonNegativeNumber(a.minDelta, where, 'minDelta', 1e-4);
    this.cooldown = nonNegativeInteger(a.cooldown, where, 'cooldown', 0);
    this.minLR = nonNegativeNumber(a.minLR, where, 'minLR', 0);
    this.reset();
  }

  private reset(): void {
    this.best = directionOf(this.monitor, this.mode) === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    const current = monitorValue(logs, this.monitor, 'reduceLROnPlateau');
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const optimizer = this.model?.optimizer;
        if (!optimizer)
          throw new StateError(
            'reduceLROnPlateau: the model has no optimizer; compile it and pass the callback to fit.',
          );
        const old = optimizer.learningRate;
        if (old > this.minLR) {
          // Replaces a schedule by a constant, as Keras 2 (Keras 3 refuses to set a scheduled rate).
          optimizer.learningRate = Math.max(old * this.factor, this.minLR);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  private improves(value: number): boolean {
    return directionOf(this.monitor, this.mode) === 'min'
      ? value < this.best - this.minDelta
      : value > this.best + this.minDelta;
  }
}

/**
 * Reduces the learning rate when a monitored figure stops improving, as Keras's ReduceLROnPlateau.
 *
 * @example
 * callbacks: [callbacks.reduceLROnPlateau({ factor: 0.5, patience: 5 })]
 */
export function reduceLROnPlateau(args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(args);
}
