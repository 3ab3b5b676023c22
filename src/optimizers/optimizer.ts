// The optimizer base: owns the learning rate (read by the update kernels when a step runs, so a
// schedule can change it without recompiling) and turns (variable, gradient) pairs into update nodes.

import type { HostScalar } from '../backend/backend.js';
import { ValueError, describe } from '../errors.js';
import type { Node, SymbolicTensor } from '../graph/tensor.js';
import type { Variable } from '../graph/variable.js';

export interface GradientPair {
  readonly variable: Variable;
  readonly grad: SymbolicTensor;
}

export abstract class Optimizer {
  abstract readonly className: string;
  /** Read by the update kernels at run time. */
  protected readonly rate: HostScalar;
  /** Steps taken. */
  iterations = 0;

  constructor(learningRate: number) {
    this.rate = { value: checkLearningRate(learningRate) };
  }

  get learningRate(): number {
    return this.rate.value;
  }

  set learningRate(value: number) {
    this.rate.value = checkLearningRate(value);
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
