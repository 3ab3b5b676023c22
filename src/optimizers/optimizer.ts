// The optimizer base: owns the learning rate (read by the update kernels when a step runs, so a
// schedule can change it without recompiling) and turns (variable, gradient) pairs into update nodes.

import type { HostScalar } from '../backend/backend.js';
import { ValueError, describe } from '../errors.js';
import type { Node, SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';
import { FunctionSchedule, LearningRateSchedule } from './schedules/schedule.js';

/** A constant rate, a schedule (`schedules.exponentialDecay(…)`), or a function of the step. */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

export interface GradientPair {
  readonly variable: Variable;
  readonly grad: SymbolicTensor;
}

export abstract class Optimizer {
  abstract readonly className: string;
  /** Read by the update kernels at run time; set by prepareStep() before every step. */
  protected readonly rate: HostScalar;
  /** Steps taken (the step a schedule sees is this count before the step). */
  iterations = 0;
  /** Keras 2's legacy time decay: η_t = η(t) / (1 + decay·t). */
  readonly decay: number;
  private schedule: LearningRateSchedule | null = null;
  private constantRate = 0;

  constructor(learningRate: LearningRate, decay = 0) {
    if (typeof decay !== 'number' || !Number.isFinite(decay) || decay < 0) {
      throw new ValueError(`decay: expected a finite number >= 0 (η / (1 + decay·step)), received ${describe(decay)}.`);
    }
    this.decay = decay;
    if (learningRate instanceof LearningRateSchedule) this.schedule = learningRate;
    else if (typeof learningRate === 'function') this.schedule = new FunctionSchedule(learningRate);
    else this.constantRate = checkLearningRate(learningRate);
    // Until fit's first prepareStep(), hold the rate of step 0 when the schedule gives a valid one.
    const first = this.schedule ? this.schedule.at(0) : this.constantRate;
    this.rate = { value: typeof first === 'number' && Number.isFinite(first) && first >= 0 ? first : 0 };
  }

  /**
   * The rate the next step will use: the schedule (or constant) at `iterations`, divided by
   * 1 + decay·iterations. Setting it replaces a schedule with a constant (as Keras 2 did) that the
   * legacy `decay` keeps decaying from this value.
   */
  get learningRate(): number {
    return this.rateAt(this.iterations);
  }

  set learningRate(value: number) {
    const rate = checkLearningRate(value);
    this.schedule = null;
    this.constantRate = rate * (1 + this.decay * this.iterations);
    this.rate.value = rate;
  }

  /** The schedule driving the rate, or null for a constant rate. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.schedule;
  }

  /**
   * Sets the rate for the step about to run (called by fit before every step). Throws when a schedule
   * gives a rate that is not a finite number >= 0, naming the step and (when given) the epoch.
   */
  prepareStep(epoch?: number): void {
    const step = this.iterations;
    const value = this.rateAt(step);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      const when = epoch === undefined ? `step ${step}` : `step ${step} (epoch ${epoch + 1})`;
      throw new ValueError(`learningRate: the schedule (${this.schedule?.className ?? 'constant'}) gave ${describe(value)} at ${when}; a learning rate must be a finite number >= 0. Fix the schedule so that it stays finite and non-negative.`);
    }
    this.rate.value = value;
  }

  /** Counts a finished step (called by fit after every step). */
  finishStep(): void {
    this.iterations++;
  }

  /** η before the legacy decay, for getConfig (a schedule's current value: schedules are saved with save/load). */
  protected get baseLearningRate(): number {
    return this.schedule ? this.schedule.at(this.iterations) : this.constantRate;
  }

  private rateAt(step: number): number {
    const base = this.schedule ? this.schedule.at(step) : this.constantRate;
    return this.decay > 0 ? base / (1 + this.decay * step) : base;
  }

  /** The update nodes for one step. */
  abstract applyGradients(pairs: readonly GradientPair[]): Node[];

  abstract getConfig(): Record<string, number | boolean>;
}

export function checkLearningRate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`learningRate: expected a finite number >= 0, received ${describe(value)}.`);
  }
  return value;
}
