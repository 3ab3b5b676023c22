// Adamax. Keras 3, keras/src/optimizers/adamax.py (t = iterations + 1):
//   m ← m + (g − m)(1 − β1);  u ← max(β2·u, |g|);  w ← w − η·m/((1 − β1^t)(u + ε))
// tfjs's tf.train.adamax computes the same.

import type { HostScalar } from '../backend/backend.js';
import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkPositive, checkUnit } from './validate.js';

export interface AdamaxArgs extends OptimizerArgs {
  /** β1 in [0, 1), default 0.9. */
  beta1?: number;
  /** β2 in [0, 1), default 0.999. */
  beta2?: number;
  /** ε > 0, default 1e-7. */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly correction1: HostScalar = { value: 1 };

  constructor(args: AdamaxArgs = {}) {
    checkArgs('adamax', args, '{ learningRate: 0.001 }');
    super('adamax', args, 0.001);
    this.beta1 = checkUnit('adamax', 'beta1', args.beta1 ?? 0.9);
    this.beta2 = checkUnit('adamax', 'beta2', args.beta2 ?? 0.999);
    this.epsilon = checkPositive('adamax', 'epsilon', args.epsilon ?? 1e-7);
    this.prepareFactors(this.iterations + 1);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'm', initial: 0 },
      { name: 'u', initial: 0 },
    ];
  }

  protected rule(): UpdateRule {
    return {
      kind: 'adamax',
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: this.correction1,
    };
  }

  protected override prepareFactors(t: number): void {
    this.correction1.value = 1 - this.beta1 ** t;
  }

  protected ruleConfig(): OptimizerConfig {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Adamax, Adam with the infinity norm (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * @example
 * model.compile({ optimizer: optimizers.adamax({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy' });
 */
export function adamax(args: AdamaxArgs = {}): Adamax {
  return new Adamax(args);
}
