// Drives callbacks through a scripted run: a fake model (one weight tensor holding the epoch it was
// last written at) and epoch logs taken from a list, so tests can assert exact callback semantics
// without training dynamics.

import type { Callback, Logs, TrainingTarget } from '../../src/callbacks/callback.js';
import { optimizers } from '../../src/index.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { Tensor } from '../../src/tensor.js';

export class FakeModel implements TrainingTarget {
  stopTraining = false;
  weights: Tensor[] = [new Tensor(Float32Array.of(-1), [1])];
  constructor(readonly optimizer: Optimizer = optimizers.sgd({ learningRate: 0.1 })) {}
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(Float32Array.from(w.data as Float32Array), w.shape));
  }
  setWeights(weights: readonly Tensor[]): void {
    this.weights = weights.map((w) => new Tensor(Float32Array.from(w.data as Float32Array), w.shape));
  }
  /** The epoch whose weights the model holds. */
  get weightEpoch(): number {
    return (this.weights[0].data as Float32Array)[0];
  }
}

export interface ScriptedRun {
  /** Epochs that ran. */
  epochs: number[];
  /** Learning rate at the end of each epoch that ran (after the callbacks). */
  rates: number[];
  model: FakeModel;
}

/** Runs `callbacks` over epochs whose logs come from `logsAt(epoch)`, stopping when one asks to. */
export async function scriptedRun(
  callbacks: readonly Callback[],
  epochs: number,
  logsAt: (epoch: number) => Logs,
  model = new FakeModel(),
): Promise<ScriptedRun> {
  for (const c of callbacks) {
    c.setModel(model);
    c.setParams({ epochs, initialEpoch: 0, steps: 1, samples: 1, batchSize: 1, verbose: 0, metrics: ['loss'] });
  }
  const ran: number[] = [];
  const rates: number[] = [];
  model.stopTraining = false;
  for (const c of callbacks) await c.onTrainBegin({});
  for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
    for (const c of callbacks) await c.onEpochBegin(epoch, {});
    // "Training" this epoch: the weights now identify it.
    model.weights = [new Tensor(Float32Array.of(epoch), [1])];
    const logs = logsAt(epoch);
    for (const c of callbacks) await c.onEpochEnd(epoch, logs);
    ran.push(epoch);
    rates.push(model.optimizer.learningRate);
  }
  for (const c of callbacks) await c.onTrainEnd({});
  return { epochs: ran, rates, model };
}

/** Logs with `key` taken from a list (valLoss by default). */
export function fromList(values: readonly number[], key = 'valLoss'): (epoch: number) => Logs {
  return (epoch) => ({ loss: 1, [key]: values[epoch] });
}
