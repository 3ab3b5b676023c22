// Activations and softmax as primitives, as assembly/activation-math.ts, activations.ts and prelu.ts
// compute them: each backward reads y where the kernel does (relu, sigmoid, tanh, leakyRelu, elu,
// selu, hardSigmoid, softplus, softsign) and x where it does (swish, gelu). Every composition reads
// all of its inputs before it writes its output, so x == y and dy == dx stay allowed.

import type { KernelActivation, Slice } from '../backend.js';
import type { ActivationCall } from '../calls/activation.js';
import { column, constant, full, row, type Composer } from './compose.js';
import type { Defaults } from './types.js';

/** Keras's SELU constants, as assembly/activation-math.ts has them. */
export const SELU_ALPHA = 1.67326324;
export const SELU_SCALE = 1.05070098;
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** e^x − 1 for x ≤ 0 (x is clamped to 0 first) without cancellation near 0: 2t/(1 − t), t = tanh(x/2). */
function expm1NonPositive(c: Composer, x: Slice, n: number, times: number): Slice {
  const t = c.map2('min', full(x), constant(0), n);
  c.map2('mul', full(t), constant(0.5), n, t);
  c.unary('tanh', t, n, t);
  const den = c.map2('sub', constant(1), full(t), n);
  c.map2('mul', full(t), constant(2 * times), n, t);
  return c.map2('div', full(t), full(den), n, t);
}

/** Φ(x) = (1 + erf(x/√2))/2, the standard normal CDF. */
function normalCdf(c: Composer, x: Slice, n: number): Slice {
  const t = c.map2('mul', full(x), constant(SQRT1_2), n);
  c.unary('erf', t, n, t);
  c.map2('add', full(t), constant(1), n, t);
  return c.map2('mul', full(t), constant(0.5), n, t);
}

/** 1 where x > 0, else 0. */
const positive = (c: Composer, x: Slice, n: number) => c.map2('greater', full(x), constant(0), n);

/** y = f(x) elementwise (alpha: leakyRelu's slope, elu's alpha). */
function forward(c: Composer, act: KernelActivation, alpha: number, x: Slice, y: Slice, n: number): void {
  switch (act) {
    case 'linear': // y = x
      c.copy(x, n, y);
      return;
    case 'relu': // y = max(x, 0)
      c.unary('relu', x, n, y);
      return;
    case 'sigmoid': // y = 1/(1 + e^−x)
      c.unary('sigmoid', x, n, y);
      return;
    case 'tanh': // y = tanh(x)
      c.unary('tanh', x, n, y);
      return;
    case 'leakyRelu': {
      // y = x > 0 ? x : α·x
      const ax = c.map2('mul', full(x), constant(alpha), n);
      c.where(full(positive(c, x, n)), full(x), full(ax), 1, n, y);
      return;
    }
    case 'elu': {
      // y = x > 0 ? x : α·(e^x − 1)
      const neg = expm1NonPositive(c, x, n, alpha);
      c.where(full(positive(c, x, n)), full(x), full(neg), 1, n, y);
      return;
    }
    case 'selu': {
      // y = x > 0 ? scale·x : scale·α·(e^x − 1)
      const neg = expm1NonPositive(c, x, n, SELU_SCALE * SELU_ALPHA);
      const pos = c.map2('mul', full(x), constant(SELU_SCALE), n);
      c.where(full(positive(c, x, n)), full(pos), full(neg), 1, n, y);
      return;
    }
    case 'hardSigmoid': {
      // y = clip(0.2·x + 0.5, 0, 1)
      const t = c.map2('mul', full(x), constant(0.2), n);
      c.map2('add', full(t), constant(0.5), n, t);
      c.map2('max', full(t), constant(0), n, t);
      c.map2('min', full(t), constant(1), n, y);
      return;
    }
    case 'softplus': // y = log(1 + e^x), stable (max(x, 0) + log1p(e^−|x|))
      c.unary('softplus', x, n, y);
      return;
    case 'softsign': {
      // y = x/(1 + |x|)
      const d = c.unary('abs', x, n);
      c.map2('add', full(d), constant(1), n, d);
      c.map2('div', full(x), full(d), n, y);
      return;
    }
    case 'swish': {
      // y = x·sigmoid(x)
      const s = c.unary('sigmoid', x, n);
      c.map2('mul', full(x), full(s), n, y);
      return;
    }
    case 'gelu': {
      // y = x·Φ(x), the exact form
      const p = normalCdf(c, x, n);
      c.map2('mul', full(x), full(p), n, y);
      return;
    }
  }
}

/** dx = dy ⊙ f′, from y (or x for swish and gelu). */
function backward(
  c: Composer,
  act: KernelActivation,
  alpha: number,
  x: Slice | null,
  y: Slice,
  dy: Slice,
  dx: Slice,
  n: number,
): void {
  const needX = (): Slice => {
    if (!x) throw new Error(`simdnet internal: activationBackward(${act}) needs its input x`);
    return x;
  };
  switch (act) {
    case 'linear': // dx = dy
      c.copy(dy, n, dx);
      return;
    case 'relu': // dx = y > 0 ? dy : 0
      c.where(full(positive(c, y, n)), full(dy), constant(0), 1, n, dx);
      return;
    case 'sigmoid': {
      // dx = dy·y·(1 − y)
      const d = c.map2('sub', constant(1), full(y), n);
      c.map2('mul', full(d), full(y), n, d);
      c.map2('mul', full(dy), full(d), n, dx);
      return;
    }
    case 'tanh': {
      // dx = dy·(1 − y)·(1 + y)
      const d = c.map2('sub', constant(1), full(y), n);
      const e = c.map2('add', full(y), constant(1), n);
      c.map2('mul', full(d), full(e), n, d);
      c.map2('mul', full(dy), full(d), n, dx);
      return;
    }
    case 'leakyRelu': {
      // dx = y > 0 ? dy : α·dy
      const g = c.map2('mul', full(dy), constant(alpha), n);
      c.where(full(positive(c, y, n)), full(dy), full(g), 1, n, dx);
      return;
    }
    case 'elu': {
      // dx = y > 0 ? dy : dy·(y + α)
      const g = c.map2('add', full(y), constant(alpha), n);
      c.map2('mul', full(g), full(dy), n, g);
      c.where(full(positive(c, y, n)), full(dy), full(g), 1, n, dx);
      return;
    }
    case 'selu': {
      // dx = dy·(y > 0 ? scale : y + scale·α)
      const d = c.map2('add', full(y), constant(SELU_SCALE * SELU_ALPHA), n);
      c.where(full(positive(c, y, n)), constant(SELU_SCALE), full(d), 1, n, d);
      c.map2('mul', full(dy), full(d), n, dx);
      return;
    }
    case 'hardSigmoid': {
      // dx = 0 < y < 1 ? 0.2·dy : 0
      const inside = positive(c, y, n);
      const below = c.map2('less', full(y), constant(1), n);
      c.map2('mul', full(inside), full(below), n, inside);
      const g = c.map2('mul', full(dy), constant(0.2), n);
      c.where(full(inside), full(g), constant(0), 1, n, dx);
      return;
    }
    case 'softplus': {
      // dx = dy·(1 − e^−y) = dy·tanh(y/2)·(1 + e^−y), no cancellation for small y
      const t = c.map2('mul', full(y), constant(0.5), n);
      c.unary('tanh', t, n, t);
      const e = c.unary('neg', y, n);
      c.unary('exp', e, n, e);
      c.map2('add', full(e), constant(1), n, e);
      c.map2('mul', full(t), full(e), n, t);
      c.map2('mul', full(dy), full(t), n, dx);
      return;
    }
    case 'softsign': {
      // dx = dy·(1 − |y|)²
      const d = c.unary('abs', y, n);
      c.map2('sub', constant(1), full(d), n, d);
      c.unary('square', d, n, d);
      c.map2('mul', full(dy), full(d), n, dx);
      return;
    }
    case 'swish': {
      // dx = dy·s·(1 + x·(1 − s)), s = sigmoid(x), 1 − s = sigmoid(−x)
      const xs = needX();
      const s = c.unary('sigmoid', xs, n);
      const sc = c.unary('neg', xs, n);
      c.unary('sigmoid', sc, n, sc);
      c.map2('mul', full(sc), full(xs), n, sc);
      c.map2('add', full(sc), constant(1), n, sc);
      c.map2('mul', full(sc), full(s), n, sc);
      c.map2('mul', full(dy), full(sc), n, dx);
      return;
    }
    case 'gelu': {
      // dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π)
      const xs = needX();
      const pdf = c.unary('square', xs, n);
      c.map2('mul', full(pdf), constant(-0.5), n, pdf);
      c.unary('exp', pdf, n, pdf);
      c.map2('mul', full(pdf), constant(INV_SQRT_2PI), n, pdf);
      c.map2('mul', full(pdf), full(xs), n, pdf);
      const d = normalCdf(c, xs, n);
      c.map2('add', full(d), full(pdf), n, d);
      c.map2('mul', full(dy), full(d), n, dx);
      return;
    }
  }
}

export const activationDefaults: Defaults<ActivationCall> = {
  activationForward: (call, c) => forward(c, call.activation, call.alpha, call.x, call.y, call.n),
  activationBackward: (call, c) => backward(c, call.activation, call.alpha, call.x, call.y, call.dy, call.dx, call.n),

  // y = exp(x − max_row) / Σ_row exp(x − max_row)
  softmax(call, c) {
    const { x, y, rows, cols } = call;
    const max = c.reduce('max', 'cols', x, rows, cols);
    c.binary('sub', full(x), column(max), rows, cols, y);
    c.unary('exp', y, rows * cols, y);
    const sum = c.reduce('sum', 'cols', y, rows, cols);
    c.binary('div', full(y), column(sum), rows, cols, y);
  },

  // dx = y ⊙ (dy − Σ_row dy·y)
  softmaxBackward(call, c) {
    const { y, dy, dx, rows, cols } = call;
    const p = c.map2('mul', full(y), full(dy), rows * cols);
    const s = c.reduce('sum', 'cols', p, rows, cols);
    c.binary('sub', full(dy), column(s), rows, cols, dx);
    c.map2('mul', full(dx), full(y), rows * cols, dx);
  },

  // y = x > 0 ? x : α_j·x
  prelu(call, c) {
    const { x, alpha, y, rows, cols } = call;
    const ax = c.binary('mul', full(x), row(alpha), rows, cols);
    c.where(full(positive(c, x, rows * cols)), full(x), full(ax), rows, cols, y);
  },

  // dalpha_j = Σ_rows (x ≤ 0 ? dy·x : 0); dx = x > 0 ? dy : α_j·dy
  preluBackward(call, c) {
    const { x, alpha, dy, dx, dalpha, rows, cols } = call;
    const n = rows * cols;
    const pos = positive(c, x, n);
    if (dalpha) {
      const p = c.map2('mul', full(dy), full(x), n);
      c.where(full(pos), constant(0), full(p), rows, cols, p);
      c.reduce('sum', 'rows', p, rows, cols, dalpha);
    }
    if (dx) {
      const g = c.binary('mul', full(dy), row(alpha), rows, cols);
      c.where(full(pos), full(dy), full(g), rows, cols, dx);
    }
  },
};
