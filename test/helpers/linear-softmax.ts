// A linear softmax classifier (dense → softmax, sparse cross-entropy, one full batch per step) and a
// float64 reference of SGD on it with a given rate per step: checks which rate each step really used.

import { layers, optimizers, sequential, Tensor } from '../../src/index.js';
import type { Callback } from '../../src/callbacks/callback.js';
import type { LearningRate } from '../../src/optimizers/optimizer.js';

export const FEATURES = 4;
export const CLASSES = 3;
export const SAMPLES = 8;

export function linearData() {
  const x = Float32Array.from({ length: SAMPLES * FEATURES }, (_, i) => Math.sin(i * 1.7) * 2);
  const y = Int32Array.from({ length: SAMPLES }, (_, i) => (i * 5) % CLASSES);
  return { x, y };
}

/** Float64 reference: w ← w − η_t · ∂(mean CE)/∂w for each step t over the whole batch. */
export function referenceSgd(kernel: Float64Array, bias: Float64Array, rates: readonly number[]) {
  const { x, y } = linearData();
  for (const eta of rates) {
    const gk = new Float64Array(kernel.length);
    const gb = new Float64Array(bias.length);
    for (let n = 0; n < SAMPLES; n++) {
      const z = Array.from({ length: CLASSES }, (_, c) => {
        let s = bias[c];
        for (let f = 0; f < FEATURES; f++) s += x[n * FEATURES + f] * kernel[f * CLASSES + c];
        return s;
      });
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const total = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < CLASSES; c++) {
        const dz = (e[c] / total - (c === y[n] ? 1 : 0)) / SAMPLES;
        gb[c] += dz;
        for (let f = 0; f < FEATURES; f++) gk[f * CLASSES + c] += x[n * FEATURES + f] * dz;
      }
    }
    for (let i = 0; i < kernel.length; i++) kernel[i] -= eta * gk[i];
    for (let i = 0; i < bias.length; i++) bias[i] -= eta * gb[i];
  }
  return { kernel, bias };
}

/** Trains the linear model for `steps` epochs of one full-batch step each. */
export async function trainLinear(
  learningRate: LearningRate,
  steps: number,
  options: { decay?: number; callbacks?: Callback[] } = {},
) {
  const model = sequential([layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] })], {
    seed: 5,
  });
  const [k0, b0] = model.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
  const optimizer = optimizers.sgd({ learningRate, decay: options.decay ?? 0 });
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const { x, y } = linearData();
  const history = await model.fit(new Tensor(x, [SAMPLES, FEATURES]), new Tensor(y, [SAMPLES]), {
    epochs: steps,
    batchSize: SAMPLES,
    shuffle: false,
    verbose: 0,
    callbacks: options.callbacks ?? [],
  });
  const [k, b] = model.getWeights().map((w) => Array.from(w.data as Float32Array));
  return { k0, b0, k, b, history, optimizer };
}
