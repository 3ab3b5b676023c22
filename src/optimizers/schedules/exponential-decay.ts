// η(t) = η₀ · r^(t/s), with t/s floored when `staircase` (Keras's ExponentialDecay).

import {
  LearningRateSchedule,
  booleanOption,
  learningRateOption,
  optionsObject,
  positiveNumber,
  type ScheduleConfigValue,
} from './schedule.js';

export interface ExponentialDecayArgs {
  /** η₀, the rate of step 0. */
  initialLearningRate: number;
  /** s: the rate is multiplied by `decayRate` every `decaySteps` steps. */
  decaySteps: number;
  /** r > 0 (below 1 to decay). */
  decayRate: number;
  /** Decay in whole intervals of `decaySteps` (default false). */
  staircase?: boolean;
}

export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: ExponentialDecayArgs) {
    super();
    const where = 'exponentialDecay';
    optionsObject(args, where, '{ initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.96 }');
    this.initialLearningRate = learningRateOption(args.initialLearningRate, where, 'initialLearningRate');
    this.decaySteps = positiveNumber(args.decaySteps, where, 'decaySteps', {
      hint: 'It is the number of steps over which the rate is multiplied by decayRate.',
    });
    this.decayRate = positiveNumber(args.decayRate, where, 'decayRate', {
      hint: 'Use a factor such as 0.96 (below 1 decays).',
    });
    this.staircase = booleanOption(args.staircase, where, 'staircase', false);
  }

  at(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

/**
 * Exponential decay: η(t) = η₀ · decayRate^(t / decaySteps), the exponent floored when `staircase`.
 *
 * @example
 * optimizers.sgd({
 *   learningRate: schedules.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 20 * 1719, decayRate: 0.1 }),
 * });
 */
export function exponentialDecay(args: ExponentialDecayArgs): ExponentialDecay {
  return new ExponentialDecay(args);
}
