// Power scheduling: η(t) = η₀ / (1 + t/s)^c. With c = 1 it is the legacy `decay` option (decay = 1/s).

import {
  LearningRateSchedule,
  learningRateOption,
  optionsObject,
  positiveNumber,
  type ScheduleConfigValue,
} from './schedule.js';

export interface PowerDecayArgs {
  /** η₀, the rate of step 0. */
  initialLearningRate: number;
  /** s: after s steps the rate is η₀ / 2^c, after 2s steps η₀ / 3^c… */
  decaySteps: number;
  /** c > 0 (default 1). */
  power?: number;
}

export class PowerDecay extends LearningRateSchedule {
  readonly className = 'PowerDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly power: number;

  constructor(args: PowerDecayArgs) {
    super();
    const where = 'powerDecay';
    optionsObject(args, where, '{ initialLearningRate: 0.01, decaySteps: 10000, power: 1 }');
    this.initialLearningRate = learningRateOption(args.initialLearningRate, where, 'initialLearningRate');
    this.decaySteps = positiveNumber(args.decaySteps, where, 'decaySteps', {
      hint: 'It is s in η₀ / (1 + t/s)^c: after s steps the rate is η₀ / 2^c.',
    });
    this.power = positiveNumber(args.power, where, 'power', {
      fallback: 1,
      hint: 'It is c in η₀ / (1 + t/s)^c (usually 1).',
    });
  }

  at(step: number): number {
    return this.initialLearningRate / (1 + step / this.decaySteps) ** this.power;
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, power: this.power };
  }
}

/**
 * Power scheduling: η(t) = η₀ / (1 + t / decaySteps)^power.
 *
 * @example
 * optimizers.sgd({ learningRate: schedules.powerDecay({ initialLearningRate: 0.01, decaySteps: 10000, power: 1 }) });
 */
export function powerDecay(args: PowerDecayArgs): PowerDecay {
  return new PowerDecay(args);
}
