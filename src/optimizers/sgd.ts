// Stochastic gradient descent, with optional (Nesterov) momentum. Keras 3, keras/src/optimizers/sgd.py:
//   plain:     w ← w − η·g
//   momentum:  m ← μ·m − η·g;  w ← w + m            (Nesterov: w ← w + μ·m − η·g)
// tfjs's tf.train.momentum keeps a = μ·a + g and steps w ← w − η·a (Nesterov: w − η·(g + μ·a)): the
// same trajectory while η is constant (m = −η·a); with a changing η Keras's m carries the old rates.

import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkBoolean, checkUnit } from './validate.js';

export interface SgdArgs extends OptimizerArgs {
  /** μ in [0, 1), default 0 (plain SGD, no slot). */
  momentum?: number;
  /** Nesterov momentum, default false. */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SgdArgs = {}) {
    checkArgs('sgd', args, '{ learningRate: 0.01, momentum: 0.9 }');
    super('sgd', args, 0.01);
    this.momentum = checkUnit('sgd', 'momentum', args.momentum ?? 0);
    this.nesterov = checkBoolean('sgd', 'nesterov', args.nesterov ?? false);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return this.momentum > 0 ? [{ name: 'momentum', initial: 0 }] : [];
  }

  protected rule(): UpdateRule {
    return this.momentum > 0 ? { kind: 'momentum', momentum: this.momentum, nesterov: this.nesterov } : { kind: 'sgd' };
  }

  protected ruleConfig(): OptimizerConfig {
    return this.momentum > 0 || this.nesterov ? { momentum: this.momentum, nesterov: this.nesterov } : {};
  }
}

/**
 * Stochastic gradient descent, optionally with momentum (Keras defaults: learningRate 0.01, momentum 0).
 *
 * @example
 * model.compile({
 *   optimizer: optimizers.sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true }),
 *   loss: 'sparseCategoricalCrossentropy',
 * });
 * optimizers.sgd({
 *   learningRate: optimizers.schedules.exponentialDecay({
 *     initialLearningRate: 0.01,
 *     decaySteps: 1000,
 *     decayRate: 0.9,
 *   }),
 * });
 */
export function sgd(args: SgdArgs = {}): SGD {
  return new SGD(args);
}
