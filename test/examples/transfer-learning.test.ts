// The transfer-learning example's procedure (examples/transfer-procedure.ts, which
// `npm run example:transfer` runs on Fashion-MNIST), run here on a few synthetic 28×28 images with one
// or two epochs per stage. At each stage: which layers are trainable, which weights the optimizer
// trains and at what rate, and that every frozen weight is bit for bit what model A saved.

import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, Generator, Tensor, type Sequential } from '../../src/index.js';
import { LEARNING_RATES, transferLearning, type Stage } from '../../examples/transfer-procedure.js';

function images(n: number, seed: number) {
  const rng = new Generator(seed);
  return {
    x: new Tensor(
      Float32Array.from({ length: n * 28 * 28 }, () => rng.uniform()),
      [n, 28, 28],
    ),
    y: new Tensor(
      Int32Array.from({ length: n }, (_, i) => (i * 7) % 10),
      [n],
    ),
  };
}

const values = (model: Sequential, layer: number) => model.layers[layer].weights.map((v) => Array.from(v.read().data));
const trainableNames = (model: Sequential) => model.layers.flatMap((l) => l.trainableWeights.map((v) => v.name));

beforeEach(() => clearSession());

describe('examples/transfer-learning: the reference procedure', () => {
  it(
    'freezes every reused layer, then unfreezes only the top hidden layer with a 10× lower rate; frozen weights ' +
      'never move',
    async () => {
      const stages: Stage[] = [];
      const snapshots = new Map<string, number[][][]>();
      const lines: string[] = [];
      await transferLearning(
        images(60, 1),
        images(30, 2),
        {
          trainA: 40,
          trainB: 12,
          epochs: { a: 1, frozen: 2, unfrozen: 2, scratch: 1 },
          batchSize: 8,
          log: (l) => lines.push(l),
        },
        (stage) => {
          stages.push(stage);
          // weights of every layer of this stage's model, as they are right after the stage's training
          snapshots.set(
            stage.name,
            stage.model.layers.map((_, i) => values(stage.model, i)),
          );
          const m = stage.model;
          if (stage.name === 'modelA' || stage.name === 'scratch') {
            expect(m.layers.every((l) => l.trainable)).toBe(true);
            expect(stage.reused).toEqual([]);
          }
          if (stage.name === 'frozen') {
            expect(stage.reused.map((l) => l.className)).toEqual(['Flatten', 'Dense', 'Dense', 'Dense']);
            expect(m.layers.slice(0, 4)).toEqual(stage.reused);
            expect(m.layers.map((l) => l.trainable)).toEqual([false, false, false, false, true]);
            expect(trainableNames(m)).toEqual(m.layers[4].weights.map((v) => v.name));
            expect(m.optimizer!.learningRate).toBe(LEARNING_RATES.frozen);
            expect(m.optimizer!.iterations).toBe(2 * 2); // 12 images in batches of 8: 2 steps per epoch
          }
          if (stage.name === 'unfrozen') {
            expect(m.layers.map((l) => l.trainable)).toEqual([false, false, false, true, true]);
            expect(trainableNames(m)).toEqual([...m.layers[3].weights, ...m.layers[4].weights].map((v) => v.name));
            expect(m.optimizer!.learningRate).toBe(LEARNING_RATES.unfrozen);
            expect(LEARNING_RATES.unfrozen).toBeLessThan(LEARNING_RATES.frozen);
          }
          expect(stage.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(stage.testAccuracy).toBeLessThanOrEqual(1);
        },
      );
      expect(stages.map((s) => s.name)).toEqual(['modelA', 'frozen', 'unfrozen', 'scratch']);

      const a = snapshots.get('modelA')!;
      const frozen = snapshots.get('frozen')!;
      const unfrozen = snapshots.get('unfrozen')!;
      // B's reused layers are a loaded copy of A, not A's own layers
      expect(stages[1].reused.every((l) => !stages[0].model.layers.includes(l))).toBe(true);
      // while frozen (step 2), every reused weight stayed what A saved; the new head trained
      for (const i of [1, 2, 3]) expect(frozen[i]).toEqual(a[i]);
      expect(
        frozen[4][1].some((v) => v !== 0),
        'the head (bias initialised to zeros) trained',
      ).toBe(true);
      // step 3: the two lower hidden layers are still frozen and unchanged; the top hidden layer and the head trained
      for (const i of [1, 2]) expect(unfrozen[i]).toEqual(a[i]);
      for (const i of [3, 4]) {
        const moved = unfrozen[i].map((w, j) => w.some((v, k) => v !== frozen[i][j][k]));
        expect(moved, `layer ${i}: kernel and bias changed in step 3`).toEqual([true, true]);
      }
      // the summary of step 2 counts only the head as trainable (50 + 1 weights)
      expect(lines.join('\n')).toMatch(/Trainable params: 51\n/);
    },
  );
});
