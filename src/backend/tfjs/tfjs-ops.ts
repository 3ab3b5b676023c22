// The primitive calls on TensorFlow.js tensors (ValueOps<Tensor>), for the tfjs backend. Values keep
// the shape their op made them in (a matrix product [m, n], a reduction [rows] or [cols], a gather
// [count, rowLength], host data 1-D), and an op reshapes an input only when its shape is not the one
// the op needs ([rows, cols]; a row operand [cols], a column [rows, 1]): on webgl, whose textures are
// packed 2×2, a reshape between [m, n] and [m·n] is a relayout shader, and keeping every value flat
// made simdnet's training steps 2.4-3x slower than tfjs-layers' there. Every op returns a fresh
// tensor, never one of its inputs (identity is tf.clone), so that the store may dispose inputs and
// outputs independently. int32 stays int32 where it is data (labels, row indices: slices, gathers,
// copies); arithmetic casts int32 operands to float32 first (tfjs would divide int32s as integers).
//
// Where the reference (reference/reference-ops.ts) defines NaN behaviour, these match it on the
// tfjs `cpu` backend: sign(NaN) = 0, step(NaN) = 0, max/min of a NaN is NaN (binary and reductions),
// argmax skips NaN, relu(NaN) is NaN (tf.relu, which tfjs can fuse). On tfjs-backend-wasm, maximum,
// minimum and pow are wrapped to keep these rules (see BINARY). GPU backends (webgl) follow their
// shader rules for NaN.
//
// Random numbers: tfjs has no 32-bit integer hash to reproduce the WASM kernels' counter-based
// stream, so randomUniform draws from tf.randomUniform seeded with "seed:salt". Dropout masks
// therefore differ from the WASM and reference backends' masks, but the same seed and salt give the
// same values on every run and on every tfjs backend (tfjs draws them on the host).

import type { BinaryOp, ReduceOp, UnaryOp } from '../calls/primitive.js';
import type { ValueDType, ValueOperand, ValueOps } from '../values/value-ops.js';
import type { Tensor, TfNamespace } from './types.js';

/** The largest float32 below 1: tf.randomUniform's float64 draw can round up to 1 in float32. */
const BELOW_ONE = 1 - 2 ** -24;

/**
 * The primitive calls on tensors of the given tfjs namespace (whatever tfjs backend it runs).
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * const ops = tfjsOps(tf);
 * const y = ops.unary('exp', ops.fromHost(new Float32Array([0, 1])));
 * ops.toHost(y);   // Float32Array [1, 2.718…]
 */
export function tfjsOps(tf: TfNamespace): ValueOps<Tensor> {
  const float = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
  const int = (t: Tensor): Tensor => (t.dtype === 'int32' ? t : tf.cast(t, 'int32'));
  /** 1 or 0 as float32 from a bool tensor. */
  const ones = (t: Tensor): Tensor => tf.cast(t, 'float32');
  /** A value as 1-D. */
  const flat = (t: Tensor): Tensor => (t.rank === 1 ? t : tf.reshape(t, [t.size]));

  const UNARY: Record<UnaryOp, (x: Tensor) => Tensor> = {
    identity: (x) => tf.clone(x),
    neg: (x) => tf.neg(x),
    abs: (x) => tf.abs(x),
    // (x > 0) − (x < 0): 0 for NaN; tfjs-backend-wasm's sign gave 0 for some positive values
    sign: (x) => tf.sub(ones(tf.greater(x, 0)), ones(tf.less(x, 0))),
    exp: (x) => tf.exp(x),
    log: (x) => tf.log(x),
    log1p: (x) => tf.log1p(x),
    sqrt: (x) => tf.sqrt(x),
    square: (x) => tf.square(x),
    reciprocal: (x) => tf.reciprocal(x),
    tanh: (x) => tf.tanh(x),
    sigmoid: (x) => tf.sigmoid(x),
    softplus: (x) => tf.softplus(x),
    relu: (x) => tf.relu(x),
    // x > 0 ? 1 : 0, and 0 for NaN (tf.step keeps NaN)
    step: (x) => ones(tf.greater(x, 0)),
    erf: (x) => tf.erf(x),
    floor: (x) => tf.floor(x),
  };

  // tfjs-backend-wasm computes maximum, minimum and pow as C does: max(NaN, 1) = 1, pow(1, NaN) = 1.
  // There a NaN operand is put back (a few more kernels), so that a NaN is not hidden from the loss;
  // asked per call, since the tfjs backend of a namespace can change under it.
  const onWasm = () => tf.getBackend() === 'wasm';
  const nanKeeping =
    (f: (a: Tensor, b: Tensor) => Tensor) =>
    (a: Tensor, b: Tensor): Tensor =>
      onWasm() ? tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.add(a, b), f(a, b)) : f(a, b);
  /** Where Math.pow(a, b) is NaN but C's pow (tfjs-backend-wasm's) is not. */
  const powIsNaN = (a: Tensor, b: Tensor): Tensor =>
    tf.logicalOr(
      tf.logicalOr(tf.isNaN(b), tf.logicalAnd(tf.isNaN(a), tf.notEqual(b, 0))),
      tf.logicalAnd(tf.isInf(b), tf.equal(tf.abs(a), 1)),
    );
  const BINARY: Record<BinaryOp, (a: Tensor, b: Tensor) => Tensor> = {
    add: (a, b) => tf.add(a, b),
    sub: (a, b) => tf.sub(a, b),
    mul: (a, b) => tf.mul(a, b),
    div: (a, b) => tf.div(a, b),
    max: nanKeeping((a, b) => tf.maximum(a, b)),
    min: nanKeeping((a, b) => tf.minimum(a, b)),
    // as Math.pow: NaN when b is NaN (even for a = 1), when a is NaN and b ≠ 0, and for (±1)^±∞
    pow: (a, b) => (onWasm() ? tf.where(powIsNaN(a, b), tf.mul(tf.add(a, b), Number.NaN), tf.pow(a, b)) : tf.pow(a, b)),
    greater: (a, b) => ones(tf.greater(a, b)),
    greaterEqual: (a, b) => ones(tf.greaterEqual(a, b)),
    less: (a, b) => ones(tf.less(a, b)),
    lessEqual: (a, b) => ones(tf.lessEqual(a, b)),
    equal: (a, b) => ones(tf.equal(a, b)),
  };

  const sameShape = (t: Tensor, shape: readonly number[]) =>
    t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
  /** `t` in `shape`: itself when it has it (a reshape to the same shape still costs a kernel on webgl). */
  const shaped = (t: Tensor, shape: number[]): Tensor => (sameShape(t, shape) ? t : tf.reshape(t, shape));

  /**
   * An elementwise op over [rows, cols] on its operands as float32 tensors that broadcast together.
   * With a row or column operand on a matrix the op runs on [rows, cols] (a row as [cols] or
   * [1, cols], a column as [rows, 1]); otherwise every operand of rows·cols values is full and the op
   * runs in the shape of the first of the highest rank (so that a weight uploaded flat takes its
   * gradient's [rows, cols] at its first update and keeps it; the others are reshaped only when
   * theirs differs), and a one-value operand broadcasts. The result keeps that shape, so values stay in the shape their
   * ops made them in: on webgl, whose textures are packed 2×2, a reshape between [m, n] and
   * [m·n] is a relayout shader.
   */
  function elementwise(
    operands: readonly ValueOperand<Tensor>[],
    rows: number,
    cols: number,
    fn: (ts: Tensor[]) => Tensor,
  ): Tensor {
    const size = rows * cols;
    const matrix =
      rows > 1 && cols > 1 && operands.some((o) => 'value' in o && (o.shape === 'row' || o.shape === 'column'));
    let shape: number[] | undefined;
    if (matrix) shape = [rows, cols];
    else
      for (const o of operands)
        if ('value' in o && o.value.size === size && (!shape || o.value.rank > shape.length)) shape = o.value.shape;
    const target = shape ?? (rows > 1 ? [rows, cols] : [size]);
    const ts = operands.map((o): Tensor => {
      if ('number' in o) return tf.scalar(o.number, 'float32');
      const v = float(o.value);
      if (v.size === 1 && size !== 1) return v.rank <= target.length ? v : tf.reshape(v, []);
      if (!matrix) return shaped(v, target);
      switch (o.shape) {
        case 'row':
          return v.rank === 1 || sameShape(v, [1, cols]) ? v : tf.reshape(v, [cols]);
        case 'column':
          return shaped(v, [rows, 1]);
        default:
          return shaped(v, target);
      }
    });
    const y = fn(ts);
    return y.size === size ? y : tf.broadcastTo(y, target);
  }

  function reduce(op: ReduceOp, axis: 'rows' | 'cols', x: Tensor, rows: number, cols: number): Tensor {
    const m = shaped(float(x), [rows, cols]);
    const dim = axis === 'cols' ? 1 : 0;
    switch (op) {
      case 'sum':
        return tf.sum(m, dim);
      case 'max':
        return tf.max(m, dim);
      case 'min':
        return tf.min(m, dim);
      case 'argmax': {
        // The first largest value that is not NaN (0 when there is none), as the reference.
        const clean = tf.where(tf.isNaN(m), tf.scalar(-Infinity), m);
        return tf.cast(tf.argMax(clean, dim), 'float32');
      }
    }
  }

  return {
    get name() {
      return tf.getBackend();
    },
    fromHost: (data) =>
      data instanceof Int32Array ? tf.tensor1d(data.slice(), 'int32') : tf.tensor1d(data.slice(), 'float32'),
    toHost: (value) => {
      // dataSync may return the backend's own storage (cpu): copy it.
      const data = value.dataSync();
      return value.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
    },
    dtype: (value): ValueDType => (value.dtype === 'int32' ? 'int32' : 'float32'),
    size: (value) => value.size,
    zeros: (n, dtype) => tf.zeros([n], dtype),
    // Parts of values, and values assembled from parts, are flat (rare: see values/store.ts).
    slice: (value, start, n) => tf.slice(flat(value), [start], [n]),
    concat(values) {
      if (values.length === 1) return tf.clone(values[0]);
      const same = values.every((v) => v.dtype === values[0].dtype);
      return tf.concat(values.map((v) => flat(same ? v : float(v))));
    },
    dispose: (value) => value.dispose(),
    scope: (fn) => tf.tidy(fn),

    unary: (op, x) => UNARY[op](op === 'identity' ? x : float(x)),
    binary: (op, a, b, rows, cols) => elementwise([a, b], rows, cols, ([x, y]) => BINARY[op](x, y)),
    // cond ≠ 0 (NaN counts as true, as in the reference)
    where: (cond, a, b, rows, cols) =>
      elementwise([cond, a, b], rows, cols, ([c, x, y]) => tf.where(tf.notEqual(c, 0), x, y)),
    reduce,
    matmul(layout, a, b, m, n, k) {
      const A = shaped(float(a), layout === 'tn' ? [k, m] : [m, k]);
      const B = shaped(float(b), layout === 'nt' ? [n, k] : [k, n]);
      return tf.matMul(A, B, layout === 'tn', layout === 'nt');
    },
    gatherRows(source, rows, count, rowLength) {
      // Rows of one value (labels) gather from the flat source into [count].
      if (rowLength === 1) return tf.gather(flat(source), shaped(int(rows), [count]));
      // The bound data is uploaded flat and never packed, so its reshape to a table is free.
      const whole = Math.floor(source.size / rowLength);
      const all = whole * rowLength === source.size ? source : tf.slice(flat(source), [0], [whole * rowLength]);
      return tf.gather(shaped(all, [whole, rowLength]), shaped(int(rows), [count]));
    },
    oneHot(labels, rows, cols) {
      // tf.oneHot gives a zero row for a label outside [0, cols), as the reference.
      // int32 then cast: tfjs-backend-wasm ignores the dtype argument and writes int32 bits
      return tf.cast(tf.oneHot(shaped(int(labels), [rows]), cols), 'float32');
    },
    randomUniform(n, seed, salt) {
      const u = tf.randomUniform([n], 0, 1, 'float32', `${seed}:${salt}`);
      return tf.minimum(u, BELOW_ONE);
    },
    fill: (n, value) => tf.fill([n], value, 'float32'),
  };
}
