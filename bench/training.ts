// End-to-end training throughput: one epoch of the reference MLP (Flatten → Dense 300 relu → Dense 100
// relu → Dense 10 softmax, sparse categorical cross-entropy, SGD 0.01) on 10,000 Fashion-MNIST
// samples, shuffled, silent, at batch sizes 32, 128 and 512, in samples per second:
//   - simdnet with its relaxed-SIMD kernels and with its plain-SIMD kernels;
//   - @tensorflow/tfjs with its `wasm` backend (SIMD; single-threaded in Node) over a full epoch;
//   - @tensorflow/tfjs with its `cpu` backend over a fixed number of steps (a full epoch would take
//     ~25 s per batch size), which the table says.
// Every library trains the same model from the same initial weights on the same data, after a
// warm-up (V8 compiles WASM lazily: the first calls run in the baseline tier). simdnet (both builds)
// and tfjs-wasm run ROUNDS epochs each, interleaved, and the median is reported.
//
// Also measured, to separate the kernels from the loop around them: simdnet's `graph.run()` of the
// compiled training step alone, repeated on one batch already in memory.
//
// Run alone: npx tsx bench/training.ts

import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  configureBackend,
  datasets,
  getBackend,
  layers,
  optimizers,
  sequential,
  Tensor,
  type Sequential,
} from '../src/index.js';
import { BatchWriter } from '../src/model/data.js';

export const TRAINING_SAMPLES = 10_000;
export const BATCH_SIZES = [32, 128, 512] as const;
/** tfjs-cpu trains this many samples per batch size (rounded to whole steps, at least 4 steps). */
export const TFJS_CPU_SAMPLES = 2048;
/** Timed epochs per library (simdnet relaxed, simdnet plain, tfjs-wasm, interleaved); the median is reported. */
export const ROUNDS = 3;

export interface TrainingRow {
  batchSize: number;
  /** simdnet's backend descriptions, relaxed then plain (e.g. "wasm (relaxed-simd, 1 thread)"). */
  simdnetBackends: [string, string];
  /** samples/s, one full epoch, median of ROUNDS. */
  simdnetRelaxed: number;
  simdnetPlain: number;
  /** samples/s of `graph.run()` of the training step alone (relaxed build): the kernels' share. */
  simdnetRelaxedStepOnly: number;
  /** samples/s, one full epoch, median of ROUNDS. */
  tfjsWasm: number;
  /** samples/s over `tfjsCpuSteps` steps. */
  tfjsCpu: number;
  tfjsCpuSteps: number;
  /** simdnet (relaxed) / tfjs. */
  ratioWasm: number;
  ratioCpu: number;
  /** simdnet (plain SIMD) / tfjs-wasm. */
  ratioWasmPlain: number;
}

export interface MachineInfo {
  date: string;
  cpu: string;
  nproc: number;
  node: string;
  tfjs: string;
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    node: process.version,
    tfjs: tf.version.tfjs,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The first `n` samples of a host tensor (no copy). */
function head(t: Tensor, n: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.subarray(0, n * per), [n, ...t.shape.slice(1)]);
}

// ---- simdnet ---------------------------------------------------------------------------------

export function simdnetModel(): Sequential {
  const model = sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 300, activation: 'relu' }),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 42 },
  );
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

interface SimdnetRun {
  build: string;
  relaxedSimd: boolean;
  model: Sequential;
}

/**
 * Makes the run's build the current backend again when another round configured the other build:
 * the model follows the backend (its weights move, its programs compile anew), which happens here,
 * in an untimed fit of a few batches, not in the timed epoch.
 */
async function useBuild(run: SimdnetRun, batch: number, x: Tensor, y: Tensor): Promise<void> {
  if (getBackend().description === run.build) return;
  configureBackend({ relaxedSimd: run.relaxedSimd });
  const warm = Math.min(x.shape[0], 4 * batch + (x.shape[0] % batch));
  await run.model.fit(head(x, warm), head(y, warm), { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  run.model.program('train', batch);
}

/** A model on a freshly configured backend, warmed up with a few steps and the epoch's tail batch. */
async function prepareSimdnet(relaxedSimd: boolean, batch: number, x: Tensor, y: Tensor): Promise<SimdnetRun> {
  // The backend is chosen when it is created: configure first, then build the model on it. A later
  // configureBackend() (the other build's) takes the model along at its next run: useBuild()
  // switches back before each timed epoch.
  configureBackend({ relaxedSimd });
  const build = getBackend().description;
  const model = simdnetModel();
  const samples = x.shape[0];
  const warm = Math.min(samples, 4 * batch + (samples % batch));
  await model.fit(head(x, warm), head(y, warm), { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  model.program('train', batch); // the fed step simdnetStepOnly times (fit gathers its batches in another)
  return { build, relaxedSimd, model };
}

/** samples/s of one `fit` epoch. */
async function simdnetEpoch(run: SimdnetRun, batch: number, x: Tensor, y: Tensor): Promise<number> {
  await useBuild(run, batch, x, y);
  const t0 = performance.now();
  await run.model.fit(x, y, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  return x.shape[0] / ((performance.now() - t0) / 1000);
}

/** samples/s of the compiled training step alone (the one fed from JavaScript), on the first batch of x. */
function simdnetStepOnly(run: SimdnetRun, batch: number, x: Tensor, y: Tensor): number {
  const samples = x.shape[0];
  const program = run.model.program('train', batch);
  new BatchWriter(program, x, y).write(null, 0);
  const steps = Math.floor(samples / batch);
  for (let i = 0; i < 3; i++) program.graph.run();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) program.graph.run();
  return (steps * batch) / ((performance.now() - t0) / 1000);
}

// ---- tfjs ------------------------------------------------------------------------------------

let wasmPathsSet = false;
async function useTfjsBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    // In Node the backend cannot locate its .wasm files by itself: point it at the package's dist/.
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    setWasmPaths(dist + path.sep);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}

function tfjsModel(initial: readonly Tensor[]): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 300, activation: 'relu' }),
      tf.layers.dense({ units: 100, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.setWeights(initial.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  return model;
}

interface TfjsRun {
  model: tf.Sequential;
  xs: tf.Tensor;
  ys: tf.Tensor;
}

/** A tfjs model on `backend` with the data on it, warmed up with a few steps. */
export async function prepareTfjs(
  backend: 'wasm' | 'cpu',
  batch: number,
  x: Tensor,
  y: Tensor,
  initial: readonly Tensor[],
): Promise<TfjsRun> {
  await useTfjsBackend(backend);
  const model = tfjsModel(initial);
  const xs = tf.tensor(x.data as Float32Array, [...x.shape]);
  const ys = tf.tensor(Float32Array.from(y.data), [y.shape[0]]);
  const warm = Math.min(x.shape[0], 4 * batch);
  const [wx, wy] = [xs.slice(0, warm), ys.slice(0, warm)];
  await model.fit(wx, wy, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  tf.dispose([wx, wy]);
  return { model, xs, ys };
}

/** samples/s of one tfjs `fit` epoch over the first `samples` samples. */
export async function tfjsEpoch(run: TfjsRun, batch: number, samples: number): Promise<number> {
  const whole = samples === run.xs.shape[0];
  const [tx, ty] = whole ? [run.xs, run.ys] : [run.xs.slice(0, samples), run.ys.slice(0, samples)];
  const t0 = performance.now();
  await run.model.fit(tx, ty, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  const rate = samples / ((performance.now() - t0) / 1000);
  if (!whole) tf.dispose([tx, ty]);
  return rate;
}

export function disposeTfjs(run: TfjsRun): void {
  tf.dispose([run.xs, run.ys]);
  run.model.dispose();
}

// ---- the benchmark ---------------------------------------------------------------------------

export async function benchTraining(): Promise<TrainingRow[]> {
  const data = await datasets.fashionMnist({ validation: 5000, trainSamples: TRAINING_SAMPLES });
  const x = data.xTrain;
  const y = data.yTrain;
  // The initial weights every library starts from.
  configureBackend({ relaxedSimd: true });
  const initialModel = simdnetModel();
  const initial = initialModel.getWeights();
  initialModel.dispose();

  const rows: TrainingRow[] = [];
  const samples = x.shape[0];
  for (const batch of BATCH_SIZES) {
    const relaxed = await prepareSimdnet(true, batch, x, y);
    const plain = await prepareSimdnet(false, batch, x, y);
    const wasm = await prepareTfjs('wasm', batch, x, y, initial);
    // Rounds interleave the libraries so that the machine's noise falls on all of them alike.
    const rates = { relaxed: [] as number[], plain: [] as number[], wasm: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rates.relaxed.push(await simdnetEpoch(relaxed, batch, x, y));
      rates.plain.push(await simdnetEpoch(plain, batch, x, y));
      rates.wasm.push(await tfjsEpoch(wasm, batch, samples));
    }
    await useBuild(relaxed, batch, x, y);
    const stepOnly = simdnetStepOnly(relaxed, batch, x, y);
    disposeTfjs(wasm);
    relaxed.model.dispose();
    plain.model.dispose();
    const [simdnetRelaxed, simdnetPlain, tfjsWasm] = [median(rates.relaxed), median(rates.plain), median(rates.wasm)];
    log(
      `  batch ${batch}: simdnet ${relaxed.build} ${simdnetRelaxed.toFixed(0)}/s (step alone ` +
        `${stepOnly.toFixed(0)}/s), ${plain.build} ${simdnetPlain.toFixed(0)}/s, tfjs-wasm ${tfjsWasm.toFixed(0)}/s`,
    );

    const cpuSteps = Math.max(4, Math.round(TFJS_CPU_SAMPLES / batch));
    const cpu = await prepareTfjs('cpu', batch, x, y, initial);
    const tfjsCpu = await tfjsEpoch(cpu, batch, cpuSteps * batch);
    disposeTfjs(cpu);
    log(`  batch ${batch}: tfjs-cpu ${tfjsCpu.toFixed(0)}/s (${cpuSteps} steps)`);
    rows.push({
      batchSize: batch,
      simdnetBackends: [relaxed.build, plain.build],
      simdnetRelaxed,
      simdnetPlain,
      simdnetRelaxedStepOnly: stepOnly,
      tfjsWasm,
      tfjsCpu,
      tfjsCpuSteps: cpuSteps,
      ratioWasm: simdnetRelaxed / tfjsWasm,
      ratioCpu: simdnetRelaxed / tfjsCpu,
      ratioWasmPlain: simdnetPlain / tfjsWasm,
    });
  }
  configureBackend({ relaxedSimd: true });
  return rows;
}

/** The end-to-end target: at least this many times tfjs-wasm's throughput. */
export const TRAINING_TARGET_VS_TFJS_WASM = 10;

const k = (v: number) =>
  v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v >= 1000 ? `${(v / 1000).toFixed(2)}k` : v.toFixed(0);

/** The training table as Markdown. */
export function trainingTable(rows: readonly TrainingRow[]): string {
  const lines = [
    `| batch | simdnet relaxed-SIMD | simdnet SIMD | simdnet step alone (relaxed) | tfjs-wasm | tfjs-cpu | simdnet / ` +
      `tfjs-wasm (relaxed, SIMD) | simdnet / tfjs-cpu | ≥ ${TRAINING_TARGET_VS_TFJS_WASM}× tfjs-wasm |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const r of rows) {
    const pass = r.ratioWasm >= TRAINING_TARGET_VS_TFJS_WASM && r.ratioWasmPlain >= TRAINING_TARGET_VS_TFJS_WASM;
    const relaxedOnly = r.ratioWasm >= TRAINING_TARGET_VS_TFJS_WASM;
    lines.push(
      `| ${r.batchSize} | ${k(r.simdnetRelaxed)} | ${k(r.simdnetPlain)} | ${k(r.simdnetRelaxedStepOnly)} | ` +
        `${k(r.tfjsWasm)} | ${k(r.tfjsCpu)} (${r.tfjsCpuSteps} steps) | ${r.ratioWasm.toFixed(1)}×, ` +
        `${r.ratioWasmPlain.toFixed(1)}× | ${r.ratioCpu.toFixed(0)}× | ` +
        `${pass ? 'pass' : relaxedOnly ? 'pass (relaxed only)' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const m = machineInfo();
  log(`${m.date}  ${m.cpu}  nproc ${m.nproc}  node ${m.node}  tfjs ${m.tfjs}`);
  console.log(trainingTable(await benchTraining()));
}
