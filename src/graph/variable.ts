// A variable: a persistent tensor in backend memory (a weight, an optimizer slot) that programs read
// and update in place.

import type { Backend, DeviceBuffer } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { SymbolicTensor } from './tensor.js';
import { formatShape } from './op.js';

/** Penalty factors of a weight regularizer: l1·Σ|w| + l2·Σw². */
export interface RegularizerFactors {
  readonly l1: number;
  readonly l2: number;
}

export class Variable {
  private home: Backend;
  private storage: DeviceBuffer;
  /** Added to the loss, its gradient fused into the update (kernelRegularizer, biasRegularizer). */
  regularizer: RegularizerFactors | null = null;
  readonly size: number;
  /** The symbolic handle graphs use to read this variable. */
  readonly symbolic: SymbolicTensor;

  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    initial: Float32Array,
    public trainable = true,
  ) {
    this.home = getBackend();
    this.size = shape.reduce((a, b) => a * b, 1);
    this.storage = this.home.createBuffer(this.size * 4);
    this.symbolic = new SymbolicTensor(shape, 'float32', { kind: 'variable', variable: this });
    this.assign(new Tensor(initial, shape));
  }

  /** The backend holding the value. */
  get backend(): Backend {
    return this.home;
  }

  /** Where the value lives on `backend`. */
  get buffer(): DeviceBuffer {
    return this.storage;
  }

  /**
   * Moves the value to another backend (after configureBackend): copied over, then released on the
   * old one. Programs compiled before the move must not run again (the model recompiles them).
   */
  moveTo(target: Backend): void {
    if (target === this.home) return;
    const value = this.home.readF32(this.storage, 0, this.size);
    const storage = target.createBuffer(this.size * 4);
    try {
      target.write(storage, value);
    } catch (error) {
      target.disposeBuffer(storage);
      throw error;
    }
    this.home.disposeBuffer(this.storage);
    this.home = target;
    this.storage = storage;
  }

  /** A copy of the current value. */
  read(): Tensor {
    return new Tensor(this.backend.readF32(this.buffer, 0, this.size), this.shape);
  }

  /** Overwrites the value; the shape must match. */
  assign(value: Tensor): void {
    if (value.size !== this.size || value.dtype !== 'float32') {
      throw new ShapeError(
        `${this.name}: expected a float32 value of shape ${formatShape(this.shape)}, received ${value.dtype} ` +
          `${formatShape(value.shape)}.`,
      );
    }
    this.backend.write(this.buffer, value.data as Float32Array);
  }

  dispose(): void {
    this.backend.disposeBuffer(this.buffer);
  }
}
