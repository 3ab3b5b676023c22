// The optimizer's side of a save: its state (getWeights / setWeights / slotNames, the optimizer-state
// contract) and rebuilding it from a saved optimizer_config, by simdnet's registry or, for files
// tfjs wrote, by tfjs's class names.

import { DataError, describe } from '../../errors.js';
import * as optimizers from '../../optimizers/index.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { Tensor } from '../../tensor.js';

/** An optimizer whose state can be saved and restored. */
export interface OptimizerState {
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  slotNames(): string[];
}

/** The optimizer's state interface, or null when it has none. */
export function optimizerState(optimizer: Optimizer): OptimizerState | null {
  const o = optimizer as unknown as Partial<OptimizerState>;
  return typeof o.getWeights === 'function' && typeof o.setWeights === 'function' && typeof o.slotNames === 'function' ? (o as OptimizerState) : null;
}

type FromConfig = (className: string, config: Record<string, unknown>) => Optimizer;

/** tfjs's optimizer class names → simdnet's (with config translation). */
function fromTfjs(className: string, config: Record<string, unknown>): { className: string; config: Record<string, unknown> } | null {
  if (className === 'Momentum') return { className: 'SGD', config: { learningRate: config.learningRate, momentum: config.momentum, nesterov: config.useNesterov ?? false } };
  return null;
}

/** Rebuilds a saved optimizer. */
export function restoreOptimizer(className: unknown, config: Record<string, unknown>, where: string): Optimizer {
  if (typeof className !== 'string') throw new DataError(`${where}: class_name: expected an optimizer class name such as 'SGD', received ${describe(className)}.`);
  const registry = (optimizers as unknown as { optimizerFromConfig?: FromConfig }).optimizerFromConfig;
  const attempt = (name: string, cfg: Record<string, unknown>): Optimizer => {
    if (registry) return registry(name, cfg);
    // Until every optimizer has a registry entry: SGD by its learning rate.
    if (name === 'SGD' && (cfg.momentum === undefined || cfg.momentum === 0)) return optimizers.sgd({ learningRate: cfg.learningRate as number, ...(typeof cfg.decay === 'number' ? { decay: cfg.decay } : {}) });
    throw new DataError(`unknown optimizer ${JSON.stringify(name)}`);
  };
  try {
    return attempt(className, config);
  } catch (e) {
    const translated = fromTfjs(className, config);
    if (translated) return attempt(translated.className, translated.config);
    throw new DataError(`${where}: cannot rebuild optimizer ${JSON.stringify(className)} with ${JSON.stringify(config)}: ${(e as Error).message}`);
  }
}
