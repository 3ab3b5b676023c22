// η(t) = η₀ / (1 + r · t/s), with t/s floored when `staircase` (Keras's InverseTimeDecay).

import {
  LearningRateSchedule,
  booleanOption,
  learningRateOption,
  optionsObject,
  positiveNumber,
  type ScheduleConfigValue,
} from './schedule.js';

export interface InverseTimeDecayArgs {
  /** η₀, the rate of step 0. */
  initialLearningRate: number;
  /** s, the step count that one unit of `decayRate` stands for. */
  decaySteps: number;
  /** r > 0. */
  decayRate: number;
  /** Decay in whole intervals of `decaySteps` (default false). */
  staircase?: boolean;
}

export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: InverseTimeDecayArgs) {
    super();
    const where = 'inverseTimeDecay';
    optionsObject(args, where, '{ initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.5 }');
    this.initialLearningRate = learningRateOption(args.initialLearningRate, where, 'initialLearningRate');
    this.decaySteps = positiveNumber(args.decaySteps, where, 'decaySteps', {
      hint: 'It is the step count that one unit of decayRate stands for.',
    });
    this.decayRate = positiveNumber(args.decayRate, where, 'decayRate', {
      hint: 'After decaySteps steps the rate is initialLearningRate / (1 + decayRate); decayRate: 1 halves it.',
    });
    this.staircase = booleanOption(args.staircase, where, 'staircase', false);
  }

  at(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
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
 * Inverse time decay: η(t) = η₀ / (1 + decayRate · t / decaySteps), t / decaySteps floored when `staircase`.
 *
 * @example
 * optimizers.sgd({
 *   learningRate: schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5 }),
 * });
 */
export function inverseTimeDecay(args: InverseTimeDecayArgs): InverseTimeDecay {
  return new InverseTimeDecay(args);
}
