// The tfjs backend's overhead: the reference MLP trained by simdnet on `configureBackend({ backend:
// 'tfjs' })` against the same model written with tfjs-layers (`tf.sequential` + `model.fit`) on the
// same tfjs backend, in the same process, from the same initial weights on the same samples.
// Interleaved rounds (simdnet, tfjs-layers, repeat) after a warm-up; medians. The goal: within 10%.
//
// tfjs backends here: `cpu` and `wasm` in Node (`webgl` needs a browser: not measured by this file).
//
// Run alone: npx tsx bench/tfjs-backend.ts

import * as tf from '@tensorflow/tfjs';
import { configureBackend, datasets, ready, Tensor } from '../src/index.js';
import { median, prepareTfjs, simdnetModel, tfjsEpoch, disposeTfjs } from './training.js';

export const TFJS_BACKEND_ROUNDS = 3;
/** Samples per timed epoch, per tfjs backend (cpu is slow: ~0.5k samples/s). */
export const TFJS_BACKEND_SAMPLES: Readonly<Record<'cpu' | 'wasm', number>> = { cpu: 1024, wasm: 4096 };
export const TFJS_BACKEND_BATCHES = [32, 128] as const;
export const TFJS_BACKEND_TARGET = 1.1;

export interface TfjsBackendRow {
  /** webgl: measured in headless Chromium by bench/browser-tfjs.ts. */
  tfjsBackend: 'cpu' | 'wasm' | 'webgl';
  batchSize: number;
  samples: number;
  /** samples/s, median of the rounds. */
  simdnet: number;
  tfjsLayers: number;
  /** tfjs-layers' rate / simdnet's: how much longer simdnet's epoch takes (1.05 = 5% slower). */
  overhead: number;
}

function head(t: Tensor, n: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.subarray(0, n * per), [n, ...t.shape.slice(1)]);
}

export async function benchTfjsBackend(): Promise<TfjsBackendRow[]> {
  const data = await datasets.fashionMnist({
    validation: 5000,
    trainSamples: Math.max(...Object.values(TFJS_BACKEND_SAMPLES)),
  });
  configureBackend({ backend: 'wasm', threads: 1 });
  const initialModel = simdnetModel();
  const initial = initialModel.getWeights();
  initialModel.dispose();
  const rows: TfjsBackendRow[] = [];
  for (const name of ['cpu', 'wasm'] as const) {
    const samples = TFJS_BACKEND_SAMPLES[name];
    const x = head(data.xTrain, samples);
    const y = head(data.yTrain, samples);
    for (const batch of TFJS_BACKEND_BATCHES) {
      // tfjs-layers first: prepareTfjs selects the tfjs backend (and sets up tfjs-wasm's files).
      const peer = await prepareTfjs(name, batch, x, y, initial);
      configureBackend({ backend: 'tfjs', tf, tfjsBackend: name });
      await ready();
      const model = simdnetModel();
      model.setWeights(initial);
      await model.fit(head(x, 4 * batch), head(y, 4 * batch), { epochs: 1, batchSize: batch, verbose: 0 });
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < TFJS_BACKEND_ROUNDS; r++) {
        const t0 = performance.now();
        await model.fit(x, y, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
        ours.push(samples / ((performance.now() - t0) / 1000));
        theirs.push(await tfjsEpoch(peer, batch, samples));
      }
      model.dispose();
      disposeTfjs(peer);
      const row = {
        tfjsBackend: name,
        batchSize: batch,
        samples,
        simdnet: median(ours),
        tfjsLayers: median(theirs),
        overhead: median(theirs) / median(ours),
      };
      process.stderr.write(
        `  tfjs ${name} batch ${batch}: simdnet ${row.simdnet.toFixed(0)} vs tfjs-layers ${row.tfjsLayers.toFixed(0)} ` +
          `samples/s (${row.overhead.toFixed(2)}×)\n`,
      );
      rows.push(row);
    }
  }
  configureBackend({ backend: 'wasm' });
  return rows;
}

const k = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)}k` : v.toFixed(0));

export function tfjsBackendTable(rows: readonly TfjsBackendRow[]): string {
  const lines = [
    '| tfjs backend | batch | samples | simdnet on tfjs | tfjs-layers | simdnet time / tfjs-layers time | ≤ 1.10 |',
    '|---|---:|---:|---:|---:|---:|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.tfjsBackend} | ${r.batchSize} | ${r.samples} | ${k(r.simdnet)} | ${k(r.tfjsLayers)} | ` +
        `${r.overhead.toFixed(2)} | ${r.overhead <= TFJS_BACKEND_TARGET ? 'pass' : 'MISS'} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('tfjs-backend.ts')) {
  console.log(tfjsBackendTable(await benchTfjsBackend()));
  process.exit(0);
}
