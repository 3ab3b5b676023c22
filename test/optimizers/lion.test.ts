// Lion, in the spirit of Keras's keras/src/optimizers/lion_test.py, on the float64 ReferenceBackend
// (the rule is a formula call, run through its default there; the WASM backend runs it the same way
// once it expands calls it has no kernel for): the config round trip, one step against Keras's
// hand-computed values, steps against a float64 reference of Keras's formula (and Keras's golden
// values), clipping, regularizers and weight decay applied before the rule, the model's save/load,
// and the argument errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend, getBackend } from '../../src/backend/index.js';
import { ValueError } from '../../src/errors.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { placeholder } from '../../src/graph/tensor.js';
import { Variable, type RegularizerFactors } from '../../src/graph/variable.js';
import { layers, loadModel, optimizers, saveModel, sequential, Tensor } from '../../src/index.js';
import { optimizerFromConfig, resolveOptimizer, type Lion, type LionArgs } from '../../src/optimizers/index.js';

beforeAll(() => configureBackend({ backend: 'reference' }));
afterAll(() => configureBackend({ backend: 'wasm' }));

/** Runs one Lion step per gradient on a variable of initial value w0; returns w and the momentum slot. */
function steps(
  opt: Lion,
  w0: readonly number[],
  grads: readonly (readonly number[])[],
  regularizer: RegularizerFactors | null = null,
): { w: number[]; m: number[] } {
  const variable = new Variable('w', [w0.length], Float32Array.from(w0));
  variable.regularizer = regularizer;
  const g = placeholder([w0.length], 'float32', 'g');
  const graph = new CompiledGraph(getBackend(), {
    feeds: [g],
    fetches: [],
    effects: opt.applyGradients([{ variable, grad: g }]),
  });
  for (const grad of grads) {
    opt.prepareStep();
    graph.write(g, Float32Array.from(grad));
    graph.run();
    opt.finishStep();
  }
  const result = { w: Array.from(variable.read().data), m: Array.from(opt.getWeights()[1].data) };
  graph.dispose();
  opt.dispose();
  variable.dispose();
  return result;
}

interface Settings {
  lr: number;
  beta1: number;
  beta2: number;
  weightDecay?: number;
  clipNorm?: number;
  clipValue?: number;
  l1?: number;
  l2?: number;
}

/**
 * Keras 3 in float64: ĝ = clip(g + l1·sign(w) + 2·l2·w); w ← w(1 − η·wd); c = β1·m + (1 − β1)ĝ;
 * w ← w − η·sign(c); m ← β2·m + (1 − β2)ĝ.
 */
function reference(
  s: Settings,
  w0: readonly number[],
  grads: readonly (readonly number[])[],
): { w: number[]; m: number[] } {
  const w = [...w0];
  const m = w0.map(() => 0);
  for (const grad of grads) {
    let g = grad.map((v, i) => v + (s.l1 ?? 0) * Math.sign(w[i]) + 2 * (s.l2 ?? 0) * w[i]);
    if (s.clipNorm) {
      const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
      g = g.map((v) => (v * s.clipNorm!) / Math.max(norm, s.clipNorm!));
    }
    if (s.clipValue) g = g.map((v) => Math.min(Math.max(v, -s.clipValue!), s.clipValue!));
    for (let i = 0; i < w.length; i++) {
      w[i] *= 1 - s.lr * (s.weightDecay ?? 0);
      w[i] -= s.lr * Math.sign(s.beta1 * m[i] + (1 - s.beta1) * g[i]);
      m[i] = s.beta2 * m[i] + (1 - s.beta2) * g[i];
    }
  }
  return { w, m };
}

function close(ours: number[], theirs: number[], tol: number): void {
  for (const [i, v] of ours.entries()) expect(Math.abs(v - theirs[i]), `${i}: ${v} vs ${theirs[i]}`).toBeLessThan(tol);
}

describe('lion', () => {
  it('config round trip (Keras test_config), by class name and by name', () => {
    const opt = optimizers.lion({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, clipValue: 2 });
    expect(opt.getConfig()).toEqual({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, clipValue: 2 });
    const back = optimizerFromConfig(opt.className, opt.getConfig()) as Lion;
    expect(back.className).toBe('Lion');
    expect(back.getConfig()).toEqual(opt.getConfig());
    const byName = resolveOptimizer('lion') as Lion;
    expect([byName.learningRate, byName.beta1, byName.beta2, byName.weightDecay]).toEqual([0.001, 0.9, 0.99, 0]);
    expect(byName.slotKinds).toEqual(['momentum']);
  });

  it('a single step (Keras test_single_step): w − η·sign(g) from m = 0', () => {
    const { w, m } = steps(optimizers.lion({ learningRate: 0.5 }), [1, 2, 3, 4], [[1, 6, 7, 2]]);
    close(w, [0.5, 1.5, 2.5, 3.5], 1e-7);
    close(m, [0.01, 0.06, 0.07, 0.02], 1e-8);
  });

  it("steps against the float64 reference, and Keras's golden values (test_correctness_with_golden)", () => {
    const grads = Array.from({ length: 6 }, (_, s) =>
      Array.from({ length: 7 }, (_, i) => Math.sin(3 * s + i) * (i + 1) - 0.5 * s),
    );
    const w0 = [0.3, -0.2, 1, 0, -1.5, 2, 0.1];
    const settings = { lr: 0.05, beta1: 0.8, beta2: 0.95 };
    const ours = steps(optimizers.lion({ learningRate: 0.05, beta1: 0.8, beta2: 0.95 }), w0, grads);
    const theirs = reference(settings, w0, grads);
    close(ours.w, theirs.w, 1e-6);
    close(ours.m, theirs.m, 1e-6);
    // Keras: x = ones(10); first grads 0.01, then arange(0.1, 1.1, 0.1): 0.999, 0.998, … after each step
    const golden = [0.999, 0.998, 0.997, 0.996, 0.995];
    const arange = Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1));
    golden.forEach((value, k) => {
      const { w } = steps(optimizers.lion(), new Array(10).fill(1), [
        new Array(10).fill(0.01),
        ...new Array(k).fill(arange),
      ]);
      close(w, new Array(10).fill(value), 5e-4);
    });
  });

  it('clipping, regularizers and weight decay come before the rule (the base class’s transform)', () => {
    // Keras test_clip_norm / test_clip_value: [100, 100] clipped to norm 1 or to 1; m = (1 − β2)·ĝ shows it
    close(
      steps(optimizers.lion({ clipNorm: 1 }), [0, 0], [[100, 100]]).m,
      [0.01 * Math.SQRT1_2, 0.01 * Math.SQRT1_2],
      1e-8,
    );
    close(steps(optimizers.lion({ clipValue: 1 }), [0, 0], [[100, 100]]).m, [0.01, 0.01], 1e-8);
    close(
      steps(optimizers.lion({ globalClipNorm: 1 }), [0, 0], [[100, 100]]).m,
      [0.01 * Math.SQRT1_2, 0.01 * Math.SQRT1_2],
      1e-8,
    );
    // Keras test_weight_decay: w = 2, g = 0, η = 1, wd = 0.004, three steps: 2·0.996³ (sign(0) = 0)
    close(steps(optimizers.lion({ learningRate: 1, weightDecay: 0.004 }), [2], [[0], [0], [0]]).w, [1.9760959], 1e-6);
    // several steps where clipping changes the sign of c, with an l1 + l2 regularizer and weight decay
    const grads = [
      [3, -4, 0.5],
      [-0.2, 0.1, -0.3],
      [0.05, 0.3, 0.2],
      [-1, 2, -0.1],
    ];
    const w0 = [0.5, -0.25, 0.75];
    const s = { lr: 0.1, beta1: 0.9, beta2: 0.99, weightDecay: 0.05, clipNorm: 0.5, l1: 0.01, l2: 0.02 };
    const ours = steps(optimizers.lion({ learningRate: 0.1, weightDecay: 0.05, clipNorm: 0.5 }), w0, grads, {
      l1: 0.01,
      l2: 0.02,
    });
    const theirs = reference(s, w0, grads);
    close(ours.w, theirs.w, 1e-6);
    close(ours.m, theirs.m, 1e-6);
    // without the clip the trajectory differs: the test can tell
    expect(
      Math.max(...reference({ ...s, clipNorm: undefined }, w0, grads).w.map((v, i) => Math.abs(v - theirs.w[i]))),
    ).toBeGreaterThan(0.05);
  });

  it('trains a model, saves and loads with its state', async () => {
    const x = new Tensor(
      Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [8, 3],
    );
    const y = new Tensor(
      Int32Array.from({ length: 8 }, (_, i) => i % 2),
      [8],
    );
    const model = sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })], { seed: 1 });
    model.compile({
      optimizer: optimizers.lion({ learningRate: 0.01, beta2: 0.9 }),
      loss: 'sparseCategoricalCrossentropy',
    });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    expect(history.history.loss[2] as number).toBeLessThan(history.history.loss[0] as number);
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-lion-'));
    try {
      await saveModel(model, `file://${dir}`);
      const back = await loadModel(`file://${dir}`);
      expect(back.optimizer?.className).toBe('Lion');
      expect(back.optimizer?.getConfig()).toEqual(model.optimizer?.getConfig());
      expect(model.optimizer?.slotNames()).toEqual(['iterations', 'dense/kernel/momentum', 'dense/bias/momentum']);
      const state = model.optimizer!.getWeights();
      expect(back.optimizer?.getWeights().map((t) => Array.from(t.data))).toEqual(state.map((t) => Array.from(t.data)));
      expect(Array.from(state[0].data)).toEqual([3]);
      back.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('argument errors name the argument, what was expected and what was received', () => {
    const bad = (args: unknown) => () => optimizers.lion(args as LionArgs);
    expect(bad({ beta1: 0 })).toThrow(ValueError);
    expect(bad({ beta1: 0 })).toThrow(
      'lion: beta1 must be a number in (0, 1] (at 0 Lion degenerates to sign SGD), received 0.',
    );
    expect(bad({ beta1: 1.1 })).toThrow(/lion: beta1 must be a number in \(0, 1\].*received 1\.1\./);
    expect(bad({ beta2: 1 })).toThrow('lion: beta2 must be a number in [0, 1), received 1.');
    expect(bad({ learningRate: -1 })).toThrow('learningRate: expected a finite number >= 0, received -1.');
    expect(bad({ clipNorm: 1, clipValue: 1 })).toThrow(
      /lion: only one of clipNorm, globalClipNorm and clipValue can be set/,
    );
    expect(bad({ beta_1: 0.9 })).toThrow(
      'lion: unknown option "beta_1"; the options are learningRate, decay, weightDecay, clipNorm, globalClipNorm, ' +
        'clipValue, beta1, beta2.',
    );
    expect(bad(null)).toThrow(/^lion: expected an options object such as \{ learningRate: 0\.001 \}, received null\.$/);
    expect(optimizers.lion({ beta1: 1 }).beta1).toBe(1);
  });
});
