// The optimizer's side of a save: its state (getWeights / setWeights / slotNames, the optimizer-state
// contract) and rebuilding it from a saved optimizer_config, by simdnet's registry or, for files
// tfjs wrote, by tfjs's class names.

import { DataError, describe } from '../../errors.js';
import { formatShape } from '../../graph/op.js';
import * as optimizers from '../../optimizers/index.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { Tensor } from '../../tensor.js';

/** An optimizer whose state can be saved and restored. */
export interface OptimizerState {
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** `variables`: what a state restored before training will train, to name it (see Optimizer.slotNames). */
  slotNames(variables?: readonly { readonly name: string }[]): string[];
}

/** The optimizer's state interface, or null when it has none. */
export function optimizerState(optimizer: Optimizer): OptimizerState | null {
  const o = optimizer as unknown as Partial<OptimizerState>;
  return typeof o.getWeights === 'function' && typeof o.setWeights === 'function' && typeof o.slotNames === 'function'
    ? (o as OptimizerState)
    : null;
}

type FromConfig = (className: string, config: Record<string, unknown>) => Optimizer;

/** tfjs's optimizer class names → simdnet's (with config translation). */
function fromTfjs(
  className: string,
  config: Record<string, unknown>,
): { className: string; config: Record<string, unknown> } | null {
  if (className === 'Momentum')
    return {
      className: 'SGD',
      config: { learningRate: config.learningRate, momentum: config.momentum, nesterov: config.useNesterov ?? false },
    };
  return null;
}

/** Rebuilds a saved optimizer. */
export function restoreOptimizer(className: unknown, config: Record<string, unknown>, where: string): Optimizer {
  if (typeof className !== 'string')
    throw new DataError(
      `${where}: class_name: expected an optimizer class name such as 'SGD', received ${describe(className)}.`,
    );
  const registry = (optimizers as unknown as { optimizerFromConfig?: FromConfig }).optimizerFromConfig;
  const attempt = (name: string, cfg: Record<string, unknown>): Optimizer => {
    if (registry) return registry(name, cfg);
    // Until every optimizer has a registry entry: SGD by its learning rate.
    if (name === 'SGD' && (cfg.momentum === undefined || cfg.momentum === 0))
      return optimizers.sgd({
        learningRate: cfg.learningRate as number,
        ...(typeof cfg.decay === 'number' ? { decay: cfg.decay } : {}),
      });
    throw new DataError(`unknown optimizer ${JSON.stringify(name)}`);
  };
  try {
    return attempt(className, config);
  } catch (e) {
    const translated = fromTfjs(className, config);
    if (translated) return attempt(translated.className, translated.config);
    throw new DataError(
      `${where}: cannot rebuild optimizer ${JSON.stringify(className)} with ${JSON.stringify(config)}: ` +
        `${(e as Error).message}`,
    );
  }
}

/** A tensor of a saved optimizer state, under the name the file gives it. */
export interface SavedSlot {
  readonly name: string;
  readonly tensor: Tensor;
}

/** The prefix model.save puts before each state name in the optimizer's weight group. */
export const OPTIMIZER_PREFIX = 'optimizer/';

/**
 * Checks a saved optimizer state against what `optimizer` keeps for `variables` (the model's trainable
 * weights, in training order): `iterations`, then each variable's slots by name, shape and dtype.
 * Returns the tensors in getWeights order, matched by name, so a state whose slots were written in
 * another order still lands on the right variables. A state holding only `iterations` (saved before
 * the first fit) is valid. Throws a DataError listing every mismatch otherwise: checking here, not
 * at the first fit, keeps a file that does not belong to the model from loading at all (a renamed
 * slot of the same shape would otherwise train silently with another variable's moments).
 */
export function matchOptimizerState(
  optimizer: Optimizer,
  variables: readonly { name: string; shape: readonly number[] }[],
  saved: readonly SavedSlot[],
  where: string,
): Tensor[] {
  const found = new Map<string, Tensor>();
  const problems: string[] = [];
  for (const { name, tensor } of saved) {
    const key = name.startsWith(OPTIMIZER_PREFIX) ? name.slice(OPTIMIZER_PREFIX.length) : name;
    if (found.has(key)) problems.push(`slot ${key} appears twice`);
    found.set(key, tensor);
  }
  const iterations = found.get('iterations');
  if (!iterations) problems.push('the step count (iterations, shape [1]) is missing');
  else if (iterations.size !== 1) problems.push(`iterations has shape ${formatShape(iterations.shape)}, expected [1]`);
  else if (!Number.isInteger(iterations.data[0]) || iterations.data[0] < 0)
    problems.push(`iterations holds ${describe(iterations.data[0])}, expected an integer >= 0`);
  const kinds = optimizer.slotKinds;
  const expected = optimizer
    .slotNamesFor(variables)
    .map((name, i) => ({ name, shape: variables[Math.floor(i / kinds.length)].shape }));
  // Saved before the first fit: no slot exists yet, only the step count.
  const stepOnly = found.size === 1 && iterations !== undefined;
  if (!stepOnly) {
    for (const slot of expected) {
      const tensor = found.get(slot.name);
      if (!tensor) problems.push(`slot ${slot.name} is missing (expected float32 ${formatShape(slot.shape)})`);
      else if (
        tensor.dtype !== 'float32' ||
        tensor.shape.length !== slot.shape.length ||
        tensor.shape.some((d, i) => d !== slot.shape[i])
      ) {
        problems.push(
          `slot ${slot.name} is ${tensor.dtype} ${formatShape(tensor.shape)} in the file, expected float32 ` +
            `${formatShape(slot.shape)}`,
        );
      }
    }
    const known = new Set(['iterations', ...expected.map((s) => s.name)]);
    const unexpected = [...found.keys()].filter((n) => !known.has(n));
    if (unexpected.length > 0)
      problems.push(`unexpected slot${unexpected.length > 1 ? 's' : ''} ${unexpected.join(', ')}`);
  }
  if (problems.length > 0) {
    const keeps = kinds.length > 0 ? `keeps ${kinds.join(', ')} for each trainable weight` : 'keeps no slot per weight';
    throw new DataError(
      `loadModel: ${where}: the saved optimizer state does not match the model: ${problems.join('; ')}. ` +
        `(${optimizer.className} ${keeps}, named <weight>/<slot>, plus iterations.) ` +
        `Load it without the optimizer state, loadModel(url, { includeOptimizer: false }), to train on with a fresh ` +
        `optimizer, or save the model again from the session that trained it.`,
    );
  }
  return stepOnly ? [iterations] : [iterations!, ...expected.map((s) => found.get(s.name)!)];
}
