// Argument checks shared by the optimizers: each names the optimizer and the argument, the range
// expected and the value received.

import { ValueError, describe } from '../errors.js';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A number in [0, 1) (momentum, β1, β2, ρ). */
export function checkUnit(owner: string, name: string, value: unknown): number {
  if (!isNumber(value) || value < 0 || value >= 1) {
    throw new ValueError(`${owner}: ${name} must be a number in [0, 1), received ${describe(value)}.`);
  }
  return value;
}

/** A finite number > 0 (ε, clip thresholds). */
export function checkPositive(owner: string, name: string, value: unknown, hint = ''): number {
  if (!isNumber(value) || value <= 0) {
    throw new ValueError(`${owner}: ${name} must be a finite number > 0, received ${describe(value)}.${hint}`);
  }
  return value;
}

/** A finite number >= 0 (weight decay, initial accumulator). */
export function checkNonNegative(owner: string, name: string, value: unknown): number {
  if (!isNumber(value) || value < 0) {
    throw new ValueError(`${owner}: ${name} must be a finite number >= 0, received ${describe(value)}.`);
  }
  return value;
}

export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ValueError(`${owner}: ${name} must be true or false, received ${describe(value)}.`);
  return value;
}

/** The options object itself. */
export function checkArgs<T extends object>(owner: string, args: unknown, example: string): T {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new ValueError(`${owner}: expected an options object such as ${example}, received ${describe(args)}.`);
  }
  return args as T;
}
