// Weight initializers, drawn from a seeded generator. Keras's definitions: Glorot uniform draws from
// U(−l, l) with l = sqrt(6 / (fanIn + fanOut)).

import { ValueError, describe } from '../errors.js';
import type { Generator } from '../random.js';

/** Fan-in and fan-out of a weight shape, as Keras computes them. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  // Convolution kernels: receptive field × channels.
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** Fills a new weight tensor of a shape. */
export interface Initializer {
  readonly className: string;
  init(shape: readonly number[], rng: Generator): Float32Array;
  getConfig(): Record<string, number | string>;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Glorot (Xavier) uniform: U(−l, l), l = sqrt(6 / (fanIn + fanOut)). The default for dense kernels.
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.glorotUniform() });
 */
export function glorotUniform(): Initializer {
  return {
    className: 'GlorotUniform',
    init(shape, rng) {
      const { fanIn, fanOut } = fans(shape);
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const out = new Float32Array(size(shape));
      for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * limit;
      return out;
    },
    getConfig: () => ({}),
  };
}

/**
 * All zeros. The default for biases.
 *
 * @example
 * layers.dense({ units: 10, biasInitializer: initializers.zeros() });
 */
export function zeros(): Initializer {
  return { className: 'Zeros', init: (shape) => new Float32Array(size(shape)), getConfig: () => ({}) };
}

const byName: Record<string, () => Initializer> = { glorotUniform, zeros };

/** Names accepted wherever an initializer is. */
export type InitializerName = 'glorotUniform' | 'zeros';

/** Resolves a name or an Initializer, with an error that lists the known names. */
export function resolveInitializer(value: InitializerName | Initializer | undefined, fallback: InitializerName, argName: string): Initializer {
  if (value === undefined) return byName[fallback]();
  if (typeof value === 'string') {
    const make = byName[value] ?? byName[snakeToCamel(value)];
    if (!make) {
      throw new ValueError(`${argName}: unknown initializer ${describe(value)}; known: ${Object.keys(byName).join(', ')}.`);
    }
    return make();
  }
  if (typeof value === 'object' && value !== null && typeof (value as Initializer).init === 'function') return value;
  throw new ValueError(`${argName}: expected an initializer name (${Object.keys(byName).join(', ')}) or an Initializer, received ${describe(value)}.`);
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
