// Activations and the activation layers against @tensorflow/tfjs (layers API, cpu backend), both
// kernel builds: the same weights and inputs give the same outputs, and one SGD step of a small model
// (Dense → the layer → Dense(softmax)) gives the same loss and the same updated weights, within 1e-4
// relative (max |a − b| / max |b| per tensor). Where tfjs lacks the function (the leakyRelu activation
// by name, ELU with alpha ≠ 1), an equivalent tfjs model or Keras's formula in float64 is the reference.
// Then the argument errors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers, optimizers, sequential, Generator, Tensor, ValueError, type Sequential } from '../../src/index.js';
import { configureBackend } from '../../src/backend/index.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/layers/activations.js';
import type { Layer } from '../../src/layers/layer.js';
import { FORWARD } from '../helpers/activation-reference.js';
import { relErr } from '../helpers/compare.js';

const TOL = 1e-4;
const LR = 0.1;
const BATCH = 16;
const FEATURES = 5;
const UNITS = 8;
const CLASSES = 3;

/** The formula activations, from Keras's documented formulas (keras/src/activations/activations.py). */
const FORMULA_FORWARD: Record<string, (x: number, alpha: number) => number> = {
  mish: (x) => x * Math.tanh(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
};

const rng = new Generator(42);
const xData = Float32Array.from({ length: BATCH * FEATURES }, () => (rng.uniform() - 0.5) * 6);
const labels = Int32Array.from({ length: BATCH }, () => Math.floor(rng.uniform() * CLASSES) % CLASSES);

/** simdnet's initial weights with every rank-1 weight (biases, PReLU slopes) set to seeded values in [−0.5, 0.5]. */
function initialWeights(model: Sequential, seed: number): Tensor[] {
  const g = new Generator(seed);
  return model.getWeights().map((w) =>
    w.rank !== 1
      ? w
      : new Tensor(
          Float32Array.from({ length: w.size }, () => g.uniform() - 0.5),
          w.shape,
        ),
  );
}

interface Case {
  name: string;
  /** The middle of Dense(8) → middle → Dense(3, softmax), in simdnet and in tfjs. */
  ours: () => Layer[];
  theirs: () => tf.layers.Layer[];
}

const tfAct = (name: string) => name as 'relu';
const TFJS_ACTIVATIONS = [
  'linear',
  'relu',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'softmax',
  'swish',
  'gelu',
  'mish',
  'relu6',
];

const CASES: Case[] = [
  // every activation tfjs has, in the dense layer (fused into the epilogue or applied after it) and as an
  // Activation layer
  ...TFJS_ACTIVATIONS.flatMap((name): Case[] => [
    {
      name: `dense activation ${name}`,
      ours: () => [layers.dense({ units: UNITS, activation: name as ActivationName })],
      theirs: () => [tf.layers.dense({ units: UNITS, activation: tfAct(name) })],
    },
    {
      name: `activation layer ${name}`,
      ours: () => [layers.dense({ units: UNITS }), layers.activation({ activation: name as ActivationName })],
      theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.activation({ activation: tfAct(name) })],
    },
  ]),
  // Keras's snake_case spellings
  {
    name: 'dense activation silu (= swish)',
    ours: () => [layers.dense({ units: UNITS, activation: 'silu' })],
    theirs: () => [tf.layers.dense({ units: UNITS, activation: tfAct('swish') })],
  },
  {
    name: 'dense activation hard_sigmoid',
    ours: () => [layers.dense({ units: UNITS, activation: 'hard_sigmoid' })],
    theirs: () => [tf.layers.dense({ units: UNITS, activation: 'hardSigmoid' })],
  },
  // tfjs has no leakyRelu activation by name: its LeakyReLU layer with Keras's leaky_relu slope 0.2
  ...(['leakyRelu', 'leaky_relu'] as const).map(
    (name): Case => ({
      name: `dense activation ${name}`,
      ours: () => [layers.dense({ units: UNITS, activation: name })],
      theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.leakyReLU({ alpha: 0.2 })],
    }),
  ),
  {
    name: 'LeakyReLU layer (default alpha 0.3)',
    ours: () => [layers.dense({ units: UNITS }), layers.leakyReLU()],
    theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.leakyReLU()],
  },
  {
    name: 'LeakyReLU layer (alpha 0.05)',
    ours: () => [layers.dense({ units: UNITS }), layers.leakyReLU({ alpha: 0.05 })],
    theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.leakyReLU({ alpha: 0.05 })],
  },
  {
    name: 'PReLU layer',
    ours: () => [layers.dense({ units: UNITS }), layers.prelu()],
    theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.prelu()],
  },
  {
    name: 'ELU layer',
    ours: () => [layers.dense({ units: UNITS }), layers.elu()],
    theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.elu()],
  },
  {
    name: 'Softmax layer',
    ours: () => [layers.dense({ units: UNITS }), layers.softmax()],
    theirs: () => [tf.layers.dense({ units: UNITS }), tf.layers.softmax()],
  },
];

function ourModel(c: Case, seed: number): Sequential {
  const [first, ...rest] = c.ours();
  // the first layer needs the input shape: rebuild it with one (every case starts with a dense)
  const cfg = first.getConfig();
  const head = layers.dense({ units: UNITS, activation: cfg.activation as ActivationName, inputShape: [FEATURES] });
  const model = sequential([head, ...rest, layers.dense({ units: CLASSES, activation: 'softmax' })], { seed });
  model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

function theirModel(c: Case): tf.Sequential {
  const [first, ...rest] = c.theirs();
  const cfg = first.getConfig();
  const head = tf.layers.dense({ units: UNITS, activation: cfg.activation as 'relu', inputShape: [FEATURES] });
  const model = tf.sequential({ layers: [head, ...rest, tf.layers.dense({ units: CLASSES, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.sgd(LR), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('parity with tfjs (cpu): outputs and one SGD step, $build kernels', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const model = ourModel(c, 500 + index);
      const w0 = initialWeights(model, 900 + index);
      model.setWeights(w0);
      const tfModel = theirModel(c);
      tfModel.setWeights(w0.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
      const xs = new Tensor(xData, [BATCH, FEATURES]);
      const ys = new Tensor(labels, [BATCH]);
      const txs = tf.tensor(xData, [BATCH, FEATURES]);
      const tys = tf.tensor(Float32Array.from(labels), [BATCH]);
      try {
        const pred = model.predict(xs, { batchSize: BATCH });
        const tfPred = tf.tidy(() => (tfModel.predict(txs) as tf.Tensor).dataSync());
        expect(relErr(pred.data, tfPred), 'predict').toBeLessThanOrEqual(TOL);
        // the hidden layer's output alone (where the activation is)
        const hidden = sequential(model.layers.slice(0, -1));
        const tfHidden = tf.model({
          inputs: tfModel.inputs,
          outputs: tfModel.layers[tfModel.layers.length - 2].output as tf.SymbolicTensor,
        });
        const h = hidden.predict(xs, { batchSize: BATCH });
        const tfH = tf.tidy(() => (tfHidden.predict(txs) as tf.Tensor).dataSync());
        expect(relErr(h.data, tfH), 'hidden output').toBeLessThanOrEqual(TOL);

        const history = await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
        const tfHistory = await tfModel.fit(txs, tys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
        expect(
          relErr([history.history.loss[0] as number], [tfHistory.history.loss[0] as number]),
          'loss',
        ).toBeLessThanOrEqual(TOL);
        const w1 = model.getWeights();
        const tfW1 = tfModel.getWeights().map((t) => t.dataSync());
        expect(w1.length).toBe(tfW1.length);
        w1.forEach((w, i) => {
          expect(relErr(w.data, tfW1[i]), `updated weight ${i}`).toBeLessThanOrEqual(TOL);
          // the step moved every weight tensor (the gradient reached it)
          expect(relErr(w.data, w0[i].data), `weight ${i} moved`).toBeGreaterThan(0);
        });
      } finally {
        tf.dispose([txs, tys]);
        tfModel.dispose();
        model.dispose();
      }
    });
  });

  it('ELU layer with alpha 0.5 (tfjs supports only 1) against Keras’s formula in float64', () => {
    const model = sequential([layers.elu({ alpha: 0.5, inputShape: [FEATURES] })]);
    const out = model.predict(new Tensor(xData, [BATCH, FEATURES]), { batchSize: BATCH });
    const ref = Array.from(xData, (v) => FORWARD.elu(v, 0.5));
    expect(relErr(out.data, ref)).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  it('every activation by name against Keras’s formula in float64 (through an Activation layer)', () => {
    for (const name of ACTIVATION_NAMES.filter((n) => n !== 'softmax')) {
      const model = sequential([layers.activation({ activation: name, inputShape: [FEATURES] })]);
      const out = model.predict(new Tensor(xData, [BATCH, FEATURES]), { batchSize: BATCH });
      const alpha = name === 'leakyRelu' ? 0.2 : name === 'elu' ? 1 : 0;
      const ref = Array.from(xData, (v) => (FORWARD[name] ?? FORMULA_FORWARD[name])(v, alpha));
      expect(relErr(out.data, ref), name).toBeLessThanOrEqual(1e-6);
      model.dispose();
    }
  });
});

describe('errors', () => {
  it('an unknown activation name lists every known one', () => {
    for (const make of [
      () => layers.dense({ units: 3, activation: 'leaky' as ActivationName }),
      () => layers.activation({ activation: 'Relu' as ActivationName }),
    ]) {
      expect(make).toThrow(ValueError);
      let message = '';
      try {
        make();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/activation: unknown activation/);
      for (const name of [...ACTIVATION_NAMES, 'leaky_relu', 'hard_sigmoid', 'silu']) expect(message).toContain(name);
    }
  });

  it('a bad alpha is named with what was received', () => {
    expect(() => layers.leakyReLU({ alpha: -0.1 })).toThrow(ValueError);
    expect(() => layers.leakyReLU({ alpha: -0.1, name: 'lr' })).toThrow(
      'lr: alpha: expected a finite number ≥ 0, received -0.1',
    );
    expect(() => layers.leakyReLU({ alpha: Number.NaN, name: 'lr' })).toThrow(
      'lr: alpha: expected a finite number ≥ 0, received NaN',
    );
    expect(() => layers.elu({ alpha: Infinity, name: 'e' })).toThrow(
      'e: alpha: expected a finite number ≥ 0, received Infinity',
    );
    expect(() => layers.elu({ alpha: -1, name: 'e' })).toThrow(/e: alpha: .*received -1/);
    expect(() => layers.elu({ alpha: '1' as unknown as number, name: 'e' })).toThrow(
      /e: alpha: expected a finite number ≥ 0, received/,
    );
  });

  it('softmax accepts only the last axis; prelu checks its initializer; options must be objects', () => {
    expect(() => layers.softmax({ axis: 0, name: 's' })).toThrow(/s: axis: expected -1 \(the last axis\), received 0/);
    expect(() => sequential([layers.softmax({ axis: 1, name: 's2', inputShape: [3, 4] })])).toThrow(
      /s2: axis 1 is not the last axis of input \[null, 3, 4\].*use axis -1 \(2\)/,
    );
    expect(() => sequential([layers.softmax({ axis: 2, inputShape: [3, 4] })])).not.toThrow();
    expect(() => layers.prelu({ alphaInitializer: 'bogus' as 'zeros', name: 'p' })).toThrow(
      /p: alphaInitializer: unknown initializer/,
    );
    expect(() => layers.leakyReLU(3 as unknown as object)).toThrow(/leakyReLU: expected an options object/);
  });
});
