// Target checks shared by the losses: each names the argument, what was expected, what was received,
// and the fix.

import { ShapeError, ValueError, describe } from '../errors.js';
import { formatShape } from '../graph/op.js';
import type { Tensor } from '../tensor.js';

/** The output must be [batch, units] (what every loss kernel works on). */
export function requireFlatOutput(lossName: string, outputShape: readonly number[]): number {
  if (outputShape.length !== 1) {
    throw new ShapeError(
      `loss ${lossName}: the model's output must be [batch, units], it is ${formatShape([null, ...outputShape])}; ` +
        `add layers.flatten() before the last dense layer.`,
    );
  }
  return outputShape[0];
}

export function validateSparse(y: Tensor, classes: number, argName: string): void {
  const shape = y.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    const hint =
      shape.length === 2 && shape[1] === classes
        ? ` They look one-hot: use loss 'categoricalCrossentropy', or pass class indices.`
        : '';
    throw new ShapeError(
      `${argName}: sparseCategoricalCrossentropy expects class indices of shape [samples], received ` +
        `${formatShape(shape)}.${hint}`,
    );
  }
  const data = y.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) {
      throw new ValueError(
        `${argName}: sparseCategoricalCrossentropy expects integer class indices, received ${describe(v)} at index ` +
          `${i}.`,
      );
    }
    if (v < 0 || v >= classes) {
      throw new ValueError(
        `${argName}: label ${v} at index ${i} is out of range for ${classes} classes (expected 0 to ${classes - 1}); ` +
          `check the labels or give the last layer more units.`,
      );
    }
  }
}

export function validateOneHot(y: Tensor, classes: number, argName: string): void {
  if (y.shape.length !== 2 || y.shape[1] !== classes) {
    const hint =
      y.shape.length === 1
        ? ` They look like class indices: use loss 'sparseCategoricalCrossentropy', or one-hot encode them ` +
          `(toCategorical(y, ${classes})).`
        : '';
    throw new ShapeError(
      `${argName}: categoricalCrossentropy expects one-hot targets of shape [samples, ${classes}], received ` +
        `${formatShape(y.shape)}.${hint}`,
    );
  }
  requireFinite(y, classes, argName);
}

/**
 * Targets of an elementwise loss must have the output's shape: [samples, units], or [samples] when
 * the output has one unit.
 */
export function validateSameShape(y: Tensor, units: number, lossName: string, argName: string, hint: string): void {
  const s = y.shape;
  const fits = (s.length === 2 && s[1] === units) || (units === 1 && s.length === 1);
  if (!fits) {
    throw new ShapeError(
      `${argName}: ${lossName} expects targets of the output's shape [samples, ${units}], received ` +
        `${formatShape(s)}${hint}.`,
    );
  }
  requireFinite(y, units, argName);
}

export function requireFinite(y: Tensor, width: number, argName: string): void {
  const data = y.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new ValueError(
        `${argName}: targets must be finite, received ${describe(data[i])} at row ${Math.floor(i / width)}.`,
      );
    }
  }
}

/** Checks an option that must be a number in [lo, hi] (undefined gives the default). */
export function numberInRange(
  value: unknown,
  argName: string,
  lo: number,
  hi: number,
  fallback: number,
  fix: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw new ValueError(`${argName}: expected a number in [${lo}, ${hi}], received ${describe(value)}; ${fix}.`);
  }
  return value;
}

export function booleanOption(value: unknown, argName: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ValueError(`${argName}: expected true or false, received ${describe(value)}.`);
  return value;
}

export function optionsObject<T>(value: T | undefined, fn: string, example: string): T | Record<string, never> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueError(`${fn}: expected an options object such as ${example}, received ${describe(value)}.`);
  }
  return value;
}
