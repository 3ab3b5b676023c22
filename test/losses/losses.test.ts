// Every loss through the public API (compile / evaluate / fit) against an independent implementation:
// @tensorflow/tfjs (cpu backend) for the losses tfjs has (values and gradients, the gradient implied by
// one SGD step, within 1e-4 relative), Keras's formulas in float64 for the rest; and the bad-input
// errors of losses and sample weights.
//
// Keras's reduction ('sum_over_batch_size'): Σ_i w_i·l_i / batch, where l_i is the mean over the
// output units. tf.losses uses SUM here (then ÷ batch·units for elementwise losses), since its default
// SUM_BY_NONZERO_WEIGHTS divides by the number of nonzero weights instead.

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import {
  Generator,
  layers,
  losses,
  optimizers,
  sequential,
  ShapeError,
  Tensor,
  ValueError,
  type Sequential,
} from '../../src/index.js';
import type { LossIdentifier } from '../../src/losses/losses.js';
import type { ActivationName } from '../../src/layers/activations.js';
import { categoricalRef, pointwiseRef, weightedSum } from '../helpers/loss-reference.js';
import { relErr } from '../helpers/compare.js';

const TOL = 1e-4;
const LR = 0.1;
const BATCH = 16;
const FEATURES = 5;

const rng = new Generator(77);
const uniform = (n: number, lo: number, hi: number) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
const x = uniform(BATCH * FEATURES, -1, 1);
const sampleWeight = Float32Array.from({ length: BATCH }, (_, i) => (i === 3 ? 0 : 0.25 + (i % 5) * 0.5));

interface Case {
  readonly title: string;
  readonly loss: LossIdentifier;
  readonly activation: ActivationName;
  readonly units: number;
  /** Targets as given to simdnet, and their shape. */
  readonly y: Float32Array | Int32Array;
  readonly yShape: number[];
  /** The reference loss (tfjs, or float64 through tf ops on the model's output): Keras's batch mean. */
  readonly reference: (y: tf.Tensor, out: tf.Tensor2D, z: tf.Tensor2D, w: tf.Tensor1D | null) => tf.Scalar;
}

const oneHotOf = (labels: Int32Array, c: number) => {
  const t = new Float32Array(labels.length * c);
  for (const [i, l] of labels.entries()) t[i * c + l] = 1;
  return t;
};
const labels4 = Int32Array.from({ length: BATCH }, (_, i) => (i * 7 + 3) % 4);
const bits = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 5 + 1) % 3 === 0 ? 1 : 0));
const sum = tf.Reduction.SUM;
const col = (w: tf.Tensor1D | null) => (w ? w.reshape([BATCH, 1]) : undefined);
const perBatch = (t: tf.Tensor, units = 1) => t.div(BATCH * units) as tf.Scalar;

const cases: Case[] = [
  {
    title: 'sparseCategoricalCrossentropy after softmax (fused)',
    loss: 'sparseCategoricalCrossentropy',
    activation: 'softmax',
    units: 4,
    y: labels4,
    yShape: [BATCH],
    reference: (y, _o, z, w) =>
      perBatch(tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, 4), z, w ?? undefined, 0, sum)),
  },
  {
    title: 'sparseCategoricalCrossentropy fromLogits',
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    activation: 'linear',
    units: 4,
    y: labels4,
    yShape: [BATCH],
    reference: (y, _o, z, w) =>
      perBatch(tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, 4), z, w ?? undefined, 0, sum)),
  },
  {
    title: 'categoricalCrossentropy with labelSmoothing 0.1 (fused)',
    loss: losses.categoricalCrossentropy({ labelSmoothing: 0.1 }),
    activation: 'softmax',
    units: 4,
    y: oneHotOf(labels4, 4),
    yShape: [BATCH, 4],
    reference: (y, _o, z, w) => perBatch(tf.losses.softmaxCrossEntropy(y, z, w ?? undefined, 0.1, sum)),
  },
  {
    title: 'categoricalCrossentropy fromLogits, labelSmoothing 0.2',
    loss: losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    activation: 'linear',
    units: 4,
    y: oneHotOf(labels4, 4),
    yShape: [BATCH, 4],
    reference: (y, _o, z, w) => perBatch(tf.losses.softmaxCrossEntropy(y, z, w ?? undefined, 0.2, sum)),
  },
  {
    title: 'categoricalCrossentropy from probabilities (sigmoid units, normalised)',
    loss: 'categorical_crossentropy',
    activation: 'sigmoid',
    units: 4,
    y: oneHotOf(labels4, 4),
    yShape: [BATCH, 4],
    reference: (y, o, _z, w) =>
      perBatch(
        tf.metrics
          .categoricalCrossentropy(y, o)
          .mul(w ?? 1)
          .sum(),
      ),
  },
  {
    title: 'binaryCrossentropy after a dense sigmoid (fused), one unit',
    loss: 'binaryCrossentropy',
    activation: 'sigmoid',
    units: 1,
    y: bits(BATCH),
    yShape: [BATCH],
    reference: (y, _o, z, w) => perBatch(tf.losses.sigmoidCrossEntropy(y.reshape([BATCH, 1]), z, col(w), 0, sum)),
  },
  {
    title: 'binaryCrossentropy multi-label (3 sigmoid units), labelSmoothing 0.1',
    loss: losses.binaryCrossentropy({ labelSmoothing: 0.1 }),
    activation: 'sigmoid',
    units: 3,
    y: bits(BATCH * 3),
    yShape: [BATCH, 3],
    reference: (y, _o, z, w) => perBatch(tf.losses.sigmoidCrossEntropy(y, z, col(w), 0.1, sum), 3),
  },
  {
    title: 'binaryCrossentropy fromLogits, labelSmoothing 0.2',
    loss: losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    activation: 'linear',
    units: 2,
    y: bits(BATCH * 2),
    yShape: [BATCH, 2],
    reference: (y, _o, z, w) => perBatch(tf.losses.sigmoidCrossEntropy(y, z, col(w), 0.2, sum), 2),
  },
  {
    title: 'binaryCrossentropy from probabilities (softmax output, Keras clipping)',
    loss: 'binary_crossentropy',
    activation: 'softmax',
    units: 3,
    y: bits(BATCH * 3),
    yShape: [BATCH, 3],
    reference: (y, o, _z, w) =>
      perBatch(
        tf.metrics
          .binaryCrossentropy(y, o)
          .mul(w ?? 1)
          .sum(),
      ),
  },
  {
    title: 'meanSquaredError',
    loss: 'mse',
    activation: 'linear',
    units: 3,
    y: uniform(BATCH * 3, -1, 1),
    yShape: [BATCH, 3],
    reference: (y, o, _z, w) => perBatch(tf.losses.meanSquaredError(y, o, col(w), sum), 3),
  },
  {
    title: 'meanAbsoluteError',
    loss: 'meanAbsoluteError',
    activation: 'tanh',
    units: 3,
    y: uniform(BATCH * 3, -1, 1),
    yShape: [BATCH, 3],
    reference: (y, o, _z, w) => perBatch(tf.losses.absoluteDifference(y, o, col(w), sum), 3),
  },
  {
    title: 'huber (delta 1)',
    loss: 'huber',
    activation: 'linear',
    units: 2,
    y: uniform(BATCH * 2, -3, 3),
    yShape: [BATCH, 2],
    reference: (y, o, _z, w) => perBatch(tf.losses.huberLoss(y, o, col(w), 1, sum), 2),
  },
  {
    title: 'huber (delta 0.3)',
    loss: losses.huber({ delta: 0.3 }),
    activation: 'linear',
    units: 1,
    y: uniform(BATCH, -1, 1),
    yShape: [BATCH],
    reference: (y, o, _z, w) => perBatch(tf.losses.huberLoss(y.reshape([BATCH, 1]), o, col(w), 0.3, sum)),
  },
  {
    title: 'hinge with 0/1 targets (converted to −1/1)',
    loss: 'hinge',
    activation: 'linear',
    units: 2,
    y: bits(BATCH * 2),
    yShape: [BATCH, 2],
    reference: (y, o, _z, w) => perBatch(tf.losses.hingeLoss(y, o, col(w), sum), 2),
  },
];

/**
 * Keras formulas in float64 where tfjs has no counterpart: hinge with −1/1 targets (tfjs's hingeLoss always
 * converts).
 */
const hingeSigned = Float32Array.from(bits(BATCH * 2), (v) => 2 * v - 1);

function buildModel(c: { activation: ActivationName; units: number }, seed: number): Sequential {
  const model = sequential([layers.dense({ units: c.units, activation: c.activation, inputShape: [FEATURES] })], {
    seed,
  });
  // perturb the bias so that its path is exercised
  const [kernel, bias] = model.getWeights();
  model.setWeights([
    kernel,
    new Tensor(
      Float32Array.from(bias.data, (_, i) => 0.1 * Math.sin(i + 1)),
      bias.shape,
    ),
  ]);
  return model;
}

/** Compiles with SGD and returns the loss of the batch (evaluate). */
function compileAndEvaluate(model: Sequential, c: Case, weighted: boolean): number {
  model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: c.loss });
  return model.evaluate(new Tensor(x, [BATCH, FEATURES]), new Tensor(c.y, c.yShape), {
    batchSize: BATCH,
    sampleWeight: weighted ? sampleWeight : undefined,
  }).loss;
}

for (const relaxedSimd of [false, true]) {
  describe(`losses against tfjs (${relaxedSimd ? 'relaxed' : 'plain'} SIMD)`, () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
      configureBackend({ relaxedSimd });
    });
    afterAll(() => configureBackend({ relaxedSimd: true }));

    for (const c of cases) {
      for (const weighted of [false, true]) {
        it(`${c.title}${weighted ? ', sample weights' : ''}`, async () => {
          const model = buildModel(c, 11);
          const [k0, b0] = model.getWeights();
          const loss = compileAndEvaluate(model, c, weighted);
          await model.fit(new Tensor(x, [BATCH, FEATURES]), new Tensor(c.y, c.yShape), {
            epochs: 1,
            batchSize: BATCH,
            shuffle: false,
            verbose: 0,
            sampleWeight: weighted ? sampleWeight : undefined,
          });
          const [k1, b1] = model.getWeights();
          const implied = [k0, b0].map((w0, i) => Float32Array.from(w0.data, (v, j) => (v - [k1, b1][i].data[j]) / LR));

          const W = tf.variable(tf.tensor2d(k0.data as Float32Array, k0.shape as [number, number]));
          const b = tf.variable(tf.tensor1d(b0.data as Float32Array));
          const xt = tf.tensor2d(x, [BATCH, FEATURES]);
          const yt = c.y instanceof Int32Array ? tf.tensor1d(c.y, 'int32') : tf.tensor(c.y, c.yShape);
          const wt = weighted ? tf.tensor1d(sampleWeight) : null;
          const act = (z: tf.Tensor2D): tf.Tensor2D =>
            c.activation === 'softmax'
              ? tf.softmax(z)
              : c.activation === 'sigmoid'
                ? tf.sigmoid(z)
                : c.activation === 'tanh'
                  ? tf.tanh(z)
                  : z;
          const f = () => {
            const z = xt.matMul(W).add(b) as tf.Tensor2D;
            return c.reference(yt, act(z), z, wt);
          };
          const refLoss = (await f().data())[0];
          const { grads } = tf.variableGrads(f, [W, b]);
          const refGrads = [await grads[W.name].data(), await grads[b.name].data()];

          expect(
            Math.abs(loss - refLoss) / Math.max(Math.abs(refLoss), 1e-30),
            `loss ${loss} vs ${refLoss}`,
          ).toBeLessThan(TOL);
          // the implied gradient carries the rounding of w_after (½ ulp of |w| / lr)
          for (const [i, g] of implied.entries()) {
            expect(relErr(g, refGrads[i]), `gradient ${i}`).toBeLessThan(
              TOL + 1e-6 / LR / Math.max(...Array.from(refGrads[i], Math.abs)),
            );
          }
          tf.dispose([W, b, xt, yt, ...(wt ? [wt] : []), ...Object.values(grads)]);
          model.dispose();
        });
      }
    }

    it('hinge with −1/1 targets matches Keras in float64 (tfjs has no such form)', async () => {
      const model = buildModel({ activation: 'linear', units: 2 }, 12);
      const [k0, b0] = model.getWeights();
      model.compile({ optimizer: 'sgd', loss: 'hinge' });
      const out = model.predict(new Tensor(x, [BATCH, FEATURES])).data;
      const loss = model.evaluate(new Tensor(x, [BATCH, FEATURES]), new Tensor(hingeSigned, [BATCH, 2]), {
        batchSize: BATCH,
        sampleWeight,
      }).loss;
      const ref = weightedSum(pointwiseRef('hinge', out, hingeSigned, 2), sampleWeight) / BATCH;
      expect(Math.abs(loss - ref) / ref).toBeLessThan(1e-5);
      expect(k0.shape).toEqual([FEATURES, 2]);
      expect(b0.shape).toEqual([2]);
      model.dispose();
    });

    it('label smoothing and weights of the from-probabilities categorical path match Keras in float64', () => {
      const model = buildModel({ activation: 'sigmoid', units: 4 }, 13);
      model.compile({ optimizer: 'sgd', loss: losses.categoricalCrossentropy({ labelSmoothing: 0.3 }) });
      const out = model.predict(new Tensor(x, [BATCH, FEATURES])).data;
      const y = oneHotOf(labels4, 4);
      const loss = model.evaluate(new Tensor(x, [BATCH, FEATURES]), new Tensor(y, [BATCH, 4]), {
        batchSize: BATCH,
        sampleWeight,
      }).loss;
      const ref =
        weightedSum(categoricalRef(out, y, 4, { sparse: false, logits: false, smoothing: 0.3 }), sampleWeight) / BATCH;
      expect(Math.abs(loss - ref) / ref).toBeLessThan(1e-5);
      model.dispose();
    });
  });
}

describe('loss options and targets: errors', () => {
  const xs = new Tensor(x, [BATCH, FEATURES]);
  const compiled = (units: number, activation: ActivationName, loss: LossIdentifier) => {
    const m = sequential([layers.dense({ units, activation, inputShape: [FEATURES] })], { seed: 1 });
    m.compile({ optimizer: 'sgd', loss });
    return m;
  };

  it('refuses bad options', () => {
    expect(() => losses.huber({ delta: 0 })).toThrow(ValueError);
    expect(() => losses.huber({ delta: -1 })).toThrow(
      new RegExp(
        'huber: delta: expected a positive number \\(where the loss turns from quadratic to linear, default 1\\), ' +
          'received -1',
      ),
    );
    expect(() => losses.huber({ delta: NaN })).toThrow(/received NaN/);
    expect(() => losses.binaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(
      /binaryCrossentropy: labelSmoothing: expected a number in \[0, 1\], received 1.5; typical values are 0.1 or 0.2/,
    );
    expect(() => losses.categoricalCrossentropy({ labelSmoothing: -0.1 })).toThrow(
      /categoricalCrossentropy: labelSmoothing: expected a number in \[0, 1\], received -0.1/,
    );
    expect(() => losses.binaryCrossentropy({ fromLogits: 'yes' as never })).toThrow(
      /binaryCrossentropy: fromLogits: expected true or false, received "yes"/,
    );
    expect(() => losses.huber(3 as never)).toThrow(
      /huber: expected an options object such as \{ delta: 1 \}, received 3/,
    );
    expect(() => compiled(1, 'sigmoid', 'binary' as never)).toThrow(
      /loss: unknown loss "binary"; known: .*binaryCrossentropy.*hinge \(or an object from losses/,
    );
  });

  it('names the fix when targets do not fit the loss', () => {
    const softmax = compiled(4, 'softmax', 'sparseCategoricalCrossentropy');
    expect(() => softmax.evaluate(xs, new Tensor(oneHotOf(labels4, 4), [BATCH, 4]))).toThrow(
      /They look one-hot: use loss 'categoricalCrossentropy'/,
    );
    const cat = compiled(4, 'softmax', 'categoricalCrossentropy');
    expect(() => cat.evaluate(xs, labels4)).toThrow(
      new RegExp(
        "They look like class indices: use loss 'sparseCategoricalCrossentropy', or one-hot encode them " +
          '\\(toCategorical\\(y, 4\\)\\)',
      ),
    );

    const multi = compiled(4, 'sigmoid', 'binaryCrossentropy');
    expect(() => multi.evaluate(xs, labels4)).toThrow(ShapeError);
    expect(() => multi.evaluate(xs, labels4)).toThrow(
      new RegExp(
        "y: binaryCrossentropy expects targets of the output's shape \\[samples, 4\\], received \\[16\\]\\. They " +
          'look ' +
          'like class indices: for one class per sample use a softmax output with loss ' +
          "'sparseCategoricalCrossentropy'",
      ),
    );
    expect(() => multi.evaluate(xs, new Tensor(bits(BATCH * 3), [BATCH, 3]))).toThrow(
      new RegExp(
        'binaryCrossentropy on 4 units is multi-label \\(one 0\\/1 target per unit\\); for one class out of 4 use a ' +
          "softmax output with 'categoricalCrossentropy'",
      ),
    );
    // multi-label targets of the output's shape are fine
    expect(Number.isFinite(multi.evaluate(xs, new Tensor(bits(BATCH * 4), [BATCH, 4])).loss)).toBe(true);

    const single = compiled(1, 'sigmoid', 'binaryCrossentropy');
    expect(() => single.evaluate(xs, Float32Array.from(labels4))).toThrow(
      new RegExp(
        'y: binaryCrossentropy expects targets in \\[0, 1\\] \\(0\\/1 labels or probabilities\\), received 3 at row ' +
          '0; ' +
          "for class indices use 'sparseCategoricalCrossentropy'",
      ),
    );
    expect(() =>
      single.evaluate(
        xs,
        Float32Array.from({ length: BATCH }, (_, i) => (i === 5 ? -1 : 0)),
      ),
    ).toThrow(/received -1 at row 5;.* for ±1 labels use 'hinge'/);
    expect(() =>
      single.evaluate(
        xs,
        Float32Array.from({ length: BATCH }, (_, i) => (i === 2 ? NaN : 0)),
      ),
    ).toThrow(/targets must be finite, received NaN at row 2/);

    const reg = compiled(3, 'linear', 'mse');
    expect(() => reg.evaluate(xs, Float32Array.from(labels4))).toThrow(
      new RegExp(
        "y: meanSquaredError expects targets of the output's shape \\[samples, 3\\], received \\[16\\]: one target " +
          'per ' +
          'output unit',
      ),
    );
  });

  it('refuses sample weights of the wrong length, negative or non-finite', async () => {
    const m = compiled(1, 'linear', 'mse');
    const y = uniform(BATCH, 0, 1);
    expect(() => m.evaluate(xs, y, { sampleWeight: new Float32Array(BATCH - 1) })).toThrow(
      /sampleWeight: expected one weight per sample, shape \[16\], received \[15\]/,
    );
    expect(() =>
      m.evaluate(xs, y, { sampleWeight: Float32Array.from({ length: BATCH }, (_, i) => (i === 4 ? -1 : 1)) }),
    ).toThrow(
      /sampleWeight: weights must be finite and non-negative, received -1 at sample 4; use 0 to leave a sample out/,
    );
    await expect(
      m.fit(xs, y, {
        sampleWeight: Float32Array.from({ length: BATCH }, (_, i) => (i === 9 ? Infinity : 1)),
        verbose: 0,
      }),
    ).rejects.toThrow(/received Infinity at sample 9/);
    await expect(m.fit(xs, y, { sampleWeight: [[1, 2]], verbose: 0 })).rejects.toThrow(ShapeError);
  });

  it('weights of zero leave samples out, and programs for weighted and unweighted runs are distinct', () => {
    const m = compiled(1, 'linear', 'mse');
    const y = uniform(BATCH, 0, 1);
    const ones = new Float32Array(BATCH).fill(1);
    const plain = m.evaluate(xs, y, { batchSize: 8 }).loss;
    expect(m.evaluate(xs, y, { batchSize: 8, sampleWeight: ones }).loss).toBeCloseTo(plain, 6);
    const half = Float32Array.from({ length: BATCH }, (_, i) => (i < 8 ? 1 : 0));
    const firstHalf = m.evaluate(new Tensor(x.slice(0, 8 * FEATURES), [8, FEATURES]), y.slice(0, 8), {
      batchSize: 8,
    }).loss;
    // Keras divides by the batch size, not by the sum of weights
    expect(m.evaluate(xs, y, { batchSize: 8, sampleWeight: half }).loss).toBeCloseTo(firstHalf / 2, 6);
    expect(m.evaluate(xs, y, { batchSize: 8 }).loss).toBeCloseTo(plain, 6);
  });
});

describe('fusion', () => {
  it(
    'a sigmoid output (dense epilogue or sigmoid layer) fuses into binary cross-entropy; a softmax into ' +
      'categorical',
    () => {
      const lossNode = (m: Sequential) => m.program('train', 4).lossSum!.node!;
      const dense = sequential([layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] })], { seed: 1 });
      dense.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      expect(lossNode(dense).op.name).toBe('pointwiseLoss');
      expect((lossNode(dense).attrs as { input: string }).input).toBe('logits');
      const layer = sequential(
        [layers.dense({ units: 2, inputShape: [3] }), layers.activation({ activation: 'sigmoid' })],
        { seed: 1 },
      );
      layer.compile({ optimizer: 'sgd', loss: losses.binaryCrossentropy({ labelSmoothing: 0.1 }) });
      expect((lossNode(layer).attrs as { input: string }).input).toBe('logits');
      const softmax = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })], { seed: 1 });
      softmax.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      expect((lossNode(softmax).attrs as { input: string }).input).toBe('logits');
      const probs = sequential([layers.dense({ units: 3, activation: 'tanh', inputShape: [3] })], { seed: 1 });
      probs.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      expect((lossNode(probs).attrs as { input: string }).input).toBe('probs');
    },
  );
});
