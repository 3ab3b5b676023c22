// Cosine decay with an optional linear warm-up, as Keras 3's CosineDecay:
//   warm-up (t < w):  η(t) = η₀ + (η_target − η₀) · t/w
//   decay:            η(t) = η_from · ((1 − α) · ½(1 + cos(π·d/s)) + α),  d = min(t − w, s)
// where η_from is η_target with a warm-up and η₀ without (then w = 0).

import { ValueError, describe } from '../../errors.js';
import {
  LearningRateSchedule,
  learningRateOption,
  optionsObject,
  positiveNumber,
  type ScheduleConfigValue,
} from './schedule.js';

export interface CosineDecayArgs {
  /** η₀: the rate of step 0 (the start of the warm-up when there is one). */
  initialLearningRate: number;
  /** s, the steps of the cosine decay (after the warm-up). */
  decaySteps: number;
  /** α in [0, 1]: the final rate as a fraction of the decayed-from rate (default 0). */
  alpha?: number;
  /** The rate reached at the end of the warm-up, where the decay starts; none by default. */
  warmupTarget?: number | null;
  /** w, the warm-up's steps (default 0). */
  warmupSteps?: number;
}

export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(args: CosineDecayArgs) {
    super();
    const where = 'cosineDecay';
    optionsObject(args, where, '{ initialLearningRate: 0.1, decaySteps: 10000 }');
    this.initialLearningRate = learningRateOption(args.initialLearningRate, where, 'initialLearningRate');
    this.decaySteps = positiveNumber(args.decaySteps, where, 'decaySteps', {
      hint: 'It is the length of the cosine decay, in steps.',
    });
    const alpha = args.alpha ?? 0;
    if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
      throw new ValueError(
        `${where}: alpha must be a number in [0, 1] (the final rate as a fraction of the initial one), received ` +
          `${describe(args.alpha)}.`,
      );
    }
    this.alpha = alpha;
    this.warmupTarget =
      args.warmupTarget === undefined || args.warmupTarget === null
        ? null
        : learningRateOption(args.warmupTarget, where, 'warmupTarget');
    this.warmupSteps = positiveNumber(args.warmupSteps, where, 'warmupSteps', { fallback: 0, allowZero: true });
    if (this.warmupTarget === null && this.warmupSteps > 0) {
      throw new ValueError(
        `${where}: warmupSteps is ${this.warmupSteps} but warmupTarget is not set; pass warmupTarget (the rate ` +
          `reached at the end of the warm-up), or drop warmupSteps.`,
      );
    }
  }

  at(step: number): number {
    if (this.warmupTarget === null) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const t = Math.min(step, this.decaySteps + this.warmupSteps);
    if (t < this.warmupSteps)
      return (this.warmupTarget - this.initialLearningRate) * (t / this.warmupSteps) + this.initialLearningRate;
    return this.decayed(t - this.warmupSteps, this.warmupTarget);
  }

  private decayed(d: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * d) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

/**
 * Cosine decay (SGDR without restarts), with an optional linear warm-up from `initialLearningRate`
 * to `warmupTarget` over `warmupSteps` steps.
 *
 * @example
 * schedules.cosineDecay({
 *   initialLearningRate: 0,
 *   decaySteps: 9000,
 *   warmupTarget: 0.1,
 *   warmupSteps: 1000,
 *   alpha: 0.01,
 * });
 */
export function cosineDecay(args: CosineDecayArgs): CosineDecay {
  return new CosineDecay(args);
}
