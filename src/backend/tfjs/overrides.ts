// Fused calls the tfjs backend runs as tfjs ops instead of their default compositions of primitives
// (defaults/), each because tfjs does it measurably faster; tests check each against its default
// (test/backend/tfjs/overrides.test.ts, and on webgl test/browser/tfjs.test.ts).
//
// - gemm: one tf.fused.matMul with the bias and, for linear, relu, sigmoid, leakyRelu and elu
//   (α = 1), the activation in the product's epilogue, instead of three calls (matmul; add the
//   bias; the activation's composition), each a store read and write and, on a GPU, a shader pass.
//   Activations tfjs cannot fuse follow the fused product as tf ops written as
//   defaults/activation.ts computes them. Measured (784-300-100-10 MLP, min of interleaved rounds):
//   webgl (Chromium, SwiftShader) forward + loss 1.07-1.18x, training step 1.02-1.05x; tfjs cpu in
//   Node 1.02-1.05x (noise level). On tfjs-backend-wasm (4.22) the fused kernel adds the bias
//   wrongly when A is transposed and refuses a bias whose data was made 2-D, so there the override
//   runs matMul, add and the activation unfused (as fast as the default: 0.78 vs 0.80 ms).

import type { KernelActivation } from '../backend.js';
import type { ValueOverrides } from '../values/value-backend.js';
import { SELU_ALPHA, SELU_SCALE } from '../defaults/activation.js';
import type { Tensor, TfNamespace } from './types.js';

type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'leakyrelu' | 'elu';

/** The activation tf.fused.matMul applies itself, or null. */
function fusedActivation(activation: KernelActivation, alpha: number): FusedActivation | null {
  switch (activation) {
    case 'linear':
    case 'relu':
    case 'sigmoid':
      return activation;
    case 'leakyRelu':
      return 'leakyrelu';
    case 'elu':
      return alpha === 1 ? 'elu' : null;
    default:
      return null;
  }
}

/** `t` in `shape`, reshaped only when its shape differs (values keep the shape their op made). */
function shaped(tf: TfNamespace, t: Tensor, shape: number[]): Tensor {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.reshape(t, shape);
}

/** f(x) for an activation tfjs does not fuse, as defaults/activation.ts computes it. */
function activate(tf: TfNamespace, activation: KernelActivation, alpha: number, x: Tensor): Tensor {
  const positive = () => tf.greater(x, 0);
  /** times·(e^x − 1) for x clamped to ≤ 0. */
  const expm1 = (times: number) => tf.mul(tf.sub(tf.exp(tf.minimum(x, 0)), 1), times);
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'leakyRelu':
      return tf.where(positive(), x, tf.mul(x, alpha));
    case 'elu':
      return tf.where(positive(), x, expm1(alpha));
    case 'selu':
      return tf.where(positive(), tf.mul(x, SELU_SCALE), expm1(SELU_SCALE * SELU_ALPHA));
    case 'hardSigmoid':
      return tf.minimum(tf.maximum(tf.add(tf.mul(x, 0.2), 0.5), 0), 1);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu':
      return tf.mul(x, tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5));
  }
}

/**
 * The fused calls a TfjsBackend overrides, on tensors of `tf`.
 *
 * @example
 * const backend = new ValueBackend('tfjs', tfjsOps(tf), tfjsOverrides(tf));
 */
export function tfjsOverrides(tf: TfNamespace): ValueOverrides<Tensor> {
  return {
    gemm(call, io) {
      const { layout, m, n, k } = call;
      const a = shaped(tf, io.read(call.a, m * k), layout === 'tn' ? [k, m] : [m, k]);
      const b = shaped(tf, io.read(call.b, k * n), layout === 'nt' ? [n, k] : [k, n]);
      const bias = call.bias ? shaped(tf, io.read(call.bias, n), [n]) : undefined;
      const transposeA = layout === 'tn';
      const transposeB = layout === 'nt';
      let y: Tensor;
      const fused = fusedActivation(call.activation, call.alpha);
      if (tf.getBackend() === 'wasm') {
        // tfjs-backend-wasm's fused matMul adds the bias wrongly with transposeA, and reads the
        // bias's shape from its data (a reshape does not change it): unfused there.
        const product = tf.matMul(a, b, transposeA, transposeB);
        y = activate(tf, call.activation, call.alpha, bias ? tf.add(product, bias) : product);
      } else {
        const product = tf.fused.matMul({
          a,
          b,
          transposeA,
          transposeB,
          bias,
          activation: fused ?? 'linear',
          leakyreluAlpha: call.alpha,
        });
        y = fused ? product : activate(tf, call.activation, call.alpha, product);
      }
      io.write(call.c, y);
    },
  };
}
