// Parity with an independent implementation: @tensorflow/tfjs (layers API, cpu backend).
//
// For each model below: the same initial weights (simdnet's, copied into tfjs, biases perturbed so
// that the bias path is exercised) and the same batch of 32 give, within a relative error of 1e-4,
//   - the same loss (simdnet `evaluate` vs tfjs's compiled loss function on the same batch),
//   - the same gradients (simdnet's own `gradients()` graph vs `tf.variableGrads`), and the same
//     update implied by one SGD step ((w_before − w_after) / lr),
//   - the same weights after one SGD step (`fit` one epoch of one batch, shuffle off, in both),
//   - the same `predict` outputs.
//
// Relative error of a tensor a against the reference b: max|a − b| / max(max|b|, 1e-30), i.e. the
// error is normalised by the tensor's largest magnitude (gradients of the first layer are ~1e-3 and
// many are exactly zero, so an elementwise relative error would be meaningless).
//
// The implied gradient (w_before − w_after)/lr carries the float32 rounding of w_after (half an ulp
// of |w| ≈ 0.1, i.e. ~4e-9, divided by lr = 0.01): its tolerance is 1e-4 plus that rounding bound,
// relative to the tensor's largest gradient. The direct gradient check carries the strict 1e-4.
//
// Data: the first 32 training images of Fashion-MNIST when the Debian package's files exist,
// otherwise seeded uniform pixels in [0, 1] and seeded labels.

import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, layers, optimizers, sequential, Generator, Tensor, type Sequential } from '../../src/index.js';
import { configureBackend, getBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gradients } from '../../src/graph/gradients.js';
import { placeholder } from '../../src/graph/tensor.js';
import { resolveLoss, type LossName } from '../../src/losses/losses.js';
import { forward } from '../../src/model/programs.js';
import { callContext } from '../../src/layers/layer.js';
import type { ActivationName } from '../../src/layers/activations.js';
import { relErr } from '../helpers/compare.js';

const TOL = 1e-4;
const LR = 0.01;
const BATCH = 32;
const CLASSES = 10;
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

// ---- data -------------------------------------------------------------------------------------

let x: Float32Array; // [32, 28, 28]
let labels: Int32Array; // [32]
let oneHot: Float32Array; // [32, 10]
let dataSource = '';

async function loadBatch(): Promise<void> {
  if (existsSync(FASHION_DIR)) {
    const d = await datasets.fashionMnist({ dir: FASHION_DIR, validation: 0, trainSamples: BATCH, download: false });
    x = (d.xTrain.data as Float32Array).slice(0, BATCH * 784);
    labels = Int32Array.from(d.yTrain.data).slice(0, BATCH);
    dataSource = 'Fashion-MNIST (first 32 training images)';
  } else {
    const rng = new Generator(1234);
    x = new Float32Array(BATCH * 784);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
    labels = new Int32Array(BATCH);
    for (let i = 0; i < BATCH; i++) labels[i] = Math.floor(rng.uniform() * CLASSES) % CLASSES;
    dataSource = 'seeded uniform pixels (Fashion-MNIST not installed)';
  }
  oneHot = new Float32Array(BATCH * CLASSES);
  for (let i = 0; i < BATCH; i++) oneHot[i * CLASSES + labels[i]] = 1;
}

// ---- comparison -------------------------------------------------------------------------------

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Largest relative error seen per check, for the summary printed at the end. */
const builds: string[] = [];
const worst = new Map<string, { err: number; tol: number; where: string }>();
function record(check: string, where: string, err: number, tol = TOL): void {
  const w = worst.get(check);
  if (!w || err / tol > w.err / w.tol) worst.set(check, { err, tol, where });
  expect(
    err,
    `${check} of ${where}: relative error ${err.toExponential(2)} > ${tol.toExponential(2)}`,
  ).toBeLessThanOrEqual(tol);
}

// ---- the models -------------------------------------------------------------------------------

interface Variant {
  name: string;
  hidden: ActivationName;
  /** dense-softmax: Dense(10, softmax); separate-softmax: Dense(10) then Activation(softmax);
   * dense-sigmoid: Dense(10, sigmoid), so the loss takes probabilities (Keras's clipped path). */
  head: 'dense-softmax' | 'separate-softmax' | 'dense-sigmoid';
  loss: LossName;
}

const VARIANTS: Variant[] = [
  {
    name: 'reference (relu, softmax, sparse)',
    hidden: 'relu',
    head: 'dense-softmax',
    loss: 'sparseCategoricalCrossentropy',
  },
  { name: 'reference, one-hot targets', hidden: 'relu', head: 'dense-softmax', loss: 'categoricalCrossentropy' },
  { name: 'softmax as its own layer', hidden: 'relu', head: 'separate-softmax', loss: 'sparseCategoricalCrossentropy' },
  { name: 'sigmoid hidden layers', hidden: 'sigmoid', head: 'dense-softmax', loss: 'sparseCategoricalCrossentropy' },
  { name: 'tanh hidden layers, one-hot', hidden: 'tanh', head: 'dense-softmax', loss: 'categoricalCrossentropy' },
  {
    name: 'sigmoid output (cross-entropy from probabilities), sparse',
    hidden: 'relu',
    head: 'dense-sigmoid',
    loss: 'sparseCategoricalCrossentropy',
  },
  {
    name: 'sigmoid output (cross-entropy from probabilities), one-hot',
    hidden: 'tanh',
    head: 'dense-sigmoid',
    loss: 'categoricalCrossentropy',
  },
];

function simdnetModel(v: Variant, seed: number): Sequential {
  const head =
    v.head === 'separate-softmax'
      ? [layers.dense({ units: CLASSES }), layers.activation({ activation: 'softmax' })]
      : [layers.dense({ units: CLASSES, activation: v.head === 'dense-softmax' ? 'softmax' : 'sigmoid' })];
  const model = sequential(
    [
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 300, activation: v.hidden }),
      layers.dense({ units: 100, activation: v.hidden }),
      ...head,
    ],
    { seed },
  );
  model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: v.loss });
  return model;
}

function tfjsModel(v: Variant): tf.Sequential {
  const head =
    v.head === 'separate-softmax'
      ? [tf.layers.dense({ units: CLASSES }), tf.layers.activation({ activation: 'softmax' })]
      : [tf.layers.dense({ units: CLASSES, activation: v.head === 'dense-softmax' ? 'softmax' : 'sigmoid' })];
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 300, activation: v.hidden as 'relu' }),
      tf.layers.dense({ units: 100, activation: v.hidden as 'relu' }),
      ...head,
    ],
  });
  model.compile({ optimizer: tf.train.sgd(LR), loss: v.loss });
  return model;
}

/** Simdnet's weights with the (zero-initialised) biases replaced by seeded values in [−0.1, 0.1]. */
function initialWeights(model: Sequential, seed: number): Tensor[] {
  const rng = new Generator(seed);
  return model.getWeights().map((w) => {
    if (w.rank !== 1) return w;
    const data = new Float32Array(w.size);
    for (let i = 0; i < data.length; i++) data[i] = (rng.uniform() - 0.5) * 0.2;
    return new Tensor(data, w.shape);
  });
}

/** Simdnet's gradients of the mean loss, straight from a `gradients()` graph on the model's layers. */
function simdnetGradients(model: Sequential, lossName: LossName): { loss: number; grads: Float32Array[] } {
  const loss = resolveLoss(lossName);
  const input = placeholder([BATCH, 28, 28], 'float32', 'x');
  const output = forward(model.layers, input, callContext(true));
  const target = loss.targetPlaceholder(output.shape);
  const { lossSum } = loss.build(output, target);
  const variables = model.layers.flatMap((l) => l.trainableWeights);
  const grads = gradients(
    lossSum,
    variables.map((v) => v.symbolic),
  );
  expect(grads.every((g) => g !== null)).toBe(true);
  const graph = new CompiledGraph(getBackend(), {
    feeds: [input, target],
    fetches: [lossSum, ...grads.map((g) => g!)],
  });
  try {
    graph.write(input, x);
    graph.write(target, lossName === 'sparseCategoricalCrossentropy' ? labels : oneHot);
    graph.run();
    return { loss: graph.readScalar(lossSum) / BATCH, grads: grads.map((g) => graph.read(g!) as Float32Array) };
  } finally {
    graph.dispose();
  }
}

// ---- the tests --------------------------------------------------------------------------------

beforeAll(async () => {
  await tf.setBackend('cpu');
  await loadBatch();
});

afterAll(() => {
  const lines = [...worst].map(
    ([check, { err, tol, where }]) =>
      `  ${check.padEnd(26)} ${err.toExponential(2)} (tolerance ${tol.toExponential(2)})  ${where}`,
  );
  console.log(
    `simdnet ${builds.join(' and ')} vs tfjs ${tf.version.tfjs} cpu on ${dataSource}; worst relative errors (against ` +
      `their tolerance):\n${lines.join('\n')}`,
  );
});

// Both kernel builds: relaxed SIMD (fused multiply-add) and plain SIMD.
describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])(
  'parity with @tensorflow/tfjs (cpu backend), one SGD step on a batch of 32, $build kernels',
  ({ build, relaxedSimd }) => {
    beforeAll(() => {
      configureBackend({ relaxedSimd });
      builds.push(getBackend().description);
      if (!relaxedSimd) expect(getBackend().description).toContain('(simd');
    });
    afterAll(() => configureBackend({ relaxedSimd: true }));

    VARIANTS.forEach((v, index) => {
      it(v.name, async () => {
        v = { ...v, name: `${v.name} [${build}]` };
        const seed = 100 + index;
        const model = simdnetModel(v, seed);
        const w0 = initialWeights(model, seed + 1000);
        model.setWeights(w0);
        const tfModel = tfjsModel(v);
        tfModel.setWeights(w0.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
        const names = model.layers.flatMap((l) => l.trainableWeights.map((w) => w.name));
        const kind = (i: number) => (w0[i].rank === 2 ? 'kernel' : 'bias');
        const sparse = v.loss === 'sparseCategoricalCrossentropy';

        const xs = new Tensor(x, [BATCH, 28, 28]);
        const ys = sparse ? new Tensor(labels, [BATCH]) : new Tensor(oneHot, [BATCH, CLASSES]);
        const txs = tf.tensor(x, [BATCH, 28, 28]);
        const tys = sparse ? tf.tensor(Float32Array.from(labels), [BATCH]) : tf.tensor(oneHot, [BATCH, CLASSES]);

        try {
          // predict
          const pred = model.predict(xs, { batchSize: BATCH });
          const tfPred = tf.tidy(() => (tfModel.predict(txs) as tf.Tensor).dataSync());
          record('predict', v.name, relErr(pred.data, tfPred));

          // loss and gradients
          const tfVars = tfModel.trainableWeights.map((w) => w.read() as tf.Variable);
          expect(tfVars.length).toBe(w0.length);
          // The loss function tfjs's own fit uses (a Sequential keeps its compiled LayersModel in `model`).
          const lossFn = (tfModel as unknown as { model: tf.LayersModel }).model.lossFunctions[0];
          const { value, grads } = tf.variableGrads(
            () => tf.mean(lossFn(tys, tfModel.apply(txs, { training: true }) as tf.Tensor)) as tf.Scalar,
            tfVars,
          );
          const tfLoss = value.dataSync()[0];
          const tfGrads = tfVars.map((tv) => grads[tv.name].dataSync() as Float32Array);
          value.dispose();
          for (const g of Object.values(grads)) g.dispose();

          const evaluated = model.evaluate(xs, ys, { batchSize: BATCH }).loss;
          record('loss (evaluate)', v.name, relErr([evaluated], [tfLoss]));
          const direct = simdnetGradients(model, v.loss);
          record('loss (gradient graph)', v.name, relErr([direct.loss], [tfLoss]));
          for (const [i, g] of direct.grads.entries()) {
            record(`gradient ${kind(i)}`, `${v.name}: ${names[i]}`, relErr(g, tfGrads[i]));
          }

          // one SGD step in each library
          const history = await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
          const tfHistory = await tfModel.fit(txs, tys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
          record(
            'loss (fit history)',
            v.name,
            relErr([history.history.loss[0] as number], [tfHistory.history.loss[0] as number]),
          );
          const w1 = model.getWeights();
          const tfW1 = tfModel.getWeights().map((t) => t.dataSync() as Float32Array);
          w1.forEach((w, i) => {
            record(`updated ${kind(i)}`, `${v.name}: ${names[i]}`, relErr(w.data, tfW1[i]));
            // The step's implied gradient against tfjs's gradient (see the header for the tolerance).
            const before = w0[i].data;
            const implied = Float64Array.from(w.data, (after, j) => (before[j] - after) / LR);
            const rounding = (maxAbs(before) * 2 ** -24) / LR / Math.max(maxAbs(tfGrads[i]), 1e-30);
            record(
              `implied gradient ${kind(i)}`,
              `${v.name}: ${names[i]}`,
              relErr(implied, tfGrads[i]),
              TOL + 2 * rounding,
            );
          });

          // after the step, predictions still agree
          const pred1 = model.predict(xs, { batchSize: BATCH });
          const tfPred1 = tf.tidy(() => (tfModel.predict(txs) as tf.Tensor).dataSync());
          record('predict after step', v.name, relErr(pred1.data, tfPred1));
        } finally {
          tf.dispose([txs, tys]);
          tfModel.dispose();
          model.dispose();
        }
      });
    });
  },
);
