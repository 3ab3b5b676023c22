// Which backend the engine uses: the WASM backend (default, created on first use), the tfjs backend
// (any registered TensorFlow.js backend: tfjs-node-gpu's CUDA, webgl, webgpu, wasm, cpu) or the
// float64 reference backend. Switching is allowed between fits: a model's weights and optimizer
// state move to the new backend the next time the model runs (see Variable.moveTo).

import type { Backend } from './backend.js';
import { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
import { prepareModule } from './wasm/module.js';
import { checkThreads, resolveThreads } from './wasm/threads-setting.js';
import { ReferenceBackend } from './reference/reference-backend.js';
import { isTf, loadTfjs } from './tfjs/load.js';
import { TfjsBackend } from './tfjs/tfjs-backend.js';
import type { TfNamespace } from './tfjs/types.js';
import { StateError, ValueError, describe } from '../errors.js';

/** The backends simdnet has. */
export const BACKEND_NAMES = ['wasm', 'tfjs', 'reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Settings of `configureBackend`. */
export interface BackendOptions extends WasmBackendOptions {
  /**
   * `'wasm'` (default: SIMD WebAssembly on every core), `'tfjs'` (TensorFlow.js: the GPU path) or
   * `'reference'` (float64 JavaScript, slow: for checking a model).
   */
  backend?: BackendName;
  /**
   * tfjs only: your TensorFlow.js module (`import * as tf from '@tensorflow/tfjs-node-gpu'`), whose
   * registered backends simdnet uses. Without it, `await ready()` imports `@tensorflow/tfjs-core`.
   */
  tf?: TfNamespace;
  /**
   * tfjs only: the tfjs backend to run on (`'tensorflow'`, `'webgl'`, `'webgpu'`, `'wasm'`, `'cpu'`); default: tfjs's
   * current one.
   */
  tfjsBackend?: string;
}

const WASM_KEYS = ['relaxedSimd', 'initialPages', 'threads'] as const;
const TFJS_KEYS = ['tf', 'tfjsBackend'] as const;
const KNOWN = new Set<string>(['backend', ...WASM_KEYS, ...TFJS_KEYS]);

let current: Backend | null = null;
let options: BackendOptions = {};
/** Advanced by every configureBackend(): models compare it to know when to move their weights. */
let generation = 0;
/** fit() calls running now: the backend cannot change under them. */
let activeFits = 0;

/** The engine's backend, created on first use. */
export function getBackend(): Backend {
  if (!current) current = createBackend();
  return current;
}

function createBackend(): Backend {
  switch (options.backend ?? 'wasm') {
    case 'wasm':
      return new WasmBackend(options);
    case 'reference':
      return new ReferenceBackend();
    case 'tfjs':
      throw new StateError(
        "the tfjs backend is not loaded yet: after configureBackend({ backend: 'tfjs' }), `await ready()` before " +
          'building a model ' +
          "(or pass your tfjs module without a tfjsBackend: configureBackend({ backend: 'tfjs', tf }), which uses tfjs's " +
          'current backend at once).',
      );
  }
}

/** Which configuration of the backend is current (changes with every configureBackend call). */
export function backendGeneration(): number {
  return generation;
}

/** Runs `body` as a fit: configureBackend() refuses to switch the backend until it settles. */
export async function duringFit<T>(body: () => Promise<T>): Promise<T> {
  activeFits++;
  try {
    return await body();
  } finally {
    activeFits--;
  }
}

function checkOptions(next: BackendOptions): void {
  if (typeof next !== 'object' || next === null) {
    throw new ValueError(
      `configureBackend: expected an options object such as { threads: 2 } or { backend: 'tfjs' }, received ` +
        `${describe(next)}.`,
    );
  }
  const unknown = Object.keys(next).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new ValueError(
      `configureBackend: unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the options are ` +
        `${[...KNOWN].join(', ')}.`,
    );
  }
  if (next.backend !== undefined && !(BACKEND_NAMES as readonly unknown[]).includes(next.backend)) {
    throw new ValueError(
      `configureBackend: backend: expected one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}, received ` +
        `${describe(next.backend)}.`,
    );
  }
  const backend = next.backend ?? options.backend ?? 'wasm';
  for (const [owner, keys] of [
    ['wasm', WASM_KEYS],
    ['tfjs', TFJS_KEYS],
  ] as const) {
    if (owner === backend) continue;
    const misplaced = keys.filter((k) => next[k] !== undefined);
    if (misplaced.length === 0) continue;
    const other = owner;
    throw new ValueError(
      `configureBackend: ${misplaced.join(', ')} ${misplaced.length > 1 ? 'are settings' : 'is a setting'} of the ` +
        `${other} backend, but the backend is '${backend}'; pass backend: '${other}' with ` +
        `${misplaced.length > 1 ? 'them' : 'it'}, or leave ${misplaced.length > 1 ? 'them' : 'it'} out.`,
    );
  }
  if (next.threads !== undefined) checkThreads(next.threads, 'configureBackend: threads');
  if (next.tf !== undefined && !isTf(next.tf)) {
    throw new ValueError(
      `configureBackend: tf: expected your TensorFlow.js module (import * as tf from '@tensorflow/tfjs', or ` +
        `'@tensorflow/tfjs-node-gpu'), with engine(), tidy() and setBackend(), received ${describe(next.tf)}.`,
    );
  }
  if (next.tfjsBackend !== undefined && (typeof next.tfjsBackend !== 'string' || next.tfjsBackend === '')) {
    throw new ValueError(
      `configureBackend: tfjsBackend: expected a tfjs backend name such as 'webgl', 'tensorflow' or 'cpu', received ` +
        `${describe(next.tfjsBackend)}.`,
    );
  }
}

/**
 * Replaces the backend with one made with these settings (merged with earlier ones). Models built
 * before move their weights and optimizer state to the new backend the next time they run (fit,
 * evaluate, predict). The old backend's worker threads are stopped. Not allowed while a `fit` runs.
 *
 * @example
 * configureBackend({ threads: 2 });                 // the main thread and one worker
 * configureBackend({ relaxedSimd: false });          // the plain-SIMD kernels
 * configureBackend({ backend: 'tfjs', tf });         // TensorFlow.js, e.g. tf from '@tensorflow/tfjs-node-gpu'
 */
export function configureBackend(next: BackendOptions): void {
  checkOptions(next);
  if (activeFits > 0) {
    throw new StateError(
      'configureBackend: a model.fit() is running; switch backends after it resolves (await it first), or stop it ' +
        'with model.stopTraining = true from a callback.',
    );
  }
  const switching = next.backend !== undefined && next.backend !== (options.backend ?? 'wasm');
  options = switching ? { ...next } : { ...options, ...next };
  const old = current;
  current = null;
  generation++;
  // With the module passed in and no tfjs backend to select, tfjs's current one is used at once.
  if (options.backend === 'tfjs' && options.tf && options.tfjsBackend === undefined)
    current = new TfjsBackend(options.tf);
  if (old instanceof WasmBackend) old.stop().catch(() => {});
}

/**
 * Loads and compiles the kernels and starts the worker threads (needed in browsers; optional in
 * Node, where `fit` does it); for the tfjs backend, imports tfjs when needed and waits for its
 * backend. Resolves to the backend, whose `threads` says how many run.
 *
 * @example
 * const backend = await ready();
 * console.log(backend.description);   // "wasm (relaxed-simd, 2 threads)"
 */
export async function ready(): Promise<Backend> {
  const backend = options.backend ?? 'wasm';
  if (backend === 'tfjs') {
    if (!current) {
      const configured = generation;
      const loaded = await loadTfjs({ tf: options.tf, backend: options.tfjsBackend });
      if (generation === configured) current = loaded;
    }
    const engine = getBackend();
    // A tfjs backend that starts asynchronously (webgpu, wasm) must be ready before the first op.
    if (engine instanceof TfjsBackend) await engine.tf.ready();
    return engine;
  }
  if (backend === 'wasm') await prepareModule(options, resolveThreads(options.threads) > 1);
  const engine = getBackend();
  await engine.start();
  return engine;
}

export type { Backend } from './backend.js';
export type { TfNamespace } from './tfjs/types.js';
