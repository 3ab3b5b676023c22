// Adagrad. Keras 3, keras/src/optimizers/adagrad.py: a ← a + g²; w ← w − η·g/√(a + ε), a starting
// at initialAccumulatorValue. tfjs's tf.train.adagrad computes the same (ε = 1e-7 inside the root).

import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkNonNegative, checkPositive } from './validate.js';

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulators, >= 0, default 0.1. */
  initialAccumulatorValue?: number;
  /** ε > 0, default 1e-7. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    checkArgs('adagrad', args, '{ learningRate: 0.01 }');
    super('adagrad', args, 0.001);
    this.initialAccumulatorValue = checkNonNegative(
      'adagrad',
      'initialAccumulatorValue',
      args.initialAccumulatorValue ?? 0.1,
    );
    this.epsilon = checkPositive('adagrad', 'epsilon', args.epsilon ?? 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: 'accumulator', initial: this.initialAccumulatorValue }];
  }

  protected rule(): UpdateRule {
    return { kind: 'adagrad', epsilon: this.epsilon };
  }

  protected ruleConfig(): OptimizerConfig {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/**
 * Adagrad (Keras defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7).
 *
 * @example
 * model.compile({ optimizer: optimizers.adagrad({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
 */
export function adagrad(args: AdagradArgs = {}): Adagrad {
  return new Adagrad(args);
}
