// The primitive calls on TensorFlow.js tensors (ValueOps<Tensor>), for the tfjs backend: values are
// flat 1-D tensors, reshaped for an op ([rows, cols]; a row operand [1, cols], a column [rows, 1],
// one value [1, 1], a number tf.scalar) and flattened again. Every op returns a fresh tensor, never
// one of its inputs (identity is tf.clone), so that the store may dispose inputs and outputs
// independently. int32 stays int32 where it is data (labels, row indices: slices, gathers, copies);
// arithmetic casts int32 operands to float32 first (tfjs would divide int32s as integers).
//
// Where the reference (reference/reference-ops.ts) defines NaN behaviour, these match it on the
// tfjs `cpu` backend: sign(NaN) = 0, step(NaN) = 0, max/min of a NaN is NaN (binary and reductions),
// argmax skips NaN. relu(NaN) is NaN here (tf.relu) where the reference gives 0: keeping tf.relu
// lets tfjs fuse it, and a NaN stops training either way. GPU backends (webgl) follow their shader
// rules for NaN.
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

  const UNARY: Record<UnaryOp, (x: Tensor) => Tensor> = {
    identity: (x) => tf.clone(x),
    neg: (x) => tf.neg(x),
    abs: (x) => tf.abs(x),
    sign: (x) => tf.sign(x),
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

  const BINARY: Record<BinaryOp, (a: Tensor, b: Tensor) => Tensor> = {
    add: (a, b) => tf.add(a, b),
    sub: (a, b) => tf.sub(a, b),
    mul: (a, b) => tf.mul(a, b),
    div: (a, b) => tf.div(a, b),
    max: (a, b) => tf.maximum(a, b),
    min: (a, b) => tf.minimum(a, b),
    pow: (a, b) => tf.pow(a, b),
    greater: (a, b) => ones(tf.greater(a, b)),
    greaterEqual: (a, b) => ones(tf.greaterEqual(a, b)),
    less: (a, b) => ones(tf.less(a, b)),
    lessEqual: (a, b) => ones(tf.lessEqual(a, b)),
    equal: (a, b) => ones(tf.equal(a, b)),
  };

  /**
   * Whether an op over [rows, cols] with these operands runs on flat tensors as they are: no row or
   * column operand to broadcast on a matrix. Flat ops skip the reshapes, and their results' data is
   * 1-D (tfjs-backend-wasm's fused matMul refuses a bias whose data was made 2-D, even reshaped).
   */
  const flatOnly = (rows: number, operands: readonly ValueOperand<Tensor>[]) =>
    rows === 1 || operands.every((o) => 'number' in o || o.shape === 'full' || o.shape === 'scalar');

  /** An operand as a float32 tensor that broadcasts over [rows, cols] (flat: over [rows·cols]). */
  function operand(o: ValueOperand<Tensor>, rows: number, cols: number, flatOp: boolean): Tensor {
    if ('number' in o) return tf.scalar(o.number, 'float32');
    const v = float(o.value);
    if (flatOp) return v;
    switch (o.shape) {
      case 'full':
        return tf.reshape(v, [rows, cols]);
      case 'row':
        return tf.reshape(v, [1, cols]);
      case 'column':
        return tf.reshape(v, [rows, 1]);
      case 'scalar':
        return tf.reshape(v, [1, 1]);
    }
  }

  /** A result over [rows, cols] (or broadcast to it) as a flat tensor. */
  function flat(t: Tensor, rows: number, cols: number): Tensor {
    const full = t.size === rows * cols ? t : tf.broadcastTo(t, t.rank === 1 ? [rows * cols] : [rows, cols]);
    return full.rank === 1 ? full : tf.reshape(full, [rows * cols]);
  }

  function reduce(op: ReduceOp, axis: 'rows' | 'cols', x: Tensor, rows: number, cols: number): Tensor {
    const m = tf.reshape(float(x), [rows, cols]);
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
    slice: (value, start, n) => tf.slice(value, [start], [n]),
    concat(values) {
      if (values.length === 1) return tf.clone(values[0]);
      const same = values.every((v) => v.dtype === values[0].dtype);
      return tf.concat(same ? [...values] : values.map(float));
    },
    dispose: (value) => value.dispose(),
    scope: (fn) => tf.tidy(fn),

    unary: (op, x) => UNARY[op](op === 'identity' ? x : float(x)),
    binary(op, a, b, rows, cols) {
      const f = flatOnly(rows, [a, b]);
      return flat(BINARY[op](operand(a, rows, cols, f), operand(b, rows, cols, f)), rows, cols);
    },
    where(cond, a, b, rows, cols) {
      const f = flatOnly(rows, [cond, a, b]);
      // cond ≠ 0 (NaN counts as true, as in the reference)
      const c = tf.notEqual(operand(cond, rows, cols, f), 0);
      return flat(tf.where(c, operand(a, rows, cols, f), operand(b, rows, cols, f)), rows, cols);
    },
    reduce,
    matmul(layout, a, b, m, n, k) {
      const A = tf.reshape(float(a), layout === 'tn' ? [k, m] : [m, k]);
      const B = tf.reshape(float(b), layout === 'nt' ? [n, k] : [k, n]);
      return tf.reshape(tf.matMul(A, B, layout === 'tn', layout === 'nt'), [m * n]);
    },
    gatherRows(source, rows, count, rowLength) {
      const whole = Math.floor(source.size / rowLength);
      const table = tf.reshape(
        whole * rowLength === source.size ? source : tf.slice(source, [0], [whole * rowLength]),
        [whole, rowLength],
      );
      return tf.reshape(tf.gather(table, int(rows)), [count * rowLength]);
    },
    oneHot(labels, rows, cols) {
      // tf.oneHot gives a zero row for a label outside [0, cols), as the reference.
      return tf.reshape(tf.oneHot(int(labels), cols, 1, 0, 'float32'), [rows * cols]);
    },
    randomUniform(n, seed, salt) {
      const u = tf.randomUniform([n], 0, 1, 'float32', `${seed}:${salt}`);
      return tf.minimum(u, BELOW_ONE);
    },
    fill: (n, value) => tf.fill([n], value, 'float32'),
  };
}
