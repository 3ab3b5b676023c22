import { describe, expect, it } from 'vitest';
import { activation, softmax } from '../../src/graph/ops/activation.js';
import { add, reshape } from '../../src/graph/ops/basic.js';
import { biasGrad, dense, matmul } from '../../src/graph/ops/linear.js';
import { crossEntropy } from '../../src/graph/ops/losses.js';
import { awayFromZero, gradCheck, randomData } from '../helpers/gradcheck.js';
import * as ref from '../helpers/reference.js';

const TOL = 2e-4;

function expectClose(result: { forwardError: number; gradientErrors: number[] }, expectedGrads: number) {
  expect(result.forwardError).toBeLessThan(TOL);
  expect(result.gradientErrors).toHaveLength(expectedGrads);
  for (const e of result.gradientErrors) expect(e).toBeLessThan(TOL);
}

describe('matmul gradients', () => {
  for (const [transA, transB] of [
    [false, false],
    [true, false],
    [false, true],
  ] as const) {
    it(`transA=${transA} transB=${transB} at 5×7×3 and 13×9×17`, () => {
      for (const [m, n, k] of [
        [5, 7, 3],
        [13, 9, 17],
      ]) {
        const a = { shape: transA ? [k, m] : [m, k], data: randomData(m * k, 1) };
        const b = { shape: transB ? [n, k] : [k, n], data: randomData(k * n, 2) };
        const r = gradCheck(
          ([x, y]) => matmul(x, y, transA, transB),
          ([x, y]) => ref.matmul(x, y, m, n, k, transA, transB),
          [a, b],
        );
        expectClose(r, 2);
      }
    });
  }
});

describe('dense gradients (GEMM with bias and activation epilogue)', () => {
  for (const kind of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    it(`${kind}, with and without bias`, () => {
      const [m, k, n] = [6, 11, 9];
      const x = { shape: [m, k], data: randomData(m * k, 3) };
      const w = { shape: [k, n], data: randomData(k * n, 4) };
      const b = { shape: [n], data: randomData(n, 5) };
      const forward = (xs: Float64Array, ws: Float64Array, bs: Float64Array | null) => {
        const z = ref.matmul(xs, ws, m, n, k, false, false);
        return z.map((v, i) => ref.act(kind, v + (bs ? bs[i % n] : 0)));
      };
      // relu has a kink at 0: keep pre-activations away from it by biasing them.
      const bias = kind === 'relu' ? { shape: [n], data: awayFromZero(n, 6).map((v) => v * 3) } : b;
      expectClose(
        gradCheck(
          ([xs, ws, bs]) => dense(xs, ws, bs, kind),
          ([xs, ws, bs]) => forward(xs, ws, bs),
          [x, w, bias],
        ),
        3,
      );
      if (kind !== 'relu')
        expectClose(
          gradCheck(
            ([xs, ws]) => dense(xs, ws, null, kind),
            ([xs, ws]) => forward(xs, ws, null),
            [x, w],
          ),
          2,
        );
    });
  }
});

describe('activation gradients', () => {
  for (const kind of ['relu', 'sigmoid', 'tanh'] as const) {
    it(kind, () => {
      const x = { shape: [3, 7], data: kind === 'relu' ? awayFromZero(21, 7) : randomData(21, 7, -3, 3) };
      expectClose(
        gradCheck(
          ([t]) => activation(t, kind),
          ([t]) => t.map((v) => ref.act(kind, v)),
          [x],
        ),
        1,
      );
    });
  }
});

describe('softmax gradient', () => {
  it('rows of 10 and of 3', () => {
    for (const [rows, cols] of [
      [4, 10],
      [5, 3],
    ]) {
      const x = { shape: [rows, cols], data: randomData(rows * cols, 8, -4, 4) };
      expectClose(
        gradCheck(
          ([t]) => softmax(t),
          ([t]) => ref.softmaxRows(t, rows, cols),
          [x],
        ),
        1,
      );
    }
  });
});

describe('cross-entropy gradients (the objective is the batch mean)', () => {
  const rows = 6;
  const cols = 10;
  const labels = { shape: [rows], data: Float64Array.from([3, 0, 9, 9, 1, 5]), dtype: 'int32' as const };
  const oneHot = {
    shape: [rows, cols],
    data: Float64Array.from({ length: rows * cols }, (_, i) =>
      labels.data[Math.floor(i / cols)] === i % cols ? 1 : 0,
    ),
  };
  const logits = { shape: [rows, cols], data: randomData(rows * cols, 9, -5, 5) };
  const sum = (v: Float64Array) => Float64Array.of(v.reduce((a, b) => a + b, 0));

  it('softmax fused, sparse labels', () => {
    const r = gradCheck(
      ([x, t]) => crossEntropy(x, t, { input: 'logits', labels: 'sparse', gradScale: 1 / rows }),
      ([x, t]) => sum(ref.crossEntropyRows(ref.softmaxRows(x, rows, cols), t, rows, cols, true, false)),
      [logits, labels],
      { objective: { scale: 1 / rows } },
    );
    expectClose(r, 1);
  });

  it('softmax fused, one-hot targets', () => {
    const r = gradCheck(
      ([x, t]) => crossEntropy(x, t, { input: 'logits', labels: 'dense', gradScale: 1 / rows }),
      ([x, t]) => sum(ref.crossEntropyRows(ref.softmaxRows(x, rows, cols), t, rows, cols, false, false)),
      [logits, oneHot],
      { objective: { scale: 1 / rows } },
    );
    // Targets are differentiable inputs here but the op gives them no gradient: check only the first.
    expect(r.forwardError).toBeLessThan(TOL);
    expect(r.gradientErrors[0]).toBeLessThan(TOL);
  });

  it('from probabilities, sparse labels (Keras clipping)', () => {
    const probs = { shape: [rows, cols], data: ref.softmaxRows(logits.data, rows, cols) };
    const r = gradCheck(
      ([x, t]) => crossEntropy(x, t, { input: 'probs', labels: 'sparse', gradScale: 1 / rows }),
      ([x, t]) => sum(ref.crossEntropyRows(x, t, rows, cols, true, true)),
      [probs, labels],
      { objective: { scale: 1 / rows }, h: 1e-6 },
    );
    expectClose(r, 1);
  });
});

describe('structural ops', () => {
  it('biasGrad computes column sums (it is only ever a gradient, so it has no gradient rule)', () => {
    const x = { shape: [7, 5], data: randomData(35, 10) };
    const colSums = (v: Float64Array) =>
      Float64Array.from({ length: 5 }, (_, j) => [0, 1, 2, 3, 4, 5, 6].reduce((s, i) => s + v[i * 5 + j], 0));
    const r = gradCheck(
      ([t]) => biasGrad(t),
      ([t]) => colSums(t),
      [x],
      { forwardOnly: true },
    );
    expect(r.forwardError).toBeLessThan(TOL);
  });

  it('reshape is a view and passes gradients through; add sums them', () => {
    const a = { shape: [2, 6], data: randomData(12, 11) };
    const b = { shape: [3, 4], data: randomData(12, 12) };
    const r = gradCheck(
      ([x, y]) => add(reshape(x, [3, 4]), y),
      ([x, y]) => x.map((v, i) => v + y[i]),
      [a, b],
    );
    expectClose(r, 2);
  });

  it('a tensor used twice gets the sum of both gradients', () => {
    const x = { shape: [4, 3], data: randomData(12, 13, -2, 2) };
    const r = gradCheck(
      ([t]) => add(activation(t, 'tanh'), activation(t, 'sigmoid')),
      ([t]) => t.map((v) => Math.tanh(v) + 1 / (1 + Math.exp(-v))),
      [x],
    );
    expectClose(r, 1);
  });
});
