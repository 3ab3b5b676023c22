// RMSprop. Keras 3, keras/src/optimizers/rmsprop.py:
//   v ← ρv + (1 − ρ)g²;  centered: ḡ ← ρḡ + (1 − ρ)g, d = v − ḡ² + ε, else d = v + ε
//   inc = η·g/√d;  momentum > 0: b ← μ·b + inc, w ← w − b;  else w ← w − inc
// tfjs's tf.train.rmsprop computes the same (ε inside the root; it always keeps the momentum buffer).
// Where rounding makes v − ḡ² negative we use 0 (Keras would take the root of a negative number).

import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkBoolean, checkPositive, checkUnit } from './validate.js';

export interface RmspropArgs extends OptimizerArgs {
  /** ρ in [0, 1), default 0.9. */
  rho?: number;
  /** μ in [0, 1), default 0. */
  momentum?: number;
  /** ε > 0, default 1e-7. */
  epsilon?: number;
  /** Normalise by the variance instead of the second moment, default false. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RmspropArgs = {}) {
    checkArgs('rmsprop', args, '{ learningRate: 0.001 }');
    super('rmsprop', args, 0.001);
    this.rho = checkUnit('rmsprop', 'rho', args.rho ?? 0.9);
    this.momentum = checkUnit('rmsprop', 'momentum', args.momentum ?? 0);
    this.epsilon = checkPositive('rmsprop', 'epsilon', args.epsilon ?? 1e-7);
    this.centered = checkBoolean('rmsprop', 'centered', args.centered ?? false);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const slots: SlotSpec[] = [{ name: 'velocity', initial: 0 }];
    if (this.centered) slots.push({ name: 'averageGradient', initial: 0 });
    if (this.momentum > 0) slots.push({ name: 'momentum', initial: 0 });
    return slots;
  }

  protected rule(): UpdateRule {
    return { kind: 'rmsprop', rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  protected ruleConfig(): OptimizerConfig {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/**
 * RMSprop (Keras defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false).
 *
 * @example
 * model.compile({
 *   optimizer: optimizers.rmsprop({ learningRate: 0.001, centered: true }),
 *   loss: 'sparseCategoricalCrossentropy',
 * });
 */
export function rmsprop(args: RmspropArgs = {}): RMSprop {
  return new RMSprop(args);
}
