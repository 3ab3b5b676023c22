// Which backend the engine uses. The WASM backend is created on first use.

import type { Backend } from './backend.js';
import { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
import { prepareModule } from './wasm/module.js';

let current: Backend | null = null;
let options: WasmBackendOptions = {};

/** The engine's backend, created on first use. */
export function getBackend(): Backend {
  if (!current) current = new WasmBackend(options);
  return current;
}

/**
 * Replaces the backend with one made with these settings. Models built before keep their weights on
 * the old backend and can no longer be used: configure first, then build models.
 *
 * @example
 * configureBackend({ relaxedSimd: false });   // the plain-SIMD kernels
 */
export function configureBackend(next: WasmBackendOptions): void {
  options = { ...options, ...next };
  current = null;
}

/** Loads and compiles the kernels ahead of use (needed in browsers; optional in Node). */
export async function ready(): Promise<Backend> {
  await prepareModule(options);
  return getBackend();
}

export type { Backend } from './backend.js';
