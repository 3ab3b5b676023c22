import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  layers,
  optimizers,
  sequential,
  Generator,
  ShapeError,
  Tensor,
  ValueError,
} from '../../src/index.js';

beforeEach(() => clearSession());

describe('reshape', () => {
  it('output shapes, with one inferred dimension', () => {
    expect(layers.reshape({ targetShape: [28, 28] }).computeOutputShape([784])).toEqual([28, 28]);
    expect(layers.reshape({ targetShape: [-1, 4] }).computeOutputShape([3, 4])).toEqual([3, 4]);
    expect(layers.reshape({ targetShape: [2, -1, 3] }).computeOutputShape([12])).toEqual([2, 2, 3]);
    expect(layers.reshape({ targetShape: [-1] }).computeOutputShape([2, 5])).toEqual([10]);
  });

  it('is a view: predict returns the input values in the new shape; summary row and no weights', () => {
    const model = sequential([layers.reshape({ targetShape: [3, -1], inputShape: [6] })]);
    const x = Float32Array.from({ length: 12 }, (_, i) => i - 5.5);
    const y = model.predict(new Tensor(x, [2, 6]));
    expect(y.shape).toEqual([2, 3, 2]);
    expect([...y.data]).toEqual([...x]);
    expect(model.summaryRows()).toEqual([
      { name: 'reshape', className: 'Reshape', outputShape: [null, 3, 2], params: 0 },
    ]);
    expect(model.countParams()).toBe(0);
  });

  it(
    'gradients pass through: a reshape then flatten before ' + 'a dense layer trains exactly as the dense layer alone',
    async () => {
      const r = new Generator(5);
      const x = new Tensor(
        Float32Array.from({ length: 16 * 6 }, () => r.uniform()),
        [16, 6],
      );
      const y = new Tensor(
        Int32Array.from({ length: 16 }, (_, i) => i % 3),
        [16],
      );
      const plain = sequential([layers.dense({ units: 3, inputShape: [6], activation: 'softmax' })], { seed: 1 });
      const reshaped = sequential(
        [
          layers.reshape({ targetShape: [2, 3], inputShape: [6] }),
          layers.flatten(),
          layers.dense({ units: 3, activation: 'softmax' }),
        ],
        { seed: 1 },
      );
      reshaped.setWeights(plain.getWeights());
      for (const m of [plain, reshaped])
        m.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      const h1 = await plain.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      const h2 = await reshaped.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      expect(h2.history.loss).toEqual(h1.history.loss);
      expect(reshaped.getWeights().map((w) => [...w.data])).toEqual(plain.getWeights().map((w) => [...w.data]));
    },
  );

  it('getConfig', () => {
    expect(layers.reshape({ targetShape: [2, -1], inputShape: [8], name: 'r' }).getConfig()).toEqual({
      name: 'r',
      trainable: true,
      targetShape: [2, -1],
      batchInputShape: [null, 8],
    });
  });

  it('errors: sizes that do not match (naming the layer and both shapes), several -1, bad entries', () => {
    expect(() => sequential([layers.reshape({ targetShape: [5, 5], inputShape: [28, 28] })])).toThrow(
      new ShapeError(
        'reshape cannot reshape input [null, 28, 28] (784 values per sample) to [null, 5, 5] (25 values): the sizes ' +
          'must match.',
      ),
    );
    expect(() => layers.reshape({ name: 'r', targetShape: [-1, 5] }).computeOutputShape([12])).toThrow(
      new ShapeError(
        'r cannot reshape input [null, 12] (12 values per sample) to [null, -1, 5] (a multiple of 5 values): the ' +
          'sizes must match.',
      ),
    );
    expect(() => layers.reshape({ name: 'r', targetShape: [-1, 2, -1] })).toThrow(
      new ValueError('r: targetShape: at most one dimension may be -1 (inferred), received [-1, 2, -1].'),
    );
    for (const targetShape of [[], [0, 3], [2.5], [-2, 3]] as number[][]) {
      expect(() => layers.reshape({ name: 'r', targetShape })).toThrow(
        new ValueError(
          `r: targetShape: expected a non-empty array of positive integers (one of them may be -1), received ` +
            `[${targetShape.join(', ')}].`,
        ),
      );
    }
    expect(() => layers.reshape({ name: 'r' } as never)).toThrow(
      /r: targetShape: expected a non-empty array .* received undefined\./,
    );
    expect(() => layers.reshape(null as never)).toThrow(
      new ValueError('reshape: expected an options object such as { targetShape: [28, 28] }, received null.'),
    );
    const model = sequential([layers.reshape({ targetShape: [2, 2] })]);
    expect(() => model.predict(new Tensor(new Float32Array(10), [2, 5]))).toThrow(
      /reshape_1 cannot reshape input \[null, 5\] \(5 values per sample\) to \[null, 2, 2\]/,
    );
  });
});
