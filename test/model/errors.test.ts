// Bad input to every public entry point: the error type and the message (argument, expectation,
// what was received, the fix).

import { describe, expect, it } from 'vitest';
import { layers, optimizers, sequential, tensor, ShapeError, StateError, ValueError } from '../../src/index.js';
import { NonFiniteLossError } from '../../src/model/fit.js';
import { blobs } from '../helpers/data.js';

function compiled(inputShape = [8]) {
  const model = sequential([layers.dense({ units: 4, activation: 'softmax', inputShape })], { seed: 1 });
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

const { x, y } = blobs(20, 8, 4, 1);

describe('data that does not fit the model', () => {
  it('[32, 28, 28] into a dense layer expecting 784 suggests flattening', async () => {
    const model = compiled([784]);
    const images = tensor(new Float32Array(32 * 28 * 28), [32, 28, 28]);
    await expect(model.fit(images, new Int32Array(32))).rejects.toThrow(ShapeError);
    await expect(model.fit(images, new Int32Array(32))).rejects.toThrow(
      new RegExp(
        'dense\\w* expects input \\[null, 784\\], received x of shape \\[32, 28, 28\\]: flatten each sample ' +
          '.*layers\\.flatten\\(\\{ inputShape: \\[28, 28\\] \\}\\)',
      ),
    );
  });

  it('a dense first layer built from 2-D samples says to put a flatten() before it', async () => {
    const model = sequential([layers.dense({ units: 4 })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await expect(model.fit(tensor(new Float32Array(2 * 28 * 28), [2, 28, 28]), [0, 1])).rejects.toThrow(
      /expects input \[\*, features\], received \[null, 28, 28\]: put a flatten\(\) before it/,
    );
  });

  it('labels out of range name the label, its index and the class count', async () => {
    const bad = Int32Array.from(y.data);
    bad[7] = 4;
    await expect(compiled().fit(x, bad)).rejects.toThrow(
      /y: label 4 at index 7 is out of range for 4 classes \(expected 0 to 3\)/,
    );
    bad[7] = -1;
    await expect(compiled().fit(x, bad)).rejects.toThrow(ValueError);
  });

  it('non-integer labels for a sparse loss', async () => {
    const bad = Float32Array.from(y.data);
    bad[3] = 1.5;
    await expect(compiled().fit(x, bad)).rejects.toThrow(
      /y: sparseCategoricalCrossentropy expects integer class indices, received 1.5 at index 3/,
    );
  });

  it('one-hot targets with a sparse loss, and class indices with a one-hot loss, name the other loss', async () => {
    const oneHot = tensor(new Float32Array(20 * 4), [20, 4]);
    await expect(compiled().fit(x, oneHot)).rejects.toThrow(/use loss 'categoricalCrossentropy'/);
    const model = sequential([layers.dense({ units: 4, activation: 'softmax', inputShape: [8] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await expect(model.fit(x, y)).rejects.toThrow(/use loss 'sparseCategoricalCrossentropy'/);
  });

  it('features and labels of different lengths', async () => {
    await expect(compiled().fit(x, y.data.subarray(0, 19))).rejects.toThrow(
      /x and y have different lengths: 20 samples against 19 targets/,
    );
    await expect(compiled().fit(x, y, { validationData: [x, y.data.subarray(0, 5)] })).rejects.toThrow(
      /validationData\[0\] and validationData\[1\] have different lengths/,
    );
  });

  it('NaN or Infinity in inputs name the sample and feature', async () => {
    const bad = Float32Array.from(x.data);
    bad[8 * 5 + 2] = NaN;
    await expect(compiled().fit(tensor(bad, [20, 8]), y)).rejects.toThrow(
      /x: sample 5 has NaN at feature 2; features must be finite/,
    );
    bad[8 * 5 + 2] = Infinity;
    expect(() => compiled().predict(tensor(bad, [20, 8]))).toThrow(/sample 5 has Infinity/);
    expect(() => compiled().evaluate(tensor(bad, [20, 8]), y)).toThrow(/x: sample 5 has Infinity at feature 2/);
    // Validation data is checked before the first epoch, not after it.
    const model = compiled();
    const before = model.getWeights().map((w) => Array.from(w.data));
    await expect(model.fit(x, y, { validationData: [tensor(bad, [20, 8]), y], verbose: 0 })).rejects.toThrow(
      /validationData\[0\]: sample 5 has Infinity/,
    );
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });

  it('ragged nested arrays', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested array/);
  });
});

describe('options', () => {
  for (const [name, bad] of [
    ['batchSize', 0],
    ['batchSize', 1.5],
    ['batchSize', '32'],
    ['epochs', -1],
    ['epochs', 2.5],
  ] as const) {
    it(`${name} = ${JSON.stringify(bad)} is refused`, async () => {
      await expect(compiled().fit(x, y, { [name]: bad } as never)).rejects.toThrow(
        new RegExp(`${name}: expected a positive integer, received ${JSON.stringify(bad) === '"32"' ? '"32"' : bad}`),
      );
    });
  }

  it('verbose, shuffle and callbacks are checked', async () => {
    await expect(compiled().fit(x, y, { verbose: 3 as never })).rejects.toThrow(
      /verbose: expected 0, 1 or 2, received 3/,
    );
    await expect(compiled().fit(x, y, { shuffle: 'yes' as never })).rejects.toThrow(/shuffle: expected true or false/);
    await expect(compiled().fit(x, y, { callbacks: [5] as never })).rejects.toThrow(
      new RegExp(
        'callbacks\\[0\\]: expected a Callback \\(callbacks.earlyStopping\\(…\\), …\\) or an object of hook ' +
          'functions such as \\{ onEpochEnd: \\(epoch, logs\\) => … \\}, received 5',
      ),
    );
    await expect(compiled().fit(x, y, { callbacks: 'log' as never })).rejects.toThrow(
      /callbacks: expected a Callback .* received "log"/,
    );
    await expect(compiled().fit(x, y, { callbacks: [{ onEpochEnd: 1 }] as never })).rejects.toThrow(
      /callbacks\[0\]\.onEpochEnd: expected a function, received 1/,
    );
    await expect(compiled().fit(x, y, { callbacks: [{ on_epoch_end: () => {} }] as never })).rejects.toThrow(
      /callbacks\[0\]: unknown hook "on_epoch_end"; use onEpochEnd/,
    );
  });

  it('fit, evaluate before compile', async () => {
    const model = sequential([layers.dense({ units: 4, inputShape: [8] })]);
    await expect(model.fit(x, y)).rejects.toThrow(StateError);
    await expect(model.fit(x, y)).rejects.toThrow(
      /fit: model \w+ is not compiled; call model.compile\(\{ optimizer, loss, metrics \}\) before fit\(\)/,
    );
    expect(() => model.evaluate(x, y)).toThrow(/evaluate: model \w+ is not compiled/);
  });

  it('unknown names list the known ones', () => {
    expect(() => layers.dense({ units: 3, activation: 'relu7' as never })).toThrow(
      new RegExp(
        'activation: unknown activation "relu7"; known: linear, relu, leakyRelu, elu, selu, sigmoid, hardSigmoid, ' +
          'tanh, softplus, softsign, softmax, swish, gelu',
      ),
    );
    expect(() => layers.dense({ units: 3, kernelInitializer: 'heUniformish' as never })).toThrow(
      /kernelInitializer: unknown initializer "heUniformish"; known: glorotUniform, zeros/,
    );
    const model = sequential([layers.dense({ units: 3, inputShape: [2] })]);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'poisson' as never })).toThrow(
      /loss: unknown loss "poisson"; known: sparseCategoricalCrossentropy, categoricalCrossentropy/,
    );
    expect(() => model.compile({ optimizer: 'rmsprops' as never, loss: 'categoricalCrossentropy' })).toThrow(
      /optimizer: unknown optimizer "rmsprops"; known: sgd, adam/,
    );
    expect(() =>
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['f1' as never] }),
    ).toThrow(/metrics: unknown metric "f1"; known: accuracy/);
    expect(() =>
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['sparseCategoricalAccuracy'] }),
    ).toThrow(/sparseCategoricalAccuracy does not apply to loss categoricalCrossentropy/);
  });

  it('layer options', () => {
    expect(() => layers.dense({ units: 0 })).toThrow(/units: expected a positive integer, received 0/);
    expect(() => layers.dense({ units: 2, useBias: 'no' as never })).toThrow(/useBias: expected true or false/);
    expect(() => layers.flatten({ inputShape: [28, -1] })).toThrow(
      /inputShape: expected a non-empty array of positive integers, received \[28, null\]/,
    );
    expect(() => optimizers.sgd({ learningRate: -0.1 })).toThrow(
      /learningRate: expected a finite number >= 0, received -0.1/,
    );
    expect(() => optimizers.sgd({ learningRate: NaN })).toThrow(
      /learningRate: expected a finite number >= 0, received NaN/,
    );
  });

  it('a diverging run stops with an error that says what to do', async () => {
    const model = sequential([layers.dense({ units: 4, activation: 'softmax', inputShape: [8] })], { seed: 1 });
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1e30 }), loss: 'sparseCategoricalCrossentropy' });
    const big = tensor(
      (x.data as Float32Array).map((v) => v * 1e6),
      [20, 8],
    );
    const run = model.fit(big, y, { epochs: 3, batchSize: 4, verbose: 0 });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(model.fit(big, y, { epochs: 3, batchSize: 4, verbose: 0 })).rejects.toThrow(/Lower the learning rate/);
  });
});

describe('backend', () => {
  it('a model built before configureBackend() follows the new backend, with the same predictions', async () => {
    const { configureBackend, getBackend } = await import('../../src/index.js');
    const model = compiled();
    const before = model.predict(x).dataSync() as Float32Array;
    const old = getBackend();
    configureBackend({ relaxedSimd: false });
    try {
      const after = model.predict(x).dataSync() as Float32Array;
      expect(getBackend()).not.toBe(old);
      for (const [i, v] of after.entries()) expect(v).toBeCloseTo(before[i], 5);
    } finally {
      configureBackend({ relaxedSimd: true });
    }
  });
});
