// Transfer learning: a loaded model's layers reused (the same Layer objects, so shared weights) under
// a new output layer; freezing with trainable = false (taking effect at the next compile, as in
// Keras), unfreezing and continuing with a lower learning rate; cloneModel's independent copies.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Generator,
  StateError,
  Tensor,
  cloneModel,
  layers,
  loadModel,
  optimizers,
  sequential,
} from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-transfer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rng = new Generator(3);
const N = 48;
const x = new Tensor(
  Float32Array.from({ length: N * 5 }, () => rng.normal()),
  [N, 5],
);
const y3 = new Tensor(
  Int32Array.from({ length: N }, () => rng.int(3)),
  [N],
);
const y1 = new Tensor(
  Float32Array.from({ length: N }, () => rng.int(2)),
  [N, 1],
);
const same = (a: Tensor, b: Tensor) => expect(Array.from(a.data)).toEqual(Array.from(b.data));

async function trainedA() {
  const a = sequential(
    [
      layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
      layers.batchNormalization(),
      layers.dense({ units: 4, activation: 'relu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 4 },
  );
  a.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  await a.fit(x, y3, { epochs: 1, batchSize: 16, verbose: 0 });
  const dir = join(root, 'a');
  await a.save(dir);
  return loadModel(dir);
}

describe('transfer learning', () => {
  it(
    "reuses a loaded model's layers under a new head; frozen layers stay put, then unfreeze and " + 'continue',
    async () => {
      const a = await trainedA();
      const base = a.layers.slice(0, -1);
      const b = sequential([...base, layers.dense({ units: 1, activation: 'sigmoid' })], { seed: 8 });
      expect(b.layers.slice(0, -1).every((l, i) => l === a.layers[i])).toBe(true);
      expect(new Set(b.layers.map((l) => l.name)).size).toBe(b.layers.length); // the new head took a name of its own

      for (const l of base) l.trainable = false;
      b.compile({
        optimizer: optimizers.sgd({ learningRate: 0.1 }),
        loss: 'binaryCrossentropy',
        metrics: ['accuracy'],
      });
      const frozen = base.flatMap((l) => l.weights.map((v) => v.read()));
      const head = b.layers[3].weights.map((v) => v.read());
      // summary: only the head (4·1 + 1 weights) is trainable; frozen layers list no trainable weights
      const summary = b.summary(() => undefined);
      expect(summary).toContain('Trainable params: 5');
      expect(summary).toContain(`Non-trainable params: ${b.countParams() - 5}`);
      expect(base.every((l) => l.trainableWeights.length === 0)).toBe(true);

      await b.fit(x, y1, { epochs: 2, batchSize: 16, verbose: 0 });
      for (const [i, v] of base.flatMap((l) => l.weights).entries()) same(v.read(), frozen[i]);
      expect(b.layers[3].weights.some((v, i) => v.read().data.some((d, j) => d !== head[i].data[j]))).toBe(true);

      // as Keras: a change of trainable takes effect at the next compile, and fit says so until then
      for (const l of base) l.trainable = true;
      await expect(b.fit(x, y1, { epochs: 1, verbose: 0 })).rejects.toThrow(StateError);
      await expect(b.fit(x, y1, { epochs: 1, verbose: 0 })).rejects.toThrow(
        new RegExp(
          'fit: dense(_\\d+)?\\.trainable changed to true after model .* was compiled; as in Keras, call ' +
            'model\\.compile\\(\\{ optimizer, loss, metrics \\}\\) again',
        ),
      );
      b.compile({
        optimizer: optimizers.sgd({ learningRate: 0.01 }),
        loss: 'binaryCrossentropy',
        metrics: ['accuracy'],
      });
      expect(b.summary(() => undefined)).toContain(
        `Trainable params: ${b.layers.reduce((n, l) => n + l.trainableWeights.reduce((m, v) => m + v.size, 0), 0)}`,
      );
      await b.fit(x, y1, { epochs: 1, batchSize: 16, verbose: 0 });
      const changed = base[0].weights.map((v, i) => v.read().data.some((d, j) => d !== frozen[i].data[j]));
      expect(changed).toEqual([true, true]);
      // the weights are shared: model A sees B's training
      same(a.layers[0].weights[0].read(), base[0].weights[0].read());
    },
  );

  it('cloneModel copies layers and weights; training the copy leaves the original alone', async () => {
    const a = await trainedA();
    const copy = cloneModel(a);
    expect(
      copy.layers.every(
        (l, i) => l !== a.layers[i] && l.className === a.layers[i].className && l.name === a.layers[i].name,
      ),
    ).toBe(true);
    for (const [i, w] of copy.getWeights().entries()) same(w, a.getWeights()[i]);
    same(copy.predict(x), a.predict(x));
    const before = a.getWeights();
    copy.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    await copy.fit(x, y3, { epochs: 1, verbose: 0 });
    for (const [i, w] of a.getWeights().entries()) same(w, before[i]);
    expect(copy.getWeights()[0].data.some((d, j) => d !== before[0].data[j])).toBe(true);
    expect(() => cloneModel({} as never)).toThrow(/cloneModel: expected a Sequential model, received an object/);
  });
});
