// A metric as the user names it (a string or an object from the `metrics` namespace), before it is
// resolved against the compiled loss.

/** Metrics accepted by name (camelCase; Keras's snake_case spellings are accepted too). */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'categoricalAccuracy'
  | 'sparseCategoricalAccuracy'
  | 'binaryAccuracy'
  | 'topKCategoricalAccuracy'
  | 'sparseTopKCategoricalAccuracy'
  | 'precision'
  | 'recall'
  | 'auc'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

export type MetricAlias =
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'binary_accuracy'
  | 'top_k_categorical_accuracy'
  | 'sparse_top_k_categorical_accuracy'
  | 'AUC'
  | 'mean_squared_error'
  | 'mse'
  | 'mean_absolute_error'
  | 'mae';

/** The kinds of metric, each with the options it takes. */
export type MetricKind = Exclude<MetricName, 'acc'>;

export interface MetricOptions {
  /** Log key (default: the metric's camelCase name). */
  readonly name?: string;
  /** Decision threshold of binaryAccuracy, precision and recall. */
  readonly threshold?: number;
  /** top-k metrics: how many of the highest scores count. */
  readonly k?: number;
  /** auc: number of thresholds of the ROC curve. */
  readonly numThresholds?: number;
}

/** A metric with its options; resolved against the loss by compile(). */
export class MetricSpec {
  constructor(
    readonly kind: MetricKind,
    readonly options: MetricOptions = {},
  ) {}
}

/** A metric name or a metric object from the `metrics` namespace. */
export type MetricIdentifier = MetricName | MetricAlias | MetricSpec;

export const METRIC_ALIASES: Record<string, MetricKind> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  categoricalAccuracy: 'categoricalAccuracy',
  categorical_accuracy: 'categoricalAccuracy',
  sparseCategoricalAccuracy: 'sparseCategoricalAccuracy',
  sparse_categorical_accuracy: 'sparseCategoricalAccuracy',
  binaryAccuracy: 'binaryAccuracy',
  binary_accuracy: 'binaryAccuracy',
  topKCategoricalAccuracy: 'topKCategoricalAccuracy',
  top_k_categorical_accuracy: 'topKCategoricalAccuracy',
  sparseTopKCategoricalAccuracy: 'sparseTopKCategoricalAccuracy',
  sparse_top_k_categorical_accuracy: 'sparseTopKCategoricalAccuracy',
  precision: 'precision',
  recall: 'recall',
  auc: 'auc',
  AUC: 'auc',
  meanSquaredError: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
};
