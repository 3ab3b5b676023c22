// fit's training set held in the backend's memory: steps gather their batches in the program. The
// results must be bitwise those of feeding every batch from JavaScript, the copy must be freed and
// unbound when fit ends (also when it fails), a non-finite feature must be named before training,
// and a set above the limit must be fed batch by batch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  configureBackend,
  getBackend,
  layers,
  optimizers,
  sequential,
  Tensor,
  toCategorical,
  ValueError,
} from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import type { LossIdentifier } from '../../src/losses/losses.js';
import { ResidentData } from '../../src/model/resident-data.js';
import type { StepProgram } from '../../src/model/programs.js';
import { blobs } from '../helpers/data.js';

const { x, y } = blobs(45, 6, 3, 5);

function model(loss: LossIdentifier) {
  const m = sequential(
    [
      layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
      layers.dropout({ rate: 0.25 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 9 },
  );
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss, metrics: ['accuracy'] });
  return m;
}

type Case = { name: string; loss: LossIdentifier; targets: Tensor; shuffle: boolean; sampleWeight?: Float32Array };
const cases: Case[] = [
  { name: 'sparse labels, shuffled, a tail batch', loss: 'sparseCategoricalCrossentropy', targets: y, shuffle: true },
  {
    name: 'one-hot targets and sample weights, in order',
    loss: 'categoricalCrossentropy',
    targets: toCategorical(y, 3),
    shuffle: false,
    sampleWeight: Float32Array.from({ length: 45 }, (_, i) => 0.5 + (i % 4) * 0.25),
  },
];

async function train(c: Case, resident: boolean) {
  const spy = vi.spyOn(ResidentData, 'create');
  if (!resident) spy.mockReturnValue(null);
  const m = model(c.loss);
  const history = await m.fit(x, c.targets, {
    epochs: 3,
    batchSize: 8,
    shuffle: c.shuffle,
    sampleWeight: c.sampleWeight,
    verbose: 0,
  });
  // The path taken: a copy made (resident), or none (batches written from JavaScript).
  expect(spy).toHaveBeenCalledTimes(1);
  expect(spy.mock.results[0].value === null).toBe(!resident);
  spy.mockRestore();
  return { m, history: history.history, weights: m.getWeights().map((w) => Array.from(w.data)) };
}

afterEach(() => vi.restoreAllMocks());

describe('fit on a resident training set', () => {
  for (const c of cases) {
    it(`trains to bitwise the weights of batches fed from JavaScript (${c.name})`, async () => {
      const fed = await train(c, false);
      const resident = await train(c, true);
      expect(resident.history.loss).toEqual(fed.history.loss);
      expect(resident.history.accuracy).toEqual(fed.history.accuracy);
      expect(resident.weights).toEqual(fed.weights);
      expect(resident.history.loss[2]).toBeLessThan(resident.history.loss[0]);
    });
  }

  it('frees and unbinds the copy when fit ends, and when it fails', async () => {
    const backend = getBackend() as WasmBackend;
    const m = model('sparseCategoricalCrossentropy');
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const inUse = backend.memory.allocatedBytes;
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(backend.memory.allocatedBytes).toBe(inUse);
    const programs = [8, 5].map((size) =>
      (m as unknown as { program(...a: unknown[]): StepProgram }).program('train', size, false, false, true),
    );
    for (const p of programs) {
      expect(p.resident!.x.buffer).toBeNull();
      expect(p.resident!.y.buffer).toBeNull();
    }
    // A callback that throws mid-epoch: the copy is freed all the same.
    await expect(
      m.fit(x, y, {
        epochs: 1,
        batchSize: 8,
        verbose: 0,
        callbacks: {
          onBatchEnd: (batch) => {
            if (batch === 2) throw new Error('stop here');
          },
        },
      }),
    ).rejects.toThrow('stop here');
    expect(backend.memory.allocatedBytes).toBe(inUse);
  });

  it('names the first sample with a non-finite feature before any step, leaving the weights alone', async () => {
    const data = Float32Array.from(x.data as Float32Array);
    data[17 * 6 + 4] = Number.POSITIVE_INFINITY;
    data[30 * 6 + 1] = Number.NaN;
    const m = model('sparseCategoricalCrossentropy');
    const before = m.getWeights().map((w) => Array.from(w.data));
    await expect(m.fit(new Tensor(data, [45, 6]), y, { epochs: 1, verbose: 0 })).rejects.toThrow(
      new ValueError(
        'x: sample 17 has Infinity at feature 4; features must be finite: clean or impute the data first.',
      ),
    );
    expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });

  it(
    'moves with the model to the backend configureBackend() ' + 'made the default, leaving nothing on the old one',
    async () => {
      const m = model('sparseCategoricalCrossentropy');
      await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      const built = getBackend() as WasmBackend;
      const inUse = built.memory.allocatedBytes;
      configureBackend({ relaxedSimd: false });
      try {
        expect(getBackend()).not.toBe(built);
        const history = await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
        expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
        // The model moved to the new backend (weights, optimizer state, programs): nothing of it, and
        // no training set copy, is left on the old one.
        expect(built.memory.allocatedBytes).toBeLessThan(inUse);
        expect((getBackend() as WasmBackend).memory.allocatedBytes).toBeGreaterThan(0);
      } finally {
        configureBackend({ relaxedSimd: true });
      }
    },
  );

  it('is not made for a set above the limit (fit then feeds batches from JavaScript)', () => {
    const backend = getBackend();
    const used = (backend as WasmBackend).memory.allocatedBytes;
    // x is 45·6 floats and y 45 labels: 1,260 bytes.
    expect(ResidentData.create(backend, x, y, null, 'x', 1_259)).toBeNull();
    expect((backend as WasmBackend).memory.allocatedBytes).toBe(used);
    const made = ResidentData.create(backend, x, y, null, 'x', 1_260);
    expect(made).not.toBeNull();
    made!.dispose([]);
    expect((backend as WasmBackend).memory.allocatedBytes).toBe(used);
  });
});
