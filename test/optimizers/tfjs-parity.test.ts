// Parity with @tensorflow/tfjs's optimizers (cpu backend): a Dense(6→5, tanh) → Dense(5→3, softmax)
// model, the same start (simdnet's seeded kernels, seeded biases), sparse cross-entropy, 5 full-batch
// steps in both; the weights must agree within 1e-4 relative (max|a − b| / max|b| per tensor).
//
// Options are set equal on both sides. Real formula differences, noted where they matter:
//   - momentum: tfjs keeps a = μa + g, w −= η·a; Keras (ours) m = μm − ηg, w += m: equal while η is constant.
//   - adam: tfjs puts ε after the bias correction (√v̂ + ε), Keras before (α·m/(√v + ε)); with
//     ε = 1e-8 on both sides the difference, ε·(1 − √(1 − β2^t))·…, is far below float32 rounding.
//   - adagrad: tfjs fixes ε at 1e-7 (its backend epsilon): we pass 1e-7.
//   - rmsprop centered: tfjs takes √(v − (ḡ² + ε)), subtracting ε where Keras adds it (√(v − ḡ² + ε)):
//     the centered cases use ε = 1e-12 on both sides, where the sign of ε is far below rounding.
//   - rmsprop (plain, momentum), adamax: the same formulas (ε inside the root where Keras has it).
//   - adadelta: tfjs divides by √(a_{t−1} + ε), the accumulator before this step's update, where Keras
//     uses the updated one: not comparable, so Adadelta is checked against Keras's formula in
//     keras-reference.test.ts instead.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { Generator, layers, optimizers, sequential, Tensor } from '../../src/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';

const N = 8;
const FEATURES = 6;
const HIDDEN = 5;
const CLASSES = 3;
const STEPS = 5;
const TOL = 1e-4;

const x = Float32Array.from({ length: N * FEATURES }, (_, i) => Math.sin(i * 1.3) * 1.5);
const y = Int32Array.from({ length: N }, (_, i) => (i * 2) % CLASSES);

interface Case {
  name: string;
  ours: () => Optimizer;
  theirs: () => tf.Optimizer;
}

const CASES: Case[] = [
  { name: 'sgd', ours: () => optimizers.sgd({ learningRate: 0.1 }), theirs: () => tf.train.sgd(0.1) },
  {
    name: 'sgd momentum 0.9',
    ours: () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    theirs: () => tf.train.momentum(0.05, 0.9),
  },
  {
    name: 'sgd nesterov 0.8',
    ours: () => optimizers.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
    theirs: () => tf.train.momentum(0.05, 0.8, true),
  },
  {
    name: 'adagrad',
    ours: () => optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.1, epsilon: 1e-7 }),
    theirs: () => tf.train.adagrad(0.05, 0.1),
  },
  {
    name: 'rmsprop',
    ours: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7, false),
  },
  {
    name: 'rmsprop centered',
    ours: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, epsilon: 1e-12, centered: true }),
    theirs: () => tf.train.rmsprop(0.01, 0.8, 0, 1e-12, true),
  },
  {
    name: 'rmsprop momentum 0.5',
    ours: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7 }),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, false),
  },
  {
    name: 'rmsprop centered with momentum',
    ours: () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-12, centered: true }),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-12, true),
  },
  {
    name: 'adam',
    ours: () => optimizers.adam({ learningRate: 0.01, epsilon: 1e-8 }),
    theirs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-8),
  },
  {
    name: 'adam β 0.8/0.99',
    ours: () => optimizers.adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-8 }),
    theirs: () => tf.train.adam(0.02, 0.8, 0.99, 1e-8),
  },
  {
    name: 'adamax',
    ours: () => optimizers.adamax({ learningRate: 0.01, epsilon: 1e-7 }),
    theirs: () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7),
  },
];

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 1e-30;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return Number.isNaN(d) ? Infinity : d / m;
}

async function train(c: Case) {
  const model = sequential(
    [
      layers.dense({ units: HIDDEN, activation: 'tanh', inputShape: [FEATURES] }),
      layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
    { seed: 11 },
  );
  const rng = new Generator(3);
  const start = model.getWeights().map((w) =>
    w.rank === 1
      ? new Tensor(
          Float32Array.from(w.data, () => (rng.uniform() - 0.5) * 0.2),
          w.shape,
        )
      : w,
  );
  model.setWeights(start);
  model.compile({ optimizer: c.ours(), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(new Tensor(x, [N, FEATURES]), new Tensor(y, [N]), {
    epochs: STEPS,
    batchSize: N,
    shuffle: false,
    verbose: 0,
  });
  const ours = model.getWeights();

  const ref = tf.sequential({
    layers: [
      tf.layers.dense({ units: HIDDEN, activation: 'tanh', inputShape: [FEATURES] }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  ref.setWeights(start.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  ref.compile({ optimizer: c.theirs(), loss: 'sparseCategoricalCrossentropy' });
  await ref.fit(tf.tensor2d(x, [N, FEATURES]), tf.tensor1d(Float32Array.from(y)), {
    epochs: STEPS,
    batchSize: N,
    shuffle: false,
    verbose: 0,
  });
  const theirs = ref.getWeights().map((w) => w.dataSync());
  const moved = start.map((w, i) => relErr(w.data as Float32Array, theirs[i]));
  ref.dispose();
  return { errors: ours.map((w, i) => relErr(w.data as Float32Array, theirs[i])), moved };
}

for (const relaxedSimd of [false, true]) {
  describe(`optimizers against tfjs (${relaxedSimd ? 'relaxed' : 'plain'} SIMD), ${STEPS} steps`, () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
      configureBackend({ relaxedSimd });
    });
    afterAll(() => configureBackend({ relaxedSimd: true }));

    for (const c of CASES) {
      it(c.name, async () => {
        const { errors, moved } = await train(c);
        // The weights really moved (the comparison is not of two untouched starts)…
        expect(Math.max(...moved)).toBeGreaterThan(1e-3);
        // …and agree with tfjs for every tensor.
        for (const [i, e] of errors.entries()) expect(e, `weight ${i}`).toBeLessThan(TOL);
      });
    }
  });
}
