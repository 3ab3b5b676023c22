// Keras 3's EarlyStopping: stop when the monitored figure has not improved (by more than minDelta)
// for `patience` epochs; optionally put back the weights of the best epoch when training ends.

import { StateError, ValueError, describe } from '../errors.js';
import type { Tensor } from '../tensor.js';
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

export interface EarlyStoppingArgs {
  /** The figure watched (default 'valLoss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default): max for accuracy-like names, min otherwise. */
  mode?: MonitorMode;
  /** Training also stops when no epoch beats this value within `patience` epochs. */
  baseline?: number | null;
  /** When training ends, restore the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to train before watching at all (a warm-up; default 0). */
  startFromEpoch?: number;
}

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement (counting the current one). */
  wait = 0;
  /** The epoch at which training was stopped, or 0 when it ran to the end (as Keras). */
  stoppedEpoch = 0;
  /** The best figure so far, or null before the first watched epoch. */
  best: number | null = null;
  /** The epoch of `best`. */
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const where = 'earlyStopping';
    const a = optionsObject(args, where, "{ monitor: 'valLoss', patience: 3, restoreBestWeights: true }");
    this.monitor = checkMonitor(a.monitor, where, 'valLoss');
    this.minDelta = nonNegativeNumber(a.minDelta, where, 'minDelta', 0);
    this.patience = nonNegativeInteger(a.patience, where, 'patience', 0);
    this.mode = checkMode(a.mode, where);
    const baseline = a.baseline ?? null;
    if (baseline !== null && (typeof baseline !== 'number' || !Number.isFinite(baseline))) {
      throw new ValueError(
        `${where}: baseline must be a finite number (the value to beat) or null, received ${describe(a.baseline)}.`,
      );
    }
    this.baseline = baseline;
    if (a.restoreBestWeights !== undefined && typeof a.restoreBestWeights !== 'boolean') {
      throw new ValueError(
        `${where}: restoreBestWeights must be true or false, received ${describe(a.restoreBestWeights)}.`,
      );
    }
    this.restoreBestWeights = a.restoreBestWeights ?? false;
    this.startFromEpoch = nonNegativeInteger(a.startFromEpoch, where, 'startFromEpoch', 0);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitorValue(logs, this.monitor, 'earlyStopping');
    if (epoch < this.startFromEpoch) return;
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.target().getWeights();
      // The wait restarts only for a value that also beats the baseline.
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.target().stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    // Keras 3 restores whenever training ends, early or not (Keras 2 only when it stopped early).
    if (this.restoreBestWeights && this.bestWeights) this.target().setWeights(this.bestWeights);
  }

  private improves(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return directionOf(this.monitor, this.mode) === 'min'
      ? value + this.minDelta < reference
      : value - this.minDelta > reference;
  }

  private target() {
    if (!this.model)
      throw new StateError(
        'earlyStopping: the callback is not attached to a model; pass it to fit in { callbacks: [...] }.',
      );
    return this.model;
  }
}

/**
 * Stops training when a monitored figure stops improving, as Keras 3's EarlyStopping.
 *
 * @example
 * await model.fit(x, y, { epochs: 100, validationData: [xValid, yValid],
 *   callbacks: [callbacks.earlyStopping({ monitor: 'valLoss', patience: 10, restoreBestWeights: true })] });
 */
export function earlyStopping(args: EarlyStoppingArgs = {}): EarlyStopping {
  return new EarlyStopping(args);
}
