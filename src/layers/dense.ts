// Dense: y = activation(x·W + b), one GEMM with the bias and an elementwise activation in its epilogue.

import { ShapeError, ValueError, describe } from '../errors.js';
import { dense as denseOp } from '../graph/ops/linear.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers/initializer.js';
import type { Generator } from '../random.js';
import { applyActivation, isElementwise, resolveActivation, type ActivationName } from './activations.js';
import { Layer, positiveInteger, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface DenseArgs extends LayerArgs {
  /** Number of output units. */
  units: number;
  /** Activation applied to the output (default linear). */
  activation?: ActivationName;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default glorotUniform). */
  kernelInitializer?: InitializerName | Initializer;
  /** Bias initializer (default zeros). */
  biasInitializer?: InitializerName | Initializer;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    if (typeof args !== 'object' || args === null) throw new ValueError(`dense: expected an options object such as { units: 10 }, received ${describe(args)}.`);
    super(args, 'Dense');
    this.units = positiveInteger(args.units, `${this.name}: units`);
    this.activation = resolveActivation(args.activation, `${this.name}: activation`);
    if (args.useBias !== undefined && typeof args.useBias !== 'boolean') {
      throw new ValueError(`${this.name}: useBias: expected true or false, received ${describe(args.useBias)}.`);
    }
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorotUniform', `${this.name}: kernelInitializer`);
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros', `${this.name}: biasInitializer`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 1) {
      throw new ShapeError(
        `${this.name} expects input [*, features], received ${formatShape([null, ...inputShape])}: put a flatten() before it (layers.flatten()).`,
      );
    }
    return [this.units];
  }

  protected override createWeights(inputShape: readonly number[], rng: Generator): void {
    this.kernel = this.addWeight('kernel', [inputShape[0], this.units], this.kernelInitializer, rng);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, rng);
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    const kernel = this.kernel!;
    const epilogue = isElementwise(this.activation) ? this.activation : 'linear';
    const y = denseOp(x, kernel.symbolic, this.bias?.symbolic ?? null, epilogue);
    return isElementwise(this.activation) ? y : applyActivation(y, this.activation);
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: { className: this.kernelInitializer.className, config: this.kernelInitializer.getConfig() },
      biasInitializer: { className: this.biasInitializer.className, config: this.biasInitializer.getConfig() },
    };
  }
}

/**
 * A densely connected layer: `activation(x·kernel + bias)`.
 *
 * @example
 * layers.dense({ units: 300, activation: 'relu' });
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
