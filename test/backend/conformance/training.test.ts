// Conformance, whole training steps: every case of training-cases.ts trained for three steps on each
// backend ends with the float64 reference backend's weights, within the backend's tolerance.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend, ready } from '../../../src/index.js';
import { relErr } from '../../helpers/compare.js';
import { CONFORMANCE_BACKENDS } from './backends.js';
import { caseData, TRAINING_CASES, SAMPLES, type TrainingCase } from './training-cases.js';

async function train(c: TrainingCase): Promise<Float32Array[]> {
  const { x, y } = caseData(c.targets);
  const model = c.model();
  model.compile(c.compile());
  await model.fit(x, y, { epochs: 1, batchSize: SAMPLES / 3, shuffle: false, verbose: 0 });
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return weights;
}

const reference = new Map<string, Float32Array[]>();

beforeAll(async () => {
  configureBackend({ backend: 'reference' });
  for (const c of TRAINING_CASES) reference.set(c.name, await train(c));
});

afterAll(() => configureBackend({ backend: 'wasm', threads: 1, relaxedSimd: true }));

describe.each(CONFORMANCE_BACKENDS)('$name', (backend) => {
  beforeAll(async () => {
    configureBackend(backend.options);
    await ready();
  });

  it.each(TRAINING_CASES.filter((c) => !c.random || backend.sameRandomStream))('$name', async (c) => {
    const weights = await train(c);
    const expected = reference.get(c.name)!;
    expect(weights.length).toBe(expected.length);
    for (const [i, w] of weights.entries())
      expect(relErr(w, expected[i]), `weight ${i}`).toBeLessThan(backend.trainingTolerance);
  });
});
