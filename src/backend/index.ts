// Which backend the engine uses. The WASM backend is created on first use.

import type { Backend } from './backend.js';
import { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
import { prepareModule } from './wasm/module.js';
import { checkThreads, resolveThreads } from './wasm/threads-setting.js';
import { ValueError, describe } from '../errors.js';

let current: WasmBackend | null = null;
let options: WasmBackendOptions = {};

/** The engine's backend, created on first use. */
export function getBackend(): Backend {
  if (!current) current = new WasmBackend(options);
  return current;
}

/** Settings of `configureBackend`. */
export type BackendOptions = WasmBackendOptions;

const KNOWN = new Set(['relaxedSimd', 'initialPages', 'threads']);

/**
 * Replaces the backend with one made with these settings (merged with earlier ones). Models built
 * before keep their weights on the old backend and can no longer be used: configure first, then
 * build models. The old backend's worker threads are stopped.
 *
 * @example
 * configureBackend({ threads: 2 });           // the main thread and one worker
 * configureBackend({ relaxedSimd: false });   // the plain-SIMD kernels
 */
export function configureBackend(next: BackendOptions): void {
  if (typeof next !== 'object' || next === null) {
    throw new ValueError(`configureBackend: expected an options object such as { threads: 2 }, received ${describe(next)}.`);
  }
  const unknown = Object.keys(next).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new ValueError(`configureBackend: unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the options are ${[...KNOWN].join(', ')}.`);
  }
  if (next.threads !== undefined) checkThreads(next.threads, 'configureBackend: threads');
  options = { ...options, ...next };
  const old = current;
  current = null;
  void old?.stop();
}

/**
 * Loads and compiles the kernels and starts the worker threads (needed in browsers; optional in
 * Node, where `fit` does it). Resolves to the backend, whose `threads` says how many run.
 *
 * @example
 * const backend = await ready();
 * console.log(backend.description);   // "wasm (relaxed-simd, 2 threads)"
 */
export async function ready(): Promise<Backend> {
  await prepareModule(options, resolveThreads(options.threads) > 1);
  const backend = getBackend();
  await backend.start();
  return backend;
}

export type { Backend } from './backend.js';
