// Nadam. Keras 3, keras/src/optimizers/nadam.py (t = iterations + 1), with the momentum schedule
// μ_s = β1·(1 − 0.5·0.96^s) and its running product Π_t = μ_1·…·μ_t (Keras's u_product):
//   m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
//   m̂ = μ_{t+1}·m/(1 − Π_{t+1}) + (1 − μ_t)·g/(1 − Π_t);  v̂ = v/(1 − β2^t)
//   w ← w − η·m̂/(√v̂ + ε)
// Π_t depends on t only, so it is recomputed from iterations (no extra state to save). tfjs has no Nadam.

import type { HostScalar } from '../backend/backend.js';
import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import type { AdamaxArgs } from './adamax.js';
import { checkArgs, checkPositive, checkUnit } from './validate.js';

export type NadamArgs = AdamaxArgs;

export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly mCoef: HostScalar = { value: 0 };
  private readonly gCoef: HostScalar = { value: 0 };
  private readonly correction2: HostScalar = { value: 1 };
  /** Π_t for the last t computed (the product grows one factor per step). */
  private product = { t: 0, value: 1 };

  constructor(args: NadamArgs = {}) {
    checkArgs('nadam', args, '{ learningRate: 0.001 }');
    super('nadam', args, 0.001);
    this.beta1 = checkUnit('nadam', 'beta1', args.beta1 ?? 0.9);
    this.beta2 = checkUnit('nadam', 'beta2', args.beta2 ?? 0.999);
    this.epsilon = checkPositive('nadam', 'epsilon', args.epsilon ?? 1e-7);
    this.prepareFactors(this.iterations + 1);
  }

  private mu(s: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** s);
  }

  private productAt(t: number): number {
    if (t < this.product.t) this.product = { t: 0, value: 1 };
    let { t: s, value } = this.product;
    while (s < t) value *= this.mu(++s);
    this.product = { t, value };
    return value;
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [
      { name: 'm', initial: 0 },
      { name: 'v', initial: 0 },
    ];
  }

  protected rule(): UpdateRule {
    return {
      kind: 'nadam',
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      mCoef: this.mCoef,
      gCoef: this.gCoef,
      correction2: this.correction2,
    };
  }

  protected override prepareFactors(t: number): void {
    const productT = this.productAt(t);
    const productNext = productT * this.mu(t + 1);
    this.mCoef.value = this.mu(t + 1) / (1 - productNext);
    this.gCoef.value = (1 - this.mu(t)) / (1 - productT);
    this.correction2.value = 1 - this.beta2 ** t;
  }

  protected ruleConfig(): OptimizerConfig {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Nadam, Adam with Nesterov momentum (Keras defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * @example
 * model.compile({ optimizer: optimizers.nadam({ learningRate: 0.001 }), loss: 'sparseCategoricalCrossentropy' });
 */
export function nadam(args: NadamArgs = {}): Nadam {
  return new Nadam(args);
}
