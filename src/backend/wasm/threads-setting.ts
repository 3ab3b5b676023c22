// How many threads the WASM backend runs: the `threads` option, else SIMDNET_THREADS (Node), else
// one per core; one when the runtime cannot share memory (a browser page that is not cross-origin
// isolated), which is said once.

import { ValueError, describe } from '../../errors.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const nodeOs = isNode ? await import('node:os') : undefined;

/** Cores this runtime reports (at least 1). */
export function availableCores(): number {
  if (nodeOs) return Math.max(1, nodeOs.availableParallelism?.() ?? nodeOs.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** True when memory can be shared with workers here. */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  // A browser page without cross-origin isolation may have the constructor but cannot post it.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isNode || isolated === true;
}

/** Throws unless `value` is a positive integer; `name` says where it came from. */
export function checkThreads(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(
      `${name} must be a positive integer (the threads that run the kernels, the main thread included), received ` +
        `${describe(value)}; ` +
        `use 1 for the main thread alone, or leave it out for one thread per core (${availableCores()} here).`,
    );
  }
  return value;
}

let warnedCores = false;
let warnedIsolation = false;

/** The thread count a backend runs with, from its option, the environment and the runtime. */
export function resolveThreads(option: number | undefined): number {
  let threads: number;
  if (option !== undefined) threads = checkThreads(option, 'configureBackend: threads');
  else if (isNode && process.env.SIMDNET_THREADS !== undefined && process.env.SIMDNET_THREADS !== '') {
    const raw = process.env.SIMDNET_THREADS;
    threads = checkThreads(/^\d+$/.test(raw) ? Number(raw) : raw, 'the environment variable SIMDNET_THREADS');
  } else threads = availableCores();
  const cores = availableCores();
  if (threads > cores && !warnedCores) {
    warnedCores = true;
    console.warn(
      `simdnet: ${threads} threads asked for, but this machine has ${cores} core${cores > 1 ? 's' : ''}: threads ` +
        `beyond the cores wait for ` +
        'each other at every kernel and train slower. Use configureBackend({ threads }) or SIMDNET_THREADS to set ' +
        'fewer.',
    );
  }
  if (threads > 1 && !canShareMemory()) {
    if (!warnedIsolation) {
      warnedIsolation = true;
      console.warn(
        `simdnet: running on one thread instead of ${threads}: this page is not cross-origin isolated, so it cannot ` +
          `share memory with ` +
          'workers. Serve it with the headers Cross-Origin-Opener-Policy: same-origin and ' +
          'Cross-Origin-Embedder-Policy: require-corp to use every core.',
      );
    }
    return 1;
  }
  return threads;
}
