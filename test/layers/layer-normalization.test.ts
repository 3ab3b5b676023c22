// LayerNormalization (graph primitives, gradients from the graph's table):
// - its formula against tfjs-layers' tf.layers.layerNormalization (cpu backend): forward values and
//   the gradients with respect to x, γ and β, within 1e-5 relative (max |a − b| / max |b|: tfjs
//   computes in float32, we in float64 on the ReferenceBackend);
// - a float64 gradient check (central differences, 1e-6 relative) with and without γ and β, 2-D and 3-D;
// - a model Dense → LayerNormalization → Dense(softmax): predictions and one SGD step against tfjs on
//   the reference and the WASM backends, within 1e-4 relative (float32 on both sides);
// - configs (simdnet's, tfjs's, Keras's) and argument errors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gradients } from '../../src/graph/gradients.js';
import { placeholder } from '../../src/graph/tensor.js';
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';
import {
  Generator,
  layers,
  optimizers,
  regularizers,
  sequential,
  Tensor,
  ShapeError,
  ValueError,
} from '../../src/index.js';
import { layerNorm, type LayerNormalization } from '../../src/layers/layer-normalization.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { relErr } from '../helpers/compare.js';
import { check, input, uniform } from '../graph/reference-gradcheck.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const f32 = (d: Float64Array) => Float32Array.from(d);

describe('the formula against tf.layers.layerNormalization (forward and gradients)', () => {
  for (const { shape, epsilon } of [
    { shape: [6, 5], epsilon: 1e-3 },
    { shape: [2, 3, 7], epsilon: 1e-5 },
  ]) {
    it(`input ${JSON.stringify(shape)}, epsilon ${epsilon}`, () => {
      const features = shape.at(-1)!;
      const size = shape.reduce((a, b) => a * b, 1);
      const x = uniform(size, 1, -3, 3);
      const gamma = uniform(features, 2, 0.5, 1.5);
      const beta = uniform(features, 3, -0.5, 0.5);
      const r = uniform(size, 4);

      // ours, on the float64 reference backend: y and ∂Σ r⊙y / ∂(x, γ, β)
      const [px, pg, pb, seed] = [
        placeholder(shape, 'float32', 'x'),
        placeholder([features], 'float32', 'gamma'),
        placeholder([features], 'float32', 'beta'),
        placeholder(shape, 'float32', 'r'),
      ];
      const y = layerNorm(px, pg, pb, epsilon);
      const grads = gradients(y, [px, pg, pb], seed);
      const graph = new CompiledGraph(new ReferenceBackend(), {
        feeds: [px, pg, pb, seed],
        fetches: [y, ...grads.map((g) => g!)],
      });
      for (const [i, d] of [x, gamma, beta, r].entries()) graph.write([px, pg, pb, seed][i], f32(d));
      graph.run();

      // tfjs's layer with the same γ and β
      const layer = tf.layers.layerNormalization({ axis: -1, epsilon });
      const tx = tf.tensor(f32(x), shape);
      layer.apply(tx);
      layer.setWeights([tf.tensor(f32(gamma)), tf.tensor(f32(beta))]);
      const tr = tf.tensor(f32(r), shape);
      const objective = () => tf.sum(tf.mul(layer.apply(tx) as tf.Tensor, tr)) as tf.Scalar;
      const tfY = (layer.apply(tx) as tf.Tensor).dataSync();
      const dx = tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, tr)))(tx)
        .dataSync();
      const { grads: vg } = tf.variableGrads(
        objective,
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      const [dGamma, dBeta] = layer.trainableWeights.map((w) => vg[(w.read() as tf.Variable).name].dataSync());

      expect(relErr(graph.read(y), tfY), 'y').toBeLessThan(1e-5);
      expect(relErr(graph.read(grads[0]!), dx), 'dx').toBeLessThan(1e-5);
      expect(relErr(graph.read(grads[1]!), dGamma), 'dγ').toBeLessThan(1e-5);
      expect(relErr(graph.read(grads[2]!), dBeta), 'dβ').toBeLessThan(1e-5);
      graph.dispose();
      tf.dispose([tx, tr, ...Object.values(vg)]);
      layer.dispose();
    });
  }
});

describe('gradient check in float64', () => {
  /** γ·(x − μ)/√(σ² + ε) + β per row of the last axis, in float64. */
  const reference = (
    x: Float64Array,
    gamma: Float64Array | null,
    beta: Float64Array | null,
    cols: number,
    epsilon: number,
  ) =>
    x.map((v, i) => {
      const row = x.subarray(i - (i % cols), i - (i % cols) + cols);
      const mu = row.reduce((a, b) => a + b, 0) / cols;
      const variance = row.reduce((a, b) => a + (b - mu) ** 2, 0) / cols;
      const j = i % cols;
      return ((v - mu) / Math.sqrt(variance + epsilon)) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
    });
  for (const { scale, center, shape } of [
    { scale: true, center: true, shape: [4, 6] },
    { scale: false, center: true, shape: [4, 6] },
    { scale: true, center: false, shape: [2, 3, 5] },
    { scale: false, center: false, shape: [3, 1, 4] },
  ]) {
    it(`scale ${scale}, center ${center}, ${JSON.stringify(shape)}`, () => {
      const cols = shape.at(-1)!;
      const n = shape.reduce((a, b) => a * b, 1);
      const inputs = [
        input(shape, uniform(n, 5, -2, 2)),
        ...(scale ? [input([cols], uniform(cols, 6, 0.5, 1.5))] : []),
        ...(center ? [input([cols], uniform(cols, 7))] : []),
      ];
      const result = check(
        ([x, ...p]) => layerNorm(x, scale ? p[0] : null, center ? p[scale ? 1 : 0] : null, 1e-3),
        ([x, ...p]) => reference(x, scale ? p[0] : null, center ? p[scale ? 1 : 0] : null, cols, 1e-3),
        inputs,
      );
      expect(result.forwardError).toBeLessThan(1e-6);
      for (const e of result.gradientErrors) expect(e).toBeLessThan(1e-6);
    });
  }
});

describe.each([{ backend: 'reference' as const }, { backend: 'wasm' as const }])(
  'in a model against tfjs, $backend backend',
  ({ backend }) => {
    beforeAll(() => configureBackend({ backend }));
    afterAll(() => configureBackend({ backend: 'wasm' }));

    it('predictions and one SGD step (loss, every updated weight)', async () => {
      const [batch, features, units, classes] = [8, 5, 6, 3];
      const rng = new Generator(7);
      const xData = Float32Array.from({ length: batch * features }, () => (rng.uniform() - 0.5) * 4);
      const labels = Int32Array.from({ length: batch }, (_, i) => i % classes);
      const model = sequential(
        [
          layers.dense({ units, inputShape: [features] }),
          layers.layerNormalization({ gammaInitializer: 'randomUniform', betaInitializer: 'randomUniform' }),
          layers.dense({ units: classes, activation: 'softmax' }),
        ],
        { seed: 3 },
      );
      model.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      const theirs = tf.sequential({
        layers: [
          tf.layers.dense({ units, inputShape: [features] }),
          tf.layers.layerNormalization(),
          tf.layers.dense({ units: classes, activation: 'softmax' }),
        ],
      });
      theirs.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
      const w0 = model.getWeights();
      theirs.setWeights(w0.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
      const xs = new Tensor(xData, [batch, features]);
      const txs = tf.tensor(xData, [batch, features]);
      const tys = tf.tensor(Float32Array.from(labels), [batch]);
      try {
        const pred = model.predict(xs, { batchSize: batch });
        expect(
          relErr(
            pred.data,
            tf.tidy(() => (theirs.predict(txs) as tf.Tensor).dataSync()),
          ),
          'predict',
        ).toBeLessThan(1e-4);
        const history = await model.fit(xs, new Tensor(labels, [batch]), {
          epochs: 1,
          batchSize: batch,
          shuffle: false,
          verbose: 0,
        });
        const tfHistory = await theirs.fit(txs, tys, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
        expect(relErr([history.history.loss[0] as number], [tfHistory.history.loss[0] as number]), 'loss').toBeLessThan(
          1e-4,
        );
        const tfW1 = theirs.getWeights().map((t) => t.dataSync());
        model.getWeights().forEach((w, i) => {
          expect(relErr(w.data, tfW1[i]), `weight ${i}`).toBeLessThan(1e-4);
          expect(relErr(w.data, w0[i].data), `weight ${i} moved`).toBeGreaterThan(0);
        });
      } finally {
        tf.dispose([txs, tys]);
        theirs.dispose();
        model.dispose();
      }
    });
  },
);

describe('configs', () => {
  it("simdnet's getConfig round trip keeps every option", () => {
    const layer = layers.layerNormalization({
      name: 'ln',
      epsilon: 1e-5,
      center: false,
      gammaInitializer: 'zeros',
      gammaRegularizer: regularizers.l2({ l2: 0.01 }),
    });
    const back = layerFromConfig('LayerNormalization', layer.getConfig()) as LayerNormalization;
    expect(back.getConfig()).toEqual(layer.getConfig());
    expect(back.gammaRegularizer?.l2).toBe(0.01);
  });

  it('tfjs configs (axis saved as [last index] once built) and Keras configs load', () => {
    const tfLayer = tf.layers.layerNormalization({ epsilon: 1e-4, center: false, gammaRegularizer: 'l1l2' });
    tfLayer.apply(tf.zeros([2, 3, 4]));
    const fromTfjs = layerFromConfig('LayerNormalization', tfLayer.getConfig()) as LayerNormalization;
    expect([fromTfjs.axis, fromTfjs.epsilon, fromTfjs.center, fromTfjs.scale]).toEqual([2, 1e-4, false, true]);
    expect(fromTfjs.gammaRegularizer).not.toBeNull();
    expect(() => sequential([layers.input({ shape: [3, 4] }), fromTfjs])).not.toThrow();
    const keras = {
      name: 'layer_normalization',
      trainable: true,
      dtype: 'float32',
      axis: [-1],
      epsilon: 0.001,
      center: true,
      scale: true,
      rms_scaling: false,
      beta_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
      gamma_initializer: { module: 'keras.initializers', class_name: 'Ones', config: {} },
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
    expect((layerFromConfig('LayerNormalization', keras) as LayerNormalization).axis).toBe(-1);
  });

  it('options simdnet does not have are refused when set', () => {
    expect(() => layerFromConfig('LayerNormalization', { rms_scaling: true })).toThrow(
      /option rmsScaling = true is not supported/,
    );
    expect(() =>
      layerFromConfig('LayerNormalization', { gamma_constraint: { class_name: 'NonNeg', config: {} } }),
    ).toThrow(/option gammaConstraint .* is not supported/);
    expect(() => layerFromConfig('LayerNormalization', { axis: [1, 2] })).toThrow(
      /axis: expected -1 \(the last axis\), received \[1,2\]/,
    );
  });
});

describe('argument errors', () => {
  it('unknown option keys are refused, naming the key', () => {
    expect(() => layers.layerNormalization({ epsilonn: 1e-3 } as never)).toThrow(ValueError);
    expect(() => layers.layerNormalization({ epsilonn: 1e-3 } as never)).toThrow(
      /^layerNormalization: unknown option "epsilonn"; the options are name, inputShape, trainable, axis, epsilon/,
    );
  });

  it('each option names itself, what it expected and what it got', () => {
    expect(() => layers.layerNormalization({ name: 'ln', epsilon: 0 })).toThrow(
      "ln: epsilon: expected a finite number > 0 (Keras's default is 1e-3), received 0.",
    );
    expect(() => layers.layerNormalization({ name: 'ln', center: 'yes' as never })).toThrow(
      'ln: center: expected true or false, received "yes".',
    );
    expect(() => layers.layerNormalization({ name: 'ln', scale: 1 as never })).toThrow(
      'ln: scale: expected true or false, received 1.',
    );
    expect(() => layers.layerNormalization({ name: 'ln', axis: 0.5 })).toThrow(
      /^ln: axis: expected -1 \(the last axis\), received 0.5/,
    );
    expect(() => layers.layerNormalization({ name: 'ln', gammaInitializer: 'nope' as never })).toThrow(
      /ln: gammaInitializer: unknown initializer/,
    );
    expect(() => layers.layerNormalization({ name: 'ln', betaRegularizer: 'l3' as never })).toThrow(
      /ln: betaRegularizer: unknown regularizer "l3"/,
    );
    expect(() => layers.layerNormalization(7 as never)).toThrow(
      /^layerNormalization: expected an options object such as \{ epsilon: 1e-3 \}, received 7/,
    );
  });

  it('an axis that is not the last is refused when the input is known', () => {
    expect(() => sequential([layers.layerNormalization({ name: 'ln', axis: 1, inputShape: [3, 4] })])).toThrow(
      ShapeError,
    );
    expect(() => sequential([layers.layerNormalization({ name: 'ln2', axis: 1, inputShape: [3, 4] })])).toThrow(
      /ln2: axis 1 is not the last axis of input \[null, 3, 4\].*use axis -1 \(2\)/,
    );
  });
});
