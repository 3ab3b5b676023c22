import { ValueError, describe } from '../errors.js';
import { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

export { Optimizer, type GradientPair, type LearningRate } from './optimizer.js';
export * as schedules from './schedules/index.js';
export { sgd, SGD, type SgdArgs } from './sgd.js';

const byName: Record<string, () => Optimizer> = { sgd: () => sgd() };

/** Resolves an optimizer given by name (with Keras's defaults) or as an instance. */
export function resolveOptimizer(value: unknown): Optimizer {
  if (value instanceof Optimizer) return value;
  if (typeof value === 'string' && byName[value.toLowerCase()]) return byName[value.toLowerCase()]();
  throw new ValueError(`optimizer: unknown optimizer ${describe(value)}; known: ${Object.keys(byName).join(', ')} (or an instance such as optimizers.sgd({ learningRate: 0.01 })).`);
}
