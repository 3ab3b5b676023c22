// The primitives on plain JavaScript arrays in float64: the reference every backend is checked
// against (the conformance suite), slow and simple. int32 values stay Int32Array; everything else
// is a Float64Array. Random numbers follow the WASM kernels' counter-based stream bit for bit.

import type { BinaryOp, ReduceOp, UnaryOp } from '../calls/primitive.js';
import type { ValueDType, ValueOperand, ValueOps } from '../values/value-ops.js';
import { uniformStream } from './random-stream.js';

export type RefValue = Float64Array | Int32Array;

/** erf(x), Abramowitz–Stegun 7.1.26 is too coarse for a reference: series and continued fraction. */
function erf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : Math.sign(x);
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)).
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc by Lentz's continued fraction for large |x|.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  identity: (x) => x,
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  // NaN passes through, as in the WASM kernels and tfjs.
  relu: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
  step: (x) => (x > 0 ? 1 : 0),
  erf,
  floor: Math.floor,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  pow: Math.pow,
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

/** Element (i, j) of an operand over [rows, cols]. */
function reader(o: ValueOperand<RefValue>, cols: number): (i: number, j: number) => number {
  if ('number' in o) {
    const v = o.number;
    return () => v;
  }
  const v = o.value;
  switch (o.shape) {
    case 'full':
      return (i, j) => v[i * cols + j];
    case 'row':
      return (_, j) => v[j];
    case 'column':
      return (i) => v[i];
    case 'scalar':
      return () => v[0];
  }
}

export const referenceOps: ValueOps<RefValue> = {
  name: 'float64 JavaScript',
  fromHost: (data) => (data instanceof Int32Array ? Int32Array.from(data) : Float64Array.from(data)),
  toHost: (value) => (value instanceof Int32Array ? Int32Array.from(value) : Float32Array.from(value)),
  dtype: (value): ValueDType => (value instanceof Int32Array ? 'int32' : 'float32'),
  size: (value) => value.length,
  zeros: (n, dtype) => (dtype === 'int32' ? new Int32Array(n) : new Float64Array(n)),
  slice: (value, start, n) => value.slice(start, start + n),
  concat(values) {
    const n = values.reduce((s, v) => s + v.length, 0);
    const out = values.every((v) => v instanceof Int32Array) ? new Int32Array(n) : new Float64Array(n);
    let at = 0;
    for (const v of values) {
      out.set(v, at);
      at += v.length;
    }
    return out;
  },
  dispose() {},
  scope: (fn) => fn(),

  unary(op, x) {
    const f = UNARY[op];
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
    return y;
  },
  binary(op, a, b, rows, cols) {
    const f = BINARY[op];
    const ra = reader(a, cols);
    const rb = reader(b, cols);
    const y = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[i * cols + j] = f(ra(i, j), rb(i, j));
    return y;
  },
  where(cond, a, b, rows, cols) {
    const rc = reader(cond, cols);
    const ra = reader(a, cols);
    const rb = reader(b, cols);
    const y = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) y[i * cols + j] = rc(i, j) !== 0 ? ra(i, j) : rb(i, j);
    return y;
  },
  reduce(op: ReduceOp, axis, x, rows, cols) {
    const along = axis === 'cols';
    const outer = along ? rows : cols;
    const inner = along ? cols : rows;
    const y = new Float64Array(outer);
    for (let o = 0; o < outer; o++) {
      let acc = op === 'sum' ? 0 : op === 'min' ? Infinity : -Infinity;
      let best = 0;
      for (let t = 0; t < inner; t++) {
        const v = along ? x[o * cols + t] : x[t * cols + o];
        if (op === 'sum') acc += v;
        else if (Number.isNaN(v)) {
          if (op !== 'argmax') acc = NaN;
        } else if (op === 'min' ? v < acc : v > acc) {
          acc = v;
          best = t;
        }
      }
      y[o] = op === 'argmax' ? best : acc;
    }
    return y;
  },
  matmul(layout, a, b, m, n, k) {
    const A = layout === 'tn' ? (i: number, p: number) => a[p * m + i] : (i: number, p: number) => a[i * k + p];
    const B = layout === 'nt' ? (p: number, j: number) => b[j * k + p] : (p: number, j: number) => b[p * n + j];
    const c = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
        c[i * n + j] = s;
      }
    }
    return c;
  },
  gatherRows(source, rows, count, rowLength) {
    const out = source instanceof Int32Array ? new Int32Array(count * rowLength) : new Float64Array(count * rowLength);
    for (let i = 0; i < count; i++)
      out.set(source.subarray(rows[i] * rowLength, (rows[i] + 1) * rowLength), i * rowLength);
    return out;
  },
  oneHot(labels, rows, cols) {
    const y = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const c = labels[i];
      if (c >= 0 && c < cols) y[i * cols + c] = 1;
    }
    return y;
  },
  randomUniform: (n, seed, salt) => uniformStream(n, seed, salt),
  fill: (n, value) => new Float64Array(n).fill(value),
};
