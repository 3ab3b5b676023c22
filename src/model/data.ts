// Turning what the user passes to fit / evaluate / predict into checked tensors, and copying batches
// of them into a program's input buffers (row copies: no per-element JavaScript).

import { ShapeError, ValueError, describe } from '../errors.js';
import { formatShape } from '../graph/op.js';
import type { Loss } from '../losses/losses.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';
import type { StepProgram } from './programs.js';

/**
 * Converts features to float32 and checks their shape. Finiteness is checked in WASM, not here: by
 * fit once its training set is copied in (ResidentData), else batch by batch as batches are copied
 * in (BatchWriter), so a large data set is not scanned in JavaScript.
 */
export function featuresOf(x: TensorLike, argName: string): Tensor {
  if (x === undefined || x === null)
    throw new ValueError(
      `${argName}: expected features (a Tensor, typed array or nested arrays), received ${describe(x)}.`,
    );
  const t = toTensor(x, argName, undefined, 'float32');
  if (t.rank < 2) {
    throw new ShapeError(
      `${argName}: expected a batch of samples with shape [samples, …features], received shape ` +
        `${formatShape(t.shape)}; for a single sample wrap it in an array, or pass a shape to tensor().`,
    );
  }
  if (t.shape[0] === 0) throw new ValueError(`${argName}: no samples (shape ${formatShape(t.shape)}).`);
  return t;
}

/** Checks targets against the loss and converts sparse labels to int32 [samples]. */
export function targetsOf(
  y: TensorLike,
  loss: Loss,
  outputShape: readonly number[],
  samples: number,
  argName: string,
  xName: string,
): Tensor {
  if (y === undefined || y === null) throw new ValueError(`${argName}: expected targets, received ${describe(y)}.`);
  const t = toTensor(y, argName);
  loss.validateTargets(t, outputShape, argName);
  if (t.shape[0] !== samples) {
    throw new ShapeError(
      `${xName} and ${argName} have different lengths: ${samples} samples against ${t.shape[0]} targets; pass one ` +
        `target per sample.`,
    );
  }
  if (loss.labels === 'sparse') {
    return t.data instanceof Int32Array && t.rank === 1 ? t : new Tensor(Int32Array.from(t.data), [samples]);
  }
  return t.data instanceof Float32Array ? t : new Tensor(Float32Array.from(t.data), t.shape);
}

/** Checks that samples have the model's input shape. */
export function checkInputShape(x: Tensor, inputShape: readonly number[], argName: string, firstLayer: string): void {
  const sample = x.shape.slice(1);
  if (sample.length === inputShape.length && sample.every((d, i) => d === inputShape[i])) return;
  const wanted = inputShape.reduce((a, b) => a * b, 1);
  const have = sample.reduce((a, b) => a * b, 1);
  const hint =
    wanted === have
      ? inputShape.length === 1
        ? `: flatten each sample (x.reshape([-1, ${wanted}])) or start the model with layers.flatten({ inputShape: ` +
          `${formatShape(sample)} })`
        : `: reshape the data to ${formatShape([null, ...inputShape])}`
      : '';
  throw new ShapeError(
    `${firstLayer} expects input ${formatShape([null, ...inputShape])}, received ${argName} of shape ` +
      `${formatShape(x.shape)}${hint}.`,
  );
}

/**
 * Copies the samples `order[start … start+batch)` (or the contiguous range) into a program's inputs,
 * and refuses a batch with a NaN or infinite feature before it reaches the kernels.
 */
export class BatchWriter {
  private readonly labels: Int32Array | null;

  constructor(
    private readonly program: StepProgram,
    private readonly x: Tensor,
    private readonly y: Tensor | null,
    private readonly xName = 'x',
    private readonly sampleWeight: Float32Array | null = null,
  ) {
    this.labels = y && y.dtype === 'int32' ? new Int32Array(program.batch) : null;
    this.weights = sampleWeight && program.sampleWeight ? new Float32Array(program.batch) : null;
  }

  private readonly weights: Float32Array | null;

  write(order: Int32Array | null, start: number): void {
    const { graph, input, target, batch } = this.program;
    const xs = this.x.data as Float32Array;
    const per = xs.length / this.x.shape[0];
    if (!order) graph.write(input, xs.subarray(start * per, (start + batch) * per));
    else graph.writeRows(input, xs, order, start, batch, per);
    if (graph.countNonFinite(input) > 0) this.reportNonFinite(order, start);
    if (this.sampleWeight && this.program.sampleWeight) {
      if (!order) graph.write(this.program.sampleWeight, this.sampleWeight.subarray(start, start + batch));
      else {
        for (let i = 0; i < batch; i++) this.weights![i] = this.sampleWeight[order[start + i]];
        graph.write(this.program.sampleWeight, this.weights!);
      }
    }
    if (!this.y || !target) return;
    const ys = this.y.data;
    if (this.labels) {
      const labels = ys as Int32Array;
      if (!order) graph.write(target, labels.subarray(start, start + batch));
      else {
        for (let i = 0; i < batch; i++) this.labels[i] = labels[order[start + i]];
        graph.write(target, this.labels);
      }
    } else {
      const rows = ys as Float32Array;
      const width = rows.length / this.y.shape[0];
      if (!order) graph.write(target, rows.subarray(start * width, (start + batch) * width));
      else graph.writeRows(target, rows, order, start, batch, width);
    }
  }

  /** Names the sample and feature of the first bad value in the batch (only on the error path). */
  private reportNonFinite(order: Int32Array | null, start: number): never {
    const xs = this.x.data as Float32Array;
    throw nonFiniteSampleError(xs, xs.length / this.x.shape[0], order, start, this.program.batch, this.xName);
  }
}

/**
 * The error for the first sample of `order[start … start+count)` (or of the range from `start`) that
 * has a NaN or infinite feature (only on the error path).
 */
export function nonFiniteSampleError(
  xs: Float32Array,
  per: number,
  order: Int32Array | null,
  start: number,
  count: number,
  xName: string,
): ValueError {
  for (let i = 0; i < count; i++) {
    const r = order ? order[start + i] : start + i;
    const at = firstNonFinite(xs, r * per, (r + 1) * per);
    if (at >= 0) {
      return new ValueError(
        `${xName}: sample ${r} has ${describe(xs[at])} at feature ${at - r * per}; features must be finite: clean or ` +
          `impute the data first.`,
      );
    }
  }
  throw new Error('simdnet internal: a non-finite value the batch does not hold');
}

function firstNonFinite(data: Float32Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** Checks an option that must be a positive integer. */
export function positiveIntegerOption(value: unknown, argName: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${argName}: expected a positive integer, received ${describe(value)}.`);
  }
  return value;
}
