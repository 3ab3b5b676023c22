// fit's training set copied into the backend's memory once per fit, so that every step gathers its
// shuffled batch inside the compiled program (graph/ops/gather.ts) instead of copying rows from
// JavaScript. Measured on the reference MLP at batch 128 on 2 threads: the JavaScript row copy into
// shared memory took ~71 µs a step and the batch's finiteness check ~13 µs, against a step of ~1.2 ms.
//
// The copy is taken per fit, not cached: a Tensor's data can be changed by the user between calls.
// A data set larger than RESIDENT_LIMIT_BYTES (or one the memory cannot grow for) is fed batch by
// batch instead (BatchWriter), with the same results.

import type { Backend, DeviceBuffer } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { nonFiniteSampleError } from './data.js';
import type { StepProgram } from './programs.js';

/** The largest data set (features, targets and weights) held in memory: a quarter of WASM's 4 GiB. */
export const RESIDENT_LIMIT_BYTES = 2 ** 30;

export class ResidentData {
  private constructor(
    private readonly backend: Backend,
    private readonly x: DeviceBuffer,
    private readonly y: DeviceBuffer,
    private readonly weights: DeviceBuffer | null,
  ) {}

  /**
   * Copies the training set into `backend`, and refuses a non-finite feature (naming the first
   * sample that has one). Returns null when the data set is too large to hold twice.
   */
  static create(
    backend: Backend,
    x: Tensor,
    y: Tensor,
    sampleWeight: Float32Array | null,
    xName: string,
    limitBytes = RESIDENT_LIMIT_BYTES,
  ): ResidentData | null {
    const xs = x.data as Float32Array;
    const bytes = xs.byteLength + y.data.byteLength + (sampleWeight?.byteLength ?? 0);
    if (bytes > limitBytes) return null;
    const made: DeviceBuffer[] = [];
    const copy = (data: Float32Array | Int32Array) => {
      const buffer = backend.upload(data);
      made.push(buffer);
      return buffer;
    };
    try {
      // Checked once, for the whole set, as it is copied, instead of once per batch.
      const { buffer: xBuffer, nonFinite } = backend.uploadCounting(xs);
      made.push(xBuffer);
      if (nonFinite > 0) throw nonFiniteSampleError(xs, xs.length / x.shape[0], null, 0, x.shape[0], xName);
      return new ResidentData(
        backend,
        xBuffer,
        copy(y.data as Float32Array | Int32Array),
        sampleWeight ? copy(sampleWeight) : null,
      );
    } catch (error) {
      for (const b of made) backend.disposeBuffer(b);
      // Out of WASM memory: fall back to feeding batches.
      if (error instanceof RangeError) return null;
      throw error;
    }
  }

  /** Binds this data to a resident program and feeds it the rows `order[start … start+batch)`. */
  feed(program: StepProgram, order: Int32Array, start: number): void {
    const fed = program.resident!;
    // Bound per step, not once: two fits that take turns on one model's programs each read their own data.
    fed.x.buffer = this.x;
    fed.y.buffer = this.y;
    if (fed.sampleWeight) fed.sampleWeight.buffer = this.weights;
    program.graph.write(fed.rows, order.subarray(start, start + program.batch));
  }

  /** Frees the copies and unbinds the programs that used them. */
  dispose(programs: readonly StepProgram[]): void {
    for (const p of programs) {
      const fed = p.resident;
      if (!fed) continue;
      if (fed.x.buffer === this.x) fed.x.buffer = null;
      if (fed.y.buffer === this.y) fed.y.buffer = null;
      if (fed.sampleWeight && fed.sampleWeight.buffer === this.weights) fed.sampleWeight.buffer = null;
    }
    this.backend.disposeBuffer(this.x);
    this.backend.disposeBuffer(this.y);
    if (this.weights) this.backend.disposeBuffer(this.weights);
  }
}
