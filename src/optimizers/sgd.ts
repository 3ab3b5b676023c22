// Stochastic gradient descent: w ← w − η·g, one fused SIMD pass per parameter tensor.

import { ValueError, describe } from '../errors.js';
import { sgdUpdate } from '../graph/ops/updates.js';
import type { Node } from '../graph/tensor.js';
import { Optimizer, type GradientPair, type LearningRate } from './optimizer.js';

export interface SgdArgs {
  /** η, default 0.01 (Keras's default): a number, a schedule (`schedules.exponentialDecay(…)`) or `(step) => rate`. */
  learningRate?: LearningRate;
  /** Keras 2's legacy time decay, η / (1 + decay·step) (default 0). Prefer a schedule. */
  decay?: number;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';

  constructor(args: SgdArgs = {}) {
    if (typeof args !== 'object' || args === null) throw new ValueError(`sgd: expected an options object such as { learningRate: 0.01 }, received ${describe(args)}.`);
    super(args.learningRate ?? 0.01, args.decay ?? 0);
  }

  applyGradients(pairs: readonly GradientPair[]): Node[] {
    return pairs.map(({ variable, grad }) => sgdUpdate(variable.symbolic, grad, this.rate, variable.regularizer?.l1 ?? 0, variable.regularizer?.l2 ?? 0));
  }

  getConfig(): Record<string, number | boolean> {
    return this.decay > 0 ? { learningRate: this.baseLearningRate, decay: this.decay } : { learningRate: this.learningRate };
  }
}

/**
 * Stochastic gradient descent.
 *
 * @example
 * model.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
 * optimizers.sgd({ learningRate: optimizers.schedules.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.9 }) });
 */
export function sgd(args: SgdArgs = {}): SGD {
  return new SGD(args);
}
