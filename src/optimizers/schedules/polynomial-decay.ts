// η(t) = (η₀ − η_end) · (1 − t/s)^p + η_end, t capped at s; with `cycle`, s grows to the first
// multiple of decaySteps at or above t instead (Keras's PolynomialDecay).

import {
  LearningRateSchedule,
  booleanOption,
  learningRateOption,
  optionsObject,
  positiveNumber,
  type ScheduleConfigValue,
} from './schedule.js';

export interface PolynomialDecayArgs {
  /** η₀, the rate of step 0. */
  initialLearningRate: number;
  /** s, the steps over which the rate goes from η₀ to η_end. */
  decaySteps: number;
  /** η_end (default 0.0001). */
  endLearningRate?: number;
  /** p > 0 (default 1: linear). */
  power?: number;
  /** Restart the decay every decaySteps steps, from a rate that itself decays (default false). */
  cycle?: boolean;
}

export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  constructor(args: PolynomialDecayArgs) {
    super();
    const where = 'polynomialDecay';
    optionsObject(args, where, '{ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.001 }');
    this.initialLearningRate = learningRateOption(args.initialLearningRate, where, 'initialLearningRate');
    this.decaySteps = positiveNumber(args.decaySteps, where, 'decaySteps', {
      hint: 'It is the number of steps over which the rate reaches endLearningRate.',
    });
    this.endLearningRate = positiveNumber(args.endLearningRate, where, 'endLearningRate', {
      fallback: 0.0001,
      allowZero: true,
    });
    this.power = positiveNumber(args.power, where, 'power', {
      fallback: 1,
      hint: 'It is the exponent of (1 − t/decaySteps); 1 decays linearly.',
    });
    this.cycle = booleanOption(args.cycle, where, 'cycle', false);
  }

  at(step: number): number {
    let t = step;
    let s = this.decaySteps;
    if (this.cycle) s *= t === 0 ? 1 : Math.ceil(t / s);
    else t = Math.min(t, s);
    return (this.initialLearningRate - this.endLearningRate) * (1 - t / s) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
    };
  }
}

/**
 * Polynomial decay from `initialLearningRate` to `endLearningRate` over `decaySteps` steps.
 *
 * @example
 * schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 });
 */
export function polynomialDecay(args: PolynomialDecayArgs): PolynomialDecay {
  return new PolynomialDecay(args);
}
