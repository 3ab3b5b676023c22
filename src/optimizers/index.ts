import { ValueError, describe } from '../errors.js';
import { Adadelta, adadelta } from './adadelta.js';
import { Adagrad, adagrad } from './adagrad.js';
import { Adam, adam } from './adam.js';
import { Adamax, adamax } from './adamax.js';
import { AdamW, adamw } from './adamw.js';
import { Lion, lion } from './lion.js';
import { Nadam, nadam } from './nadam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, rmsprop } from './rmsprop.js';
import { SGD, sgd } from './sgd.js';

export {
  Optimizer,
  type GradientPair,
  type LearningRate,
  type OptimizerArgs,
  type OptimizerConfig,
} from './optimizer.js';
export * as schedules from './schedules/index.js';
export { sgd, SGD, type SgdArgs } from './sgd.js';
export { adam, Adam, type AdamArgs } from './adam.js';
export { adamw, AdamW } from './adamw.js';
export { adagrad, Adagrad, type AdagradArgs } from './adagrad.js';
export { rmsprop, RMSprop, type RmspropArgs } from './rmsprop.js';
export { adamax, Adamax, type AdamaxArgs } from './adamax.js';
export { nadam, Nadam, type NadamArgs } from './nadam.js';
export { adadelta, Adadelta, type AdadeltaArgs } from './adadelta.js';
export { lion, Lion, type LionArgs } from './lion.js';

/** Optimizer names compile accepts (Keras's string identifiers). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'adagrad' | 'rmsprop' | 'adamax' | 'nadam' | 'adadelta' | 'lion';

const byName: Record<OptimizerName, () => Optimizer> = {
  sgd,
  adam,
  adamw,
  adagrad,
  rmsprop,
  adamax,
  nadam,
  adadelta,
  lion,
};

/** Resolves an optimizer given by name (with Keras's defaults) or as an instance. */
export function resolveOptimizer(value: unknown): Optimizer {
  if (value instanceof Optimizer) return value;
  const key = typeof value === 'string' ? (value.toLowerCase() as OptimizerName) : null;
  if (key !== null && Object.hasOwn(byName, key)) return byName[key]();
  throw new ValueError(
    `optimizer: unknown optimizer ${describe(value)}; known: ${Object.keys(byName).join(', ')} (or an instance such ` +
      `as optimizers.sgd({ learningRate: 0.01 })).`,
  );
}

type Constructor = new (config: Record<string, unknown>) => Optimizer;
const byClassName: Record<string, Constructor> = {
  SGD,
  Adam,
  AdamW,
  Adagrad,
  RMSprop,
  Adamax,
  Nadam,
  Adadelta,
  Lion,
} as Record<string, Constructor>;

/**
 * Rebuilds an optimizer from its className and getConfig() (state excluded: restore it with setWeights).
 *
 * @example
 * const copy = optimizerFromConfig(opt.className, opt.getConfig());
 */
export function optimizerFromConfig(className: string, config: OptimizerConfig): Optimizer {
  const ctor = Object.hasOwn(byClassName, className) ? byClassName[className] : undefined;
  if (!ctor)
    throw new ValueError(
      `optimizerFromConfig: unknown optimizer class ${describe(className)}; known: ` +
        `${Object.keys(byClassName).join(', ')}.`,
    );
  if (typeof config !== 'object' || config === null)
    throw new ValueError(
      `optimizerFromConfig: expected a config object from getConfig(), received ${describe(config)}.`,
    );
  return new ctor({ ...config });
}
