// Online learning (batch size 1), the reference notebook's last run: its second model (Flatten →
// Dropout 0.2 → Dense 300 elu he-normal → Dropout 0.2 → Dense 100 elu he-normal → Dropout 0.2 →
// Dense 10 softmax, Adam 0.01, sparse categorical cross-entropy, metrics ['accuracy']) trained one
// sample per step. The figure is the time of the first training epoch of 10,000 Fashion-MNIST samples
// from the same initial weights (shuffled, silent, no validation pass):
//   - simdnet, relaxed-SIMD and plain-SIMD builds: one whole epoch each, after a warm-up on a
//     throwaway model (steps get slower as the run goes on, so every library starts from step 0);
//   - @tensorflow/tfjs with its `wasm` backend: at batch 1 an epoch takes minutes, so it trains
//     TFJS_ONLINE_STEPS steps and the epoch time is extrapolated from them (the table says so).
//     Those are the epoch's first steps; later steps can be slower (with Adam at 0.01 the run
//     diverges and its moments decay into subnormal floats, which x86 computes slowly in WASM, which
//     has no flush-to-zero), so the extrapolation flatters tfjs rather than simdnet.
// The same initial weights in both libraries, each warmed up first.
//
// Run alone: npx tsx bench/online.ts

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

export const ONLINE_SAMPLES = 10_000;
/** Steps tfjs-wasm trains at batch 1; its epoch time is scaled up from these. */
export const TFJS_ONLINE_STEPS = 1000;

export interface OnlineResult {
  /** simdnet's backend descriptions, relaxed then plain. */
  simdnetBackends: [string, string];
  /** Seconds of the first epoch of ONLINE_SAMPLES steps. */
  simdnetRelaxed: number;
  simdnetPlain: number;
  /** Seconds per epoch, extrapolated from TFJS_ONLINE_STEPS steps. */
  tfjsWasm: number;
  /** tfjs-wasm's epoch time over simdnet's (relaxed, plain). */
  ratio: number;
  ratioPlain: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function head(t: Tensor, n: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.subarray(0, n * per), [n, ...t.shape.slice(1)]);
}

function simdnetModel(): Sequential {
  const model = sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 300, activation: 'elu', kernelInitializer: 'heNormal' }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 100, activation: 'elu', kernelInitializer: 'heNormal' }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 42 },
  );
  model.compile({
    optimizer: optimizers.adam({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Seconds of a fresh model's first epoch on a freshly configured backend, after a warm-up. */
async function simdnetEpochSeconds(
  relaxedSimd: boolean,
  x: Tensor,
  y: Tensor,
): Promise<{ build: string; seconds: number }> {
  configureBackend({ relaxedSimd });
  const build = getBackend().description;
  const warm = simdnetModel();
  await warm.fit(head(x, 200), head(y, 200), { epochs: 1, batchSize: 1, verbose: 0 });
  warm.dispose();
  const model = simdnetModel();
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return { build, seconds };
}

function tfjsModel(initial: readonly Tensor[]): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 300, activation: 'elu', kernelInitializer: 'heNormal' }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 100, activation: 'elu', kernelInitializer: 'heNormal' }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.setWeights(initial.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  return model;
}

/** Seconds per epoch of tfjs-wasm at batch 1, from TFJS_ONLINE_STEPS timed steps after a warm-up. */
async function tfjsEpochSeconds(x: Tensor, y: Tensor, initial: readonly Tensor[]): Promise<number> {
  // In Node the backend cannot locate its .wasm files by itself: point it at the package's dist/.
  const require = createRequire(import.meta.url);
  setWasmPaths(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + path.sep,
  );
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs backend wasm failed to initialise');
  await tf.ready();
  const model = tfjsModel(initial);
  const steps = Math.min(TFJS_ONLINE_STEPS, x.shape[0]);
  const xs = tf.tensor(x.data.subarray(0, steps * 784) as Float32Array, [steps, 28, 28]);
  const ys = tf.tensor(Float32Array.from(y.data.subarray(0, steps)), [steps]);
  const [wx, wy] = [xs.slice(0, 50), ys.slice(0, 50)];
  await model.fit(wx, wy, { epochs: 1, batchSize: 1, shuffle: true, verbose: 0 });
  const t0 = performance.now();
  await model.fit(xs, ys, { epochs: 1, batchSize: 1, shuffle: true, verbose: 0 });
  const seconds = ((performance.now() - t0) / 1000) * (ONLINE_SAMPLES / steps);
  tf.dispose([xs, ys, wx, wy]);
  model.dispose();
  return seconds;
}

export async function benchOnline(): Promise<OnlineResult> {
  const data = await datasets.fashionMnist({ validation: 5000, trainSamples: ONLINE_SAMPLES });
  const { xTrain: x, yTrain: y } = data;
  configureBackend({ relaxedSimd: true });
  const initialModel = simdnetModel();
  const initial = initialModel.getWeights();
  initialModel.dispose();

  const relaxed = await simdnetEpochSeconds(true, x, y);
  const plain = await simdnetEpochSeconds(false, x, y);
  configureBackend({ relaxedSimd: true });
  const [simdnetRelaxed, simdnetPlain] = [relaxed.seconds, plain.seconds];
  log(
    `  batch 1: simdnet ${relaxed.build} ${simdnetRelaxed.toFixed(2)} s/epoch, ${plain.build} ` +
      `${simdnetPlain.toFixed(2)} s/epoch`,
  );
  const tfjsWasm = await tfjsEpochSeconds(x, y, initial);
  log(`  batch 1: tfjs-wasm ${tfjsWasm.toFixed(1)} s/epoch (extrapolated from ${TFJS_ONLINE_STEPS} steps)`);
  return {
    simdnetBackends: [relaxed.build, plain.build],
    simdnetRelaxed,
    simdnetPlain,
    tfjsWasm,
    ratio: tfjsWasm / simdnetRelaxed,
    ratioPlain: tfjsWasm / simdnetPlain,
  };
}

/** The online-learning table as Markdown. */
export function onlineTable(r: OnlineResult): string {
  const perStep = (seconds: number) => `${((seconds / ONLINE_SAMPLES) * 1e6).toFixed(0)} µs`;
  return [
    '| batch | simdnet relaxed-SIMD | simdnet SIMD | tfjs-wasm (extrapolated) | simdnet / tfjs-wasm (relaxed, SIMD) |',
    '|---:|---:|---:|---:|---:|',
    `| 1 | ${r.simdnetRelaxed.toFixed(2)} s (${perStep(r.simdnetRelaxed)}/step) | ${r.simdnetPlain.toFixed(2)} s ` +
      `(${perStep(r.simdnetPlain)}/step) | ${r.tfjsWasm.toFixed(1)} s (${perStep(r.tfjsWasm)}/step; ` +
      `${TFJS_ONLINE_STEPS.toLocaleString('en')} steps timed) | ${r.ratio.toFixed(1)}×, ` +
      `${r.ratioPlain.toFixed(1)}× faster |`,
  ].join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) console.log(onlineTable(await benchOnline()));
