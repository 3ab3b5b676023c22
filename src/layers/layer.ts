// The layer base: a layer knows its output shape, creates its weights when it first sees its input
// shape (build), and adds its computation to a graph (call). Shapes here exclude the batch axis.

import { ShapeError, ValueError, describe } from '../errors.js';
import type { HostScalar } from '../backend/backend.js';
import type { SymbolicTensor } from '../graph/tensor.js';
import { Variable } from '../graph/variable.js';
import { formatShape } from '../graph/op.js';
import type { Initializer } from '../initializers/initializer.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import type { Generator } from '../random.js';

/** Options every layer takes. */
export interface LayerArgs {
  /** A unique name; by default the class name in snake case with a counter (`dense_1`). */
  name?: string;
  /** The shape of one sample (without the batch axis), for the first layer of a model. */
  inputShape?: readonly number[];
  /** Whether training updates this layer's weights. */
  trainable?: boolean;
}

/** What a layer's call may depend on and add to. */
export interface CallContext {
  /** True inside `fit` (dropout drops, batch normalization uses batch statistics). */
  readonly training: boolean;
  /**
   * A seed the training loop draws from the model's generator before every step. Ops that draw
   * random numbers (dropout masks) combine it with a salt of their own, so that every step, layer
   * and element gets its own numbers, reproducibly.
   */
  readonly stepSeed: HostScalar;
  /**
   * Adds a term to the training objective and to the reported loss: a [1] tensor (per-sample scale,
   * like the mean loss) made by an op whose gradient rule accepts the objective (an activity
   * regularizer's penalty).
   */
  addLoss(term: SymbolicTensor): void;
  /** A number unique to each random op of this graph, counting from 1 in call order (a mask salt). */
  nextSalt(): number;
}

/**
 * A fresh context for building one graph: its own step seed, objective terms and salt counter, so
 * that every program of a model numbers its random ops the same way.
 */
export function callContext(training: boolean, addLoss: (term: SymbolicTensor) => void = () => undefined): CallContext {
  let randomOps = 0;
  return { training, stepSeed: { value: 0 }, addLoss, nextSalt: () => ++randomOps };
}

/** A layer's configuration, as saved and as `getConfig()` returns it. */
export type LayerConfig = Record<
  string,
  string | number | boolean | null | readonly (number | null)[] | Record<string, unknown>
>;

const counters = new Map<string, number>();

/** Makes a Keras-style unique name: `dense`, then `dense_1`, `dense_2`… */
export function uniqueName(base: string): string {
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/**
 * Resets the automatic layer names (`dense`, `dense_1`…), as Keras's `clear_session()`.
 *
 * @example
 * clearSession();
 * layers.dense({ units: 3 }).name;   // 'dense'
 */
export function clearSession(): void {
  counters.clear();
}

function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export abstract class Layer {
  /** The Keras class name (`Dense`). */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  /** The declared shape of one input sample, if any. */
  readonly inputShape: readonly number[] | null;
  private variables: Variable[] = [];
  private builtFor: readonly number[] | null = null;

  constructor(args: LayerArgs, className: string) {
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new ValueError(`name: expected a non-empty string, received ${describe(args.name)}.`);
    }
    this.name = args.name ?? uniqueName(snakeCase(className));
    this.trainable = args.trainable ?? true;
    this.inputShape = args.inputShape ? validateShape(args.inputShape, `${this.name}: inputShape`) : null;
  }

  /** Output shape for an input shape (both without the batch axis); throws when the input does not fit. */
  abstract computeOutputShape(inputShape: readonly number[]): number[];

  /** Adds this layer's computation on `x` (with the batch axis) to the graph. */
  abstract call(x: SymbolicTensor, ctx: CallContext): SymbolicTensor;

  /** Options that recreate this layer. */
  abstract getConfig(): LayerConfig;

  /** Creates the weights for an input shape. Called once; later calls must see the same shape. */
  build(inputShape: readonly number[], rng: Generator): void {
    if (this.builtFor) {
      if (formatShape(this.builtFor) !== formatShape(inputShape)) {
        throw new ShapeError(
          `${this.name} was built for input ${formatShape([null, ...this.builtFor])}, received ` +
            `${formatShape([null, ...inputShape])}.`,
        );
      }
      return;
    }
    this.computeOutputShape(inputShape);
    this.createWeights(inputShape, rng);
    this.builtFor = [...inputShape];
  }

  get built(): boolean {
    return this.builtFor !== null;
  }

  /** Hook for layers with weights. */
  protected createWeights(_inputShape: readonly number[], _rng: Generator): void {}

  /** A new weight; a regularizer's penalty joins the loss and its gradient the update (Variable.regularizer). */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: Initializer,
    rng: Generator,
    trainable = true,
    regularizer: Regularizer | null = null,
  ): Variable {
    const variable = new Variable(`${this.name}/${name}`, shape, initializer.init(shape, rng), trainable);
    if (regularizer) variable.regularizer = { l1: regularizer.l1, l2: regularizer.l2 };
    this.variables.push(variable);
    return variable;
  }

  /** All weights, trainable first as Keras lists them. */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => !v.trainable) : [...this.variables];
  }

  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }
}

/** Checks a shape given by the user: positive integers. */
export function validateShape(shape: unknown, argName: string): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(
      `${argName}: expected a non-empty array of positive integers, received ` +
        `${Array.isArray(shape) ? formatShape(shape) : describe(shape)}.`,
    );
  }
  return [...shape];
}

/** Checks an option that must be a positive integer. */
export function positiveInteger(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${argName}: expected a positive integer, received ${describe(value)}.`);
  }
  return value;
}
