// The host tensor: values the user hands in or gets back (data sets, predictions, weights).
// The engine's own tensors live in WASM memory; this one is plain JavaScript memory plus a shape.

import { ShapeError, ValueError, describe } from './errors.js';

/** Element types a tensor can hold. */
export type DType = 'float32' | 'int32';

/** A typed array a tensor can wrap without copying. */
export type TensorData = Float32Array | Int32Array;

/** Nested JavaScript arrays of numbers, as `tensor([[1, 2], [3, 4]])` takes them. */
export type NestedArray = number | readonly NestedArray[];

/** Anything `fit`, `evaluate` and `predict` accept as data. */
export type TensorLike = Tensor | TensorData | NestedArray | Uint8Array | Float64Array;

/**
 * An n-dimensional array of float32 or int32 values in row-major order.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);   // shape [2, 2], float32
 * x.shape;                              // [2, 2]
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TensorData;

  constructor(data: TensorData, shape: readonly number[]) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(
        `tensor: shape must be an array of non-negative integers, received ` +
          `${Array.isArray(shape) ? `[${shape.join(', ')}]` : describe(shape)}.`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new ShapeError(
        `tensor: shape [${shape.join(', ')}] holds ${size} values but data has ${data.length}; pass a shape whose ` +
          `product is ${data.length}.`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = data instanceof Int32Array ? 'int32' : 'float32';
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of values. */
  get size(): number {
    return this.data.length;
  }

  /** A copy of the values as a flat typed array. */
  dataSync(): TensorData {
    return this.data.slice();
  }

  /** The values as nested JavaScript arrays. */
  array(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The same values under another shape (no copy); one dimension may be -1. */
  reshape(shape: readonly number[]): Tensor {
    const free = shape.filter((d) => d === -1).length;
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (free > 1 || (free === 1 && (known === 0 || this.size % known !== 0))) {
      throw new ShapeError(
        `reshape: cannot reshape ${this.size} values to ` +
          `[${shape.join(', ')}]` +
          `${free > 1 ? ': only one dimension may be -1' : `: ${this.size} is not a multiple of ${known}`}.`,
      );
    }
    const resolved = shape.map((d) => (d === -1 ? this.size / known : d));
    return new Tensor(this.data, resolved);
  }
}

function inferShape(values: NestedArray, argName: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (typeof level !== 'number' && !Array.isArray(level)) {
    throw new ValueError(
      `${argName}: expected numbers or nested arrays of numbers, received ${describe(level)} inside.`,
    );
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: number[], dim: number, out: number[], argName: string): void {
  if (dim === shape.length) {
    if (typeof values !== 'number') {
      throw new ShapeError(
        `${argName}: ragged nested array: expected a number at depth ${dim}, received ${describe(values)}; every row ` +
          `must have the same length.`,
      );
    }
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(
      `${argName}: ragged nested array: expected length ${shape[dim]} at depth ${dim}, received ${describe(values)}; ` +
        `every row must have the same length.`,
    );
  }
  for (const v of values as readonly NestedArray[]) flattenInto(v, shape, dim + 1, out, argName);
}

/**
 * Makes a tensor from a typed array (with a shape) or nested arrays (shape inferred).
 * Float32Array and Int32Array are wrapped without copying; other inputs are copied.
 *
 * @example
 * const x = tensor(new Float32Array(6), [2, 3]);
 * const y = tensor([0, 2, 1], undefined, 'int32');
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  return toTensor(values, 'tensor', shape, dtype);
}

/** Converts any accepted input to a Tensor; `argName` is used in errors. */
export function toTensor(values: TensorLike, argName: string, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    return shape ? values.reshape(shape) : values;
  }
  if (ArrayBuffer.isView(values)) {
    const typed = values as Float32Array | Int32Array | Uint8Array | Float64Array;
    const wanted: DType = dtype ?? (typed instanceof Int32Array || typed instanceof Uint8Array ? 'int32' : 'float32');
    let data: TensorData;
    if (wanted === 'float32') data = typed instanceof Float32Array ? typed : Float32Array.from(typed);
    else data = typed instanceof Int32Array ? typed : Int32Array.from(typed);
    return new Tensor(data, shape ?? [typed.length]);
  }
  if (typeof values === 'number' || Array.isArray(values)) {
    const inferred = inferShape(values, argName);
    const flat: number[] = [];
    flattenInto(values, inferred, 0, flat, argName);
    const data = dtype === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat);
    return new Tensor(data, shape ?? inferred);
  }
  throw new ValueError(
    `${argName}: expected a Tensor, a typed array or nested arrays of numbers, received ${describe(values)}.`,
  );
}
