import { describe, expect, it } from 'vitest';
import { layers, optimizers, sequential, Tensor, toCategorical } from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import type { LossIdentifier } from '../../src/losses/losses.js';
import type { ClassWeight } from '../../src/model/class-weight.js';
import { blobs } from '../helpers/data.js';
import { CLASSES, FEATURES, SAMPLES, linearData } from '../helpers/linear-softmax.js';

const N = 48;
const { x, y } = blobs(N, 5, 3, 11);
const labels = y.data as Int32Array;

function model(units: number, activation: 'softmax' | 'sigmoid', loss: LossIdentifier) {
  const m = sequential(
    [layers.dense({ units: 6, activation: 'relu', inputShape: [5] }), layers.dense({ units, activation })],
    { seed: 3 },
  );
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss });
  return m;
}

type FitExtras = { classWeight?: ClassWeight; sampleWeight?: Float32Array };

async function train(
  units: number,
  activation: 'softmax' | 'sigmoid',
  loss: LossIdentifier,
  targets: Tensor,
  extras: FitExtras,
) {
  const m = model(units, activation, loss);
  const history = await m.fit(x, targets, { epochs: 3, batchSize: 8, verbose: 0, ...extras });
  return { weights: m.getWeights().map((w) => Array.from(w.data)), loss: history.history.loss };
}

describe('fit classWeight', () => {
  const classWeight = { 0: 2, 2: 0.25 };
  const perClass = [2, 1, 0.25];

  it('equals the sampleWeight of each sample’s class (sparse labels; shuffled mini-batches)', async () => {
    const sampleWeight = Float32Array.from(labels, (c) => perClass[c]);
    const a = await train(3, 'softmax', 'sparseCategoricalCrossentropy', y, { classWeight });
    const b = await train(3, 'softmax', 'sparseCategoricalCrossentropy', y, { sampleWeight });
    expect(a.weights).toEqual(b.weights);
    expect(a.loss).toEqual(b.loss);
    const plain = await train(3, 'softmax', 'sparseCategoricalCrossentropy', y, {});
    expect(plain.weights).not.toEqual(a.weights);
  });

  it('reads the argmax of one-hot rows (categoricalCrossentropy)', async () => {
    const oneHot = toCategorical(labels, 3);
    const sampleWeight = Float32Array.from(labels, (c) => perClass[c]);
    const a = await train(3, 'softmax', 'categoricalCrossentropy', oneHot, { classWeight });
    const b = await train(3, 'softmax', 'categoricalCrossentropy', oneHot, { sampleWeight });
    expect(a.weights).toEqual(b.weights);
  });

  it('reads 0/1 labels for binaryCrossentropy with one unit', async () => {
    const binary = new Tensor(
      Float32Array.from(labels, (c) => (c === 1 ? 1 : 0)),
      [N, 1],
    );
    const sampleWeight = Float32Array.from(labels, (c) => (c === 1 ? 4 : 0.5));
    const a = await train(1, 'sigmoid', 'binaryCrossentropy', binary, { classWeight: { 0: 0.5, 1: 4 } });
    const b = await train(1, 'sigmoid', 'binaryCrossentropy', binary, { sampleWeight });
    expect(a.weights).toEqual(b.weights);
  });

  it('multiplies with sampleWeight when both are given', async () => {
    const own = Float32Array.from({ length: N }, (_, i) => 0.5 + (i % 4) * 0.25);
    const product = Float32Array.from(labels, (c, i) => perClass[c] * own[i]);
    const a = await train(3, 'softmax', 'sparseCategoricalCrossentropy', y, { classWeight, sampleWeight: own });
    const b = await train(3, 'softmax', 'sparseCategoricalCrossentropy', y, { sampleWeight: product });
    expect(a.weights).toEqual(b.weights);
  });

  it("gives Keras's weighted loss Σ wᵢ·CEᵢ / N and its SGD step (float64 reference, one full batch)", async () => {
    const { x: lx, y: ly } = linearData();
    const weightOf = [0.5, 3, 1.5];
    const m = sequential([layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] })], {
      seed: 5,
    });
    const [k0, b0] = m.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
    const eta = 0.3;
    m.compile({ optimizer: optimizers.sgd({ learningRate: eta }), loss: 'sparseCategoricalCrossentropy' });
    const history = await m.fit(new Tensor(lx, [SAMPLES, FEATURES]), new Tensor(ly, [SAMPLES]), {
      epochs: 1,
      batchSize: SAMPLES,
      shuffle: false,
      verbose: 0,
      classWeight: { 0: weightOf[0], 1: weightOf[1], 2: weightOf[2] },
    });
    let loss = 0;
    const gk = new Float64Array(k0.length);
    const gb = new Float64Array(b0.length);
    for (let n = 0; n < SAMPLES; n++) {
      const z = Array.from(
        { length: CLASSES },
        (_, c) =>
          b0[c] +
          Array.from({ length: FEATURES }, (_, f) => lx[n * FEATURES + f] * k0[f * CLASSES + c]).reduce(
            (s, v) => s + v,
            0,
          ),
      );
      const max = Math.max(...z);
      const total = z.reduce((s, v) => s + Math.exp(v - max), 0);
      const w = weightOf[ly[n]];
      loss += (w * -(z[ly[n]] - max - Math.log(total))) / SAMPLES;
      for (let c = 0; c < CLASSES; c++) {
        const dz = (w * (Math.exp(z[c] - max) / total - (c === ly[n] ? 1 : 0))) / SAMPLES;
        gb[c] += dz;
        for (let f = 0; f < FEATURES; f++) gk[f * CLASSES + c] += lx[n * FEATURES + f] * dz;
      }
    }
    expect(history.history.loss[0]).toBeCloseTo(loss, 5);
    const [k, b] = m.getWeights().map((t) => Array.from(t.data as Float32Array));
    for (const [i, v] of k.entries()) expect(v).toBeCloseTo(k0[i] - eta * gk[i], 5);
    for (const [i, v] of b.entries()) expect(v).toBeCloseTo(b0[i] - eta * gb[i], 5);
  });

  it('rejects classes the model lacks, bad weights and regression losses, naming the fix', async () => {
    const m = model(3, 'softmax', 'sparseCategoricalCrossentropy');
    const fit = (classWeight: unknown) => m.fit(x, y, { verbose: 0, classWeight: classWeight as ClassWeight });
    await expect(fit({ 3: 1 })).rejects.toThrow(ValueError);
    await expect(fit({ 3: 1 })).rejects.toThrow(
      'classWeight: "3" is not a class of the model, whose output has 3 classes; use class indices 0 to 2 as keys.',
    );
    await expect(fit({ '-1': 1 })).rejects.toThrow(/classWeight: "-1" is not a class of the model/);
    await expect(fit({ 1.5: 1 })).rejects.toThrow(/classWeight: "1.5" is not a class of the model/);
    await expect(fit({ cat: 1 })).rejects.toThrow(/classWeight: "cat" is not a class of the model/);
    await expect(fit({ 0: -1 })).rejects.toThrow(
      'classWeight: the weight of class 0 must be a finite number >= 0, received -1; use 0 to leave a class out.',
    );
    await expect(fit({ 1: Number.NaN })).rejects.toThrow(
      /the weight of class 1 must be a finite number >= 0, received NaN/,
    );
    await expect(fit({ 1: Infinity })).rejects.toThrow(
      /the weight of class 1 must be a finite number >= 0, received Infinity/,
    );
    await expect(fit({ 1: '2' })).rejects.toThrow(/the weight of class 1 must be a finite number >= 0, received "2"/);
    await expect(fit([1, 2, 3])).rejects.toThrow(
      /classWeight: expected an object mapping class indices to weights, such as \{ 0: 1, 1: 5 \}, received/,
    );
    await expect(fit(2)).rejects.toThrow(/classWeight: expected an object mapping class indices to weights/);

    const binary = model(1, 'sigmoid', 'binaryCrossentropy');
    const yb = new Tensor(
      Float32Array.from(labels, (c) => (c === 1 ? 1 : 0)),
      [N, 1],
    );
    await expect(binary.fit(x, yb, { verbose: 0, classWeight: { 2: 1 } })).rejects.toThrow(
      'classWeight: "2" is not a class of the model, whose binaryCrossentropy output has the classes 0 and 1; use ' +
        'class indices 0 to 1 as keys.',
    );
    const multiLabel = model(2, 'sigmoid', 'binaryCrossentropy');
    await expect(
      multiLabel.fit(x, new Tensor(new Float32Array(N * 2), [N, 2]), { verbose: 0, classWeight: { 1: 2 } }),
    ).rejects.toThrow(
      'classWeight: loss binaryCrossentropy with 2 output units has several labels per sample, so a sample has no ' +
        'single class; give the model one output unit, or pass sampleWeight instead.',
    );
    const regression = sequential([layers.dense({ units: 1, inputShape: [5] })], { seed: 1 });
    regression.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(
      regression.fit(x, new Tensor(new Float32Array(N), [N, 1]), { verbose: 0, classWeight: { 0: 1 } }),
    ).rejects.toThrow(
      'classWeight: loss meanSquaredError is a regression loss, whose targets have no classes; pass sampleWeight ' +
        '(one weight per sample) instead.',
    );
  });
});
