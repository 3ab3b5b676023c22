// Random initializers with explicit parameters: normal, uniform, and normal truncated at two standard
// deviations (values beyond are redrawn, as Keras's TruncatedNormal).

import { ValueError, describe } from '../errors.js';
import type { Generator } from '../random.js';
import { sizeOf } from './fans.js';
import type { Initializer } from './initializer.js';

/** A standard normal draw, redrawn until it lies within ±2. */
export function truncatedStandardNormal(rng: Generator): number {
  let z = rng.normal();
  while (z < -2 || z > 2) z = rng.normal();
  return z;
}

/** Fills a shape with draws. */
export function fill(shape: readonly number[], draw: () => number): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return out;
}

function optionsOf<T>(args: T, name: string, example: string): T {
  if (typeof args !== 'object' || args === null)
    throw new ValueError(
      `initializers.${name}: expected an options object such as ${example}, received ${describe(args)}.`,
    );
  return args;
}

function finite(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValueError(`${argName}: expected a finite number, received ${describe(value)}.`);
  return value;
}

function positive(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(`${argName}: expected a finite number > 0, received ${describe(value)}.`);
  }
  return value;
}

export interface RandomNormalArgs {
  /** Default 0. */
  mean?: number;
  /** Default 0.05 (Keras). */
  stddev?: number;
}

/**
 * Normal draws N(mean, stddev²).
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.randomNormal({ stddev: 0.01 }) });
 */
export function randomNormal(args: RandomNormalArgs = {}): Initializer {
  const a = optionsOf(args, 'randomNormal', '{ mean: 0, stddev: 0.05 }');
  const mean = finite(a.mean ?? 0, 'initializers.randomNormal: mean');
  const stddev = positive(a.stddev ?? 0.05, 'initializers.randomNormal: stddev');
  return {
    className: 'RandomNormal',
    init: (shape, rng) => fill(shape, () => mean + stddev * rng.normal()),
    getConfig: () => ({ mean, stddev }),
  };
}

/**
 * Normal draws N(mean, stddev²), redrawing those more than two standard deviations from the mean.
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.truncatedNormal({ stddev: 0.02 }) });
 */
export function truncatedNormal(args: RandomNormalArgs = {}): Initializer {
  const a = optionsOf(args, 'truncatedNormal', '{ mean: 0, stddev: 0.05 }');
  const mean = finite(a.mean ?? 0, 'initializers.truncatedNormal: mean');
  const stddev = positive(a.stddev ?? 0.05, 'initializers.truncatedNormal: stddev');
  return {
    className: 'TruncatedNormal',
    init: (shape, rng) => fill(shape, () => mean + stddev * truncatedStandardNormal(rng)),
    getConfig: () => ({ mean, stddev }),
  };
}

export interface RandomUniformArgs {
  /** Default −0.05 (Keras). */
  minval?: number;
  /** Default 0.05 (Keras). */
  maxval?: number;
}

/**
 * Uniform draws in [minval, maxval).
 *
 * @example
 * layers.dense({ units: 10, kernelInitializer: initializers.randomUniform({ minval: -0.1, maxval: 0.1 }) });
 */
export function randomUniform(args: RandomUniformArgs = {}): Initializer {
  const a = optionsOf(args, 'randomUniform', '{ minval: -0.05, maxval: 0.05 }');
  const minval = finite(a.minval ?? -0.05, 'initializers.randomUniform: minval');
  const maxval = finite(a.maxval ?? 0.05, 'initializers.randomUniform: maxval');
  if (minval >= maxval) {
    throw new ValueError(
      `initializers.randomUniform: expected minval < maxval, received minval ${minval} and maxval ${maxval}; swap ` +
        `them or widen the range.`,
    );
  }
  return {
    className: 'RandomUniform',
    init: (shape, rng) => fill(shape, () => minval + (maxval - minval) * rng.uniform()),
    getConfig: () => ({ minval, maxval }),
  };
}
