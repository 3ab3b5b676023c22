// Every metric against a float64 reference computed from the model's own predictions on fixed data:
// streaming over batches (evaluate with batchSize 7 on 50 samples equals the whole-set figure),
// weighted variants (compile's weightedMetrics with sampleWeight), AUC against an exact ROC area within
// the error Keras's threshold grid allows, and the refusals of metrics that do not fit the loss.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBackend } from '../../src/backend/index.js';
import {
  Generator,
  layers,
  losses,
  metrics,
  sequential,
  Tensor,
  ValueError,
  type Sequential,
} from '../../src/index.js';
import type { LossIdentifier } from '../../src/losses/losses.js';
import type { MetricIdentifier } from '../../src/metrics/metrics.js';
import type { ActivationName } from '../../src/layers/activations.js';

const N = 50;
const F = 4;
const rng = new Generator(2024);
const x = Float32Array.from({ length: N * F }, () => rng.uniform() * 4 - 2);
const weights = Float32Array.from({ length: N }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + (i % 4)));
const xs = new Tensor(x, [N, F]);

function model(
  units: number,
  activation: ActivationName,
  loss: LossIdentifier,
  m: MetricIdentifier[],
  weighted: MetricIdentifier[] = [],
): Sequential {
  const s = sequential([layers.dense({ units, activation, inputShape: [F], kernelInitializer: 'glorotUniform' })], {
    seed: 5,
  });
  s.compile({ optimizer: 'sgd', loss, metrics: m, weightedMetrics: weighted });
  return s;
}

// ---- float64 references from predictions --------------------------------------------------------

const W = (w: Float32Array | null, i: number) => (w ? w[i] : 1);

function binaryRef(p: ArrayLike<number>, t: ArrayLike<number>, cols: number, thr: number, w: Float32Array | null) {
  let tp = 0,
    fp = 0,
    fn = 0,
    acc = 0,
    ws = 0;
  for (let i = 0; i < N; i++) {
    let hits = 0;
    for (let j = 0; j < cols; j++) {
      const pred = p[i * cols + j] > thr;
      const pos = t[i * cols + j] !== 0;
      if (pred && pos) tp += W(w, i);
      else if (pred) fp += W(w, i);
      else if (pos) fn += W(w, i);
      if ((pred ? 1 : 0) === t[i * cols + j]) hits++;
    }
    acc += W(w, i) * (hits / cols);
    ws += W(w, i);
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), accuracy: acc / ws };
}

/** Keras's bucketed ROC AUC in float64 (bucket indices as the float32 kernel computes them). */
function kerasAuc(p: ArrayLike<number>, t: ArrayLike<number>, n: number, w: Float32Array | null, cols: number): number {
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  for (let e = 0; e < p.length; e++) {
    const v = Math.min(Math.max(p[e], 0), 1);
    const b = Math.min(Math.max(Math.ceil(Math.fround(v * (n - 1))) - 1, 0), n - 1);
    (t[e] !== 0 ? pos : neg)[b] += W(w, Math.floor(e / cols));
  }
  const P = pos.reduce((a, b) => a + b, 0);
  const Q = neg.reduce((a, b) => a + b, 0);
  const tpr: number[] = [];
  const fpr: number[] = [];
  for (let i = 0; i < n; i++) {
    let tp = 0,
      fp = 0;
    for (let b = i; b < n; b++) {
      tp += pos[b];
      fp += neg[b];
    }
    tpr.push(tp / P);
    fpr.push(fp / Q);
  }
  let area = 0;
  for (let i = 0; i < n - 1; i++) area += ((fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1])) / 2;
  return area;
}

/** The exact ROC area: P(score of a positive > score of a negative), ties count ½. */
function exactAuc(p: ArrayLike<number>, t: ArrayLike<number>): number {
  let num = 0,
    pairs = 0;
  for (let a = 0; a < p.length; a++) {
    if (t[a] === 0) continue;
    for (let b = 0; b < p.length; b++) {
      if (t[b] !== 0) continue;
      pairs++;
      num += p[a] > p[b] ? 1 : p[a] === p[b] ? 0.5 : 0;
    }
  }
  return num / pairs;
}

/** The grid's worst case: pairs sharing a bucket are counted as ties (½) by the interpolation. */
function gridBound(p: ArrayLike<number>, t: ArrayLike<number>, n: number): number {
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  for (let e = 0; e < p.length; e++) {
    const b = Math.max(Math.ceil(Math.fround(Math.min(Math.max(p[e], 0), 1) * (n - 1))) - 1, 0);
    (t[e] !== 0 ? pos : neg)[b]++;
  }
  const P = pos.reduce((a, b) => a + b, 0);
  const Q = neg.reduce((a, b) => a + b, 0);
  return (0.5 * pos.reduce((a, v, b) => a + v * neg[b], 0)) / (P * Q);
}

function argmaxRow(v: ArrayLike<number>, i: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (v[i * cols + j] > v[i * cols + best]) best = j;
  return best;
}

function categoricalRef(
  p: ArrayLike<number>,
  labels: Int32Array,
  cols: number,
  k: number,
  w: Float32Array | null,
): number {
  let hits = 0,
    ws = 0;
  for (let i = 0; i < N; i++) {
    const l = labels[i];
    let hit: boolean;
    if (k === 0) hit = argmaxRow(p, i, cols) === l;
    else {
      let above = 0;
      for (let j = 0; j < cols; j++) if (p[i * cols + j] > p[i * cols + l]) above++;
      hit = above < k;
    }
    hits += hit ? W(w, i) : 0;
    ws += W(w, i);
  }
  return hits / ws;
}

function meanErrorRef(
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  cols: number,
  square: boolean,
  w: Float32Array | null,
): number {
  let s = 0,
    ws = 0;
  for (let i = 0; i < N; i++) {
    let r = 0;
    for (let j = 0; j < cols; j++) {
      const d = p[i * cols + j] - t[i * cols + j];
      r += square ? d * d : Math.abs(d);
    }
    s += W(w, i) * (r / cols);
    ws += W(w, i);
  }
  return s / ws;
}

/** Evaluates with batch 7 (7 full batches and a tail of 1) and 50; both must equal the reference. */
function expectStreaming(
  m: Sequential,
  y: Tensor,
  expected: Record<string, number>,
  sampleWeight?: Float32Array,
  tol = 1e-6,
) {
  const small = m.evaluate(xs, y, { batchSize: 7, sampleWeight });
  const whole = m.evaluate(xs, y, { batchSize: N, sampleWeight });
  for (const [key, value] of Object.entries(expected)) {
    expect(small[key], `${key} (batch 7)`).toBeCloseTo(value, 5);
    expect(Math.abs(small[key] - value), `${key} (batch 7) vs ${value}`).toBeLessThan(tol);
    expect(Math.abs(whole[key] - value), `${key} (batch 50) vs ${value}`).toBeLessThan(tol);
  }
}

const bits = (n: number, seed: number) => {
  const r = new Generator(seed);
  return Float32Array.from({ length: n }, () => (r.uniform() < 0.45 ? 1 : 0));
};
const labels5 = Int32Array.from({ length: N }, (_, i) => (i * 3 + (i >> 2)) % 5);
const oneHot5 = Float32Array.from({ length: N * 5 }, (_, e) => (labels5[Math.floor(e / 5)] === e % 5 ? 1 : 0));

for (const relaxedSimd of [false, true]) {
  describe(`metrics (${relaxedSimd ? 'relaxed' : 'plain'} SIMD)`, () => {
    beforeAll(() => configureBackend({ relaxedSimd }));
    afterAll(() => configureBackend({ relaxedSimd: true }));

    it('binary: accuracy, binaryAccuracy, precision, recall, auc, mse, mae stream exactly (one sigmoid unit)', () => {
      const t = bits(N, 1);
      const m = model(1, 'sigmoid', 'binaryCrossentropy', [
        'accuracy',
        metrics.binaryAccuracy({ threshold: 0.3, name: 'acc03' }),
        'precision',
        metrics.recall({ thresholds: 0.6 }),
        'auc',
        'mse',
        'mae',
      ]);
      const p = m.predict(xs).data;
      const r5 = binaryRef(p, t, 1, 0.5, null);
      expectStreaming(m, new Tensor(t, [N]), {
        accuracy: r5.accuracy,
        acc03: binaryRef(p, t, 1, 0.3, null).accuracy,
        precision: r5.precision,
        recall: binaryRef(p, t, 1, 0.6, null).recall,
        auc: kerasAuc(p, t, 200, null, 1),
        meanSquaredError: meanErrorRef(p, t, 1, true, null),
        meanAbsoluteError: meanErrorRef(p, t, 1, false, null),
      });
    });

    it('multi-label (3 sigmoid units): metrics over every element, as Keras flattens them', () => {
      const t = bits(N * 3, 2);
      const m = model(3, 'sigmoid', losses.binaryCrossentropy({ labelSmoothing: 0.1 }), [
        'binaryAccuracy',
        'precision',
        'recall',
        metrics.auc({ numThresholds: 50 }),
      ]);
      const p = m.predict(xs).data;
      const r = binaryRef(p, t, 3, 0.5, null);
      expectStreaming(m, new Tensor(t, [N, 3]), {
        binaryAccuracy: r.accuracy,
        precision: r.precision,
        recall: r.recall,
        auc: kerasAuc(p, t, 50, null, 3),
      });
    });

    it('fromLogits: binary metrics read the sigmoid of the logits', () => {
      const t = bits(N, 3);
      const m = model(1, 'linear', losses.binaryCrossentropy({ fromLogits: true }), ['accuracy', 'precision', 'auc']);
      const p = Float64Array.from(m.predict(xs).data, (z) => 1 / (1 + Math.exp(-z)));
      const r = binaryRef(p, t, 1, 0.5, null);
      expectStreaming(
        m,
        new Tensor(t, [N]),
        { accuracy: r.accuracy, precision: r.precision, auc: kerasAuc(p, t, 200, null, 1) },
        undefined,
        1e-5,
      );
    });

    it('auc is within the threshold grid error of the exact ROC area', () => {
      const t = bits(N, 4);
      for (const n of [200, 20]) {
        const m = model(1, 'sigmoid', 'binaryCrossentropy', [metrics.auc({ numThresholds: n })]);
        const p = m.predict(xs).data;
        const auc = m.evaluate(xs, new Tensor(t, [N]), { batchSize: 7 }).auc;
        expect(Math.abs(auc - exactAuc(p, t)), `numThresholds ${n}`).toBeLessThanOrEqual(gridBound(p, t, n) + 1e-6);
        expect(Math.abs(auc - kerasAuc(p, t, n, null, 1))).toBeLessThan(1e-6);
      }
    });

    it('sparse labels: accuracy, sparseCategoricalAccuracy, sparseTopKCategoricalAccuracy', () => {
      const m = model(5, 'softmax', 'sparseCategoricalCrossentropy', [
        'accuracy',
        'sparse_categorical_accuracy',
        metrics.sparseTopKCategoricalAccuracy({ k: 2 }),
        'sparseTopKCategoricalAccuracy',
      ]);
      const p = m.predict(xs).data;
      expectStreaming(m, new Tensor(labels5, [N]), {
        accuracy: categoricalRef(p, labels5, 5, 0, null),
        sparseCategoricalAccuracy: categoricalRef(p, labels5, 5, 0, null),
        sparseTopKCategoricalAccuracy: categoricalRef(p, labels5, 5, 5, null),
      });
      const k2 = sequential([layers.dense({ units: 5, activation: 'softmax', inputShape: [F] })], { seed: 5 });
      k2.compile({
        optimizer: 'sgd',
        loss: 'sparseCategoricalCrossentropy',
        metrics: [metrics.sparseTopKCategoricalAccuracy({ k: 2, name: 'top2' })],
      });
      expectStreaming(k2, new Tensor(labels5, [N]), { top2: categoricalRef(k2.predict(xs).data, labels5, 5, 2, null) });
    });

    it('one-hot targets: accuracy, categoricalAccuracy, topKCategoricalAccuracy, mse', () => {
      const m = model(5, 'softmax', losses.categoricalCrossentropy({ labelSmoothing: 0.1 }), [
        'acc',
        'categoricalAccuracy',
        metrics.topKCategoricalAccuracy({ k: 3 }),
        'mse',
      ]);
      const p = m.predict(xs).data;
      expectStreaming(m, new Tensor(oneHot5, [N, 5]), {
        accuracy: categoricalRef(p, labels5, 5, 0, null),
        categoricalAccuracy: categoricalRef(p, labels5, 5, 0, null),
        topKCategoricalAccuracy: categoricalRef(p, labels5, 5, 3, null),
        meanSquaredError: meanErrorRef(p, oneHot5, 5, true, null),
      });
    });

    it('regression losses: accuracy by output width, mse, mae', () => {
      const t = Float32Array.from({ length: N * 2 }, (_, i) => Math.sin(i));
      const m = model(2, 'linear', 'huber', ['mae', 'mse']);
      const p = m.predict(xs).data;
      expectStreaming(m, new Tensor(t, [N, 2]), {
        meanAbsoluteError: meanErrorRef(p, t, 2, false, null),
        meanSquaredError: meanErrorRef(p, t, 2, true, null),
      });
      const one = model(1, 'sigmoid', 'mse', ['accuracy']);
      const t1 = bits(N, 6);
      expectStreaming(one, new Tensor(t1, [N]), {
        accuracy: binaryRef(one.predict(xs).data, t1, 1, 0.5, null).accuracy,
      });
    });

    it('weightedMetrics take sample weights; metrics do not (Keras 3)', () => {
      const t = bits(N, 7);
      const m = model(
        1,
        'sigmoid',
        'binaryCrossentropy',
        ['accuracy', 'precision'],
        ['accuracy', 'precision', 'recall', 'auc', 'mse'],
      );
      expect(m.metricKeys).toEqual([
        'accuracy',
        'precision',
        'weightedAccuracy',
        'weightedPrecision',
        'recall',
        'auc',
        'meanSquaredError',
      ]);
      const p = m.predict(xs).data;
      const plain = binaryRef(p, t, 1, 0.5, null);
      const w = binaryRef(p, t, 1, 0.5, weights);
      expectStreaming(
        m,
        new Tensor(t, [N]),
        {
          accuracy: plain.accuracy,
          precision: plain.precision,
          weightedAccuracy: w.accuracy,
          weightedPrecision: w.precision,
          recall: w.recall,
          auc: kerasAuc(p, t, 200, weights, 1),
          meanSquaredError: meanErrorRef(p, t, 1, true, weights),
        },
        weights,
      );
      // without sample weights the weighted metrics equal the plain ones
      const logs = m.evaluate(xs, new Tensor(t, [N]), { batchSize: 7 });
      expect(logs.weightedAccuracy).toBeCloseTo(logs.accuracy, 10);
    });

    it('weighted categorical metrics', () => {
      const m = model(
        5,
        'softmax',
        'sparseCategoricalCrossentropy',
        [],
        ['accuracy', metrics.sparseTopKCategoricalAccuracy({ k: 2 })],
      );
      const p = m.predict(xs).data;
      expectStreaming(
        m,
        new Tensor(labels5, [N]),
        {
          accuracy: categoricalRef(p, labels5, 5, 0, weights),
          sparseTopKCategoricalAccuracy: categoricalRef(p, labels5, 5, 2, weights),
        },
        weights,
      );
    });
  });
}

describe('fit logs every metric, for training and validation', () => {
  it('keys and value ranges', async () => {
    const t = bits(N, 8);
    const m = model(1, 'sigmoid', 'binaryCrossentropy', ['accuracy', 'precision', 'recall', 'auc']);
    const h = await m.fit(xs, new Tensor(t, [N]), {
      epochs: 2,
      batchSize: 7,
      verbose: 0,
      validationData: [xs, new Tensor(t, [N])],
      sampleWeight: weights,
    });
    for (const key of [
      'loss',
      'accuracy',
      'precision',
      'recall',
      'auc',
      'valLoss',
      'valAccuracy',
      'valPrecision',
      'valRecall',
      'valAuc',
    ]) {
      expect(h.history[key], key).toHaveLength(2);
      for (const v of h.history[key]) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe('metrics: errors', () => {
  it('refuses metrics that do not fit the loss, with the reason', () => {
    expect(() => model(10, 'softmax', 'sparseCategoricalCrossentropy', ['precision'])).toThrow(
      new RegExp(
        'metrics: precision does not apply to loss sparseCategoricalCrossentropy: it applies to binary or ' +
          'multi-label outputs \\(sigmoid units with 0\\/1 targets\\), and loss sparseCategoricalCrossentropy picks ' +
          'one ' +
          "class out of many; use 'accuracy' or topKCategoricalAccuracy",
      ),
    );
    expect(() => model(10, 'softmax', 'categoricalCrossentropy', [metrics.auc()])).toThrow(
      /auc does not apply to loss categoricalCrossentropy/,
    );
    expect(() => model(10, 'softmax', 'categoricalCrossentropy', ['sparseCategoricalAccuracy'])).toThrow(
      new RegExp(
        'sparseCategoricalAccuracy does not apply to loss categoricalCrossentropy: it expects class indices, but ' +
          "loss categoricalCrossentropy takes targets of the output's shape; use 'categoricalAccuracy'",
      ),
    );
    expect(() => model(10, 'softmax', 'categoricalCrossentropy', ['sparseTopKCategoricalAccuracy'])).toThrow(
      /use 'topKCategoricalAccuracy'/,
    );
    expect(() => model(10, 'softmax', 'sparseCategoricalCrossentropy', [metrics.topKCategoricalAccuracy()])).toThrow(
      new RegExp(
        'it expects one-hot targets, but loss sparseCategoricalCrossentropy takes class indices; use ' +
          "'sparseTopKCategoricalAccuracy'",
      ),
    );
    expect(() => model(3, 'sigmoid', 'binaryCrossentropy', ['categoricalAccuracy'])).toThrow(
      /binaryCrossentropy's outputs are independent 0\/1 predictions, not one class out of many; use 'binaryAccuracy'/,
    );
    expect(() => model(10, 'softmax', 'sparseCategoricalCrossentropy', ['mse'])).toThrow(
      new RegExp(
        'meanSquaredError does not apply to loss sparseCategoricalCrossentropy: loss sparseCategoricalCrossentropy ' +
          'takes class indices',
      ),
    );
    expect(() => model(1, 'sigmoid', 'binaryCrossentropy', [], ['f1' as never])).toThrow(
      /weightedMetrics: unknown metric "f1"; known: accuracy, categoricalAccuracy/,
    );
  });

  it('refuses bad options', () => {
    expect(() => metrics.topKCategoricalAccuracy({ k: 0 })).toThrow(ValueError);
    expect(() => metrics.topKCategoricalAccuracy({ k: 2.5 })).toThrow(
      new RegExp(
        'metrics.topKCategoricalAccuracy: k: expected a positive integer \\(how many of the highest scores count\\), ' +
          'received 2.5',
      ),
    );
    expect(() => metrics.sparseTopKCategoricalAccuracy({ k: -1 })).toThrow(
      /sparseTopKCategoricalAccuracy: k: expected a positive integer/,
    );
    expect(() => metrics.precision({ thresholds: 1.5 })).toThrow(
      /metrics.precision: thresholds: expected a threshold in \[0, 1\] \(predictions are probabilities\), received 1.5/,
    );
    expect(() => metrics.recall({ thresholds: -0.1 })).toThrow(
      /metrics.recall: thresholds: expected a threshold in \[0, 1\]/,
    );
    expect(() => metrics.binaryAccuracy({ threshold: NaN })).toThrow(
      /metrics.binaryAccuracy: threshold: expected a threshold in \[0, 1\]/,
    );
    expect(() => metrics.auc({ numThresholds: 1 })).toThrow(
      /metrics.auc: numThresholds: expected an integer in \[2, 1000000\] \(default 200\), received 1/,
    );
    expect(() => metrics.precision('0.5' as never)).toThrow(
      /metrics.precision: expected an options object such as \{ thresholds: 0.5 \}, received "0.5"/,
    );
    expect(() => metrics.accuracy({ name: '' })).toThrow(/metrics.accuracy: name: expected a non-empty string/);
  });
});
