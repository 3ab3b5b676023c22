// The public `metrics` namespace: metric objects with options, accepted by compile({ metrics }).

import { ValueError, describe } from '../errors.js';
import { MetricSpec, type MetricKind } from './spec.js';

export { MetricSpec };
export type { MetricName, MetricAlias, MetricIdentifier } from './spec.js';

export interface MetricArgs {
  /** Key in logs and history (default: the metric's name). */
  name?: string;
}
export interface ThresholdArgs extends MetricArgs {
  /** A prediction is positive when it exceeds this (default 0.5), in [0, 1]. */
  thresholds?: number;
}
export interface BinaryAccuracyArgs extends MetricArgs {
  /** A prediction counts as 1 when it exceeds this (default 0.5), in [0, 1]. */
  threshold?: number;
}
export interface TopKArgs extends MetricArgs {
  /** How many of the highest scores count as a hit (default 5), a positive integer. */
  k?: number;
}
export interface AucArgs extends MetricArgs {
  /** Thresholds of the ROC curve (default 200), an integer > 1. */
  numThresholds?: number;
}

function args<T extends MetricArgs>(value: T | undefined, fn: string, example: string): T | MetricArgs {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueError(`metrics.${fn}: expected an options object such as ${example}, received ${describe(value)}.`);
  }
  if (value.name !== undefined && (typeof value.name !== 'string' || value.name === '')) {
    throw new ValueError(`metrics.${fn}: name: expected a non-empty string, received ${describe(value.name)}.`);
  }
  return value;
}

function threshold(value: unknown, argName: string): number {
  if (value === undefined) return 0.5;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ValueError(
      `${argName}: expected a threshold in [0, 1] (predictions are probabilities), received ${describe(value)}.`,
    );
  }
  return value;
}

function simple(kind: MetricKind, a: MetricArgs | undefined, fn: string): MetricSpec {
  const o = args(a, fn, "{ name: 'acc' }");
  return new MetricSpec(kind, { name: o.name });
}

/**
 * Accuracy as the loss implies it (class indices, one-hot rows or 0/1 targets).
 *
 * @example
 * model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [metrics.accuracy()] });
 */
export function accuracy(a?: MetricArgs): MetricSpec {
  return simple('accuracy', a, 'accuracy');
}

/** Fraction of samples whose highest score is the one-hot target's class. @example metrics.categoricalAccuracy() */
export function categoricalAccuracy(a?: MetricArgs): MetricSpec {
  return simple('categoricalAccuracy', a, 'categoricalAccuracy');
}

/** Fraction of samples whose highest score is the labelled class. @example metrics.sparseCategoricalAccuracy() */
export function sparseCategoricalAccuracy(a?: MetricArgs): MetricSpec {
  return simple('sparseCategoricalAccuracy', a, 'sparseCategoricalAccuracy');
}

/**
 * Fraction of 0/1 targets matched by predictions thresholded at `threshold` (mean over the units).
 *
 * @example
 * metrics.binaryAccuracy({ threshold: 0.7 });
 */
export function binaryAccuracy(a?: BinaryAccuracyArgs): MetricSpec {
  const o = args(a, 'binaryAccuracy', '{ threshold: 0.5 }') as BinaryAccuracyArgs;
  return new MetricSpec('binaryAccuracy', {
    name: o.name,
    threshold: threshold(o.threshold, 'metrics.binaryAccuracy: threshold'),
  });
}

function topK(kind: 'topKCategoricalAccuracy' | 'sparseTopKCategoricalAccuracy', a: TopKArgs | undefined): MetricSpec {
  const o = args(a, kind, '{ k: 5 }') as TopKArgs;
  const k = o.k ?? 5;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new ValueError(
      `metrics.${kind}: k: expected a positive integer (how many of the highest scores count), received ` +
        `${describe(o.k)}.`,
    );
  }
  return new MetricSpec(kind, { name: o.name, k });
}

/**
 * Fraction of samples whose one-hot class is among the k highest scores.
 *
 * @example
 * metrics.topKCategoricalAccuracy({ k: 5 });
 */
export function topKCategoricalAccuracy(a?: TopKArgs): MetricSpec {
  return topK('topKCategoricalAccuracy', a);
}

/**
 * Fraction of samples whose labelled class is among the k highest scores.
 *
 * @example
 * metrics.sparseTopKCategoricalAccuracy({ k: 3 });
 */
export function sparseTopKCategoricalAccuracy(a?: TopKArgs): MetricSpec {
  return topK('sparseTopKCategoricalAccuracy', a);
}

/**
 * ΣTP / (ΣTP + ΣFP) over the epoch, predictions positive above `thresholds`.
 *
 * @example
 * metrics.precision({ thresholds: 0.5 });
 */
export function precision(a?: ThresholdArgs): MetricSpec {
  const o = args(a, 'precision', '{ thresholds: 0.5 }') as ThresholdArgs;
  return new MetricSpec('precision', {
    name: o.name,
    threshold: threshold(o.thresholds, 'metrics.precision: thresholds'),
  });
}

/**
 * ΣTP / (ΣTP + ΣFN) over the epoch, predictions positive above `thresholds`.
 *
 * @example
 * metrics.recall({ thresholds: 0.5 });
 */
export function recall(a?: ThresholdArgs): MetricSpec {
  const o = args(a, 'recall', '{ thresholds: 0.5 }') as ThresholdArgs;
  return new MetricSpec('recall', { name: o.name, threshold: threshold(o.thresholds, 'metrics.recall: thresholds') });
}

/**
 * Area under the ROC curve, from histograms of the predictions over the epoch (Keras's streaming AUC).
 *
 * @example
 * metrics.auc({ numThresholds: 200 });
 */
export function auc(a?: AucArgs): MetricSpec {
  const o = args(a, 'auc', '{ numThresholds: 200 }') as AucArgs;
  const n = o.numThresholds ?? 200;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > 1e6) {
    throw new ValueError(
      `metrics.auc: numThresholds: expected an integer in [2, 1000000] (default 200), received ` +
        `${describe(o.numThresholds)}.`,
    );
  }
  return new MetricSpec('auc', { name: o.name, numThresholds: n });
}

/** Mean of (y − t)² over units and samples. @example metrics.meanSquaredError() */
export function meanSquaredError(a?: MetricArgs): MetricSpec {
  return simple('meanSquaredError', a, 'meanSquaredError');
}

/** Mean of |y − t| over units and samples. @example metrics.meanAbsoluteError() */
export function meanAbsoluteError(a?: MetricArgs): MetricSpec {
  return simple('meanAbsoluteError', a, 'meanAbsoluteError');
}
