// Who owns the worker threads of a team: piscina in Node, Web Workers in a browser. Both start
// `count` workers, give worker t (1..count) its ThreadInit, resolve when every one has joined, and
// report a worker that stops on its own (`onLost`) so the team fails instead of waiting for it.

import type { ThreadInit } from './threads/thread-loop.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** A started set of workers. */
export interface WorkerHost {
  /** Stops every worker (they have been told to leave, or have failed). */
  terminate(): Promise<void>;
}

// src/backend/wasm/ and dist/backend/wasm/ are both three levels under the package root, where the
// build puts the worker runtime (plain JavaScript: scripts/build-wasm.mjs).
function workerUrl(file: string): URL {
  return new URL(`../../../build/threads/${file}`, import.meta.url);
}

async function startNode(
  count: number,
  init: (thread: number) => ThreadInit,
  onLost: (reason: string) => void,
): Promise<WorkerHost> {
  const { existsSync } = await import('node:fs');
  const url = workerUrl('node-worker.js');
  if (!existsSync(url))
    throw new Error(`simdnet: the worker runtime ${url.pathname} is missing. Run \`npm run build:wasm\` to build it.`);
  const { Piscina } = await import('piscina');
  // One worker per team thread, kept for the team's life; atomics disabled so that a worker that
  // finished its join task waits in its event loop, where it serves the team (node-worker.ts).
  const pool = new Piscina<ThreadInit, number>({
    filename: url.href,
    minThreads: count,
    maxThreads: count,
    concurrentTasksPerWorker: 1,
    idleTimeout: 2 ** 31 - 1,
    atomics: 'disabled',
  });
  let stopping = false;
  // A worker that ends outside a task (its serve loop) is no task failure: piscina reports it as a
  // pool error, or only as its thread's exit.
  pool.on('error', (error: Error) => {
    if (!stopping) onLost(`a worker thread crashed: ${error.message}`);
  });
  try {
    await Promise.all(Array.from({ length: count }, (_, i) => pool.run(init(i + 1))));
  } catch (error) {
    stopping = true;
    await pool.destroy();
    throw new Error(`simdnet: worker threads failed to start: ${(error as Error).message}`);
  }
  for (const worker of pool.threads) {
    worker.once('exit', (code: number) => {
      if (!stopping) onLost(`a worker thread exited with code ${code}`);
    });
  }
  return {
    async terminate() {
      stopping = true;
      await pool.destroy();
    },
  };
}

async function startBrowser(
  count: number,
  init: (thread: number) => ThreadInit,
  onLost: (reason: string) => void,
): Promise<WorkerHost> {
  const url = workerUrl('browser-worker.js');
  const workers: Worker[] = [];
  let stopping = false;
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const worker = new Worker(url, { type: 'module', name: `simdnet-${i + 1}` });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.onmessage = (event: MessageEvent<{ attached?: number; error?: string }>) => {
            if (event.data.error !== undefined) reject(new Error(event.data.error));
            else resolve();
          };
          worker.onerror = (event) => reject(new Error(event.message || `could not load ${url.href}`));
          worker.postMessage(init(i + 1));
        });
      }),
    );
  } catch (error) {
    for (const w of workers) w.terminate();
    throw new Error(`simdnet: worker threads failed to start: ${(error as Error).message}`);
  }
  for (const worker of workers) {
    worker.onerror = (event) => {
      if (!stopping) onLost(`a worker thread failed: ${event.message}`);
    };
  }
  return {
    async terminate() {
      stopping = true;
      for (const w of workers) w.terminate();
    },
  };
}

/** Starts `count` workers and resolves when every one has joined its team. */
export function startWorkers(
  count: number,
  init: (thread: number) => ThreadInit,
  onLost: (reason: string) => void,
): Promise<WorkerHost> {
  return isNode ? startNode(count, init, onLost) : startBrowser(count, init, onLost);
}
