// Optimizers tfjs lacks or computes differently (Nadam, AdamW, amsgrad, Adadelta, Keras's centered
// RMSprop), weight decay, the three kinds of gradient clipping (with weight regularizers, whose
// gradient Keras clips together with the loss's) and schedules combined with optimizers, against
// Keras 3's update formulas in float64 (test/helpers/optimizer-reference.ts) on a linear softmax
// model (4 features → 3 classes, 8 samples, one full-batch step per epoch, 5 steps), both kernel builds.
// Agreement: max|ours − reference| / max|reference| < 1e-4 per tensor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { layers, optimizers, regularizers, sequential, Tensor } from '../../src/index.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { CLASSES, FEATURES, SAMPLES, linearData } from '../helpers/linear-softmax.js';
import { kerasStep, regularized, slotsFor, type RuleSpec, type TransformSpec } from '../helpers/optimizer-reference.js';

const STEPS = 5;
const TOL = 1e-4;

/** ∂(mean sparse cross-entropy)/∂(kernel, bias) of softmax(x·K + b), in float64. */
function lossGradients(kernel: Float64Array, bias: Float64Array, from = 0, to = SAMPLES): [Float64Array, Float64Array] {
  const { x, y } = linearData();
  const gk = new Float64Array(kernel.length);
  const gb = new Float64Array(bias.length);
  for (let n = from; n < to; n++) {
    const z = Array.from({ length: CLASSES }, (_, c) => {
      let s = bias[c];
      for (let f = 0; f < FEATURES; f++) s += x[n * FEATURES + f] * kernel[f * CLASSES + c];
      return s;
    });
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const total = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < CLASSES; c++) {
      const dz = (e[c] / total - (c === y[n] ? 1 : 0)) / (to - from);
      gb[c] += dz;
      for (let f = 0; f < FEATURES; f++) gk[f * CLASSES + c] += x[n * FEATURES + f] * dz;
    }
  }
  return [gk, gb];
}

interface Case {
  name: string;
  optimizer: () => Optimizer;
  rule: RuleSpec;
  transform?: TransformSpec;
  /** η at step index s (0-based), the legacy decay included. */
  rate: (s: number) => number;
  /** Kernel l2 and bias l1 penalties (Keras: part of the loss, so clipped with its gradient). */
  penalties?: { kernelL2: number; biasL1: number };
  /** The clipping threshold must bind at some step (checked on the reference). */
  clips?: boolean;
}

const adamRule = (o: Partial<{ beta1: number; beta2: number; epsilon: number; amsgrad: boolean }> = {}): RuleSpec => ({
  kind: 'adam',
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  amsgrad: false,
  ...o,
});
const PEN = { kernelL2: 0.05, biasL1: 0.02 };

const CASES: Case[] = [
  {
    name: 'adam amsgrad',
    optimizer: () => optimizers.adam({ learningRate: 0.05, amsgrad: true }),
    rule: adamRule({ amsgrad: true }),
    rate: () => 0.05,
  },
  {
    name: 'adam (Keras ε placement, default ε 1e-7)',
    optimizer: () => optimizers.adam({ learningRate: 0.05 }),
    rule: adamRule(),
    rate: () => 0.05,
  },
  {
    name: 'nadam',
    optimizer: () => optimizers.nadam({ learningRate: 0.05 }),
    rule: { kind: 'nadam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    rate: () => 0.05,
  },
  {
    name: 'nadam β1 0.8, β2 0.99',
    optimizer: () => optimizers.nadam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99 }),
    rule: { kind: 'nadam', beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
    rate: () => 0.05,
  },
  {
    name: 'adamw (default weightDecay 0.004)',
    optimizer: () => optimizers.adamw({ learningRate: 0.05 }),
    rule: adamRule(),
    transform: { weightDecay: 0.004 },
    rate: () => 0.05,
  },
  {
    name: 'adamw weightDecay 0.5 with amsgrad',
    optimizer: () => optimizers.adamw({ learningRate: 0.05, weightDecay: 0.5, amsgrad: true }),
    rule: adamRule({ amsgrad: true }),
    transform: { weightDecay: 0.5 },
    rate: () => 0.05,
  },
  {
    name: 'adamax',
    optimizer: () => optimizers.adamax({ learningRate: 0.05 }),
    rule: { kind: 'adamax', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    rate: () => 0.05,
  },
  {
    name: 'adadelta (Keras: the updated accumulator in the denominator)',
    optimizer: () => optimizers.adadelta({ learningRate: 1, epsilon: 1e-6 }),
    rule: { kind: 'adadelta', rho: 0.95, epsilon: 1e-6 },
    rate: () => 1,
  },
  {
    name: 'adagrad initialAccumulatorValue 0.5',
    optimizer: () => optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5 }),
    rule: { kind: 'adagrad', epsilon: 1e-7, initial: 0.5 },
    rate: () => 0.1,
  },
  {
    name: 'rmsprop centered (Keras: +ε) with momentum',
    optimizer: () => optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
    rule: { kind: 'rmsprop', rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true },
    rate: () => 0.01,
  },
  {
    name: 'sgd momentum with weightDecay and regularizers',
    optimizer: () => optimizers.sgd({ learningRate: 0.5, momentum: 0.9, weightDecay: 0.1 }),
    rule: { kind: 'momentum', momentum: 0.9, nesterov: false },
    transform: { weightDecay: 0.1 },
    penalties: PEN,
    rate: () => 0.5,
  },
  // clipping, each kind, with regularizers folded in before the clip
  {
    name: 'clipValue 0.02, sgd nesterov',
    optimizer: () => optimizers.sgd({ learningRate: 0.5, momentum: 0.9, nesterov: true, clipValue: 0.02 }),
    rule: { kind: 'momentum', momentum: 0.9, nesterov: true },
    transform: { clipValue: 0.02 },
    penalties: PEN,
    rate: () => 0.5,
    clips: true,
  },
  {
    name: 'clipNorm 0.1 per tensor, adam',
    optimizer: () => optimizers.adam({ learningRate: 0.05, clipNorm: 0.1 }),
    rule: adamRule(),
    transform: { clipNorm: 0.1 },
    penalties: PEN,
    rate: () => 0.05,
    clips: true,
  },
  {
    name: 'clipNorm 0.1 per tensor, sgd',
    optimizer: () => optimizers.sgd({ learningRate: 1, clipNorm: 0.1 }),
    rule: { kind: 'sgd' },
    transform: { clipNorm: 0.1 },
    penalties: PEN,
    rate: () => 1,
    clips: true,
  },
  {
    name: 'globalClipNorm 0.15, rmsprop',
    optimizer: () => optimizers.rmsprop({ learningRate: 0.01, globalClipNorm: 0.15 }),
    rule: { kind: 'rmsprop', rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    transform: { globalClipNorm: 0.15 },
    penalties: PEN,
    rate: () => 0.01,
    clips: true,
  },
  {
    name: 'globalClipNorm 0.15, sgd',
    optimizer: () => optimizers.sgd({ learningRate: 1, globalClipNorm: 0.15 }),
    rule: { kind: 'sgd' },
    transform: { globalClipNorm: 0.15 },
    penalties: PEN,
    rate: () => 1,
    clips: true,
  },
  {
    name: 'a threshold that does not bind leaves sgd unchanged',
    optimizer: () => optimizers.sgd({ learningRate: 1, globalClipNorm: 100 }),
    rule: { kind: 'sgd' },
    transform: { globalClipNorm: 100 },
    rate: () => 1,
  },
  // schedules: the step-dependent factors and η change together
  {
    name: 'adam with exponentialDecay',
    optimizer: () =>
      optimizers.adam({
        learningRate: optimizers.schedules.exponentialDecay({
          initialLearningRate: 0.05,
          decaySteps: 2,
          decayRate: 0.5,
        }),
      }),
    rule: adamRule(),
    rate: (s) => 0.05 * 0.5 ** (s / 2),
  },
  {
    name: 'nadam with a function schedule',
    optimizer: () => optimizers.nadam({ learningRate: (s) => 0.05 / (1 + s) }),
    rule: { kind: 'nadam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    rate: (s) => 0.05 / (1 + s),
  },
  {
    name: 'sgd momentum with a legacy decay',
    optimizer: () => optimizers.sgd({ learningRate: 0.5, momentum: 0.9, decay: 0.5 }),
    rule: { kind: 'momentum', momentum: 0.9, nesterov: false },
    rate: (s) => 0.5 / (1 + 0.5 * s),
  },
  {
    name: 'adamw with piecewiseConstantDecay and clipValue',
    optimizer: () =>
      optimizers.adamw({
        learningRate: optimizers.schedules.piecewiseConstantDecay({ boundaries: [2], values: [0.05, 0.01] }),
        weightDecay: 0.2,
        clipValue: 0.02,
      }),
    rule: adamRule(),
    transform: { weightDecay: 0.2, clipValue: 0.02 },
    rate: (s) => (s <= 2 ? 0.05 : 0.01),
    clips: true,
  },
];

function reference(c: Case, k0: Float64Array, b0: Float64Array) {
  const ws = [Float64Array.from(k0), Float64Array.from(b0)];
  const slots = ws.map((w) => slotsFor(c.rule, w.length));
  const pen = c.penalties ?? { kernelL2: 0, biasL1: 0 };
  let clipped = 0;
  for (let s = 0; s < STEPS; s++) {
    const [gk, gb] = lossGradients(ws[0], ws[1]);
    const grads = [regularized(ws[0], gk, 0, pen.kernelL2), regularized(ws[1], gb, pen.biasL1, 0)];
    const t = c.transform ?? {};
    const norms = grads.map((g) => Math.sqrt(g.reduce((a, v) => a + v * v, 0)));
    if (t.clipNorm && norms.some((n) => n > t.clipNorm!)) clipped++;
    if (t.globalClipNorm && Math.hypot(...norms) > t.globalClipNorm) clipped++;
    if (t.clipValue && grads.some((g) => g.some((v) => Math.abs(v) > t.clipValue!))) clipped++;
    kerasStep(c.rule, t, ws, grads, slots, s + 1, c.rate(s));
  }
  return { ws, clipped };
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 1e-30;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return Number.isNaN(d) ? Infinity : d / m;
}

async function train(c: Case) {
  const pen = c.penalties;
  const dense = pen
    ? layers.dense({
        units: CLASSES,
        activation: 'softmax',
        inputShape: [FEATURES],
        kernelRegularizer: regularizers.l2({ l2: pen.kernelL2 }),
        biasRegularizer: regularizers.l1({ l1: pen.biasL1 }),
      })
    : layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] });
  const model = sequential([dense], { seed: 5 });
  // A non-zero bias start, so that l1 on the bias and weight decay act from the first step.
  const [k, b] = model.getWeights();
  model.setWeights([k, new Tensor(Float32Array.from([0.1, -0.05, 0.02]), [CLASSES])]);
  const [k0, b0] = model.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
  const optimizer = c.optimizer();
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const { x, y } = linearData();
  await model.fit(new Tensor(x, [SAMPLES, FEATURES]), new Tensor(y, [SAMPLES]), {
    epochs: STEPS,
    batchSize: SAMPLES,
    shuffle: false,
    verbose: 0,
  });
  void b;
  return { k0, b0, ours: model.getWeights().map((w) => w.data as Float32Array), optimizer };
}

for (const relaxedSimd of [false, true]) {
  describe(
    "optimizers against Keras's formulas " +
      `in float64 (${relaxedSimd ? 'relaxed' : 'plain'} SIMD), ` +
      `${STEPS} steps`,
    () => {
      beforeAll(() => configureBackend({ relaxedSimd }));
      afterAll(() => configureBackend({ relaxedSimd: true }));

      it('adam over mini-batches of 5 and 3 (two programs) keeps one set of slots', async () => {
        const model = sequential([layers.dense({ units: CLASSES, activation: 'softmax', inputShape: [FEATURES] })], {
          seed: 5,
        });
        const [k0, b0] = model.getWeights().map((w) => Float64Array.from(w.data as Float32Array));
        const optimizer = optimizers.adam({ learningRate: 0.05 });
        model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
        const { x, y } = linearData();
        await model.fit(new Tensor(x, [SAMPLES, FEATURES]), new Tensor(y, [SAMPLES]), {
          epochs: 2,
          batchSize: 5,
          shuffle: false,
          verbose: 0,
        });
        const ws = [Float64Array.from(k0), Float64Array.from(b0)];
        const slots = ws.map((w) => slotsFor(adamRule(), w.length));
        let t = 0;
        for (let epoch = 0; epoch < 2; epoch++) {
          for (const [from, to] of [
            [0, 5],
            [5, SAMPLES],
          ])
            kerasStep(adamRule(), {}, ws, lossGradients(ws[0], ws[1], from, to), slots, ++t, 0.05);
        }
        const ours = model.getWeights().map((w) => w.data as Float32Array);
        expect(optimizer.iterations).toBe(4);
        expect(relErr(ours[0], ws[0])).toBeLessThan(TOL);
        expect(relErr(ours[1], ws[1])).toBeLessThan(TOL);
        expect(relErr(optimizer.getWeights()[1].data, slots[0][0])).toBeLessThan(TOL);
      });

      for (const c of CASES) {
        it(c.name, async () => {
          const { k0, b0, ours, optimizer } = await train(c);
          const { ws, clipped } = reference(c, k0, b0);
          if (c.clips) expect(clipped, 'the threshold binds at some step').toBeGreaterThan(0);
          expect(relErr(k0, ws[0]), 'the kernel moved').toBeGreaterThan(1e-3);
          expect(relErr(ours[0], ws[0]), 'kernel').toBeLessThan(TOL);
          expect(relErr(ours[1], ws[1]), 'bias').toBeLessThan(TOL);
          expect(optimizer.iterations).toBe(STEPS);
        });
      }
    },
  );
}
