// BatchNormalization: parity with @tensorflow/tfjs (layers, cpu backend) on three small models — the
// training-mode outputs, the inference outputs, and one SGD step (`fit`, one batch) including the moving
// statistics —, training vs inference through fit/evaluate, the reference notebook's two
// batch-normalization models' summary() tables, and the errors (options, a training batch of 1).
//
// Relative error of a tensor a against the reference b: max|a − b| / max(max|b|, 1e-30), as in
// test/model/tfjs-parity.test.ts. Both kernel builds.

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearSession,
  layers,
  optimizers,
  sequential,
  Generator,
  ShapeError,
  Tensor,
  ValueError,
  type Sequential,
} from '../../src/index.js';
import { configureBackend, getBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { placeholder } from '../../src/graph/tensor.js';
import { BatchNormalization } from '../../src/layers/batch-normalization.js';
import { callContext, type Layer } from '../../src/layers/layer.js';
import { forward } from '../../src/model/programs.js';
import { relErr } from '../helpers/compare.js';

const TOL = 1e-4;
const LR = 0.1;
const BATCH = 16;

interface Variant {
  name: string;
  inputShape: number[];
  momentum: number;
  epsilon: number;
  simdnet: (bn: () => BatchNormalization) => Layer[];
  tfjs: (bn: () => tf.layers.Layer) => tf.layers.Layer[];
}

const VARIANTS: Variant[] = [
  {
    name: 'Dense(12, relu) → BatchNormalization → Dense(3, softmax)',
    inputShape: [6],
    momentum: 0.99,
    epsilon: 1e-3,
    simdnet: (bn) => [
      layers.dense({ units: 12, activation: 'relu', inputShape: [6] }),
      bn(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    tfjs: (bn) => [
      tf.layers.dense({ units: 12, activation: 'relu', inputShape: [6] }),
      bn(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name:
      'BatchNormalization on [3, 4] samples (rows × last axis) ' +
      '→ Flatten → Dense(3, softmax), ' +
      'momentum 0.9, ε 1e-5',
    inputShape: [3, 4],
    momentum: 0.9,
    epsilon: 1e-5,
    simdnet: () => [
      layers.batchNormalization({ inputShape: [3, 4], momentum: 0.9, epsilon: 1e-5 }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    tfjs: () => [
      tf.layers.batchNormalization({ inputShape: [3, 4], momentum: 0.9, epsilon: 1e-5 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'Dense(9, tanh) → BatchNormalization → Dense(7) → BatchNormalization → Dense(3, softmax), momentum 0.5',
    inputShape: [5],
    momentum: 0.5,
    epsilon: 1e-3,
    simdnet: (bn) => [
      layers.dense({ units: 9, activation: 'tanh', inputShape: [5] }),
      bn(),
      layers.dense({ units: 7 }),
      bn(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    tfjs: (bn) => [
      tf.layers.dense({ units: 9, activation: 'tanh', inputShape: [5] }),
      bn(),
      tf.layers.dense({ units: 7 }),
      bn(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
];

function buildPair(v: Variant, seed: number): { s: Sequential; t: tf.Sequential } {
  const s = sequential(
    v.simdnet(() => layers.batchNormalization({ momentum: v.momentum, epsilon: v.epsilon })),
    { seed },
  );
  s.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
  const t = tf.sequential({
    layers: v.tfjs(() => tf.layers.batchNormalization({ momentum: v.momentum, epsilon: v.epsilon })),
  });
  t.compile({ optimizer: tf.train.sgd(LR), loss: 'sparseCategoricalCrossentropy' });
  // Non-default values everywhere (γ, β, the moving statistics, biases), copied layer by layer.
  const rng = new Generator(seed + 1);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
  s.layers.forEach((layer, i) => {
    const values = layer.weights.map((w) => {
      const ranges: Record<string, [number, number]> = {
        gamma: [0.5, 1.5],
        beta: [-0.3, 0.3],
        moving_mean: [-0.5, 0.5],
        moving_variance: [0.5, 2],
        bias: [-0.1, 0.1],
      };
      const key = w.name.split('/').pop()!;
      const range = ranges[key];
      return range
        ? new Tensor(
            Float32Array.from({ length: w.size }, () => u(...range)),
            w.shape,
          )
        : w.read();
    });
    for (const [j, w] of layer.weights.entries()) w.assign(values[j]);
    t.layers[i].setWeights(values.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  });
  return { s, t };
}

function batch(v: Variant, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = new Generator(seed);
  const size = v.inputShape.reduce((a, b) => a * b, 1);
  // Offset and spread per feature so that the batch statistics are far from (0, 1).
  const x = Float32Array.from({ length: BATCH * size }, (_, i) => 0.7 + (1 + (i % 3)) * (rng.uniform() * 2 - 1));
  const labels = Int32Array.from({ length: BATCH }, () => rng.int(3));
  return { x, labels };
}

function snapshot(s: Sequential): Tensor[] {
  return s.layers.flatMap((l) => l.weights.map((w) => w.read()));
}
function restore(s: Sequential, t: tf.Sequential, weights: Tensor[]): void {
  let k = 0;
  s.layers.forEach((layer, i) => {
    const values = layer.weights.map(() => weights[k++]);
    for (const [j, w] of layer.weights.entries()) w.assign(values[j]);
    t.layers[i].setWeights(values.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
  });
}

/** simdnet's training-mode forward output (batch statistics), through a graph of the model's layers. */
function trainingOutput(s: Sequential, v: Variant, x: Float32Array): Float32Array {
  const input = placeholder([BATCH, ...v.inputShape], 'float32', 'x');
  const output = forward(s.layers, input, callContext(true));
  const graph = new CompiledGraph(getBackend(), { feeds: [input], fetches: [output] });
  graph.write(input, x);
  graph.run();
  const out = graph.read(output) as Float32Array;
  graph.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('parity with @tensorflow/tfjs (cpu), $build kernels', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  VARIANTS.forEach((v, index) => {
    it(v.name, async () => {
      const { s, t } = buildPair(v, 40 + index);
      const { x, labels } = batch(v, 90 + index);
      const xs = tf.tensor(x, [BATCH, ...v.inputShape]);
      const ys = tf.tensor(Float32Array.from(labels), [BATCH]);
      const initial = snapshot(s);

      // Training-mode outputs (both libraries update their moving statistics here: restore after).
      const tTrain = (t.apply(xs, { training: true }) as tf.Tensor).dataSync();
      expect(relErr(trainingOutput(s, v, x), tTrain), 'training-mode output').toBeLessThan(TOL);
      restore(s, t, initial);

      // Inference outputs, before and after one SGD step.
      const sx = new Tensor(x, [BATCH, ...v.inputShape]);
      expect(relErr(s.predict(sx).data, (t.predict(xs) as tf.Tensor).dataSync()), 'inference output').toBeLessThan(TOL);

      await s.fit(sx, new Tensor(labels, [BATCH]), { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      await t.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      s.layers.forEach((layer, i) => {
        const tw = t.layers[i].getWeights();
        layer.weights.forEach((w, j) => {
          expect(relErr(w.read().data, tw[j].dataSync()), `${w.name} after one step`).toBeLessThan(TOL);
        });
      });
      // The step changed γ and the moving statistics (momentum < 1). (β of a normalisation followed by
      // Dense → BatchNormalization gets no gradient: the second one subtracts the shift again.)
      const bn = s.layers.find((l) => l instanceof BatchNormalization) as BatchNormalization;
      const k = s.layers.slice(0, s.layers.indexOf(bn)).reduce((n, l) => n + l.weights.length, 0);
      for (const j of [0, 2, 3])
        expect(relErr(bn.weights[j].read().data, initial[k + j].data), bn.weights[j].name).toBeGreaterThan(1e-3);
      expect(
        relErr(s.predict(sx).data, (t.predict(xs) as tf.Tensor).dataSync()),
        'inference output after the step',
      ).toBeLessThan(TOL);
      tf.dispose([xs, ys]);
      t.dispose();
      s.dispose();
    });
  });
});

describe('training and inference behaviour', () => {
  it(
    'fit normalises with the batch statistics, evaluate with the moving ones: the losses differ; predict is ' +
      'deterministic',
    async () => {
      const v = VARIANTS[0];
      const { s } = buildPair(v, 3);
      const { x, labels } = batch(v, 4);
      const sx = new Tensor(x, [BATCH, 6]);
      const sy = new Tensor(labels, [BATCH]);
      const evalLoss = s.evaluate(sx, sy).loss;
      const p = Array.from(s.predict(sx).data);
      expect(Array.from(s.predict(sx).data)).toEqual(p);
      const h = await s.fit(sx, sy, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      expect(Math.abs(h.history.loss[0] - evalLoss)).toBeGreaterThan(1e-3);
      s.dispose();
    },
  );

  it('trainable: false runs in inference mode inside fit (as Keras): no update of any of its weights', async () => {
    const v = VARIANTS[0];
    const { s } = buildPair(v, 5);
    const bn = s.layers[1] as BatchNormalization;
    bn.trainable = false;
    s.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
    const before = bn.weights.map((w) => Array.from(w.read().data));
    const { x, labels } = batch(v, 6);
    await s.fit(new Tensor(x, [BATCH, 6]), new Tensor(labels, [BATCH]), { epochs: 2, batchSize: 8, verbose: 0 });
    expect(bn.weights.map((w) => Array.from(w.read().data))).toEqual(before);
    expect(bn.trainableWeights).toHaveLength(0);
    s.dispose();
  });
});

describe("the reference notebook's batch-normalization models: summary()", () => {
  const reference = JSON.parse(readFileSync(new URL('../fixtures/seed-results.json', import.meta.url), 'utf8'))
    .summaries as Record<
    string,
    { layers: [string, (number | null)[], number][]; total: number; trainable: number; nonTrainable: number }
  >;

  function check(model: Sequential, key: string, stripSuffix: boolean) {
    const ref = reference[key];
    const rows = model
      .summaryRows()
      .map((r) => [stripSuffix ? r.name.replace(/_\d+$/, '') : r.name, [...r.outputShape], r.params]);
    expect(rows).toEqual(ref.layers);
    const text = model.summary(() => undefined);
    const thousands = (n: number) => n.toLocaleString('en-US');
    expect(text).toContain(`Total params: ${thousands(ref.total)}`);
    expect(text).toContain(`Trainable params: ${thousands(ref.trainable)}`);
    expect(text).toContain(`Non-trainable params: ${thousands(ref.nonTrainable)}`);
    expect(model.countParams()).toBe(ref.total);
  }

  it('mlpBatchNormAfter: 271,346 params, 2,368 non-trainable', () => {
    clearSession();
    const model = sequential([
      layers.flatten({ inputShape: [28, 28] }),
      layers.batchNormalization(),
      layers.dense({ units: 300, activation: 'relu' }),
      layers.batchNormalization(),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.batchNormalization(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    check(model, 'mlpBatchNormAfter', false);
    model.dispose();
  });

  it(
    'mlpBatchNormBefore (hidden dense layers without bias, ' + 'activations after the normalisation): 270,946 params',
    () => {
      // The reference lists this model's layers without their counter suffixes (batch_normalization,
      // dense, activation…); compare the base names.
      clearSession();
      const model = sequential([
        layers.flatten({ inputShape: [28, 28] }),
        layers.batchNormalization(),
        layers.dense({ units: 300, useBias: false }),
        layers.batchNormalization(),
        layers.activation({ activation: 'relu' }),
        layers.dense({ units: 100, useBias: false }),
        layers.batchNormalization(),
        layers.activation({ activation: 'relu' }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ]);
      check(model, 'mlpBatchNormBefore', true);
      model.dispose();
    },
  );
});

describe('errors', () => {
  it('options', () => {
    expect(() => layers.batchNormalization({ momentum: 1.5, name: 'bn' })).toThrow(
      new ValueError("bn: momentum: expected a number in [0, 1] (Keras's default is 0.99), received 1.5."),
    );
    expect(() => layers.batchNormalization({ momentum: Number.NaN, name: 'bn' })).toThrow(ValueError);
    for (const epsilon of [0, -1e-3, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(() => layers.batchNormalization({ epsilon, name: 'bn' })).toThrow(
        `bn: epsilon: expected a finite number > 0 (Keras's default is 1e-3), received ${epsilon}.`,
      );
    }
    expect(() => layers.batchNormalization({ center: 'yes' as never, name: 'bn' })).toThrow(
      'bn: center: expected true or false, received "yes".',
    );
    expect(() => layers.batchNormalization({ gammaInitializer: 'nope' as never, name: 'bn' })).toThrow(
      /^bn: gammaInitializer: unknown initializer "nope"/,
    );
    expect(() => layers.batchNormalization(null as never)).toThrow(ValueError);
  });

  it(
    "a training batch of 1 (fit's last batch) is refused before training, naming the layer, the batch size and the " +
      'fix',
    async () => {
      const model = sequential(
        [
          layers.dense({ units: 4, inputShape: [3] }),
          layers.batchNormalization({ name: 'bn_tail' }),
          layers.dense({ units: 2, activation: 'softmax' }),
        ],
        { seed: 1 },
      );
      model.compile({ optimizer: optimizers.sgd(), loss: 'sparseCategoricalCrossentropy' });
      const x = new Tensor(new Float32Array(33 * 3).fill(0.5), [33, 3]);
      const y = new Tensor(new Int32Array(33), [33]);
      const before = model.getWeights().map((w) => Array.from(w.data));
      const fit = model.fit(x, y, { batchSize: 32, verbose: 0 });
      await expect(fit).rejects.toThrow(ShapeError);
      await expect(model.fit(x, y, { batchSize: 32, verbose: 0 })).rejects.toThrow(
        'bn_tail: a training batch of 1 sample (input [1, 4]): batch normalization needs at least 2 rows per feature ' +
          "in training mode, because the variance of one value is 0 and every output would be β. fit's last batch " +
          'holds the remainder of samples / batchSize: choose a batchSize (or a number of samples) that leaves a ' +
          'last batch of 0 or ≥ 2 samples, or a batch size ≥ 2.',
      );
      // Nothing was trained; predict and evaluate (inference) accept a single sample.
      expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
      expect(model.predict(new Tensor(new Float32Array(3), [1, 3])).shape).toEqual([1, 2]);
      await expect(model.fit(x, y, { batchSize: 11, verbose: 0 })).resolves.toBeDefined();
      model.dispose();
    },
  );
});
