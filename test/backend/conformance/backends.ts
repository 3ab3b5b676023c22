// The backends the conformance suite runs against, each with the tolerance it is held to against
// the float64 reference backend. Adding a backend means adding a line here, not writing tests.
//
// Tolerances (max |a − b| / max |b| over a tensor, see test/helpers/compare.ts), measured here:
// - wasm: float32 storage and kernels, FMA or separate rounding: a single call agrees with float64
//   to ~1e-6 relative; a few training steps compound it to ~1e-5. 1e-4 leaves room for odd shapes.
// - tfjs cpu: float32 throughout, sums in float32 (not float64 as the WASM kernels): 1e-4 as well.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendOptions } from '../../../src/backend/index.js';

export interface ConformanceBackend {
  readonly name: string;
  /** configureBackend() options that select it. */
  readonly options: BackendOptions;
  /** Relative tolerance of a single call against the float64 reference. */
  readonly callTolerance: number;
  /** Relative tolerance of weights after a few training steps against the float64 reference. */
  readonly trainingTolerance: number;
  /** Whether its random stream is the WASM kernels' (dropout masks then match the reference's). */
  readonly sameRandomStream: boolean;
  /** Runs work split over more than one thread. */
  readonly threads: number;
}

export const WASM_BACKENDS: readonly ConformanceBackend[] = [
  {
    name: 'wasm relaxed-simd, 1 thread',
    options: { backend: 'wasm', threads: 1, relaxedSimd: true },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: true,
    threads: 1,
  },
  {
    name: 'wasm simd, 1 thread',
    options: { backend: 'wasm', threads: 1, relaxedSimd: false },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: true,
    threads: 1,
  },
  {
    name: 'wasm relaxed-simd, 2 threads',
    options: { backend: 'wasm', threads: 2, relaxedSimd: true },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: true,
    threads: 2,
  },
  {
    name: 'wasm simd, 2 threads',
    options: { backend: 'wasm', threads: 2, relaxedSimd: false },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: true,
    threads: 2,
  },
];

/** TensorFlow.js in Node, on its cpu backend (webgl runs in Chromium: test/browser/). */
// tfjs-backend-wasm cannot find its .wasm files in Node by itself: point it at the package's dist/.
setWasmPaths(
  path.dirname(
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
  ) + path.sep,
);

export const TFJS_BACKENDS: readonly ConformanceBackend[] = [
  {
    name: 'tfjs cpu',
    options: { backend: 'tfjs', tf, tfjsBackend: 'cpu' },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: false,
    threads: 1,
  },
  {
    name: 'tfjs wasm',
    options: { backend: 'tfjs', tf, tfjsBackend: 'wasm' },
    callTolerance: 1e-4,
    trainingTolerance: 1e-4,
    sameRandomStream: false,
    threads: 1,
  },
];

/** Every backend the suite checks. */
export const CONFORMANCE_BACKENDS: readonly ConformanceBackend[] = [...WASM_BACKENDS, ...TFJS_BACKENDS];
