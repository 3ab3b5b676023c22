// Adadelta. Keras 3, keras/src/optimizers/adadelta.py:
//   a ← ρa + (1 − ρ)g²;  δ = −√(d + ε)·g/√(a + ε);  d ← ρd + (1 − ρ)δ²;  w ← w + η·δ
// tfjs's tf.train.adadelta computes the same.

import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkPositive, checkUnit } from './validate.js';

export interface AdadeltaArgs extends OptimizerArgs {
  /** ρ in [0, 1), default 0.95. */
  rho?: number;
  /** ε > 0, default 1e-7. */
  epsilon?: number;
}

export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    checkArgs('adadelta', args, '{ learningRate: 1.0 }');
    super('adadelta', args, 0.001);
    this.rho = checkUnit('adadelta', 'rho', args.rho ?? 0.95);
    this.epsilon = checkPositive('adadelta', 'epsilon', args.epsilon ?? 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'accumulatedGrad', initial: 0 },
      { name: 'accumulatedDelta', initial: 0 },
    ];
  }

  protected rule(): UpdateRule {
    return { kind: 'adadelta', rho: this.rho, epsilon: this.epsilon };
  }

  protected ruleConfig(): OptimizerConfig {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

/**
 * Adadelta (Keras defaults: learningRate 0.001, rho 0.95, epsilon 1e-7; the paper's form is learningRate 1).
 *
 * @example
 * model.compile({ optimizer: optimizers.adadelta({ learningRate: 1 }), loss: 'sparseCategoricalCrossentropy' });
 */
export function adadelta(args: AdadeltaArgs = {}): Adadelta {
  return new Adadelta(args);
}
