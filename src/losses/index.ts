// The public `losses` namespace: loss objects with options, accepted by compile({ loss }).

import { BinaryCrossentropy, type BinaryCrossentropyArgs } from './binary.js';
import {
  CategoricalCrossentropy,
  type CategoricalCrossentropyArgs,
  type SparseCategoricalCrossentropyArgs,
} from './categorical.js';
import type { Loss } from './loss.js';
import { PointwiseLoss, type HuberArgs } from './regression.js';
import { ValueError, describe } from '../errors.js';
import { booleanOption, numberInRange, optionsObject } from './targets.js';

export type { Loss, LossName, LossAlias } from './loss.js';
export type { BinaryCrossentropyArgs, CategoricalCrossentropyArgs, SparseCategoricalCrossentropyArgs, HuberArgs };

function smoothing(value: unknown, fn: string): number {
  return numberInRange(
    value,
    `${fn}: labelSmoothing`,
    0,
    1,
    0,
    'typical values are 0.1 or 0.2 (0 turns smoothing off)',
  );
}

/**
 * Cross-entropy for class indices (integer labels in [0, classes)).
 *
 * @example
 * model.compile({ optimizer: 'sgd', loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }) });
 */
export function sparseCategoricalCrossentropy(args?: SparseCategoricalCrossentropyArgs): Loss {
  const a = optionsObject(args, 'sparseCategoricalCrossentropy', '{ fromLogits: true }');
  return new CategoricalCrossentropy(
    'sparse',
    booleanOption(a.fromLogits, 'sparseCategoricalCrossentropy: fromLogits'),
    0,
  );
}

/**
 * Cross-entropy for one-hot (or soft) targets, with optional label smoothing.
 *
 * @example
 * losses.categoricalCrossentropy({ labelSmoothing: 0.1 });
 */
export function categoricalCrossentropy(args?: CategoricalCrossentropyArgs): Loss {
  const a = optionsObject(args, 'categoricalCrossentropy', '{ fromLogits: true, labelSmoothing: 0.1 }');
  return new CategoricalCrossentropy(
    'dense',
    booleanOption(a.fromLogits, 'categoricalCrossentropy: fromLogits'),
    smoothing(a.labelSmoothing, 'categoricalCrossentropy'),
  );
}

/**
 * Binary cross-entropy for 0/1 targets: one sigmoid unit, or several for multi-label outputs.
 *
 * @example
 * losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
 */
export function binaryCrossentropy(args?: BinaryCrossentropyArgs): Loss {
  const a = optionsObject(args, 'binaryCrossentropy', '{ fromLogits: true, labelSmoothing: 0.1 }');
  return new BinaryCrossentropy(
    booleanOption(a.fromLogits, 'binaryCrossentropy: fromLogits'),
    smoothing(a.labelSmoothing, 'binaryCrossentropy'),
  );
}

/**
 * Mean of (y − t)² over the output units.
 *
 * @example
 * losses.meanSquaredError();
 */
export function meanSquaredError(): Loss {
  return new PointwiseLoss('meanSquaredError');
}

/**
 * Mean of |y − t| over the output units.
 *
 * @example
 * losses.meanAbsoluteError();
 */
export function meanAbsoluteError(): Loss {
  return new PointwiseLoss('meanAbsoluteError');
}

/**
 * Huber loss: ½d² where |d| ≤ delta, delta·(|d| − ½delta) beyond (d = y − t), averaged over the units.
 *
 * @example
 * losses.huber({ delta: 2 });
 */
export function huber(args?: HuberArgs): Loss {
  const a = optionsObject(args, 'huber', '{ delta: 1 }');
  const delta = a.delta ?? 1;
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta <= 0) {
    throw new ValueError(
      `huber: delta: expected a positive number (where the loss turns from quadratic to linear, default 1), received ` +
        `${describe(a.delta)}.`,
    );
  }
  return new PointwiseLoss('huber', delta);
}

/**
 * Hinge loss max(1 − t·y, 0) for −1/1 targets (0/1 targets are converted, as Keras does).
 *
 * @example
 * losses.hinge();
 */
export function hinge(): Loss {
  return new PointwiseLoss('hinge');
}
