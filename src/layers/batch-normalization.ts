// BatchNormalization over the last (feature) axis: an input [batch, …, features] is normalised per
// feature over every other axis (batch × … rows).
//
//   training (fit):   y = γ·(x − μ_B)/√(σ²_B + ε) + β, with the batch's mean μ_B and biased
//                     variance σ²_B; the moving statistics follow the batches:
//                     moving ← moving·momentum + stat_B·(1 − momentum)
//   inference:        y = γ·(x − movingMean)/√(movingVariance + ε) + β
//
// Keras (keras/src/layers/normalization/batch_normalization.py, `call`) updates movingVariance with
// the biased batch variance (ops.moments), as tfjs-layers does (tfc.moments; it writes the update as
// moving − (moving − stat)·(1 − momentum), the same value up to rounding). As in Keras, a layer with
// trainable: false runs in inference mode even inside fit, so freezing it also freezes its statistics.

import { ShapeError, ValueError, describe } from '../errors.js';
import { reshape } from '../graph/ops/basic.js';
import { batchNorm } from '../graph/ops/normalization.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers/initializer.js';
import type { Generator } from '../random.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** Weight of the old value in the moving statistics' update, in [0, 1] (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root, > 0 (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset β (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale γ (default true). */
  scale?: boolean;
  /** Default ones. */
  gammaInitializer?: InitializerName | Initializer;
  /** Default zeros. */
  betaInitializer?: InitializerName | Initializer;
  /** Default zeros. */
  movingMeanInitializer?: InitializerName | Initializer;
  /** Default ones. */
  movingVarianceInitializer?: InitializerName | Initializer;
}

function booleanOption(value: unknown, fallback: boolean, argName: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ValueError(`${argName}: expected true or false, received ${describe(value)}.`);
  return value;
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gammaInitializer: Initializer;
  readonly betaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    if (typeof args !== 'object' || args === null)
      throw new ValueError(
        `batchNormalization: expected an options object such as { momentum: 0.99 }, received ${describe(args)}.`,
      );
    super(args, 'BatchNormalization');
    const momentum = args.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new ValueError(
        `${this.name}: momentum: expected a number in [0, 1] (Keras's default is 0.99), received ` +
          `${describe(args.momentum)}.`,
      );
    }
    const epsilon = args.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
      throw new ValueError(
        `${this.name}: epsilon: expected a finite number > 0 (Keras's default is 1e-3), received ` +
          `${describe(args.epsilon)}.`,
      );
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = booleanOption(args.center, true, `${this.name}: center`);
    this.scale = booleanOption(args.scale, true, `${this.name}: scale`);
    this.gammaInitializer = resolveInitializer(args.gammaInitializer, 'ones', `${this.name}: gammaInitializer`);
    this.betaInitializer = resolveInitializer(args.betaInitializer, 'zeros', `${this.name}: betaInitializer`);
    this.movingMeanInitializer = resolveInitializer(
      args.movingMeanInitializer,
      'zeros',
      `${this.name}: movingMeanInitializer`,
    );
    this.movingVarianceInitializer = resolveInitializer(
      args.movingVarianceInitializer,
      'ones',
      `${this.name}: movingVarianceInitializer`,
    );
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], rng: Generator): void {
    const features = [inputShape[inputShape.length - 1]];
    if (this.scale) this.gamma = this.addWeight('gamma', features, this.gammaInitializer, rng);
    if (this.center) this.beta = this.addWeight('beta', features, this.betaInitializer, rng);
    this.movingMean = this.addWeight('moving_mean', features, this.movingMeanInitializer, rng, false);
    this.movingVariance = this.addWeight('moving_variance', features, this.movingVarianceInitializer, rng, false);
  }

  call(x: SymbolicTensor, ctx: CallContext): SymbolicTensor {
    const features = x.shape[x.shape.length - 1];
    const rows = x.size / features;
    const training = ctx.training && this.trainable;
    if (training && rows < 2) {
      throw new ShapeError(
        `${this.name}: a training batch of ${x.shape[0]} sample${x.shape[0] === 1 ? '' : 's'} (input ` +
          `${formatShape(x.shape)}): batch normalization needs at least 2 rows per feature in training mode, because ` +
          `the variance of one value is 0 and every output would be β. ` +
          `fit's last batch holds the remainder of samples / batchSize: choose a batchSize (or a number of samples) ` +
          `that leaves a last batch of 0 or ≥ 2 samples, or a batch size ≥ 2.`,
      );
    }
    const flat = reshape(x, [rows, features]);
    const y = batchNorm(
      flat,
      {
        movingMean: this.movingMean!.symbolic,
        movingVariance: this.movingVariance!.symbolic,
        gamma: this.gamma?.symbolic ?? null,
        beta: this.beta?.symbolic ?? null,
      },
      { training, momentum: this.momentum, epsilon: this.epsilon },
    );
    return reshape(y, x.shape);
  }

  getConfig(): LayerConfig {
    const init = (i: Initializer) => ({ className: i.className, config: i.getConfig() });
    return {
      name: this.name,
      trainable: this.trainable,
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      gammaInitializer: init(this.gammaInitializer),
      betaInitializer: init(this.betaInitializer),
      movingMeanInitializer: init(this.movingMeanInitializer),
      movingVarianceInitializer: init(this.movingVarianceInitializer),
    };
  }
}

/**
 * Normalises each feature (the last axis) to zero mean and unit variance over the batch during
 * training, and with moving averages of those statistics at inference; then scales by γ and shifts by
 * β. Training needs batches of at least 2 samples.
 *
 * @example
 * layers.batchNormalization();                      // after a dense layer
 * layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
