// Initializers from their saved form ({ class_name, config } as Keras and tfjs write it, or
// { className, config } as simdnet's getConfig returns it), for loading models.

import { ValueError, describe } from '../errors.js';
import { constant, ones, zeros } from './constant.js';
import type { Initializer } from './initializer.js';
import { randomNormal, randomUniform, truncatedNormal } from './random.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
  type VarianceScalingArgs,
} from './variance-scaling.js';

type Config = Record<string, unknown>;

const num = (c: Config, key: string): number | undefined =>
  c[key] === undefined || c[key] === null ? undefined : (c[key] as number);

const byClass: Record<string, (c: Config) => Initializer> = {
  Zeros: () => zeros(),
  Ones: () => ones(),
  Constant: (c) => constant({ value: num(c, 'value') }),
  RandomNormal: (c) => randomNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev') }),
  RandomUniform: (c) => randomUniform({ minval: num(c, 'minval'), maxval: num(c, 'maxval') }),
  TruncatedNormal: (c) => truncatedNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev') }),
  GlorotUniform: () => glorotUniform(),
  GlorotNormal: () => glorotNormal(),
  HeUniform: () => heUniform(),
  HeNormal: () => heNormal(),
  LecunUniform: () => lecunUniform(),
  LecunNormal: () => lecunNormal(),
  VarianceScaling: (c) => {
    // tfjs writes 'normal' for its truncated normal (Keras 2's old name for the same thing).
    const distribution = c.distribution === 'normal' ? 'truncatedNormal' : c.distribution;
    return varianceScaling({
      scale: num(c, 'scale'),
      mode: (c.mode ?? undefined) as VarianceScalingArgs['mode'],
      distribution: (distribution ?? undefined) as VarianceScalingArgs['distribution'],
    });
  },
};

/** Class names `initializerFromConfig` knows. */
export const INITIALIZER_CLASSES: readonly string[] = Object.keys(byClass);

/**
 * Rebuilds an initializer from its saved form: `{ class_name: 'VarianceScaling', config: { scale: 2,
 * mode: 'fan_in', distribution: 'uniform' } }` (Keras, tfjs) or `{ className, config }`, or a bare
 * class name. `argName` names it in errors.
 *
 * @example
 * initializerFromConfig({ class_name: 'HeNormal', config: { seed: null } });
 */
export function initializerFromConfig(saved: unknown, argName = 'initializer'): Initializer {
  const spec = typeof saved === 'string' ? { className: saved, config: {} } : saved;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ValueError(`${argName}: expected { class_name, config }, received ${describe(saved)}.`);
  }
  const s = spec as Config;
  const className = s.class_name ?? s.className;
  const config = (s.config ?? {}) as Config;
  if (typeof className !== 'string' || !Object.hasOwn(byClass, className)) {
    throw new ValueError(
      `${argName}: unknown initializer class ${describe(className)}; known: ${INITIALIZER_CLASSES.join(', ')}.`,
    );
  }
  if (typeof config !== 'object' || config === null)
    throw new ValueError(`${argName}: config of ${className}: expected an object, received ${describe(config)}.`);
  try {
    return byClass[className](config);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`${argName}: ${e.message}`);
    throw e;
  }
}
