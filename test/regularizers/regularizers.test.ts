// Regularizers: the fused update kernel and the activity kernel against float64; one SGD step of small
// dense models with kernel/bias/activity penalties against Keras's formulas (float64, written here) and
// against tfjs (weight penalties through tfjs-layers; activity penalties through tfjs ops, since
// tfjs-layers refuses to run a layer that has one); the activity op's numerical gradient; errors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  layers,
  optimizers,
  regularizers,
  sequential,
  Generator,
  Tensor,
  ValueError,
  type Sequential,
} from '../../src/index.js';
import { configureBackend } from '../../src/backend/index.js';
import { activityPenalty } from '../../src/graph/ops/regularization.js';
import type { Regularizer } from '../../src/regularizers/regularizer.js';
import { awayFromZero, gradCheck } from '../helpers/gradcheck.js';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';
import * as ref from '../helpers/reference.js';
import { relErr } from '../helpers/compare.js';

const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

beforeEach(() => clearSession());

// ---- kernels -------------------------------------------------------------------------------------

for (const relaxed of [true, false]) {
  describe(`kernels (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = kernelHarness(relaxed);
    const { k } = m;
    const SIZES = [1, 3, 4, 5, 17, 1000];

    it('sgdUpdate: w ← w − lr·(g + l1·sign(w) + 2·l2·w), sign(0) = 0, every size', () => {
      for (const n of SIZES)
        for (const [l1, l2] of [
          [0.01, 0],
          [0, 0.05],
          [0.3, 0.2],
          [0, 0],
        ]) {
          const r = uniformSource(n * 31 + l1 * 100 + l2 * 1000);
          const w0 = Float32Array.from({ length: n }, (_, i) => (i % 5 === 2 ? 0 : (r() - 0.5) * 2));
          const g0 = Float32Array.from({ length: n }, () => (r() - 0.5) * 4);
          const lr = Math.fround(0.1);
          const [f1, f2] = [Math.fround(l1), Math.fround(l2)];
          m.reset();
          const w = m.f32(w0);
          const g = m.f32(g0);
          k.sgdUpdate(w.ptr, g.ptr, n, lr, l1, l2);
          const want = Array.from(w0, (v, i) => v - lr * (g0[i] + f1 * sign(v) + 2 * f2 * v));
          const tol = (i: number) =>
            3e-7 * (Math.abs(w0[i]) + lr * (Math.abs(g0[i]) + f1 + 2 * f2 * Math.abs(w0[i]))) + 1e-30;
          expect(worstViolation(w.a, want, tol), `n=${n} l1=${l1} l2=${l2}`).toBeLessThanOrEqual(1);
          // A zero weight moves by the data gradient only (no l1 push).
          for (let i = 2; i < n; i += 5) expect(w.a[i]).toBe(Math.fround(-lr * g0[i]));
          expect(Array.from(g.a)).toEqual(Array.from(g0));
          expect(m.guardsIntact()).toBe(true);
        }
    });

    it('activityRegularizer: scale·(l1·Σ|x| + l2·Σx²) and its gradient, with and without the gradient', () => {
      for (const n of SIZES) {
        const r = uniformSource(n + 5);
        const x0 = Float32Array.from({ length: n }, (_, i) => (i % 4 === 1 ? 0 : (r() - 0.5) * 6));
        const [l1, l2, scale] = [Math.fround(0.03), Math.fround(0.2), Math.fround(1 / 8)];
        m.reset();
        const x = m.f32(x0);
        const out = m.f32([0]);
        const grad = m.f32(new Float32Array(n));
        k.activityRegularizer(x.ptr, n, l1, l2, scale, out.ptr, grad.ptr);
        let a = 0;
        let s = 0;
        for (const v of x0) {
          a += Math.abs(v);
          s += v * v;
        }
        const want = scale * (l1 * a + l2 * s);
        expect(Math.abs(out.a[0] - want)).toBeLessThanOrEqual(1e-6 * want + 1e-30);
        const wantGrad = Array.from(x0, (v) => scale * (l1 * sign(v) + 2 * l2 * v));
        expect(
          worstViolation(grad.a, wantGrad, (i) => 3e-7 * (scale * (l1 + 2 * l2 * Math.abs(x0[i]))) + 1e-30),
        ).toBeLessThanOrEqual(1);
        for (let i = 1; i < n; i += 4) expect(grad.a[i]).toBe(0);
        const out2 = m.f32([0]);
        const untouched = m.f32(new Float32Array(n).fill(7));
        k.activityRegularizer(x.ptr, n, l1, l2, scale, out2.ptr, 0);
        expect(out2.a[0]).toBe(out.a[0]);
        expect(Array.from(untouched.a).every((v) => v === 7)).toBe(true);
        expect(Array.from(x.a)).toEqual(Array.from(x0));
        expect(m.guardsIntact()).toBe(true);
      }
    });
  });
}

// ---- the activity op's gradient --------------------------------------------------------------------

describe('activity penalty op', () => {
  it(
    'numerical gradient check: ' +
      'l1·Σ|y| + l2·Σy² (Keras 3: not divided by the batch), ' +
      'as a training-objective term',
    () => {
      for (const [l1, l2] of [
        [0.05, 0],
        [0, 0.1],
        [0.02, 0.3],
      ]) {
        const batch = 4;
        const result = gradCheck(
          ([y]) => activityPenalty(y, l1, l2),
          ([y]) => Float64Array.of(y.reduce((s, v) => s + l1 * Math.abs(v) + l2 * v * v, 0)),
          [{ shape: [batch, 5], data: awayFromZero(20, 11) }],
          { objective: { scale: 1 } },
        );
        expect(result.forwardError).toBeLessThan(1e-6);
        expect(result.gradientErrors).toHaveLength(1);
        expect(result.gradientErrors[0]).toBeLessThan(2e-4);
      }
    },
  );
});

// ---- one SGD step of a dense model against Keras's formulas (float64) -------------------------------

const N = 6;
const IN = 4;
const OUT = 3;
const LR = 0.1;

function batch(seed: number) {
  const r = new Generator(seed);
  const x = Float32Array.from({ length: N * IN }, () => r.uniform() * 2 - 1);
  const y = Int32Array.from({ length: N }, (_, i) => i % OUT);
  const w = Float32Array.from({ length: IN * OUT }, (_, i) => (i === 4 ? 0 : r.uniform() - 0.5));
  const b = Float32Array.from({ length: OUT }, (_, i) => (i === 1 ? 0 : (r.uniform() - 0.5) * 0.2));
  return { x, y, w, b };
}

/** Keras: mean cross-entropy + Σ penalties; w ← w − lr·(∂data/∂w + l1·sign(w) + 2·l2·w). */
function kerasStep(d: ReturnType<typeof batch>, kr: Regularizer | null, br: Regularizer | null) {
  const x = Float64Array.from(d.x);
  const w = Float64Array.from(d.w);
  const b = Float64Array.from(d.b);
  const z = ref.matmul(x, w, N, OUT, IN, false, false).map((v, i) => v + b[i % OUT]);
  const p = ref.softmaxRows(z, N, OUT);
  const data = ref.crossEntropyRows(p, Float64Array.from(d.y), N, OUT, true, false).reduce((a, v) => a + v, 0) / N;
  const pen = (r: Regularizer | null, v: Float64Array) =>
    r ? v.reduce((a, u) => a + r.l1 * Math.abs(u) + r.l2 * u * u, 0) : 0;
  const gz = p.map((v, i) => (v - (d.y[Math.floor(i / OUT)] === i % OUT ? 1 : 0)) / N);
  const gw = ref.matmul(x, gz, IN, OUT, N, true, false);
  const gb = new Float64Array(OUT);
  for (const [i, v] of gz.entries()) gb[i % OUT] += v;
  const step = (v: Float64Array, g: Float64Array, r: Regularizer | null) =>
    v.map((u, i) => u - LR * (g[i] + (r ? r.l1 * sign(u) + 2 * r.l2 * u : 0)));
  return { loss: data + pen(kr, w) + pen(br, b), w: step(w, gw, kr), b: step(b, gb, br) };
}

function denseModel(
  kr: Regularizer | 'l1' | 'l2' | 'l1l2' | null,
  br: Regularizer | 'l1' | 'l2' | 'l1l2' | null,
): Sequential {
  const model = sequential(
    [layers.dense({ units: OUT, inputShape: [IN], activation: 'softmax', kernelRegularizer: kr, biasRegularizer: br })],
    { seed: 5 },
  );
  model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

const CASES: {
  name: string;
  kernel: Regularizer | 'l1' | 'l2' | 'l1l2' | null;
  bias: Regularizer | 'l1' | 'l2' | 'l1l2' | null;
}[] = [
  { name: 'kernel l1', kernel: regularizers.l1({ l1: 0.05 }), bias: null },
  { name: 'kernel l2', kernel: regularizers.l2({ l2: 0.1 }), bias: null },
  {
    name: 'kernel l1l2, bias l2',
    kernel: regularizers.l1l2({ l1: 0.03, l2: 0.2 }),
    bias: regularizers.l2({ l2: 0.5 }),
  },
  { name: "names: kernel 'l1l2', bias 'l1' (0.01)", kernel: 'l1l2', bias: 'l1' },
  { name: "name: bias 'l2' only", kernel: null, bias: 'l2' },
];

const factors = (r: Regularizer | string | null): Regularizer | null =>
  r === null
    ? null
    : typeof r === 'string'
      ? ({ l1: regularizers.l1(), l2: regularizers.l2(), l1l2: regularizers.l1l2() } as Record<string, Regularizer>)[r]
      : r;

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('one SGD step against the float64 Keras formula ($build)', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  CASES.forEach((c, ci) => {
    it(c.name, async () => {
      const d = batch(20 + ci);
      const model = denseModel(c.kernel, c.bias);
      try {
        model.setWeights([new Tensor(d.w, [IN, OUT]), new Tensor(d.b, [OUT])]);
        const want = kerasStep(d, factors(c.kernel), factors(c.bias));
        // evaluate reports data loss + penalties too (as Keras), before any step
        expect(relErr([model.evaluate(new Tensor(d.x, [N, IN]), new Tensor(d.y, [N])).loss], [want.loss])).toBeLessThan(
          1e-5,
        );
        const h = await model.fit(new Tensor(d.x, [N, IN]), new Tensor(d.y, [N]), {
          epochs: 1,
          batchSize: N,
          shuffle: false,
          verbose: 0,
        });
        expect(relErr([h.history.loss[0] as number], [want.loss])).toBeLessThan(1e-5);
        const [w1, b1] = model.getWeights();
        expect(relErr(w1.data, want.w)).toBeLessThan(1e-5);
        expect(relErr(b1.data, want.b)).toBeLessThan(1e-5);
      } finally {
        model.dispose();
      }
    });
  });
});

// ---- parity with tfjs ---------------------------------------------------------------------------------

describe('parity with @tensorflow/tfjs (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it(
    'weight penalties: tfjs-layers Dense kernelRegularizer/biasRegularizer, one SGD step (loss and weights within ' +
      '1e-4)',
    async () => {
      const B = 8;
      const r = new Generator(77);
      const x = Float32Array.from({ length: B * 6 }, () => r.uniform() * 2 - 1);
      const y = Int32Array.from({ length: B }, (_, i) => (i * 7) % 3);
      const model = sequential(
        [
          layers.dense({
            units: 5,
            inputShape: [6],
            activation: 'relu',
            kernelRegularizer: regularizers.l1l2({ l1: 0.02, l2: 0.05 }),
            biasRegularizer: regularizers.l1({ l1: 0.1 }),
          }),
          layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: regularizers.l2({ l2: 0.3 }) }),
        ],
        { seed: 3 },
      );
      model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
      const w0 = model.getWeights().map((w) =>
        w.rank === 1
          ? new Tensor(
              Float32Array.from({ length: w.size }, () => r.uniform() - 0.5),
              w.shape,
            )
          : w,
      );
      model.setWeights(w0);
      const tfModel = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 5,
            inputShape: [6],
            activation: 'relu',
            kernelRegularizer: tf.regularizers.l1l2({ l1: 0.02, l2: 0.05 }),
            biasRegularizer: tf.regularizers.l1({ l1: 0.1 }),
          }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: tf.regularizers.l2({ l2: 0.3 }) }),
        ],
      });
      tfModel.compile({ optimizer: tf.train.sgd(LR), loss: 'sparseCategoricalCrossentropy' });
      tfModel.setWeights(w0.map((w) => tf.tensor(w.data as Float32Array, [...w.shape])));
      const tx = tf.tensor(x, [B, 6]);
      const ty = tf.tensor(Float32Array.from(y), [B]);
      try {
        const h = await model.fit(new Tensor(x, [B, 6]), new Tensor(y, [B]), {
          epochs: 1,
          batchSize: B,
          shuffle: false,
          verbose: 0,
        });
        const th = await tfModel.fit(tx, ty, { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
        expect(relErr([h.history.loss[0] as number], [th.history.loss[0] as number])).toBeLessThan(1e-4);
        const ours = model.getWeights();
        const theirs = tfModel.getWeights().map((t) => t.dataSync());
        for (const [i, w] of ours.entries()) expect(relErr(w.data, theirs[i]), `weight ${i}`).toBeLessThan(1e-4);
      } finally {
        tf.dispose([tx, ty]);
        tfModel.dispose();
        model.dispose();
      }
    },
  );

  it(
    'tfjs-layers refuses to run a layer with an activity ' + 'regularizer (so the activity parity below uses tfjs ops)',
    () => {
      const layer = tf.layers.dense({ units: 2, activityRegularizer: tf.regularizers.l1() });
      expect(() => tf.tidy(() => layer.apply(tf.zeros([1, 3])) as tf.Tensor)).toThrow(/activity regularizer/);
    },
  );

  it(
    'activity penalties on a hidden relu layer and a softmax output: ' + 'one SGD step (loss and weights within 1e-4)',
    async () => {
      const B = 8;
      const r = new Generator(91);
      const x = Float32Array.from({ length: B * 6 }, () => r.uniform() * 2 - 1);
      const y = Int32Array.from({ length: B }, (_, i) => (i * 5) % 3);
      const a1 = { l1: 0.05, l2: 0.02 };
      const a2 = { l1: 0, l2: 0.4 };
      const model = sequential(
        [
          layers.dense({
            units: 5,
            inputShape: [6],
            activation: 'relu',
            activityRegularizer: regularizers.l1l2(a1),
            kernelRegularizer: 'l2',
          }),
          layers.dense({ units: 3, activation: 'softmax', activityRegularizer: regularizers.l2({ l2: a2.l2 }) }),
        ],
        { seed: 4 },
      );
      model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
      const w0 = model.getWeights().map((w) =>
        w.rank === 1
          ? new Tensor(
              Float32Array.from({ length: w.size }, () => r.uniform() - 0.5),
              w.shape,
            )
          : w,
      );
      model.setWeights(w0);

      // tfjs: the same step from ops, with tfjs's own regularizer objects applied to the outputs (Keras 3:
      // the activity penalty is added as it is, not divided by the batch size).
      const vars = w0.map((w, i) => tf.variable(tf.tensor(w.data as Float32Array, [...w.shape]), true, `v${i}`));
      const tx = tf.tensor(x, [B, 6]);
      const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), 3);
      const r1 = tf.regularizers.l1l2(a1);
      const r2 = tf.regularizers.l1l2(a2);
      const rk = tf.regularizers.l2();
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(tx, vars[0]), vars[1]));
        const p = tf.softmax(tf.add(tf.matMul(h, vars[2]), vars[3]));
        const data = tf.mean(tf.neg(tf.log(tf.sum(tf.mul(p, onehot), 1))));
        const act = tf.add(r1.apply(h), r2.apply(p));
        return tf.add(tf.add(data, act), rk.apply(vars[0])) as tf.Scalar;
      }, vars);
      try {
        const h = await model.fit(new Tensor(x, [B, 6]), new Tensor(y, [B]), {
          epochs: 1,
          batchSize: B,
          shuffle: false,
          verbose: 0,
        });
        expect(relErr([h.history.loss[0] as number], [value.dataSync()[0]])).toBeLessThan(1e-4);
        model.getWeights().forEach((w, i) => {
          const g = grads[vars[i].name].dataSync();
          const want = Float64Array.from(w0[i].data, (v, j) => v - LR * g[j]);
          expect(relErr(w.data, want), `weight ${i}`).toBeLessThan(1e-4);
        });
        // predict and evaluate build their own programs: the penalty is in evaluate's loss, not in predict
        expect(model.predict(new Tensor(x, [B, 6])).shape).toEqual([B, 3]);
      } finally {
        tf.dispose([tx, onehot, value, ...vars, ...Object.values(grads)]);
        model.dispose();
      }
    },
  );
});

// ---- configuration and errors -----------------------------------------------------------------------

describe('regularizer options', () => {
  it('defaults 0.01, classes and configs', () => {
    expect(regularizers.l1().getConfig()).toEqual({ l1: 0.01 });
    expect(regularizers.l2().getConfig()).toEqual({ l2: 0.01 });
    expect(regularizers.l1l2().getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(regularizers.l1l2({ l1: 0 })).toMatchObject({ className: 'L1L2', l1: 0, l2: 0.01 });
    const d = layers.dense({
      units: 2,
      kernelRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }),
      activityRegularizer: 'l1',
    });
    expect(d.getConfig()).toMatchObject({
      kernelRegularizer: { className: 'L1L2', config: { l1: 0.1, l2: 0.2 } },
      biasRegularizer: null,
      activityRegularizer: { className: 'L1', config: { l1: 0.01 } },
    });
  });

  it('weights carry their factors (variable.regularizer)', () => {
    const model = sequential([
      layers.dense({
        units: 2,
        inputShape: [3],
        kernelRegularizer: 'l2',
        biasRegularizer: regularizers.l1({ l1: 0.5 }),
      }),
    ]);
    const [k, b] = model.layers[0].weights;
    expect(k.regularizer).toEqual({ l1: 0, l2: 0.01 });
    expect(b.regularizer).toEqual({ l1: 0.5, l2: 0 });
    expect(
      sequential([layers.dense({ units: 2, inputShape: [3] })]).layers[0].weights.map((v) => v.regularizer),
    ).toEqual([null, null]);
  });
});

describe('errors', () => {
  it('negative or non-finite factors are refused', () => {
    expect(() => regularizers.l1({ l1: -0.1 })).toThrow(
      new ValueError('regularizers.l1: l1: expected a finite number ≥ 0 (such as 0.01), received -0.1.'),
    );
    expect(() => regularizers.l2({ l2: NaN })).toThrow(
      new ValueError('regularizers.l2: l2: expected a finite number ≥ 0 (such as 0.01), received NaN.'),
    );
    expect(() => regularizers.l1l2({ l1: Infinity })).toThrow(
      new ValueError('regularizers.l1l2: l1: expected a finite number ≥ 0 (such as 0.01), received Infinity.'),
    );
    expect(() => regularizers.l1l2({ l2: '0.1' as never })).toThrow(
      /regularizers.l1l2: l2: expected a finite number ≥ 0 \(such as 0.01\), received "0.1"\./,
    );
    expect(() => regularizers.l1(0.01 as never)).toThrow(
      new ValueError('regularizers.l1: expected an options object such as { l1: 0.01 }, received 0.01.'),
    );
  });

  it('dense options: unknown names, wrong types, hand-made objects with bad factors', () => {
    expect(() => layers.dense({ units: 2, name: 'd', kernelRegularizer: 'l3' as never })).toThrow(
      new ValueError(
        'd: kernelRegularizer: unknown regularizer "l3"; known: l1, l2, l1l2, or regularizers.l1l2({ l1, l2 }) for ' +
          'other factors.',
      ),
    );
    expect(() => layers.dense({ units: 2, name: 'd', biasRegularizer: 0.01 as never })).toThrow(
      new ValueError(
        "d: biasRegularizer: expected a regularizer name ('l1', 'l2', 'l1l2') or one of regularizers.l1/l2/l1l2({ " +
          '… }), received 0.01.',
      ),
    );
    const bad = { className: 'L2', l1: 0, l2: -1, getConfig: () => ({}) } as Regularizer;
    expect(() => layers.dense({ units: 2, name: 'd', activityRegularizer: bad })).toThrow(
      new ValueError('d: activityRegularizer: l2: expected a finite number ≥ 0 (such as 0.01), received -1.'),
    );
    expect(() => layers.dense({ units: 2, name: 'd', activityRegularizer: 'toString' as never })).toThrow(
      /unknown regularizer "toString"/,
    );
  });
});
