// Dropout and AlphaDropout layers through the model API: inference (predict, evaluate) is the identity,
// training (fit) drops; masks are reproducible from the model's seed and differ between steps and
// layers; argument errors name the layer, the value and the range.

import { callContext } from '../../src/layers/layer.js';
import { describe, expect, it } from 'vitest';
import { layers, sequential, optimizers, Tensor, ValueError, type Sequential } from '../../src/index.js';
import type { Layer } from '../../src/layers/layer.js';
import { forward } from '../../src/model/programs.js';
import { placeholder } from '../../src/graph/tensor.js';
import { Generator } from '../../src/random.js';

const SAMPLES = 48;
const FEATURES = 10;

function data(seed: number): { x: Tensor; y: Tensor } {
  const rng = new Generator(seed);
  const x = Float32Array.from({ length: SAMPLES * FEATURES }, () => rng.uniform() * 2 - 1);
  const y = Int32Array.from({ length: SAMPLES }, () => rng.int(3));
  return { x: new Tensor(x, [SAMPLES, FEATURES]), y: new Tensor(y, [SAMPLES]) };
}

function model(middle: Layer[], seed = 7): Sequential {
  const m = sequential(
    [
      layers.dense({ units: 16, activation: 'relu', inputShape: [FEATURES] }),
      ...middle,
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed },
  );
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

const noisy = [
  { name: 'dropout', make: (seed?: number) => layers.dropout({ rate: 0.5, seed }) },
  { name: 'alphaDropout', make: (seed?: number) => layers.alphaDropout({ rate: 0.3, seed }) },
];

describe.each(noisy)('$name layer', ({ make }) => {
  it('predict and evaluate are deterministic and equal the same model without the layer', () => {
    const { x, y } = data(1);
    const withNoise = model([make()]);
    const plain = model([]);
    plain.setWeights(withNoise.getWeights());
    const p1 = withNoise.predict(x).data;
    const p2 = withNoise.predict(x).data;
    expect(Array.from(p2)).toEqual(Array.from(p1));
    expect(Array.from(plain.predict(x).data)).toEqual(Array.from(p1));
    expect(withNoise.evaluate(x, y).loss).toBe(plain.evaluate(x, y).loss);
  });

  it(
    'during fit the loss differs from the noise-free loss of the same weights (one step, the whole data as one ' +
      'batch)',
    async () => {
      const { x, y } = data(2);
      const withNoise = model([make()]);
      const plain = model([]);
      plain.setWeights(withNoise.getWeights());
      const before = plain.evaluate(x, y).loss;
      const hPlain = await plain.fit(x, y, { epochs: 1, batchSize: SAMPLES, shuffle: false, verbose: 0 });
      const hNoise = await withNoise.fit(x, y, { epochs: 1, batchSize: SAMPLES, shuffle: false, verbose: 0 });
      // The loss fit reports is the forward pass before the update: equal for the plain model…
      expect(hPlain.history.loss[0]).toBeCloseTo(before, 5);
      // …and different where units were dropped.
      expect(Math.abs(hNoise.history.loss[0] - before)).toBeGreaterThan(1e-3);
    },
  );

  it('training is reproducible from the model seed; another model seed or layer seed trains differently', async () => {
    const { x, y } = data(3);
    const run = async (modelSeed: number, layerSeed?: number) => {
      // The model seed drives the initial weights, the shuffling and the masks: overwrite the
      // weights with one set so that only the masks and the order differ.
      const m = model([make(layerSeed)], modelSeed);
      m.setWeights(model([], 11).getWeights());
      await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      return m.getWeights().flatMap((w) => Array.from(w.data));
    };
    const a = await run(100);
    expect(await run(100)).toEqual(a);
    expect(await run(101)).not.toEqual(a);
    expect(await run(100, 5)).not.toEqual(a);
  });
});

describe('masks across layers and steps', () => {
  it('two dropout layers in one model draw different masks; the same layer draws a new mask every step', () => {
    const a = layers.dropout({ rate: 0.5 });
    const b = layers.dropout({ rate: 0.5 });
    a.build([64], new Generator(1));
    b.build([64], new Generator(1));
    const x = placeholder([4, 64], 'float32', 'x');
    const ctx = callContext(true);
    const ya = forward([a], x, ctx);
    const yb = forward([b], x, ctx);
    expect(ya.node!.attrs).not.toEqual(yb.node!.attrs);
    const saltOf = (t: typeof ya) => (t.node!.attrs as { salt: number }).salt;
    expect(saltOf(ya)).not.toBe(saltOf(yb));
    // A fresh program (a new context) numbers its random ops from the start again: same salts.
    const ctx2 = callContext(true);
    expect(saltOf(forward([a], x, ctx2))).toBe(saltOf(ya));
    expect(saltOf(forward([b], x, ctx2))).toBe(saltOf(yb));
  });

  it('rate 0 and inference add no op', () => {
    const x = placeholder([2, 3], 'float32', 'x');
    const training = callContext(true);
    const inference = { ...training, training: false };
    for (const layer of [layers.dropout({ rate: 0 }), layers.alphaDropout({ rate: 0 })])
      expect(layer.call(x, training)).toBe(x);
    for (const layer of [layers.dropout({ rate: 0.5 }), layers.alphaDropout({ rate: 0.5 })])
      expect(layer.call(x, inference)).toBe(x);
  });

  it('getConfig', () => {
    expect(layers.dropout({ rate: 0.25, name: 'd' }).getConfig()).toEqual({
      name: 'd',
      trainable: true,
      rate: 0.25,
      seed: null,
    });
    expect(layers.alphaDropout({ rate: 0.1, seed: 3, name: 'a' }).getConfig()).toEqual({
      name: 'a',
      trainable: true,
      rate: 0.1,
      seed: 3,
    });
  });
});

describe('errors', () => {
  it.each([-0.1, 1, 1.5, Number.NaN, '0.2', undefined])('dropout rate %s', (rate) => {
    const call = () => layers.dropout({ rate: rate as number, name: 'drop' });
    expect(call).toThrow(ValueError);
    expect(call).toThrow(
      new RegExp(
        '^drop: rate: expected a number in \\[0, 1\\) \\(the fraction of inputs to drop\\), received .*\\. Use 0 to ' +
          'disable dropout; 1 would drop everything\\.$',
      ),
    );
  });

  it('alphaDropout rate and seed, and a missing options object', () => {
    expect(() => layers.alphaDropout({ rate: 1, name: 'ad' })).toThrow(
      'ad: rate: expected a number in [0, 1) (the fraction of inputs to drop), received 1.',
    );
    expect(() => layers.dropout({ rate: 0.1, seed: -1, name: 'd' })).toThrow(
      'd: seed: expected an integer in [0, 4294967295], received -1.',
    );
    expect(() => layers.alphaDropout({ rate: 0.1, seed: 1.5, name: 'ad' })).toThrow(
      'ad: seed: expected an integer in [0, 4294967295], received 1.5.',
    );
    expect(() => layers.dropout(0.2 as never)).toThrow(
      'dropout: expected an options object such as { rate: 0.2 }, received 0.2.',
    );
    expect(() => layers.alphaDropout(undefined as never)).toThrow(ValueError);
  });
});
