// Online learning through fit: batchSize 1, one update per sample (the reference notebook's last
// experiment). A Dense(3→4, tanh) → Dense(4→3, softmax) model with sparse cross-entropy is trained
// for 2 epochs over 10 samples in order (shuffle off), i.e. 20 updates, and checked against
//   - a float64 reference of the same 20 SGD steps written here (forward, backprop, w ← w − η·g, and
//     the epoch loss Keras reports: the mean of the per-sample losses before each update), and
//   - @tensorflow/tfjs (layers API, cpu backend) trained the same way from the same weights, with
//     SGD and with momentum (tfjs's a = μa + g, w −= η·a equals Keras's while η is constant).
// Tolerances: float32 arithmetic over 20 dependent steps drifts by a few ulps per step; 1e-4 of the
// tensor's largest value is far above that and far below one step's change (η·g ≈ 1e-2).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../../src/callbacks/callback.js';
import { Generator, layers, optimizers, sequential, Tensor, type Sequential } from '../../src/index.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { relErr } from '../helpers/compare.js';

const FEATURES = 3;
const HIDDEN = 4;
const CLASSES = 3;
const SAMPLES = 10;
const EPOCHS = 2;
const LR = 0.1;
const TOL = 1e-4;

const rng = new Generator(17);
const X = Float32Array.from({ length: SAMPLES * FEATURES }, () => rng.normal());
const Y = Int32Array.from({ length: SAMPLES }, (_, i) => (i * 7 + 1) % CLASSES);

/** The model with seeded, non-trivial weights (biases too, so their gradient path is exercised). */
function model(optimizer: Optimizer): Sequential {
  const m = sequential(
    [
      layers.dense({ units: HIDDEN, activation: 'tanh', inputShape: [FEATURES] }),
      layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
    { seed: 23 },
  );
  const r = new Generator(29);
  m.setWeights(
    m.getWeights().map(
      (w) =>
        new Tensor(
          Float32Array.from({ length: w.size }, () => (r.uniform() - 0.5) * 1.2),
          w.shape,
        ),
    ),
  );
  m.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Counts the training steps fit ran. */
class StepCounter extends Callback {
  steps = 0;
  override onBatchEnd(): void {
    this.steps++;
  }
}

async function fitOnline(m: Sequential) {
  const counter = new StepCounter();
  const history = await m.fit(new Tensor(X, [SAMPLES, FEATURES]), new Tensor(Y, [SAMPLES]), {
    epochs: EPOCHS,
    batchSize: 1,
    shuffle: false,
    verbose: 0,
    callbacks: [counter],
  });
  return {
    history,
    steps: counter.steps,
    weights: m.getWeights().map((w) => Float32Array.from(w.data as Float32Array)),
  };
}

/** Float64 batch-1 SGD on [kernel1, bias1, kernel2, bias2]; returns the weights and each epoch's mean loss. */
function referenceOnline(start: readonly Float32Array[]): { weights: Float64Array[]; losses: number[] } {
  const [k1, b1, k2, b2] = start.map((w) => Float64Array.from(w));
  const losses: number[] = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    let sum = 0;
    for (let n = 0; n < SAMPLES; n++) {
      const x = X.subarray(n * FEATURES, (n + 1) * FEATURES);
      const h = Array.from({ length: HIDDEN }, (_, j) =>
        Math.tanh(b1[j] + x.reduce((s, xi, i) => s + xi * k1[i * HIDDEN + j], 0)),
      );
      const z = Array.from(
        { length: CLASSES },
        (_, c) => b2[c] + h.reduce((s, hj, j) => s + hj * k2[j * CLASSES + c], 0),
      );
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const total = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / total);
      sum += -Math.log(p[Y[n]]);
      // ∂loss/∂z = p − onehot; back through the second layer and tanh (1 − h²).
      const dz = p.map((pc, c) => pc - (c === Y[n] ? 1 : 0));
      const dh = h.map((hj, j) => (1 - hj * hj) * dz.reduce((s, d, c) => s + d * k2[j * CLASSES + c], 0));
      for (let j = 0; j < HIDDEN; j++) for (let c = 0; c < CLASSES; c++) k2[j * CLASSES + c] -= LR * h[j] * dz[c];
      for (let c = 0; c < CLASSES; c++) b2[c] -= LR * dz[c];
      for (let i = 0; i < FEATURES; i++) for (let j = 0; j < HIDDEN; j++) k1[i * HIDDEN + j] -= LR * x[i] * dh[j];
      for (let j = 0; j < HIDDEN; j++) b1[j] -= LR * dh[j];
    }
    losses.push(sum / SAMPLES);
  }
  return { weights: [k1, b1, k2, b2], losses };
}

/** tfjs trained the same way from the same weights. */
async function tfjsOnline(start: readonly Float32Array[], shapes: readonly number[][], optimizer: tf.Optimizer) {
  const ref = tf.sequential({
    layers: [
      tf.layers.dense({ units: HIDDEN, activation: 'tanh', inputShape: [FEATURES] }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  ref.setWeights(start.map((w, i) => tf.tensor(w, shapes[i])));
  ref.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const history = await ref.fit(tf.tensor2d(X, [SAMPLES, FEATURES]), tf.tensor1d(Float32Array.from(Y)), {
    epochs: EPOCHS,
    batchSize: 1,
    shuffle: false,
    verbose: 0,
  });
  const weights = ref.getWeights().map((w) => w.dataSync() as Float32Array);
  ref.dispose();
  return { weights, losses: history.history.loss as number[] };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('online learning (batchSize 1) through fit', () => {
  it('20 batch-1 SGD steps equal a float64 reference, weights and epoch losses', async () => {
    const m = model(optimizers.sgd({ learningRate: LR }));
    const start = m.getWeights().map((w) => Float32Array.from(w.data as Float32Array));
    const ours = await fitOnline(m);
    const ref = referenceOnline(start);
    expect(ours.steps).toBe(SAMPLES * EPOCHS);
    expect(m.optimizer!.iterations).toBe(SAMPLES * EPOCHS);
    ours.weights.forEach((w, i) => {
      expect(relErr(w, ref.weights[i]), `weight ${i}`).toBeLessThan(TOL);
      // training moved every tensor well beyond the tolerance, so the check has teeth
      expect(relErr(start[i], ref.weights[i]), `weight ${i} moved`).toBeGreaterThan(100 * TOL);
    });
    expect(relErr(ours.history.history.loss, ref.losses)).toBeLessThan(TOL);
    m.dispose();
  });

  it.each([
    { name: 'sgd', ours: () => optimizers.sgd({ learningRate: LR }), theirs: () => tf.train.sgd(LR) },
    {
      name: 'sgd momentum 0.9',
      ours: () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
      theirs: () => tf.train.momentum(0.05, 0.9),
    },
  ])(
    '$name: the same weights and epoch losses as tfjs trained with batchSize 1, shuffle false',
    async ({ ours: make, theirs }) => {
      const m = model(make());
      const start = m.getWeights().map((w) => Float32Array.from(w.data as Float32Array));
      const shapes = m.getWeights().map((w) => [...w.shape]);
      const ours = await fitOnline(m);
      const ref = await tfjsOnline(start, shapes, theirs());
      for (const [i, w] of ours.weights.entries()) expect(relErr(w, ref.weights[i]), `weight ${i}`).toBeLessThan(TOL);
      expect(relErr(ours.history.history.loss, ref.losses)).toBeLessThan(TOL);
      m.dispose();
    },
  );
});
