// Losses by name or object, resolved for compile({ loss }).

import { ValueError, describe } from '../errors.js';
import { BinaryCrossentropy } from './binary.js';
import { CategoricalCrossentropy } from './categorical.js';
import type { Loss, LossAlias, LossName } from './loss.js';
import { PointwiseLoss } from './regression.js';

export type { Loss, LossAlias, LossFamily, LossGraph, LossName } from './loss.js';

const ALIASES: Record<string, LossName> = {
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  categoricalCrossentropy: 'categoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  meanSquaredError: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  huber: 'huber',
  huber_loss: 'huber',
  hinge: 'hinge',
};

/** A loss with default options, by name. */
function byName(name: LossName): Loss {
  switch (name) {
    case 'sparseCategoricalCrossentropy':
      return new CategoricalCrossentropy('sparse', false, 0);
    case 'categoricalCrossentropy':
      return new CategoricalCrossentropy('dense', false, 0);
    case 'binaryCrossentropy':
      return new BinaryCrossentropy(false, 0);
    case 'huber':
      return new PointwiseLoss('huber', 1);
    default:
      return new PointwiseLoss(name);
  }
}

/** A loss name (camelCase or Keras's snake_case) or a loss object from the `losses` namespace. */
export type LossIdentifier = LossName | LossAlias | Loss;

/** Resolves a loss name or object, listing the known ones on error. */
export function resolveLoss(value: unknown): Loss {
  if (value instanceof CategoricalCrossentropy || value instanceof BinaryCrossentropy || value instanceof PointwiseLoss)
    return value;
  const name = typeof value === 'string' ? ALIASES[value] : undefined;
  if (!name) {
    throw new ValueError(
      `loss: unknown loss ${describe(value)}; known: ${[...new Set(Object.values(ALIASES))].join(', ')} (or an ` +
        `object from losses, e.g. losses.binaryCrossentropy({ fromLogits: true })).`,
    );
  }
  return byName(name);
}
