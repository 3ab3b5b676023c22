// Dense: y = activation(x·W + b), one GEMM with the bias and an elementwise activation in its epilogue.

import { ShapeError, ValueError, describe } from '../errors.js';
import { dense as denseOp } from '../graph/ops/linear.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers/initializer.js';
import type { Generator } from '../random.js';
import { activityPenalty } from '../graph/ops/regularization.js';
import {
  resolveRegularizer,
  serializeRegularizer,
  type Regularizer,
  type RegularizerName,
} from '../regularizers/regularizer.js';
import {
  activationAlpha,
  applyActivation,
  isFusable,
  kernelActivation,
  resolveActivation,
  type ActivationName,
} from './activations.js';
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
  /** Penalty on the kernel, e.g. regularizers.l2({ l2: 1e-4 }) or 'l2' (default none). */
  kernelRegularizer?: RegularizerName | Regularizer | null;
  /** Penalty on the bias (default none). */
  biasRegularizer?: RegularizerName | Regularizer | null;
  /** Penalty on the layer's output, divided by the batch size (default none). */
  activityRegularizer?: RegularizerName | Regularizer | null;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(`dense: expected an options object such as { units: 10 }, received ${describe(args)}.`);
    super(args, 'Dense');
    this.units = positiveInteger(args.units, `${this.name}: units`);
    this.activation = resolveActivation(args.activation, `${this.name}: activation`);
    if (args.useBias !== undefined && typeof args.useBias !== 'boolean') {
      throw new ValueError(`${this.name}: useBias: expected true or false, received ${describe(args.useBias)}.`);
    }
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(
      args.kernelInitializer,
      'glorotUniform',
      `${this.name}: kernelInitializer`,
    );
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros', `${this.name}: biasInitializer`);
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer, `${this.name}: kernelRegularizer`);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer, `${this.name}: biasRegularizer`);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer, `${this.name}: activityRegularizer`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 1) {
      throw new ShapeError(
        `${this.name} expects input [*, features], received ${formatShape([null, ...inputShape])}: put a flatten() ` +
          `before it (layers.flatten()).`,
      );
    }
    return [this.units];
  }

  protected override createWeights(inputShape: readonly number[], rng: Generator): void {
    this.kernel = this.addWeight(
      'kernel',
      [inputShape[0], this.units],
      this.kernelInitializer,
      rng,
      true,
      this.kernelRegularizer,
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, rng, true, this.biasRegularizer);
  }

  call(x: SymbolicTensor, ctx: CallContext): SymbolicTensor {
    const kernel = this.kernel!;
    // swish, gelu (derivative from x) and softmax run as their own op after a linear epilogue
    const fused = isFusable(this.activation);
    const epilogue = fused ? kernelActivation(this.activation) : 'linear';
    const y = denseOp(x, kernel.symbolic, this.bias?.symbolic ?? null, epilogue, activationAlpha(this.activation));
    const out = fused ? y : applyActivation(y, this.activation);
    if (this.activityRegularizer)
      ctx.addLoss(activityPenalty(out, this.activityRegularizer.l1, this.activityRegularizer.l2));
    return out;
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
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
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
