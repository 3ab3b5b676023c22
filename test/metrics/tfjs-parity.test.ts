// Metrics against an independent implementation: @tensorflow/tfjs (cpu backend). simdnet's figures
// come from model.evaluate (streamed over batches of 7 on 50 samples: 7 full batches and a tail of 1),
// tfjs's from its metric functions applied to the same predictions (model.predict) and labels in one
// go: for ratios of counts (precision, recall), streaming must equal the whole-set figure exactly.
//   - tf.metrics.binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, meanSquaredError and
//     meanAbsoluteError give one value per sample: their mean over the samples is the epoch figure.
//   - tf.metrics.precision and recall count yPred === 1, i.e. they take predictions already
//     thresholded: they are given (p > 0.5) as 0/1, the threshold Keras and simdnet apply.
//   - tfjs's metrics.topKCategoricalAccuracy throws NotImplementedError, so top-k is checked against
//     tf.inTopKAsync (tfjs-core) on the argmax of the one-hot targets.
// The data are chosen so that every figure is strictly between 0 and 1 (checked), so a swapped
// count or a wrong threshold cannot pass.

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { Generator, layers, metrics, sequential, Tensor, type Sequential } from '../../src/index.js';
import type { ActivationName } from '../../src/layers/activations.js';
import type { LossIdentifier } from '../../src/losses/losses.js';
import type { MetricIdentifier } from '../../src/metrics/metrics.js';

const N = 50;
const F = 4;
const BATCH = 7;
const rng = new Generator(77);
const x = Float32Array.from({ length: N * F }, () => rng.uniform() * 4 - 2);
const xs = new Tensor(x, [N, F]);

function model(units: number, activation: ActivationName, loss: LossIdentifier, m: MetricIdentifier[]): Sequential {
  const s = sequential([layers.dense({ units, activation, inputShape: [F] })], { seed: 8 });
  s.compile({ optimizer: 'sgd', loss, metrics: m });
  return s;
}

/** A tfjs metric's value on the whole set: the mean of its per-sample values (or the scalar itself). */
function theirs(fn: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor, yTrue: tf.Tensor, yPred: tf.Tensor): number {
  return tf.tidy(() => tf.mean(fn(yTrue, yPred)).dataSync()[0]);
}

/** Evaluates our model and compares each key with tfjs's figure; every figure must be informative. */
function expectParity(
  ours: Record<string, number>,
  reference: Record<string, number>,
  tol: number,
  bounded = true,
): void {
  for (const [key, value] of Object.entries(reference)) {
    expect(ours[key], `${key}: ours ${ours[key]} vs tfjs ${value}`).toBeDefined();
    expect(Math.abs(ours[key] - value), `${key}: ours ${ours[key]} vs tfjs ${value}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(value)),
    );
    if (bounded) expect(value > 0 && value < 1, `${key} = ${value} is strictly inside (0, 1)`).toBe(true);
  }
}

const bits = (n: number, seed: number) => {
  const r = new Generator(seed);
  return Float32Array.from({ length: n }, () => (r.uniform() < 0.45 ? 1 : 0));
};
const CLASSES = 5;
const labels = Int32Array.from({ length: N }, (_, i) => (i * 3 + (i >> 2)) % CLASSES);
const oneHot = Float32Array.from({ length: N * CLASSES }, (_, e) =>
  labels[Math.floor(e / CLASSES)] === e % CLASSES ? 1 : 0,
);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

for (const relaxedSimd of [true, false]) {
  describe(`metrics: parity with @tensorflow/tfjs (cpu), ${relaxedSimd ? 'relaxed' : 'plain'} SIMD kernels`, () => {
    beforeAll(() => configureBackend({ relaxedSimd }));
    afterAll(() => configureBackend({ relaxedSimd: true }));

    it.each([1, 3])(
      'binaryAccuracy, precision, recall, meanSquaredError, meanAbsoluteError on %i sigmoid unit(s)',
      (units) => {
        const t = bits(N * units, 10 + units);
        const m = model(units, 'sigmoid', 'binaryCrossentropy', [
          'binaryAccuracy',
          metrics.precision(),
          'recall',
          'mse',
          metrics.meanAbsoluteError(),
        ]);
        const p = m.predict(xs).data as Float32Array;
        const ours = m.evaluate(xs, new Tensor(t, units === 1 ? [N] : [N, units]), { batchSize: BATCH });
        const [yTrue, yPred] = [tf.tensor2d(t, [N, units]), tf.tensor2d(p, [N, units])];
        const thresholded = tf.cast(tf.greater(yPred, 0.5), 'float32');
        expectParity(
          ours,
          {
            binaryAccuracy: theirs(tf.metrics.binaryAccuracy, yTrue, yPred),
            precision: theirs(tf.metrics.precision, yTrue, thresholded),
            recall: theirs(tf.metrics.recall, yTrue, thresholded),
          },
          1e-6,
        );
        expectParity(
          ours,
          {
            meanSquaredError: theirs(tf.metrics.meanSquaredError, yTrue, yPred),
            meanAbsoluteError: theirs(tf.metrics.meanAbsoluteError, yTrue, yPred),
          },
          1e-6,
        );
        tf.dispose([yTrue, yPred, thresholded]);
        m.dispose();
      },
    );

    it(
      'one-hot targets: ' + 'categoricalAccuracy and topKCategoricalAccuracy (k = 2, 3) against tf.inTopKAsync, mse',
      async () => {
        const m = model(CLASSES, 'softmax', 'categoricalCrossentropy', [
          'categoricalAccuracy',
          metrics.topKCategoricalAccuracy({ k: 2, name: 'top2' }),
          metrics.topKCategoricalAccuracy({ k: 3, name: 'top3' }),
          'mse',
        ]);
        const p = m.predict(xs).data as Float32Array;
        const ours = m.evaluate(xs, new Tensor(oneHot, [N, CLASSES]), { batchSize: BATCH });
        const [yTrue, yPred] = [tf.tensor2d(oneHot, [N, CLASSES]), tf.tensor2d(p, [N, CLASSES])];
        const target = tf.argMax(yTrue, -1);
        const inTopK = async (k: number) => {
          const hits = await tf.inTopKAsync(yPred, target, k);
          const v = tf.tidy(() => tf.mean(tf.cast(hits, 'float32')).dataSync()[0]);
          hits.dispose();
          return v;
        };
        expectParity(
          ours,
          {
            categoricalAccuracy: theirs(tf.metrics.categoricalAccuracy, yTrue, yPred),
            top2: await inTopK(2),
            top3: await inTopK(3),
            meanSquaredError: theirs(tf.metrics.meanSquaredError, yTrue, yPred),
          },
          1e-6,
        );
        // top-k grows with k, and k = 1 is plain accuracy
        expect(ours.top2).toBeGreaterThan(ours.categoricalAccuracy);
        expect(ours.top3).toBeGreaterThan(ours.top2);
        expect(Math.abs((await inTopK(1)) - ours.categoricalAccuracy)).toBeLessThanOrEqual(1e-6);
        tf.dispose([yTrue, yPred, target]);
        m.dispose();
      },
    );

    it('sparse labels: accuracy and sparseCategoricalAccuracy against tf.metrics.sparseCategoricalAccuracy', () => {
      const m = model(CLASSES, 'softmax', 'sparseCategoricalCrossentropy', ['accuracy', 'sparseCategoricalAccuracy']);
      const p = m.predict(xs).data as Float32Array;
      const ours = m.evaluate(xs, new Tensor(labels, [N]), { batchSize: BATCH });
      const [yTrue, yPred] = [tf.tensor2d(Float32Array.from(labels), [N, 1]), tf.tensor2d(p, [N, CLASSES])];
      const reference = theirs(tf.metrics.sparseCategoricalAccuracy, yTrue, yPred);
      expectParity(ours, { accuracy: reference, sparseCategoricalAccuracy: reference }, 1e-6);
      tf.dispose([yTrue, yPred]);
      m.dispose();
    });

    it('regression: meanSquaredError and meanAbsoluteError on 2 linear units', () => {
      const t = Float32Array.from({ length: N * 2 }, (_, i) => Math.sin(i) * 1.5);
      const m = model(2, 'linear', 'meanSquaredError', ['mse', 'meanAbsoluteError']);
      const p = m.predict(xs).data as Float32Array;
      const ours = m.evaluate(xs, new Tensor(t, [N, 2]), { batchSize: BATCH });
      const [yTrue, yPred] = [tf.tensor2d(t, [N, 2]), tf.tensor2d(p, [N, 2])];
      const mse = theirs(tf.metrics.meanSquaredError, yTrue, yPred);
      // the loss is the same quantity: it must agree as well
      expectParity(
        ours,
        { meanSquaredError: mse, meanAbsoluteError: theirs(tf.metrics.meanAbsoluteError, yTrue, yPred), loss: mse },
        1e-5,
        false,
      );
      expect(mse).toBeGreaterThan(0.1);
      tf.dispose([yTrue, yPred]);
      m.dispose();
    });
  });
}
