import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, layers, optimizers, sequential, ShapeError, Tensor, ValueError } from '../../src/index.js';

beforeEach(() => clearSession());

describe('input', () => {
  it(
    'declares the input shape: the model is built at once, and (as Keras 3) the input layer is neither a layer nor ' +
      'a summary row',
    () => {
      const model = sequential([layers.input({ shape: [28, 28] }), layers.flatten(), layers.dense({ units: 10 })]);
      expect(model.inputShape).toEqual([28, 28]);
      expect(model.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense']);
      expect(model.summaryRows().map((r) => [r.name, r.outputShape, r.params])).toEqual([
        ['flatten', [null, 784], 0],
        ['dense', [null, 10], 7850],
      ]);
      expect(model.summary(() => undefined)).not.toContain('InputLayer');
      expect(model.countParams()).toBe(7850);
    },
  );

  it('model.add(input) first, then layers; predict and fit work', async () => {
    const model = sequential();
    model.add(layers.input({ inputShape: [3] }));
    expect(model.inputShape).toEqual([3]);
    model.add(layers.dense({ units: 2, activation: 'softmax' }));
    expect(model.layers[0].built).toBe(true);
    model.compile({ optimizer: optimizers.sgd(), loss: 'sparseCategoricalCrossentropy' });
    const x = new Tensor(Float32Array.from([1, 2, 3, -1, 0, 1]), [2, 3]);
    expect(model.predict(x).shape).toEqual([2, 2]);
    const h = await model.fit(x, new Tensor(Int32Array.from([0, 1]), [2]), { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    expect(() => model.predict(new Tensor(new Float32Array(8), [2, 4]))).toThrow(ShapeError);
  });

  it('has no weights; its name and config follow Keras', () => {
    const l = layers.input({ shape: [4, 2] });
    expect(l.name).toBe('input_layer');
    expect(layers.input({ shape: [1] }).name).toBe('input_layer_1');
    expect(l.className).toBe('InputLayer');
    expect(l.countParams()).toBe(0);
    expect(l.getConfig()).toEqual({ name: 'input_layer', batchInputShape: [null, 4, 2] });
    expect(() => l.computeOutputShape([4, 3])).toThrow(
      new ShapeError('input_layer declares input [null, 4, 2], received [null, 4, 3].'),
    );
  });

  it('errors: missing or bad shape, both spellings, not first, a second one, a conflicting inputShape', () => {
    expect(() => layers.input({})).toThrow(
      new ValueError(
        'input: shape: expected the shape of one sample, such as { shape: [28, 28] }, received undefined.',
      ),
    );
    expect(() => layers.input({ shape: [0, 3] })).toThrow(
      new ValueError('input: shape: expected a non-empty array of positive integers, received [0, 3].'),
    );
    expect(() => layers.input({ shape: [2], inputShape: [2] })).toThrow(
      new ValueError('input: give shape or inputShape (the same thing), not both.'),
    );
    expect(() => layers.input(undefined as never)).toThrow(
      new ValueError('input: expected an options object such as { shape: [28, 28] }, received undefined.'),
    );
    expect(() =>
      sequential([layers.dense({ units: 2, inputShape: [3] }), layers.input({ shape: [3], name: 'in' })], {
        name: 'm',
      }),
    ).toThrow(
      new ValueError(
        'add: in is an input layer, which must be the first entry of sequential model m; the model already has layers.',
      ),
    );
    expect(() =>
      sequential([layers.input({ shape: [3] }), layers.input({ shape: [3], name: 'in2' })], { name: 'm' }),
    ).toThrow(
      new ValueError(
        'add: in2 is an input layer, which must be the first entry of sequential model m; the model already has ' +
          'input shape [null, 3].',
      ),
    );
    expect(() =>
      sequential([layers.input({ shape: [3] }), layers.dense({ units: 2, inputShape: [4], name: 'd' })], { name: 'm' }),
    ).toThrow(
      new ValueError('add: d declares inputShape, but model m already has input shape [null, 3]; remove one of them.'),
    );
  });
});
