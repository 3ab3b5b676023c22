// modelCheckpoint saves through model.save; a run of 4 epochs equals (bit for bit) 2 epochs, a save,
// a load into a new model and 2 more epochs from initialEpoch 2 (weights, optimizer state and the
// generator behind shuffling and dropout all restored).

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Generator,
  Tensor,
  ValueError,
  callbacks,
  layers,
  loadModel,
  optimizers,
  sequential,
} from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rng = new Generator(5);
const N = 40;
const x = new Tensor(
  Float32Array.from({ length: N * 6 }, () => rng.normal()),
  [N, 6],
);
const y = new Tensor(
  Int32Array.from({ length: N }, () => rng.int(3)),
  [N],
);

function build() {
  const model = sequential(
    [
      layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
      layers.batchNormalization(),
      layers.dropout({ rate: 0.25 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 77 },
  );
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

const bits = (ws: Tensor[]) => ws.map((w) => Array.from(new Uint32Array(w.data.buffer, w.data.byteOffset, w.size)));

describe('resuming', () => {
  it('4 epochs == 2 epochs, save, load, 2 more epochs with initialEpoch 2 (bitwise)', async () => {
    const straight = build();
    await straight.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0 });

    const first = build();
    const dir = join(root, 'resume');
    await first.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      callbacks: [callbacks.modelCheckpoint({ filepath: dir })],
    });
    first.dispose();
    const resumed = await loadModel(dir);
    expect(resumed.epoch).toBe(2);
    await resumed.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, initialEpoch: resumed.epoch });

    expect(bits(resumed.getWeights())).toEqual(bits(straight.getWeights()));
    expect(bits(resumed.optimizer!.getWeights())).toEqual(bits(straight.optimizer!.getWeights()));
    expect(resumed.generator.getState()).toEqual(straight.generator.getState());
  });
});

describe('modelCheckpoint', () => {
  it('saves every epoch to a path with {epoch}, or only improvements with saveBestOnly', async () => {
    const model = build();
    const every = join(root, 'every-{epoch}');
    const best = join(root, 'best');
    const checkpoint = callbacks.modelCheckpoint({ filepath: best, monitor: 'loss', saveBestOnly: true });
    const saved: number[] = [];
    const original = model.save.bind(model);
    model.save = async (dest, args) => {
      if (dest === best) saved.push(args!.epoch!);
      return original(dest, args);
    };
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      callbacks: [callbacks.modelCheckpoint({ filepath: every }), checkpoint],
    });
    for (const e of [1, 2, 3]) expect(existsSync(join(root, `every-${e}`, 'model.json'))).toBe(true);
    const losses = history.history.loss;
    const improving = losses.map((l, i) => (losses.slice(0, i).every((p) => l < p) ? i + 1 : 0)).filter((e) => e > 0);
    expect(saved).toEqual(improving);
    expect(JSON.parse(readFileSync(join(best, 'model.json'), 'utf8')).simdnet.epoch).toBe(
      improving[improving.length - 1],
    );
  });

  it('checks its options', () => {
    expect(() => callbacks.modelCheckpoint({} as never)).toThrow(ValueError);
    expect(() => callbacks.modelCheckpoint({} as never)).toThrow(
      /filepath: expected where to save, such as 'file:\/\/.\/checkpoint', received undefined/,
    );
    expect(() => callbacks.modelCheckpoint({ filepath: 'x', saveFreq: 5 as never })).toThrow(
      /saveFreq: only 'epoch' is supported, received 5/,
    );
    expect(() => callbacks.modelCheckpoint({ filepath: 'x', mode: 'up' as never })).toThrow(
      /mode must be 'auto', 'min' or 'max'/,
    );
  });

  it('names a missing monitored figure', async () => {
    const model = build();
    await expect(
      model.fit(x, y, {
        epochs: 1,
        verbose: 0,
        callbacks: [callbacks.modelCheckpoint({ filepath: join(root, 'v'), saveBestOnly: true })],
      }),
    ).rejects.toThrow(/modelCheckpoint: monitor "valLoss" is not in the epoch logs.*pass validationData/);
  });
});
