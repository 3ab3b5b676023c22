import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, layers, optimizers, regularizers, sequential, Tensor } from '../../src/index.js';
import { configureBackend } from '../../src/backend/index.js';
import { StateError, ValueError } from '../../src/errors.js';
import { CLASSES, FEATURES, SAMPLES, linearData } from '../helpers/linear-softmax.js';
import { fromList, scriptedRun } from '../helpers/scripted-training.js';

/** Float64 gradient of the mean cross-entropy of the linear softmax model (plus 2·l2·k for an l2 kernel penalty). */
function referenceGradient(kernel: Float64Array, bias: Float64Array, l2 = 0) {
  const { x, y } = linearData();
  const gk = Float64Array.from(kernel, (k) => 2 * l2 * k);
  const gb = new Float64Array(bias.length);
  for (let n = 0; n < SAMPLES; n++) {
    const z = Array.from({ length: CLASSES }, (_, c) => {
      let s = bias[c];
      for (let f = 0; f < FEATURES; f++) s += x[n * FEATURES + f] * kernel[f * CLASSES + c];
      return s;
    });
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const total = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < CLASSES; c++) {
      const dz = (e[c] / total - (c === y[n] ? 1 : 0)) / SAMPLES;
      gb[c] += dz;
      for (let f = 0; f < FEATURES; f++) gk[f * CLASSES + c] += x[n * FEATURES + f] * dz;
    }
  }
  return { gk, gb, norm: Math.hypot(...gk, ...gb) };
}

/** The float64 gradient norms at the weights before each of `epochs` full-batch SGD steps. */
function referenceNorms(kernel: Float64Array, bias: Float64Array, eta: number, epochs: number, l2 = 0): number[] {
  const norms: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const { gk, gb, norm } = referenceGradient(kernel, bias, l2);
    norms.push(norm);
    for (const [i, g] of gk.entries()) kernel[i] -= eta * g;
    for (const [i, g] of gb.entries()) bias[i] -= eta * g;
  }
  return norms;
}

async function fitLinear(eta: number, epochs: number, cbs: callbacks.Callback[], l2 = 0) {
  const model = sequential(
    [
      layers.dense({
        units: CLASSES,
        activation: 'softmax',
        inputShape: [FEATURES],
        kernelRegularizer: l2 > 0 ? regularizers.l2({ l2 }) : null,
      }),
    ],
    { seed: 5 },
  );
  const [k0, b0] = model.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
  model.compile({ optimizer: optimizers.sgd({ learningRate: eta }), loss: 'sparseCategoricalCrossentropy' });
  const { x, y } = linearData();
  const history = await model.fit(new Tensor(x, [SAMPLES, FEATURES]), new Tensor(y, [SAMPLES]), {
    epochs,
    batchSize: SAMPLES,
    shuffle: false,
    verbose: 0,
    callbacks: cbs,
  });
  return { model, history, k0, b0 };
}

describe('gradientNormStopping on scripted norms', () => {
  const norms = (values: number[]) => fromList(values, 'gradNorm');

  it('patience 0 stops at the first epoch under the threshold', async () => {
    const stopper = callbacks.gradientNormStopping({ threshold: 0.1 });
    const run = await scriptedRun([stopper], 20, norms([1, 0.5, 0.1, 0.09, 0.01]));
    // 0.1 is not under 0.1: the epoch after is.
    expect(run.epochs).toEqual([0, 1, 2, 3]);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.lastNorm).toBe(0.09);
  });

  it('patience: the norm must stay under for patience more epochs; a rise restarts the count', async () => {
    const stopper = callbacks.gradientNormStopping({ threshold: 0.1, patience: 2 });
    const run = await scriptedRun([stopper], 20, norms([1, 0.05, 0.05, 0.2, 0.05, 0.04, 0.03, 0.02]));
    expect(run.epochs).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stopper.stoppedEpoch).toBe(6);
  });

  it('runs to the end when the norm stays above (stoppedEpoch 0) and never counts NaN as converged', async () => {
    const stopper = callbacks.gradientNormStopping({ threshold: 0.1 });
    expect((await scriptedRun([stopper], 4, norms([1, Number.NaN, 0.5, Number.NaN]))).epochs).toEqual([0, 1, 2, 3]);
    expect(stopper.stoppedEpoch).toBe(0);
  });

  it('rejects bad options and logs without gradNorm, naming the fix', async () => {
    expect(() => callbacks.gradientNormStopping(undefined as never)).toThrow(ValueError);
    expect(() => callbacks.gradientNormStopping(undefined as never)).toThrow(
      'gradientNormStopping: expected options with a threshold, such as { threshold: 1e-3, patience: 2 }, received ' +
        'undefined.',
    );
    for (const threshold of [0, -1, Number.NaN, Infinity, '0.1', undefined]) {
      expect(() => callbacks.gradientNormStopping({ threshold } as never)).toThrow(
        new RegExp(
          'gradientNormStopping: threshold must be a finite number > 0 \\(the gradient norm ‖g‖₂ under which ' +
            'training stops\\), received .*; e\\.g\\. \\{ threshold: 1e-3, patience: 2 \\}\\.',
        ),
      );
    }
    expect(() => callbacks.gradientNormStopping({ threshold: 1, patience: 1.5 })).toThrow(
      'gradientNormStopping: patience must be an integer >= 0 (a number of epochs), received 1.5.',
    );
    expect(() => callbacks.gradientNormStopping(5 as never)).toThrow(
      /gradientNormStopping: expected an options object such as \{ threshold: 1e-3, patience: 2 \}, received 5/,
    );
    await expect(scriptedRun([callbacks.gradientNormStopping({ threshold: 1 })], 2, fromList([1]))).rejects.toThrow(
      StateError,
    );
    await expect(scriptedRun([callbacks.gradientNormStopping({ threshold: 1 })], 2, fromList([1]))).rejects.toThrow(
      /the epoch logs have no gradNorm/,
    );
  });
});

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('gradNorm from fit against float64, $build kernels', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  it('logs ‖∇L‖₂ at the weights before each full-batch step', async () => {
    const stopper = callbacks.gradientNormStopping({ threshold: 1e-9 });
    const { history, k0, b0 } = await fitLinear(0.5, 4, [stopper]);
    const ref = referenceNorms(k0, b0, 0.5, 4);
    expect(history.history.gradNorm).toHaveLength(4);
    for (const [e, g] of history.history.gradNorm.entries())
      expect(Math.abs(g - ref[e]) / ref[e], `epoch ${e}`).toBeLessThan(1e-5);
    expect(stopper.lastNorm).toBe(history.history.gradNorm[3]);
  });

  it('counts the fused l2 penalty gradient 2·l2·w (the gradient of the whole objective)', async () => {
    const l2 = 0.05;
    const { history, k0, b0 } = await fitLinear(0.5, 3, [callbacks.gradientNormStopping({ threshold: 1e-9 })], l2);
    const ref = referenceNorms(k0, b0, 0.5, 3, l2);
    for (const [e, g] of history.history.gradNorm.entries())
      expect(Math.abs(g - ref[e]) / ref[e], `epoch ${e}`).toBeLessThan(1e-5);
  });

  it('stops at the first epoch whose norm is under the threshold', async () => {
    const eta = 0.5;
    const { k0, b0 } = await fitLinear(eta, 1, []);
    const ref = referenceNorms(k0, b0, eta, 60);
    // A threshold halfway between two epochs' norms, so float32 rounding cannot move the stop.
    const first = ref.findIndex((g) => g < ref[0] / 20);
    expect(first).toBeGreaterThan(2);
    const threshold = Math.sqrt(ref[first] * ref[first - 1]);
    const stopper = callbacks.gradientNormStopping({ threshold });
    const { history } = await fitLinear(eta, 60, [stopper]);
    expect(history.epoch).toHaveLength(first + 1);
    expect(stopper.stoppedEpoch).toBe(first);
    expect(history.history.gradNorm[first]).toBeLessThan(threshold);
    expect(history.history.gradNorm[first - 1]).toBeGreaterThanOrEqual(threshold);
  });
});

describe('gradNorm in fit', () => {
  it(
    'is the root mean square of the steps’ norms over mini-batches, ' + 'and absent without a callback asking for it',
    async () => {
      const { x, y } = linearData();
      const build = () => {
        const m = sequential([layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] })], {
          seed: 5,
        });
        m.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
        return m;
      };
      const xs = new Tensor(x, [SAMPLES, FEATURES]);
      const ys = new Tensor(y, [SAMPLES]);
      const plain = await build().fit(xs, ys, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
      expect(plain.history.gradNorm).toBeUndefined();
      // Rate 0: the weights stay put, so each step's norm is the batch's gradient norm at the initial
      // weights. Batches of 3, 3 and 2 samples.
      const m = build();
      const h = await m.fit(xs, ys, {
        epochs: 1,
        batchSize: 3,
        shuffle: false,
        verbose: 0,
        callbacks: [callbacks.gradientNormStopping({ threshold: 1e-9 })],
      });
      const [k0, b0] = m.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
      const batchNormSq = (from: number, to: number) => {
        const { x: fx, y: fy } = linearData();
        let s = 0;
        const gk = new Float64Array(k0.length);
        const gb = new Float64Array(b0.length);
        for (let n = from; n < to; n++) {
          const z = Array.from(
            { length: CLASSES },
            (_, c) =>
              b0[c] +
              Array.from({ length: FEATURES }, (_, f) => fx[n * FEATURES + f] * k0[f * CLASSES + c]).reduce(
                (a, b) => a + b,
                0,
              ),
          );
          const mx = Math.max(...z);
          const total = z.reduce((a, v) => a + Math.exp(v - mx), 0);
          for (let c = 0; c < CLASSES; c++) {
            const dz = (Math.exp(z[c] - mx) / total - (c === fy[n] ? 1 : 0)) / (to - from);
            gb[c] += dz;
            for (let f = 0; f < FEATURES; f++) gk[f * CLASSES + c] += fx[n * FEATURES + f] * dz;
          }
        }
        for (const v of [...gk, ...gb]) s += v * v;
        return s;
      };
      const rms = Math.sqrt((3 * batchNormSq(0, 3) + 3 * batchNormSq(3, 6) + 2 * batchNormSq(6, 8)) / 8);
      expect(Math.abs(h.history.gradNorm[0] - rms) / rms).toBeLessThan(1e-5);
      expect(m.program('train', 3, false, true).gradNormSq).not.toBeNull();
      expect(m.program('train', 3).gradNormSq).toBeNull();
    },
  );
});
