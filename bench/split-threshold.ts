// Measures from what size splitting a kernel call over two threads pays: the same call run whole
// on the main thread and split over the team, at growing sizes, medians of repeated runs. The
// crossover of each cost class is what src/backend/wasm/split-thresholds.ts uses.
//
//   npx tsx bench/split-threshold.ts

import { configureBackend, ready } from '../src/index.js';
import type { KernelCall, Slice } from '../src/backend/backend.js';
import { testing } from '../src/backend/wasm/testing.js';
import type { WasmBackend } from '../src/backend/wasm/wasm-backend.js';
import { THRESHOLDS } from '../src/backend/wasm/split-thresholds.js';

configureBackend({ threads: 2 });
const backend = (await ready()) as WasmBackend;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** µs per run of a one-call program. */
function time(call: KernelCall, arenaBytes: number): number {
  const exe = backend.compile({ arenaBytes, calls: [call] });
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) exe.run();
  for (let r = 0; r < 15; r++) {
    const reps = 100;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) exe.run();
    samples.push(((performance.now() - t0) / reps) * 1000);
  }
  exe.dispose();
  return median(samples);
}

/** [whole on one thread, split over two] in µs. */
function compare(make: () => { call: KernelCall; arenaBytes: number }, cls: keyof typeof THRESHOLDS): [number, number] {
  const saved = THRESHOLDS[cls];
  const { call, arenaBytes } = make();
  THRESHOLDS[cls] = Infinity;
  const whole = time(call, arenaBytes);
  THRESHOLDS[cls] = 0;
  // Every run on the team: the team-or-alone chooser would otherwise run a losing split alone.
  testing.runOnTeam(backend);
  const split = time(call, arenaBytes);
  testing.runAsChosen(backend);
  THRESHOLDS[cls] = saved;
  return [whole, split];
}

const arena = (byteOffset: number): Slice => ({ kind: 'arena', byteOffset });
const lr = { value: 0.01 };
const transform = { l1: 0, l2: 0, normSq: null, clipNorm: 0, clipValue: Infinity, weightDecay: 0 };

const rows: string[] = [
  '| kernel (class) | size | 1 thread µs | 2 threads µs | speed-up |',
  '|---|---:|---:|---:|---:|',
];
const row = (name: string, size: string, [a, b]: [number, number]) => {
  rows.push(`| ${name} | ${size} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}× |`);
  console.log(rows[rows.length - 1]);
};

for (const n of process.env.LOSSES_ONLY ? [] : [1024, 2048, 4096, 8192, 16384, 32768, 65536]) {
  const bytes = n * 4;
  row(
    'sgdUpdate (light)',
    String(n),
    compare(
      () => ({
        call: { kind: 'sgdUpdate', w: arena(0), g: arena(bytes), n, cols: n, learningRate: lr, transform },
        arenaBytes: 2 * bytes,
      }),
      'light',
    ),
  );
  row(
    'relu forward (light)',
    String(n),
    compare(
      () => ({
        call: { kind: 'activationForward', activation: 'relu', x: arena(0), y: arena(bytes), n, alpha: 0 },
        arenaBytes: 2 * bytes,
      }),
      'light',
    ),
  );
  row(
    'adamUpdate (heavy)',
    String(n),
    compare(
      () => ({
        call: {
          kind: 'adamUpdate',
          w: arena(0),
          g: arena(bytes),
          m: arena(2 * bytes),
          v: arena(3 * bytes),
          vHat: null,
          n,
          cols: n,
          learningRate: lr,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          correction1: { value: 0.1 },
          correction2: { value: 0.001 },
          transform,
        },
        arenaBytes: 4 * bytes,
      }),
      'heavy',
    ),
  );
  row(
    'sigmoid forward (heavy)',
    String(n),
    compare(
      () => ({
        call: { kind: 'activationForward', activation: 'sigmoid', x: arena(0), y: arena(bytes), n, alpha: 0 },
        arenaBytes: 2 * bytes,
      }),
      'heavy',
    ),
  );
}
// Losses: the kernel split by rows writing partial sums, then sumPartials on thread 0 (10 classes,
// gradient written, as in training).
for (const r of [128, 256, 512, 1024, 2048, 4096]) {
  const n = r * 10;
  const common = {
    x: arena(0),
    rows: r,
    cols: 10,
    grad: arena(2 * n * 4),
    gradScale: 1 / r,
    lossOut: arena(3 * n * 4),
    weights: null,
    partials: arena(3 * n * 4 + 64),
  };
  const arenaBytes = 3 * n * 4 + 64 + r * 8;
  row(
    'softmax cross-entropy, sparse (heavy)',
    `${r}×10`,
    compare(
      () => ({
        call: {
          kind: 'crossEntropy',
          input: 'logits',
          labels: 'sparse',
          target: arena(n * 4),
          smoothing: 0,
          ...common,
        },
        arenaBytes,
      }),
      'heavy',
    ),
  );
  row(
    'mean squared error (light)',
    `${r}×10`,
    compare(
      () => ({
        call: {
          kind: 'pointwiseLoss',
          loss: 'meanSquaredError',
          input: 'logits',
          target: arena(n * 4),
          param: 0,
          ...common,
        },
        arenaBytes,
      }),
      'light',
    ),
  );
}
if (process.env.LOSSES_ONLY) process.exit(0);
for (const [m, n, k] of [
  [8, 16, 32],
  [16, 32, 64],
  [32, 32, 64],
  [32, 64, 64],
  [32, 64, 128],
  [32, 100, 100],
  [32, 128, 128],
  [32, 300, 100],
]) {
  const [a, b, c] = [m * k * 4, k * n * 4, m * n * 4];
  row(
    'gemm NN (gemm)',
    `${m}×${n}×${k} (${m * n * k} madds)`,
    compare(
      () => ({
        call: {
          kind: 'gemm',
          layout: 'nn',
          m,
          n,
          k,
          a: arena(0),
          b: arena(a),
          c: arena(a + b),
          bias: null,
          activation: 'linear',
          alpha: 0,
          accumulate: false,
          scratch: null,
        },
        arenaBytes: a + b + c,
      }),
      'gemm',
    ),
  );
}
console.log(`\n${backend.description}\n${rows.join('\n')}`);
