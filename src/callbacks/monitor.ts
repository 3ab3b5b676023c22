// What the monitoring callbacks (earlyStopping, reduceLROnPlateau) share: the direction of a
// quantity, reading it from the epoch logs, and checks of their options.

import { ValueError, describe } from '../errors.js';
import type { Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

// Fragments of metric names whose larger values are better. Everything else (losses, errors,
// false-positive counts, the learning rate) is better smaller.
const HIGHER_IS_BETTER = [
  'acc',
  'auc',
  'precision',
  'recall',
  'f1',
  'fbeta',
  'iou',
  'r2',
  'cosinesimilarity',
  'truepositives',
  'truenegatives',
];

/**
 * The direction of `mode` for `monitor`: 'auto' reads the name without its `val` prefix, and picks
 * 'max' for accuracy-like names (accuracy, auc, precision, recall…), 'min' otherwise (losses).
 */
export function directionOf(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = monitor.replace(/^val(_|(?=[A-Z]))/, '').toLowerCase();
  return HIGHER_IS_BETTER.some((f) => name.includes(f)) ? 'max' : 'min';
}

/** The monitored figure; an error listing the available ones when the logs lack it. */
export function monitorValue(logs: Logs, monitor: string, where: string): number {
  const value = logs[monitor];
  if (typeof value === 'number') return value;
  const keys = Object.keys(logs);
  const hint =
    monitor.startsWith('val') && !keys.some((k) => k.startsWith('val'))
      ? 'pass validationData to fit to get val* figures, or monitor'
      : 'monitor';
  throw new ValueError(
    `${where}: monitor ${JSON.stringify(monitor)} is not in the epoch logs, which have: ` +
      `${keys.join(', ') || '(nothing)'}; ${hint} one of those.`,
  );
}

export function checkMonitor(value: unknown, where: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0)
    throw new ValueError(
      `${where}: monitor must be the name of a logged figure such as 'valLoss' or 'accuracy', received ` +
        `${describe(value)}.`,
    );
  return value;
}

export function checkMode(value: unknown, where: string): MonitorMode {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== 'min' && value !== 'max')
    throw new ValueError(`${where}: mode must be 'auto', 'min' or 'max', received ${describe(value)}.`);
  return value;
}

export function nonNegativeInteger(value: unknown, where: string, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new ValueError(
      `${where}: ${name} must be an integer >= 0 (a number of epochs), received ${describe(value)}.`,
    );
  return value;
}

export function nonNegativeNumber(value: unknown, where: string, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ValueError(`${where}: ${name} must be a finite number >= 0, received ${describe(value)}.`);
  return value;
}

export function optionsObject<T>(value: T | undefined, where: string, example: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValueError(`${where}: expected an options object such as ${example}, received ${describe(value)}.`);
  return value;
}
