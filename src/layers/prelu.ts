// PReLU: y = x > 0 ? x : α ⊙ x, with a learned slope α per feature (a weight of the sample shape).

import { ValueError, describe } from '../errors.js';
import { prelu as preluOp } from '../graph/ops/prelu.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers/initializer.js';
import type { Generator } from '../random.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface PReLUArgs extends LayerArgs {
  /** Initializer of the slopes α (default zeros, as Keras and tfjs: the layer starts as a relu). */
  alphaInitializer?: InitializerName | Initializer;
}

export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly alphaInitializer: Initializer;
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(
        `prelu: expected an options object such as { alphaInitializer: 'zeros' }, received ${describe(args)}.`,
      );
    super(args, 'PReLU');
    this.alphaInitializer = resolveInitializer(args.alphaInitializer, 'zeros', `${this.name}: alphaInitializer`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], rng: Generator): void {
    this.alpha = this.addWeight('alpha', inputShape, this.alphaInitializer, rng);
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return preluOp(x, this.alpha!.symbolic);
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      alphaInitializer: { className: this.alphaInitializer.className, config: this.alphaInitializer.getConfig() },
    };
  }
}

/**
 * Parametric rectified linear unit: `x > 0 ? x : alpha ⊙ x`, with one learned slope per feature
 * (`alpha` has the shape of one sample).
 *
 * @example
 * layers.prelu({ alphaInitializer: 'zeros' });
 */
export function prelu(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}
