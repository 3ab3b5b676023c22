// Metrics resolved against the compiled loss. 'accuracy' follows the loss (class indices: argmax
// against the label; one-hot rows: argmax against argmax; binary cross-entropy: p > 0.5 against the
// 0/1 target; other losses: by the output's width, as Keras). Every metric sums raw counts over the
// epoch (float64), so epoch figures are exact streaming ratios, not means of batch figures. Metrics
// that cannot apply to the loss's targets are refused with the reason.

import { ValueError, describe } from '../errors.js';
import { pointwiseLoss } from '../graph/ops/losses.js';
import { aucHistogram, binaryCounts, categoricalHits, weightSum } from '../graph/ops/metrics.js';
import type { Loss } from '../losses/losses.js';
import type { Metric } from './metric.js';
import { METRIC_ALIASES, MetricSpec, type MetricKind, type MetricOptions } from './spec.js';

export type { Metric, MetricInputs } from './metric.js';
export {
  MetricSpec,
  type MetricAlias,
  type MetricIdentifier,
  type MetricKind,
  type MetricName,
  type MetricOptions,
} from './spec.js';

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

function categorical(key: string, weighted: boolean, labels: 'sparse' | 'dense', k: number): Metric {
  return {
    key,
    weighted,
    build: ({ scores, target, sampleWeight }) => [categoricalHits(scores, target, labels, k, sampleWeight)],
    result: ([s]) => ratio(s[0], s[1]),
  };
}

type BinaryFigure = 'accuracy' | 'precision' | 'recall';

function binary(key: string, weighted: boolean, figure: BinaryFigure, threshold: number): Metric {
  let cols = 1;
  return {
    key,
    weighted,
    build: ({ output, target, sampleWeight }) => {
      cols = output.shape[1];
      return [binaryCounts(output, target, threshold, sampleWeight)];
    },
    // s = [TP, FP, FN, TN, exact-match hits, Σ w]
    result: ([s]) =>
      figure === 'precision'
        ? ratio(s[0], s[0] + s[1])
        : figure === 'recall'
          ? ratio(s[0], s[0] + s[2])
          : ratio(s[4], cols * s[5]),
  };
}

/**
 * Keras's AUC (curve 'ROC', summation 'interpolation'): at thresholds t_i, TP_i and FP_i are the
 * weighted counts of positives / negatives predicted above t_i (reverse cumulative sums of the
 * histograms); AUC = Σ_i (FPR_i − FPR_{i+1})·(TPR_i + TPR_{i+1})/2, a trapezoid rule on the grid.
 */
export function aucFromHistograms(h: ArrayLike<number>, n: number): number {
  let positives = 0;
  let negatives = 0;
  for (let b = 0; b < n; b++) {
    positives += h[b];
    negatives += h[n + b];
  }
  let area = 0;
  let tp = 0;
  let fp = 0;
  // walk from the highest threshold down: TPR/FPR grow as thresholds fall
  let prevTpr = 0;
  let prevFpr = 0;
  for (let i = n - 1; i >= 0; i--) {
    tp += h[i];
    fp += h[n + i];
    const tpr = ratio(tp, positives);
    const fpr = ratio(fp, negatives);
    if (i < n - 1) area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return area;
}

function auc(key: string, weighted: boolean, n: number): Metric {
  return {
    key,
    weighted,
    build: ({ output, target, sampleWeight }) => [aucHistogram(output, target, n, sampleWeight)],
    result: ([h]) => aucFromHistograms(h, n),
  };
}

function meanError(key: string, weighted: boolean, loss: 'meanSquaredError' | 'meanAbsoluteError'): Metric {
  return {
    key,
    weighted,
    build: ({ output, target, sampleWeight }) => {
      const sum = pointwiseLoss(output, target, { loss, input: 'probs', gradScale: 0, param: 0 }, sampleWeight);
      return sampleWeight ? [sum, weightSum(sampleWeight)] : [sum];
    },
    result: ([sum, w], samples) => ratio(sum[0], w ? w[0] : samples),
  };
}

/** 'accuracy' for losses whose targets are not classes: Keras picks by the output's width. */
function accuracyByWidth(key: string, weighted: boolean): Metric {
  let chosen: Metric | null = null;
  return {
    key,
    weighted,
    build: (inputs) => {
      chosen =
        inputs.output.shape[1] === 1 ? binary(key, weighted, 'accuracy', 0.5) : categorical(key, weighted, 'dense', 0);
      return chosen.build(inputs);
    },
    result: (sums, samples) => (chosen ? chosen.result(sums, samples) : 0),
  };
}

const CLASS_TARGETS = 'class indices';

/** Why a metric cannot apply to a loss (null when it can). */
function refusal(kind: MetricKind, loss: Loss): string | null {
  const sparseLoss = loss.labels === 'sparse';
  switch (kind) {
    case 'sparseCategoricalAccuracy':
    case 'sparseTopKCategoricalAccuracy':
      return sparseLoss
        ? null
        : `it expects ${CLASS_TARGETS}, but loss ${loss.name} takes targets of the output's shape; use ` +
            `'${kind === 'sparseCategoricalAccuracy' ? 'categoricalAccuracy' : 'topKCategoricalAccuracy'}' (or ` +
            `'accuracy')`;
    case 'categoricalAccuracy':
    case 'topKCategoricalAccuracy':
      if (sparseLoss)
        return (
          `it expects one-hot targets, but loss ${loss.name} takes ${CLASS_TARGETS}; use ` +
          `'${kind === 'categoricalAccuracy' ? 'sparseCategoricalAccuracy' : 'sparseTopKCategoricalAccuracy'}' (or ` +
          `'accuracy')`
        );
      if (loss.family === 'binary')
        return (
          `binaryCrossentropy's outputs are independent 0/1 predictions, not one class out of many; use ` +
          `'binaryAccuracy' (or 'accuracy')`
        );
      return null;
    case 'binaryAccuracy':
    case 'precision':
    case 'recall':
    case 'auc':
      return loss.family === 'categorical'
        ? `it applies to binary or multi-label outputs (sigmoid units with 0/1 targets), and loss ${loss.name} picks ` +
            `one class out of many; use 'accuracy' or topKCategoricalAccuracy, or a sigmoid output with ` +
            `'binaryCrossentropy'`
        : null;
    case 'meanSquaredError':
    case 'meanAbsoluteError':
      return sparseLoss
        ? `loss ${loss.name} takes ${CLASS_TARGETS}, which cannot be compared with the output elementwise; use ` +
            `'accuracy'`
        : null;
    default:
      return null;
  }
}

/** Resolves a metric name or object against the compiled loss. */
export function resolveMetric(value: unknown, loss: Loss, weighted = false): Metric {
  const arg = weighted ? 'weightedMetrics' : 'metrics';
  let kind: MetricKind | undefined;
  let options: MetricOptions = {};
  if (value instanceof MetricSpec) {
    kind = value.kind;
    options = value.options;
  } else if (typeof value === 'string') {
    kind = METRIC_ALIASES[value];
  }
  if (!kind) {
    throw new ValueError(
      `${arg}: unknown metric ${describe(value)}; known: ${[...new Set(Object.values(METRIC_ALIASES))].join(', ')} ` +
        `(or an object from metrics, e.g. metrics.precision({ threshold: 0.5 })).`,
    );
  }
  const why = refusal(kind, loss);
  if (why) throw new ValueError(`${arg}: ${kind} does not apply to loss ${loss.name}: ${why}.`);
  const key = options.name ?? kind;
  switch (kind) {
    case 'accuracy':
      return loss.family === 'categorical'
        ? categorical(key, weighted, loss.labels, 0)
        : loss.family === 'binary'
          ? binary(key, weighted, 'accuracy', 0.5)
          : accuracyByWidth(key, weighted);
    case 'categoricalAccuracy':
      return categorical(key, weighted, 'dense', 0);
    case 'sparseCategoricalAccuracy':
      return categorical(key, weighted, 'sparse', 0);
    case 'topKCategoricalAccuracy':
      return categorical(key, weighted, 'dense', options.k ?? 5);
    case 'sparseTopKCategoricalAccuracy':
      return categorical(key, weighted, 'sparse', options.k ?? 5);
    case 'binaryAccuracy':
      return binary(key, weighted, 'accuracy', options.threshold ?? 0.5);
    case 'precision':
    case 'recall':
      return binary(key, weighted, kind, options.threshold ?? 0.5);
    case 'auc':
      return auc(key, weighted, options.numThresholds ?? 200);
    case 'meanSquaredError':
    case 'meanAbsoluteError':
      return meanError(key, weighted, kind);
  }
}

/** Resolves compile's metrics and weightedMetrics; a weighted metric whose key clashes gets a 'weighted' prefix. */
export function resolveMetrics(metrics: readonly unknown[], weightedMetrics: readonly unknown[], loss: Loss): Metric[] {
  const plain = metrics.map((m) => resolveMetric(m, loss, false));
  const keys = new Set(plain.map((m) => m.key));
  const weighted = weightedMetrics.map((m) => {
    const metric = resolveMetric(m, loss, true);
    if (!keys.has(metric.key)) return metric;
    const key = `weighted${metric.key[0].toUpperCase()}${metric.key.slice(1)}`;
    return { ...metric, key, build: metric.build, result: metric.result };
  });
  return [...plain, ...weighted];
}
