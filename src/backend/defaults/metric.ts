// Placeholder until this family's defaults land (being written now).
import type { MetricCall } from '../calls/metric.js';
import type { Defaults } from './types.js';

export const metricDefaults = {} as Defaults<MetricCall>;
