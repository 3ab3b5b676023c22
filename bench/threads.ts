// Threads: the reference MLP's GEMMs and training epochs on 1 and 2 threads, against tfjs-wasm and
// (optional) PyTorch on the CPU in the same run, and 1 vs 2 threads while another process keeps a
// core busy.
//
//   npx tsx bench/threads.ts            (npm run bench runs it too and writes bench/RESULTS.md)

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { callbacks, configureBackend, datasets, ready, type Tensor } from '../src/index.js';
import type { KernelCall, Slice } from '../src/backend/backend.js';
import { testing } from '../src/backend/wasm/testing.js';
import type { WasmBackend } from '../src/backend/wasm/wasm-backend.js';
import { simdCapacity, type Capacity } from './capacity.js';
import { poolRuns, pytorchRows, type PytorchRow } from './native/pytorch.js';
import { disposeTfjs, median, prepareTfjs, simdnetModel, tfjsEpoch } from './training.js';

const BATCHES = [32, 128, 512] as const;
const SAMPLES = 10_000;
/** Timed epochs per thread count and batch size; the median is reported. */
export const EPOCH_ROUNDS = 5;
/** Rounds run first and not counted, per batch size (see epochRates). */
const WARM_ROUNDS = 2;
export const TARGETS = {
  gemm2T: 1.85,
  epoch2T: 1.7,
  vsTfjsWasm: 20,
  vsPytorch: { 32: 1.0, 128: 0.7, 512: 0.5 } as Record<number, number>,
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const k = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : `${(v / 1000).toFixed(2)}k`);

// ---- GEMM: one call, whole on the main thread or split over the team ------------------------

export interface GemmThreadsRow {
  label: string;
  layout: 'nn' | 'tn' | 'nt';
  m: number;
  n: number;
  k: number;
  gflops1: number;
  gflops2: number;
}

/** Median µs per call; the warm-up lasts at least 100 ms (a new worker's code may still be tiering up). */
function timeUs(run: () => void): number {
  const warm = performance.now() + 100;
  for (let i = 0; i < 20 || performance.now() < warm; i++) run();
  const samples: number[] = [];
  for (let r = 0; r < 9; r++) {
    const reps = 10;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    samples.push(((performance.now() - t0) / reps) * 1000);
  }
  return median(samples);
}

export async function benchGemmThreads(): Promise<GemmThreadsRow[]> {
  configureBackend({ threads: 2, relaxedSimd: true });
  const backend = (await ready()) as WasmBackend;
  testing.runOnTeam(backend);
  const rows: GemmThreadsRow[] = [];
  for (const batch of BATCHES) {
    const shapes: [string, 'nn' | 'tn' | 'nt', number, number, number][] = [
      [`forward, batch ${batch}`, 'nn', batch, 300, 784],
      [`weight gradient, batch ${batch}`, 'tn', 784, 300, batch],
      [`input gradient, batch ${batch}`, 'nt', batch, 784, 300],
    ];
    for (const [label, layout, m, n, depth] of shapes) {
      const a = m * depth * 4;
      const b = depth * n * 4;
      const c = m * n * 4;
      const scratchBytes = backend.gemmScratchBytes(layout, m, n, depth);
      const at = (byteOffset: number): Slice => ({ kind: 'arena', byteOffset });
      const call: KernelCall = {
        kind: 'gemm',
        layout,
        m,
        n,
        k: depth,
        a: at(0),
        b: at(a),
        c: at(a + b),
        bias: null,
        activation: 'linear',
        alpha: 0,
        scratch: scratchBytes ? at(a + b + c) : null,
      };
      const exe = backend.compile({ arenaBytes: a + b + c + scratchBytes, calls: [call] });
      const two = timeUs(() => exe.run());
      testing.runAsChosen(backend);
      await backend.stop();
      const one = timeUs(() => exe.run());
      await backend.start();
      testing.runOnTeam(backend);
      exe.dispose();
      const flops = 2 * m * n * depth;
      rows.push({ label, layout, m, n, k: depth, gflops1: flops / one / 1000, gflops2: flops / two / 1000 });
      log(`  ${label} (${layout}): ${(flops / one / 1000).toFixed(1)} → ${(flops / two / 1000).toFixed(1)} GFLOP/s`);
    }
  }
  testing.runAsChosen(backend);
  return rows;
}

export function gemmThreadsTable(rows: readonly GemmThreadsRow[]): string {
  const lines = [
    '| product (m×n×k) | layout | 1 thread GFLOP/s | 2 threads GFLOP/s | 2 / 1 | ≥ 1.85× |',
    '|---|---|---:|---:|---:|:---:|',
  ];
  for (const r of rows) {
    const ratio = r.gflops2 / r.gflops1;
    lines.push(
      `| ${r.label}: ${r.m}×${r.n}×${r.k} | ${r.layout.toUpperCase()} | ${r.gflops1.toFixed(1)} | ` +
        `${r.gflops2.toFixed(1)} | ${ratio.toFixed(2)}× | ${ratio >= TARGETS.gemm2T ? 'pass' : 'miss'} |`,
    );
  }
  return lines.join('\n');
}

// ---- Training epochs -------------------------------------------------------------------------

/** Samples tfjs-wasm trains per measurement: it is ~25× slower, and the rate does not need more. */
const TFJS_SAMPLES = 2560;

/**
 * Samples per second of one epoch on 1 and on 2 threads, medians of EPOCH_ROUNDS epochs. The two settings
 * take turns round by round (each round a fresh backend and model and one fit of two epochs, the
 * first a warm-up), so that a change in the machine (see bench/capacity.ts) falls on both alike;
 * the first WARM_ROUNDS rounds are not counted. The timed epoch is the fit's second, timed from its
 * start to its end (callbacks), as PyTorch's script times its epochs in one training loop: what fit does once per
 * call (copying the data set into the backend's memory, compiling its programs) comes before it, and
 * is logged apart.
 */
async function epochRates(batch: number, x: Tensor, y: Tensor, rounds = EPOCH_ROUNDS): Promise<[number, number]> {
  const rates: [number[], number[]] = [[], []];
  const onTeam: string[] = [];
  const fitOnce: number[] = [];
  // Rounds −2 and −1 are not counted: a process's first four to five epochs still compile its
  // JavaScript (--trace-opt: 5–20 ms an epoch on V8's background threads, taking a core from the
  // team; none after): with one such round, the first counted round at batch 32 ran 71.8k samples/s
  // against 84–87k for the other four.
  for (let r = -WARM_ROUNDS; r < rounds; r++) {
    for (const threads of [1, 2] as const) {
      configureBackend({ threads, relaxedSimd: true });
      const backend = (await ready()) as WasmBackend;
      const m = simdnetModel();
      const begin: number[] = [];
      const end: number[] = [];
      const teamRuns: number[] = [];
      const timer = callbacks.lambdaCallback({
        onEpochBegin: (epoch) => {
          begin[epoch] = performance.now();
          teamRuns[epoch] = backend.teamRuns;
        },
        onEpochEnd: (epoch) => {
          end[epoch] = performance.now();
          teamRuns[epoch] = backend.teamRuns - teamRuns[epoch];
        },
      });
      const t0 = performance.now();
      await m.fit(x, y, { epochs: 2, batchSize: batch, verbose: 0, callbacks: [timer] });
      const fitMs = performance.now() - t0;
      if (r >= 0) {
        rates[threads - 1].push(x.shape[0] / ((end[1] - begin[1]) / 1000));
        if (threads === 2) onTeam.push(`${teamRuns[1]}`);
        fitOnce.push(fitMs - (end[0] - begin[0]) - (end[1] - begin[1]));
      }
      m.dispose();
    }
  }
  const steps = Math.ceil(x.shape[0] / batch);
  log(
    `  batch ${batch}, 2 threads: steps on the team per timed epoch of ${steps}: ${onTeam.join(', ')}; samples/s 1 ` +
      `thread ${rates[0].map(k).join(', ')}; ` +
      `2 threads ${rates[1].map(k).join(', ')}; fit's once-per-call work outside the epochs, median ` +
      `${median(fitOnce).toFixed(1)} ms`,
  );
  return [median(rates[0]), median(rates[1])];
}

async function tfjsWasmRate(batch: number, x: Tensor, y: Tensor): Promise<number> {
  const initial = simdnetModel();
  const run = await prepareTfjs('wasm', batch, x, y, initial.getWeights());
  initial.dispose();
  const rate = await tfjsEpoch(run, batch, TFJS_SAMPLES);
  disposeTfjs(run);
  return rate;
}

export interface EpochThreadsRow {
  batch: number;
  one: number;
  two: number;
  tfjsWasm: number;
  torch1: number | null;
  torch2: number | null;
}

export interface EpochThreadsResult {
  rows: EpochThreadsRow[];
  torch: PytorchRow[] | { skipped: string };
  /** The machine's SIMD capacity on 2 threads, measured before and after the simdnet epochs. */
  capacity: [Capacity, Capacity];
}

export async function benchEpochThreads(): Promise<EpochThreadsResult> {
  const data = await datasets.fashionMnist({ validation: 5000, trainSamples: SAMPLES });
  const [x, y] = [data.xTrain, data.yTrain];
  // PyTorch runs twice, before and after simdnet's epochs: its figure moves from run to run (see
  // poolRuns), and the two runs frame the time simdnet was measured in.
  const torchData = { data: { images: x.data as Float32Array, labels: y.data }, log };
  const torchBefore = await pytorchRows(torchData);
  const before = await simdCapacity();
  log(`  SIMD capacity of 2 threads: ${before.ratio.toFixed(2)}× one thread`);
  const measured: Omit<EpochThreadsRow, 'torch1' | 'torch2'>[] = [];
  for (const batch of BATCHES) {
    const [one, two] = await epochRates(batch, x, y);
    const tfjsWasm = await tfjsWasmRate(batch, x, y);
    measured.push({ batch, one, two, tfjsWasm });
    log(`  batch ${batch}: 1 thread ${k(one)}/s, 2 threads ${k(two)}/s, tfjs-wasm ${k(tfjsWasm)}/s`);
  }
  const torchAfter = 'skipped' in torchBefore ? torchBefore : await pytorchRows(torchData);
  const after = await simdCapacity();
  log(`  SIMD capacity of 2 threads: ${after.ratio.toFixed(2)}× one thread`);
  const torch =
    'skipped' in torchBefore ? torchBefore : 'skipped' in torchAfter ? torchAfter : poolRuns([torchBefore, torchAfter]);
  const torchRate = (threads: number, batch: number) =>
    'skipped' in torch
      ? null
      : (torch.find((r) => r.threads === threads && r.batch === batch)?.samplesPerSecond ?? null);
  const rows = measured.map((r) => ({ ...r, torch1: torchRate(1, r.batch), torch2: torchRate(2, r.batch) }));
  return { rows, torch, capacity: [before, after] };
}

/** The machine's 2-thread SIMD capacity around the epochs, as "before the epochs: …; after: …". */
export function capacityLine([before, after]: readonly [Capacity, Capacity]): string {
  const one = (c: Capacity) =>
    `${c.ratio.toFixed(2)}× one thread ` + `(${c.one.toFixed(1)} → ${c.two.toFixed(1)} GFLOP/s)`;
  return `before the epochs ${one(before)}; after them ${one(after)}`;
}

export function epochThreadsTable(rows: readonly EpochThreadsRow[]): string {
  const lines = [
    '| batch | simdnet 1 thread | simdnet 2 threads | 2 / 1 (≥ 1.7× at 128, 512) | tfjs-wasm | 2 threads / ' +
      'tfjs-wasm (≥ 20×) | PyTorch 1 / 2 threads | simdnet / PyTorch, 1 and 2 threads (target) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ratio = r.two / r.one;
    const vsTfjs = r.two / r.tfjsWasm;
    const torch = r.torch1 && r.torch2 ? `${k(r.torch1)} / ${k(r.torch2)}` : 'not installed';
    const target = TARGETS.vsPytorch[r.batch];
    const vsTorch =
      r.torch1 && r.torch2
        ? `${(r.one / r.torch1).toFixed(2)}×, ${(r.two / r.torch2).toFixed(2)}× ` +
          `${r.two / r.torch2 >= target ? 'pass' : 'miss'} (2 threads ≥ ${target}×)`
        : '—';
    const ratioCell =
      r.batch === 32 ? `${ratio.toFixed(2)}×` : `${ratio.toFixed(2)}× ${ratio >= TARGETS.epoch2T ? 'pass' : 'miss'}`;
    lines.push(
      `| ${r.batch} | ${k(r.one)} | ${k(r.two)} | ${ratioCell} | ${k(r.tfjsWasm)} | ${vsTfjs.toFixed(1)}× ` +
        `${vsTfjs >= TARGETS.vsTfjsWasm ? 'pass' : 'miss'} | ${torch} | ${vsTorch} |`,
    );
  }
  return lines.join('\n');
}

// ---- A busy machine --------------------------------------------------------------------------

export interface BusyRow {
  batch: number;
  one: number;
  two: number;
}

export async function benchBusy(): Promise<BusyRow[]> {
  const data = await datasets.fashionMnist({ validation: 5000, trainSamples: SAMPLES });
  const [x, y] = [data.xTrain, data.yTrain];
  // Another process that keeps one core busy for as long as it runs.
  const hog: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  try {
    const rows: BusyRow[] = [];
    for (const batch of [32, 128] as const) {
      const [one, two] = await epochRates(batch, x, y);
      rows.push({ batch, one, two });
      log(`  busy core, batch ${batch}: 1 thread ${k(one)}/s, 2 threads ${k(two)}/s`);
    }
    return rows;
  } finally {
    hog.kill('SIGKILL');
  }
}

export function busyTable(rows: readonly BusyRow[]): string {
  const lines = ['| batch | 1 thread | 2 threads | 2 / 1 | 2 threads not slower |', '|---:|---:|---:|---:|:---:|'];
  for (const r of rows)
    lines.push(
      `| ${r.batch} | ${k(r.one)} | ${k(r.two)} | ${(r.two / r.one).toFixed(2)}× | ` +
        `${r.two >= 0.95 * r.one ? 'pass' : 'miss'} |`,
    );
  return lines.join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  console.log(gemmThreadsTable(await benchGemmThreads()));
  const { rows, capacity } = await benchEpochThreads();
  console.log(epochThreadsTable(rows));
  console.log(`SIMD capacity of two threads at once: ${capacityLine(capacity)}.`);
  console.log(busyTable(await benchBusy()));
}
