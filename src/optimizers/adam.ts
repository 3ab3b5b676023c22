// Adam. Keras 3, keras/src/optimizers/adam.py (t = iterations + 1):
//   m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2);  amsgrad: v̂ ← max(v̂, v), used for v
//   α = η·√(1 − β2^t)/(1 − β1^t);  w ← w − α·m/(√v + ε)
// tfjs's tf.train.adam divides the bias-corrected moments instead, w ← w − η·m̂/(√v̂ + ε): its ε sits
// after the correction (Keras's ε equals tfjs's ε·√(1 − β2^t)); it defaults ε to 1e-8 and has no amsgrad.

import type { HostScalar } from '../backend/backend.js';
import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkBoolean, checkPositive, checkUnit } from './validate.js';

export interface AdamArgs extends OptimizerArgs {
  /** β1 in [0, 1), default 0.9. */
  beta1?: number;
  /** β2 in [0, 1), default 0.999. */
  beta2?: number;
  /** ε > 0, default 1e-7. */
  epsilon?: number;
  /** Keep the maximum of v (Reddi et al., 2018), default false. */
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private readonly correction1: HostScalar = { value: 1 };
  private readonly correction2: HostScalar = { value: 1 };

  constructor(args: AdamArgs = {}, owner = 'adam', defaultWeightDecay = 0) {
    checkArgs(owner, args, '{ learningRate: 0.001 }');
    super(owner, args, 0.001, defaultWeightDecay);
    this.beta1 = checkUnit(owner, 'beta1', args.beta1 ?? 0.9);
    this.beta2 = checkUnit(owner, 'beta2', args.beta2 ?? 0.999);
    this.epsilon = checkPositive(owner, 'epsilon', args.epsilon ?? 1e-7);
    this.amsgrad = checkBoolean(owner, 'amsgrad', args.amsgrad ?? false);
    this.prepareFactors(this.iterations + 1);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const moments = [
      { name: 'm', initial: 0 },
      { name: 'v', initial: 0 },
    ];
    return this.amsgrad ? [...moments, { name: 'vHat', initial: 0 }] : moments;
  }

  protected rule(): UpdateRule {
    const { beta1, beta2, epsilon, amsgrad, correction1, correction2 } = this;
    return { kind: 'adam', beta1, beta2, epsilon, amsgrad, correction1, correction2 };
  }

  protected override prepareFactors(t: number): void {
    this.correction1.value = 1 - this.beta1 ** t;
    this.correction2.value = 1 - this.beta2 ** t;
  }

  protected ruleConfig(): OptimizerConfig {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * Adam (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false).
 *
 * @example
 * model.compile({ optimizer: optimizers.adam({ learningRate: 0.001 }), loss: 'sparseCategoricalCrossentropy' });
 */
export function adam(args: AdamArgs = {}): Adam {
  return new Adam(args);
}
