// Constant rates between step boundaries: values[0] while t <= boundaries[0], values[i] while
// boundaries[i-1] < t <= boundaries[i], and the last value after the last boundary (Keras's
// PiecewiseConstantDecay).

import { ValueError, describe } from '../../errors.js';
import { LearningRateSchedule, optionsObject, type ScheduleConfigValue } from './schedule.js';

export interface PiecewiseConstantDecayArgs {
  /** Steps where the rate changes, strictly increasing. */
  boundaries: readonly number[];
  /** One more rate than boundaries. */
  values: readonly number[];
}

export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const where = 'piecewiseConstantDecay';
    optionsObject(args, where, '{ boundaries: [5, 15], values: [0.01, 0.005, 0.001] }');
    const { boundaries, values } = args;
    if (!Array.isArray(boundaries) || !boundaries.every((b) => typeof b === 'number' && Number.isFinite(b))) {
      throw new ValueError(
        `${where}: boundaries must be an array of finite step numbers, received ${describe(boundaries)}.`,
      );
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i] > boundaries[i - 1])) {
        throw new ValueError(
          `${where}: boundaries must be strictly increasing, received ${boundaries[i - 1]} then ${boundaries[i]} at ` +
            `index ${i}; sort them and remove duplicates.`,
        );
      }
    }
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new ValueError(
        `${where}: values must be an array of finite learning rates >= 0, received ` +
          `${describe(values)}${Array.isArray(values) ? ` [${values.join(', ')}]` : ''}.`,
      );
    }
    if (values.length !== boundaries.length + 1) {
      throw new ValueError(
        `${where}: values must have one more entry than boundaries (${boundaries.length} boundaries need ` +
          `${boundaries.length + 1} values), received ${values.length}.`,
      );
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
  }

  at(step: number): number {
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]) i++;
    return this.values[i];
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return { boundaries: this.boundaries, values: this.values };
  }
}

/**
 * Piecewise constant rates: `values[i]` for steps in (boundaries[i−1], boundaries[i]].
 *
 * @example
 * // 0.01 for steps 0..5000, 0.005 up to step 10000, then 0.001.
 * schedules.piecewiseConstantDecay({ boundaries: [5000, 10000], values: [0.01, 0.005, 0.001] });
 */
export function piecewiseConstantDecay(args: PiecewiseConstantDecayArgs): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(args);
}
