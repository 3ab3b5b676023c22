// LayerNormalization over the last (feature) axis, as Keras and tfjs-layers define it: each sample
// (each row of the last axis) normalised by its own mean and biased variance, then scaled by γ and
// shifted by β, one value per feature:
//
//   μ = mean(x),  σ² = mean((x − μ)²)  over the last axis
//   y = γ·(x − μ)/√(σ² + ε) + β
//
// Written from graph primitives (graph/formula.ts), its gradients from the graph's table. No moving
// statistics: training and inference compute the same thing.

import { ShapeError, ValueError, describe } from '../errors.js';
import { add, mean, mul, rsqrt, square, sub } from '../graph/formula.js';
import { formatShape } from '../graph/op.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers/initializer.js';
import type { Generator } from '../random.js';
import {
  resolveRegularizer,
  serializeRegularizer,
  type Regularizer,
  type RegularizerName,
} from '../regularizers/regularizer.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from './layer.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /**
   * The normalised axis: −1 (default), or the last axis's index counting the batch axis (tfjs and Keras save it so).
   */
  axis?: number | readonly number[];
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
  /** Penalty on γ (default none). */
  gammaRegularizer?: RegularizerName | Regularizer | null;
  /** Penalty on β (default none). */
  betaRegularizer?: RegularizerName | Regularizer | null;
}

const OPTIONS = [
  'name',
  'inputShape',
  'trainable',
  'axis',
  'epsilon',
  'center',
  'scale',
  'gammaInitializer',
  'betaInitializer',
  'gammaRegularizer',
  'betaRegularizer',
];

/**
 * y = γ·(x − μ)/√(σ² + ε) + β with the mean μ and biased variance σ² of x's last axis; γ, β null
 * when the layer has none.
 *
 * @example
 * const y = layerNorm(x, gamma.symbolic, beta.symbolic, 1e-3);
 */
export function layerNorm(
  x: SymbolicTensor,
  gamma: SymbolicTensor | null,
  beta: SymbolicTensor | null,
  epsilon: number,
): SymbolicTensor {
  const centred = sub(x, mean(x, -1, true));
  const normalised = mul(centred, rsqrt(add(mean(square(centred), -1, true), epsilon)));
  const scaled = gamma ? mul(normalised, gamma) : normalised;
  return beta ? add(scaled, beta) : scaled;
}

function booleanOption(value: unknown, fallback: boolean, argName: string): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new ValueError(`${argName}: expected true or false, received ${describe(value)}.`);
  return value;
}

/** −1, or one integer index (alone or in a one-element array, as tfjs saves it after building). */
function axisOption(value: unknown, argName: string): number {
  const axis = Array.isArray(value) && value.length === 1 ? value[0] : (value ?? -1);
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -1) {
    throw new ValueError(
      `${argName}: expected -1 (the last axis), received ` +
        `${Array.isArray(value) ? JSON.stringify(value) : describe(value)}; simdnet normalises over the last axis ` +
        `only.`,
    );
  }
  return axis;
}

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  /** −1, or the last axis's index counting the batch axis (checked against the input when built). */
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gammaInitializer: Initializer;
  readonly betaInitializer: Initializer;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      throw new ValueError(
        `layerNormalization: expected an options object such as { epsilon: 1e-3 }, received ${describe(args)}.`,
      );
    const unknown = Object.keys(args).find((k) => !OPTIONS.includes(k));
    if (unknown !== undefined)
      throw new ValueError(
        `layerNormalization: unknown option ${JSON.stringify(unknown)}; the options are ${OPTIONS.join(', ')}.`,
      );
    super(args, 'LayerNormalization');
    this.axis = axisOption(args.axis, `${this.name}: axis`);
    const epsilon = args.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
      throw new ValueError(
        `${this.name}: epsilon: expected a finite number > 0 (Keras's default is 1e-3), received ` +
          `${describe(args.epsilon)}.`,
      );
    }
    this.epsilon = epsilon;
    this.center = booleanOption(args.center, true, `${this.name}: center`);
    this.scale = booleanOption(args.scale, true, `${this.name}: scale`);
    this.gammaInitializer = resolveInitializer(args.gammaInitializer, 'ones', `${this.name}: gammaInitializer`);
    this.betaInitializer = resolveInitializer(args.betaInitializer, 'zeros', `${this.name}: betaInitializer`);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer, `${this.name}: gammaRegularizer`);
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer, `${this.name}: betaRegularizer`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    // an index counts the batch axis: the last axis of [null, ...inputShape] is inputShape.length
    if (this.axis !== -1 && this.axis !== inputShape.length) {
      throw new ShapeError(
        `${this.name}: axis ${this.axis} is not the last axis of input ${formatShape([null, ...inputShape])}; ` +
          `simdnet normalises over the last axis only: use axis -1 (${inputShape.length}).`,
      );
    }
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], rng: Generator): void {
    const features = [inputShape[inputShape.length - 1]];
    if (this.scale)
      this.gamma = this.addWeight('gamma', features, this.gammaInitializer, rng, true, this.gammaRegularizer);
    if (this.center)
      this.beta = this.addWeight('beta', features, this.betaInitializer, rng, true, this.betaRegularizer);
  }

  call(x: SymbolicTensor, _ctx: CallContext): SymbolicTensor {
    return layerNorm(x, this.gamma?.symbolic ?? null, this.beta?.symbolic ?? null, this.epsilon);
  }

  getConfig(): LayerConfig {
    const init = (i: Initializer) => ({ className: i.className, config: i.getConfig() });
    return {
      name: this.name,
      trainable: this.trainable,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      gammaInitializer: init(this.gammaInitializer),
      betaInitializer: init(this.betaInitializer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
    };
  }
}

/**
 * Normalises each sample over its last axis to zero mean and unit variance, then scales by γ and
 * shifts by β (one of each per feature): Keras's and tfjs's LayerNormalization with axis −1.
 *
 * @example
 * layers.layerNormalization();                       // after a dense layer
 * layers.layerNormalization({ epsilon: 1e-5, center: false });
 */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}
