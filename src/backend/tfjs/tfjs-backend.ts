// The TensorFlow.js backend: a value backend (values/value-backend.ts) whose values are tfjs tensors,
// on whichever tfjs backend the namespace runs (`tensorflow` from tfjs-node or tfjs-node-gpu,
// `webgl`, `webgpu`, `wasm`, `cpu`). It implements the primitives (tfjs-ops.ts) and the fused calls
// tfjs runs faster than their default compositions (overrides.ts); every other call runs as its
// default. Made by loadTfjs() (load.ts), which finds tfjs and selects the tfjs backend.

import { ValueBackend } from '../values/value-backend.js';
import { tfjsOverrides } from './overrides.js';
import { tfjsOps } from './tfjs-ops.js';
import type { Tensor, TfNamespace } from './types.js';

/** Settings of a TfjsBackend. */
export interface TfjsBackendOptions {
  /**
   * Run the fused calls tfjs does faster itself (a matrix product with its bias and activation as
   * one tf.fused.matMul) instead of their compositions of primitives. Default true; false runs
   * every fused call through its default (for tests and comparisons).
   */
  readonly overrides?: boolean;
}

/**
 * simdnet's engine on TensorFlow.js tensors. Prefer `loadTfjs()`, which imports tfjs when needed
 * and selects the tfjs backend; construct it directly with a `tf` namespace whose backend is set and
 * ready.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * await tf.setBackend('cpu');
 * const backend = new TfjsBackend(tf);
 * backend.description;   // "tfjs (cpu)"
 */
export class TfjsBackend extends ValueBackend<Tensor> {
  constructor(
    /** The tfjs namespace the tensors belong to. */
    readonly tf: TfNamespace,
    options: TfjsBackendOptions = {},
  ) {
    super('tfjs', tfjsOps(tf), options.overrides === false ? {} : tfjsOverrides(tf));
  }

  /** The tfjs backend the tensors live on ('cpu', 'webgl', 'tensorflow', ...). */
  get tfBackend(): string {
    return this.tf.getBackend();
  }
}
