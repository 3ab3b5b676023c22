// The schedule base: a learning rate as a function of the optimizer's step (0 for the first step), as
// Keras's LearningRateSchedule. The optimizer evaluates it on the host before every step and writes the
// result into the scalar its update kernels read, so a schedule never recompiles anything.

import { ValueError, describe } from '../../errors.js';

/** A value in a schedule's configuration. */
export type ScheduleConfigValue = number | boolean | null | readonly number[];

export abstract class LearningRateSchedule {
  abstract readonly className: string;

  /** η for optimizer step `step` (0, 1, 2… counted over the whole of training). */
  abstract at(step: number): number;

  abstract getConfig(): Record<string, ScheduleConfigValue>;
}

/** A user function of the step, `(step) => rate`, as a schedule. */
export class FunctionSchedule extends LearningRateSchedule {
  readonly className = 'FunctionSchedule';

  constructor(private readonly fn: (step: number) => number) {
    super();
    if (typeof fn !== 'function')
      throw new ValueError(`learningRate: expected a function (step) => rate, received ${describe(fn)}.`);
  }

  at(step: number): number {
    return this.fn(step);
  }

  getConfig(): Record<string, ScheduleConfigValue> {
    return {};
  }
}

// Argument checks shared by the schedules. `where` names the schedule in messages.

export function optionsObject<T>(args: T, where: string, example: string): T {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new ValueError(`${where}: expected an options object such as ${example}, received ${describe(args)}.`);
  }
  return args;
}

/** A finite number > 0 (or >= 0 when `allowZero`); `fallback` when undefined (required when no fallback). */
export function positiveNumber(
  value: unknown,
  where: string,
  name: string,
  options: { fallback?: number; allowZero?: boolean; hint?: string } = {},
): number {
  if (value === undefined && options.fallback !== undefined) return options.fallback;
  const zeroOk = options.allowZero ?? false;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    const hint = options.hint ? ` ${options.hint}` : '';
    throw new ValueError(
      `${where}: ${name} must be a finite number ${zeroOk ? '>= 0' : '> 0'}, received ${describe(value)}.${hint}`,
    );
  }
  return value;
}

export function learningRateOption(value: unknown, where: string, name: string): number {
  return positiveNumber(value, where, name, { allowZero: true, hint: `Pass the rate of step 0, e.g. ${name}: 0.01.` });
}

export function booleanOption(value: unknown, where: string, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ValueError(`${where}: ${name} must be true or false, received ${describe(value)}.`);
  return value;
}
