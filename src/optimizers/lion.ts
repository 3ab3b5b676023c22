// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"). Keras 3,
// keras/src/optimizers/lion.py, with ĝ the gradient after the base class's transform:
//   c = β1·m + (1 − β1)·ĝ;  w ← w − η·sign(c);  m ← β2·m + (1 − β2)·ĝ
// One slot (the momentum m). Written as its formula, on the Composer: a backend runs it through the
// formula call's default (backend/defaults/formula.ts), which applies the regularizers, clipping and
// the decoupled weight decay first, as for every other optimizer. The WASM backend also has it as one
// fused kernel (assembly/optimizers.ts lionUpdate), where the formula's passes cost a third of a
// small-batch step.

import { constant, full, type Composer } from '../backend/defaults/compose.js';
import type { Slice } from '../backend/backend.js';
import type { UpdateFormula } from '../backend/calls/formula.js';
import { ValueError, describe } from '../errors.js';
import type { UpdateRule } from '../graph/ops/updates.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig, type SlotSpec } from './optimizer.js';
import { checkArgs, checkUnit } from './validate.js';

export interface LionArgs extends OptimizerArgs {
  /** β1 in (0, 1], default 0.9: how much of the momentum the step's sign sees (β1 = 0 would be sign SGD). */
  beta1?: number;
  /** β2 in [0, 1), default 0.99: the momentum's decay. */
  beta2?: number;
}

const OPTIONS = ['learningRate', 'decay', 'weightDecay', 'clipNorm', 'globalClipNorm', 'clipValue', 'beta1', 'beta2'];

/** β·a + (1 − β)·b over n values, into `out` (a new temporary when left out). */
const blend = (c: Composer, beta: number, a: Slice, b: Slice, n: number, out?: Slice): Slice =>
  c.map2(
    'add',
    full(c.map2('mul', full(a), constant(beta), n)),
    full(c.map2('mul', full(b), constant(1 - beta), n)),
    n,
    out,
  );

/** Lion's rule as a formula on the Composer (w and m in place). */
export function lionFormula(beta1: number, beta2: number): UpdateFormula {
  return (c, { w, g, slots: [m], n, learningRate: lr }) => {
    const direction = c.unary('sign', blend(c, beta1, m, g, n), n); //    sign(β1·m + (1 − β1)·ĝ)
    c.map2('sub', full(w), full(c.map2('mul', full(direction), constant(lr), n)), n, w); // w ← w − η·sign(c)
    blend(c, beta2, m, g, n, m); // m ← β2·m + (1 − β2)·ĝ, in place (its last pass writes m)
  };
}

export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(args: LionArgs = {}) {
    checkArgs('lion', args, '{ learningRate: 0.001 }');
    const unknown = Object.keys(args).find((k) => !OPTIONS.includes(k));
    if (unknown !== undefined)
      throw new ValueError(`lion: unknown option ${JSON.stringify(unknown)}; the options are ${OPTIONS.join(', ')}.`);
    super('lion', args, 0.001);
    const beta1 = args.beta1 ?? 0.9;
    if (typeof beta1 !== 'number' || !(beta1 > 0 && beta1 <= 1)) {
      // As Keras: β1 = 0 makes the step sign(ĝ), sign SGD, not Lion.
      throw new ValueError(
        `lion: beta1 must be a number in (0, 1] (at 0 Lion degenerates to sign SGD), received ${describe(args.beta1)}.`,
      );
    }
    this.beta1 = beta1;
    this.beta2 = checkUnit('lion', 'beta2', args.beta2 ?? 0.99);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: 'momentum', initial: 0 }];
  }

  protected rule(): UpdateRule {
    const { beta1, beta2 } = this;
    return { kind: 'formula', name: 'lion', slots: 1, formula: lionFormula(beta1, beta2), constants: { beta1, beta2 } };
  }

  protected ruleConfig(): OptimizerConfig {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}

/**
 * Lion, the sign of an interpolated momentum (Keras defaults: learningRate 0.001, beta1 0.9, beta2
 * 0.99). Its steps are ±η per weight: a learning rate 3–10× smaller than AdamW's, with a weight decay
 * 3–10× larger, keeps a similar strength.
 *
 * @example
 * model.compile({
 *   optimizer: optimizers.lion({ learningRate: 1e-4, weightDecay: 0.01 }),
 *   loss: 'sparseCategoricalCrossentropy',
 * });
 */
export function lion(args: LionArgs = {}): Lion {
  return new Lion(args);
}
