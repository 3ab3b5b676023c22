// Weight regularizers, whole objective: the gradient training applies equals the central difference
// of the loss Keras reports. Model: Dense(4→5, tanh) → Dense(5→3, softmax), sparse cross-entropy,
// l1 / l2 / l1l2 on kernels and biases of both layers. The objective J(w) = mean cross-entropy +
// Σ (l1·Σ|w| + l2·Σw²) is written here in float64; the test checks that
//   - it is what simdnet reports (evaluate's loss, and fit's loss for the step),
//   - the gradient one SGD step applied, (w_before − w_after)/lr, equals ∂J/∂w by central differences
//     (h = 1e-5, float64), for every element of every weight tensor.
// The weights start at least 0.1 away from zero so that no l1 kink lies within h. Tolerance: 1e-4 of
// the tensor's largest gradient, plus the float32 rounding of w_after (half an ulp of |w| < 1, i.e.
// 6e-8, divided by lr).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import { clearSession, Generator, layers, optimizers, regularizers, sequential, Tensor } from '../../src/index.js';
import type { Regularizer, RegularizerName } from '../../src/regularizers/index.js';

const N = 6;
const IN = 4;
const HIDDEN = 5;
const OUT = 3;
const LR = 0.1;
const H = 1e-5;
const TOL = 1e-4;
const ROUNDING = 6e-8 / LR;

type Option = Regularizer | RegularizerName;
interface Case {
  name: string;
  /** kernel and bias regularizers of the hidden layer, then of the output layer. */
  regs: [Option, Option, Option, Option];
}

const CASES: Case[] = [
  {
    name: 'hidden kernel l1, bias l2; output kernel l1l2, bias l1',
    regs: [
      regularizers.l1({ l1: 0.05 }),
      regularizers.l2({ l2: 0.1 }),
      regularizers.l1l2({ l1: 0.03, l2: 0.2 }),
      regularizers.l1({ l1: 0.02 }),
    ],
  },
  {
    name: 'hidden kernel l2, bias l1l2; output kernel l1, bias l2',
    regs: [
      regularizers.l2({ l2: 0.3 }),
      regularizers.l1l2({ l1: 0.04, l2: 0.15 }),
      regularizers.l1({ l1: 0.08 }),
      regularizers.l2({ l2: 0.25 }),
    ],
  },
  { name: "by name: 'l1l2', 'l1', 'l2', 'l1_l2' (0.01 each)", regs: ['l1l2', 'l1', 'l2', 'l1_l2'] },
];

const factorsOf = (r: Option): { l1: number; l2: number } => {
  if (typeof r !== 'string') return { l1: r.l1, l2: r.l2 };
  return { l1: r === 'l2' ? 0 : 0.01, l2: r === 'l1' ? 0 : 0.01 };
};

function data(seed: number) {
  const r = new Generator(seed);
  const x = Float64Array.from({ length: N * IN }, () => Math.fround(r.uniform() * 2 - 1));
  const y = Int32Array.from({ length: N }, (_, i) => (i * 2 + 1) % OUT);
  // Weights in ±[0.1, 0.7], as float32 values so the model and the reference start from the same point.
  const weight = (n: number) =>
    Float64Array.from({ length: n }, () => Math.fround((r.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.6 * r.uniform())));
  return { x, y, weights: [weight(IN * HIDDEN), weight(HIDDEN), weight(HIDDEN * OUT), weight(OUT)] };
}

/** J(w) in float64: mean sparse cross-entropy of softmax(tanh(x·K1 + b1)·K2 + b2) plus the penalties. */
function objective(
  x: Float64Array,
  y: Int32Array,
  [k1, b1, k2, b2]: readonly Float64Array[],
  factors: readonly { l1: number; l2: number }[],
): number {
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const h = Array.from({ length: HIDDEN }, (_, j) => {
      let s = b1[j];
      for (let i = 0; i < IN; i++) s += x[n * IN + i] * k1[i * HIDDEN + j];
      return Math.tanh(s);
    });
    const z = Array.from({ length: OUT }, (_, c) => h.reduce((s, hj, j) => s + hj * k2[j * OUT + c], b2[c]));
    const max = Math.max(...z);
    const logSum = Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    loss += logSum - z[y[n]];
  }
  const penalty = [k1, b1, k2, b2].reduce(
    (s, w, t) => s + w.reduce((a, v) => a + factors[t].l1 * Math.abs(v) + factors[t].l2 * v * v, 0),
    0,
  );
  return loss / N + penalty;
}

function numericGradient(
  x: Float64Array,
  y: Int32Array,
  weights: readonly Float64Array[],
  factors: readonly { l1: number; l2: number }[],
): Float64Array[] {
  return weights.map((w, t) =>
    Float64Array.from(w, (_, i) => {
      const at = (delta: number) =>
        objective(
          x,
          y,
          weights.map((v, u) => (u === t ? Float64Array.from(v, (e, j) => (j === i ? e + delta : e)) : v)),
          factors,
        );
      return (at(H) - at(-H)) / (2 * H);
    }),
  );
}

beforeEach(() => clearSession());

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('regularized objective: applied gradient = central difference of the reported loss ($build)', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  CASES.forEach((c, ci) => {
    it(c.name, async () => {
      const d = data(40 + ci);
      const factors = c.regs.map(factorsOf);
      const model = sequential(
        [
          layers.dense({
            units: HIDDEN,
            activation: 'tanh',
            inputShape: [IN],
            kernelRegularizer: c.regs[0],
            biasRegularizer: c.regs[1],
          }),
          layers.dense({ units: OUT, activation: 'softmax', kernelRegularizer: c.regs[2], biasRegularizer: c.regs[3] }),
        ],
        { seed: 3 },
      );
      try {
        model.compile({ optimizer: optimizers.sgd({ learningRate: LR }), loss: 'sparseCategoricalCrossentropy' });
        const shapes = [[IN, HIDDEN], [HIDDEN], [HIDDEN, OUT], [OUT]];
        model.setWeights(d.weights.map((w, i) => new Tensor(Float32Array.from(w), shapes[i])));
        const [x, y] = [new Tensor(Float32Array.from(d.x), [N, IN]), new Tensor(d.y, [N])];

        const j = objective(d.x, d.y, d.weights, factors);
        expect(Math.abs(model.evaluate(x, y).loss - j) / j, 'evaluate reports J').toBeLessThan(1e-5);
        const history = await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 });
        expect(Math.abs(history.history.loss[0] - j) / j, 'fit reports J').toBeLessThan(1e-5);

        const after = model.getWeights().map((w) => w.data as Float32Array);
        const numeric = numericGradient(d.x, d.y, d.weights, factors);
        numeric.forEach((g, t) => {
          const applied = Float64Array.from(after[t], (v, i) => (d.weights[t][i] - v) / LR);
          const scale = Math.max(1e-3, ...g.map(Math.abs));
          let err = 0;
          for (let i = 0; i < g.length; i++) err = Math.max(err, Math.abs(applied[i] - g[i]));
          expect(
            err,
            `tensor ${t}: max |applied − numeric| (largest gradient ${scale.toExponential(2)})`,
          ).toBeLessThanOrEqual(TOL * scale + ROUNDING);
          // the penalty's part of the gradient is far above the tolerance, so leaving it out would fail
          const penaltyPart = Math.max(
            ...d.weights[t].map((w) => Math.abs(factors[t].l1 * Math.sign(w) + 2 * factors[t].l2 * w)),
          );
          expect(penaltyPart).toBeGreaterThan(10 * (TOL * scale + ROUNDING));
        });
      } finally {
        model.dispose();
      }
    });
  });
});
