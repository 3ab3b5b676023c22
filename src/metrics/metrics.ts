// Metrics by name. Accuracy resolves by the loss: class indices compare the argmax with the label,
// one-hot targets compare the two argmaxes. Counts are summed over the epoch, so the epoch figure is
// exact (not a mean of batch means).

import { ValueError, describe } from '../errors.js';
import { correctCount } from '../graph/ops/metrics.js';
import type { Loss } from '../losses/losses.js';
import type { Metric } from './metric.js';

export type { Metric, MetricInputs } from './metric.js';

/** Metrics accepted by name. */
export type MetricName = 'accuracy' | 'acc' | 'sparseCategoricalAccuracy' | 'categoricalAccuracy';

const KNOWN: readonly MetricName[] = ['accuracy', 'acc', 'sparseCategoricalAccuracy', 'categoricalAccuracy'];

export function resolveMetric(value: unknown, loss: Loss): Metric {
  if (typeof value !== 'string' || !(KNOWN as readonly string[]).includes(value)) {
    throw new ValueError(`metrics: unknown metric ${describe(value)}; known: ${KNOWN.join(', ')}.`);
  }
  const wants = value === 'sparseCategoricalAccuracy' ? 'sparse' : value === 'categoricalAccuracy' ? 'dense' : loss.labels;
  if (wants !== loss.labels) {
    const other = loss.labels === 'sparse' ? 'sparseCategoricalAccuracy' : 'categoricalAccuracy';
    throw new ValueError(`metrics: ${value} does not apply to loss ${loss.name} (its targets are ${loss.labels === 'sparse' ? 'class indices' : 'one-hot rows'}); use 'accuracy' or '${other}'.`);
  }
  const key = value === 'acc' ? 'accuracy' : value;
  return {
    key,
    build: ({ scores, target }) => [correctCount(scores, target, loss.labels)],
    result: ([correct], samples) => correct[0] / samples,
  };
}
