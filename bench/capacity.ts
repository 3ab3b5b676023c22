// How much SIMD throughput the machine's cores give at once, right now: the plain-SIMD peak probe
// (`peakProbe`, an FMA-port-bound loop with no memory traffic and no synchronisation) on the main
// thread alone, then on the main thread and a worker thread at the same time.
//
// Why: these machines are virtual, and at times (for minutes on end) two threads of SIMD code each
// run at about half speed while both get their full CPU time, as if the two vCPUs shared one
// physical core; no thread engine can scale then. A thread-scaling figure means little without the
// capacity measured next to it, so the threads bench measures it before and after its epochs.
//
// Run alone: npx tsx bench/capacity.ts

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const MODULE_PATH = new URL('../build/simdnet.wasm', import.meta.url);
/** Probe iterations per timed call (96 flops each): ~5 ms on these machines. */
const ITERATIONS = 1_000_000;
/** Timed calls per measurement: the fastest is kept. */
const CALLS = 20;

type Probe = (iterations: number) => number;

function loadProbe(bytes: Uint8Array<ArrayBuffer>): Probe {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return instance.exports.peakProbe as Probe;
}

/** GFLOP/s of the fastest of `calls` probe calls. */
function probeRate(probe: Probe, calls: number): number {
  let best = Infinity;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    probe(ITERATIONS);
    best = Math.min(best, performance.now() - t0);
  }
  return (ITERATIONS * 96) / (best * 1e6);
}

// The worker: waits for the start signal, runs the same calls as the main thread, reports its rate.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const memory = new WebAssembly.Memory({ initial: 64 });
const probe = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), { env: { memory } }).exports.peakProbe;
probe(1000);
parentPort.on('message', ({ iterations, calls }) => {
  let best = Infinity;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    probe(iterations);
    best = Math.min(best, performance.now() - t0);
  }
  parentPort.postMessage((iterations * 96) / (best * 1e6));
});
parentPort.postMessage('ready');
`;

export interface Capacity {
  /** GFLOP/s of the main thread alone. */
  one: number;
  /** Summed GFLOP/s of the main thread and a worker running at the same time. */
  two: number;
  /** two / one: 2 when the two threads have a physical core each. */
  ratio: number;
}

/** Measures the SIMD capacity of one thread and of two threads at once. */
export async function simdCapacity(): Promise<Capacity> {
  const bytes = new Uint8Array(readFileSync(MODULE_PATH));
  const probe = loadProbe(bytes);
  probe(1000);
  const one = probeRate(probe, CALLS);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const theirs = new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    worker.postMessage({ iterations: ITERATIONS, calls: CALLS });
    const mine = probeRate(probe, CALLS);
    const two = mine + (await theirs);
    return { one, two, ratio: two / one };
  } finally {
    await worker.terminate();
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const c = await simdCapacity();
  console.log(
    `SIMD capacity: 1 thread ${c.one.toFixed(1)} GFLOP/s, 2 threads at once ${c.two.toFixed(1)} GFLOP/s ` +
      `(${c.ratio.toFixed(2)}×)`,
  );
}
