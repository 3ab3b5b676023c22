// Training hooks, as Keras and tfjs-layers have them. Every hook may return a promise, which fit awaits.

import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor.js';

/** Figures of a batch or an epoch: `loss`, `accuracy`, `valLoss`, `valAccuracy`… */
export type Logs = Record<string, number>;

/** What a callback can see and steer of the model being trained. */
export interface TrainingTarget {
  /** Set to true to end training after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer: callbacks read and set its `learningRate`. */
  readonly optimizer: Optimizer | null;
  /** Copies of every weight (to snapshot the best epoch's). */
  getWeights(): Tensor[];
  /** Overwrites every weight, in the order of getWeights(). */
  setWeights(weights: readonly Tensor[]): void;
}

/** The run's parameters, given to callbacks before training starts. */
export interface TrainingParams {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly steps: number;
  readonly samples: number;
  readonly batchSize: number;
  readonly verbose: 0 | 1 | 2;
  readonly metrics: readonly string[];
}

export abstract class Callback {
  model: TrainingTarget | null = null;
  params: TrainingParams | null = null;
  /**
   * Set by callbacks that read `gradNorm` from the epoch logs: fit then compiles its training
   * programs with the gradient-norm pass (which costs one read of every gradient per step).
   */
  readonly needsGradientNorm: boolean = false;

  setModel(model: TrainingTarget): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(_logs: Logs): void | Promise<void> {}
  onTrainEnd(_logs: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
}

/** The figures of every epoch, as `fit` returns them. */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      this.history[key] ??= [];
      this.history[key].push(value);
    }
  }
}
