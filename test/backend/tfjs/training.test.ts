// Whole training runs on the tfjs backend (tfjs cpu in Node): a hand-compiled step (gather, dense
// relu, dense, softmax cross-entropy, accuracy, backward, Adam) against the float64 reference and
// the WASM backend, and a sequential model trained through the public API with
// configureBackend({ backend: 'tfjs' }) against the same model on WASM.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';
import type { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import type { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';
import * as simdnet from '../../../src/index.js';
import { tf, tfjsCpu, worstRelative } from './helpers.js';
import { stepProgram, type StepProgram } from './step-program.js';

let tfjs: TfjsBackend;
let plain: TfjsBackend;
let reference: ReferenceBackend;
const wasm = new WasmBackend({ threads: 1 });
beforeAll(async () => {
  ({ tfjs, plain, reference } = await tfjsCpu());
});

const STEPS = 12;

function train(program: StepProgram): { losses: number[]; hits: number[]; weights: Float32Array[] } {
  const losses: number[] = [];
  const hits: number[] = [];
  for (let t = 1; t <= STEPS; t++) {
    program.step(t);
    losses.push(program.loss());
    hits.push(program.hits()[0]);
  }
  const weights = program.weights();
  program.dispose();
  return { losses, hits, weights };
}

describe('tfjs backend: a hand-compiled training step', () => {
  it('learns, and its losses, accuracy counts and weights agree with the reference and WASM (1e-4)', () => {
    const ref = train(stepProgram(reference));
    const runs = {
      'tfjs cpu': train(stepProgram(tfjs)),
      'tfjs cpu, defaults only': train(stepProgram(plain)),
      wasm: train(stepProgram(wasm)),
    };
    expect(ref.losses[STEPS - 1]).toBeLessThan(ref.losses[0] * 0.8);
    for (const [name, run] of Object.entries(runs)) {
      expect(
        worstRelative(Float32Array.from(run.losses), Float32Array.from(ref.losses)),
        `${name} losses`,
      ).toBeLessThan(1e-4);
      expect(run.hits, `${name} hits`).toEqual(ref.hits);
      for (const [i, w] of run.weights.entries())
        expect(worstRelative(w, ref.weights[i]), `${name} weight ${i}`).toBeLessThan(1e-4);
    }
    // tfjs against WASM directly (both float32)
    const w = runs.wasm;
    expect(worstRelative(Float32Array.from(runs['tfjs cpu'].losses), Float32Array.from(w.losses))).toBeLessThan(1e-4);
  });

  it('with dropout: reproducible per seed on tfjs (its masks are its own, not the WASM stream)', () => {
    const a = train(stepProgram(tfjs, 0.4));
    const b = train(stepProgram(tfjs, 0.4));
    expect(a.losses).toEqual(b.losses);
    for (const [i, w] of a.weights.entries()) expect(Array.from(w)).toEqual(Array.from(b.weights[i]));
    const noDropout = train(stepProgram(tfjs, 0));
    expect(a.losses).not.toEqual(noDropout.losses);
  });
});

describe('tfjs backend through the public API', () => {
  afterAll(() => simdnet.configureBackend({ backend: 'wasm' }));

  async function fitTiny(): Promise<{ loss: number[]; weights: Float32Array[]; backend: string }> {
    await simdnet.ready();
    const { x, y } = tinyData();
    const model = simdnet.sequential(
      [
        simdnet.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
        simdnet.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { seed: 7 },
    );
    model.compile({
      optimizer: simdnet.optimizers.adam({ learningRate: 0.05 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(simdnet.tensor(x, [x.length / 4, 4]), y, {
      epochs: 4,
      batchSize: 8,
      shuffle: true,
      verbose: 0,
    });
    return {
      loss: history.history.loss,
      weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())),
      backend: simdnet.getBackend().description,
    };
  }

  it("sequential([dense relu, dense softmax]) fits to the WASM backend's losses and weights within 1e-4", async () => {
    simdnet.configureBackend({ backend: 'wasm', threads: 1 });
    const onWasm = await fitTiny();
    simdnet.configureBackend({ backend: 'tfjs', tf, tfjsBackend: 'cpu' });
    const onTfjs = await fitTiny();
    expect(onTfjs.backend).toBe('tfjs (cpu)');
    expect(onWasm.loss[3]).toBeLessThan(onWasm.loss[0]);
    expect(worstRelative(Float32Array.from(onTfjs.loss), Float32Array.from(onWasm.loss))).toBeLessThan(1e-4);
    for (const [i, w] of onTfjs.weights.entries())
      expect(worstRelative(w, onWasm.weights[i]), `weight ${i}`).toBeLessThan(1e-4);
  });
});

/** 60 samples of 4 features in [-1, 1) and a class 0..2 (as test/browser/scenarios.js). */
function tinyData(): { x: Float32Array; y: Int32Array } {
  const samples = 60;
  const x = new Float32Array(samples * 4);
  const y = new Int32Array(samples);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) / 16777216;
  };
  for (let i = 0; i < samples; i++) {
    let score = 0;
    for (let j = 0; j < 4; j++) {
      const v = next() * 2 - 1;
      x[i * 4 + j] = v;
      score += (j + 1) * v;
    }
    y[i] = score < -0.7 ? 0 : score < 0.7 ? 1 : 2;
  }
  return { x, y };
}
