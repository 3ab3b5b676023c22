// Batch normalization over the last axis of a [rows, features] matrix (a layer reshapes higher ranks).
//
//   training:  y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch's mean and biased variance; the same
//              kernel updates the moving statistics in place (moving ← moving·momentum +
//              stat·(1 − momentum)) and saves μ_B and 1/√(σ²_B + ε) as extra outputs for the backward.
//   inference: the same with the moving mean and variance.
//
// Inputs: x, movingMean, movingVariance, then γ if `scale`, then β if `center`. One backward op
// computes dx, dγ and dβ together (each only when something reads it).

import { apply, type SymbolicTensor, type TensorInfo } from '../tensor.js';
import { formatShape, invariant, type OpDef } from '../op.js';

export interface BatchNormAttrs {
  readonly scale: boolean;
  readonly center: boolean;
  readonly epsilon: number;
  /** Training mode only. */
  readonly momentum: number;
}

function checkInputs(inputs: readonly TensorInfo[], attrs: BatchNormAttrs): void {
  const [x, ...params] = inputs;
  invariant(x.shape.length === 2, `batch normalization expects [rows, features], got ${formatShape(x.shape)}`);
  invariant(
    params.length === 2 + (attrs.scale ? 1 : 0) + (attrs.center ? 1 : 0),
    'batch normalization parameter count',
  );
  for (const p of params)
    invariant(
      p.shape.length === 1 && p.shape[0] === x.shape[1],
      `batch normalization parameter ${formatShape(p.shape)} against ${formatShape(x.shape)}`,
    );
}

/** γ and β among a forward node's inputs (null when the layer has none). */
function gammaBeta(
  inputs: readonly SymbolicTensor[],
  attrs: BatchNormAttrs,
): { gamma: SymbolicTensor | null; beta: SymbolicTensor | null } {
  const gamma = attrs.scale ? inputs[3] : null;
  const beta = attrs.center ? inputs[attrs.scale ? 4 : 3] : null;
  return { gamma, beta };
}

/** Maps the backward op's [dx, dγ, dβ] onto the forward inputs [x, movingMean, movingVariance, γ?, β?]. */
function inputGradients(
  attrs: BatchNormAttrs,
  grads: SymbolicTensor[],
  needed: readonly boolean[],
): (SymbolicTensor | null)[] {
  const [dx, dgamma, dbeta] = grads;
  const out: (SymbolicTensor | null)[] = [needed[0] ? dx : null, null, null];
  const betaIndex = attrs.scale ? 4 : 3;
  if (attrs.scale) out.push(needed[3] ? dgamma : null);
  if (attrs.center) out.push(needed[betaIndex] ? dbeta : null);
  return out;
}

export const batchNormTrainOp: OpDef<BatchNormAttrs> = {
  name: 'batchNormTrain',
  infer(inputs, attrs) {
    checkInputs(inputs, attrs);
    invariant(inputs[0].shape[0] >= 2, 'batch normalization in training mode needs at least 2 rows');
    const features = inputs[0].shape[1];
    return [
      { shape: inputs[0].shape, dtype: 'float32' },
      { shape: [features], dtype: 'float32' },
      { shape: [features], dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const [x, movingMean, movingVariance] = node.inputs;
    const [y, mean, invStd] = node.outputs;
    const { gamma, beta } = gammaBeta(node.inputs, node.attrs);
    return [
      {
        kind: 'batchNormTrain',
        x: ctx.slice(x),
        y: ctx.slice(y),
        rows: x.shape[0],
        cols: x.shape[1],
        gamma: gamma && ctx.slice(gamma),
        beta: beta && ctx.slice(beta),
        movingMean: ctx.slice(movingMean),
        movingVariance: ctx.slice(movingVariance),
        momentum: node.attrs.momentum,
        epsilon: node.attrs.epsilon,
        mean: ctx.isUsed(mean) ? ctx.slice(mean) : null,
        invStd: ctx.isUsed(invStd) ? ctx.slice(invStd) : null,
      },
    ];
  },
  gradient(node, [dy, dMean, dInvStd], needed) {
    invariant(dMean === null && dInvStd === null, 'batch statistics are not differentiated');
    const [x] = node.inputs;
    const [, mean, invStd] = node.outputs;
    const { gamma } = gammaBeta(node.inputs, node.attrs);
    const grads = batchNormGrad(dy as SymbolicTensor, x, mean, invStd, gamma, 'train', node.attrs.epsilon);
    return inputGradients(node.attrs, grads, needed);
  },
};

export const batchNormInferenceOp: OpDef<BatchNormAttrs> = {
  name: 'batchNormInference',
  infer(inputs, attrs) {
    checkInputs(inputs, attrs);
    return [{ shape: inputs[0].shape, dtype: 'float32' }];
  },
  emit(ctx, node) {
    const [x, movingMean, movingVariance] = node.inputs;
    const { gamma, beta } = gammaBeta(node.inputs, node.attrs);
    return [
      {
        kind: 'batchNormInference',
        x: ctx.slice(x),
        y: ctx.slice(node.outputs[0]),
        rows: x.shape[0],
        cols: x.shape[1],
        gamma: gamma && ctx.slice(gamma),
        beta: beta && ctx.slice(beta),
        movingMean: ctx.slice(movingMean),
        movingVariance: ctx.slice(movingVariance),
        epsilon: node.attrs.epsilon,
      },
    ];
  },
  gradient(node, [dy], needed) {
    // A frozen layer in a trained model (trainable: false) runs in inference mode: the moving
    // statistics are constants, so dx = γ·dy/√(var + ε).
    const [x, movingMean, movingVariance] = node.inputs;
    const { gamma } = gammaBeta(node.inputs, node.attrs);
    const grads = batchNormGrad(
      dy as SymbolicTensor,
      x,
      movingMean,
      movingVariance,
      gamma,
      'inference',
      node.attrs.epsilon,
    );
    return inputGradients(node.attrs, grads, needed);
  },
};

interface BatchNormGradAttrs {
  readonly mode: 'train' | 'inference';
  readonly epsilon: number;
}

export const batchNormGradOp: OpDef<BatchNormGradAttrs> = {
  name: 'batchNormGrad',
  infer([dy, x]) {
    invariant(
      dy.shape.length === 2 && dy.shape[0] === x.shape[0] && dy.shape[1] === x.shape[1],
      'batchNormGrad shapes differ',
    );
    const features = x.shape[1];
    return [
      { shape: x.shape, dtype: 'float32' },
      { shape: [features], dtype: 'float32' },
      { shape: [features], dtype: 'float32' },
    ];
  },
  emit(ctx, node) {
    const [dy, x, mean, stat, gamma] = node.inputs;
    const [dx, dgamma, dbeta] = node.outputs;
    const out = (t: SymbolicTensor) => (ctx.isUsed(t) ? ctx.slice(t) : null);
    return [
      {
        kind: 'batchNormBackward',
        mode: node.attrs.mode,
        x: ctx.slice(x),
        dy: ctx.slice(dy),
        rows: x.shape[0],
        cols: x.shape[1],
        gamma: gamma ? ctx.slice(gamma) : null,
        mean: ctx.slice(mean),
        stat: ctx.slice(stat),
        epsilon: node.attrs.epsilon,
        dx: out(dx),
        dgamma: out(dgamma),
        dbeta: out(dbeta),
      },
    ];
  },
};

function batchNormGrad(
  dy: SymbolicTensor,
  x: SymbolicTensor,
  mean: SymbolicTensor,
  stat: SymbolicTensor,
  gamma: SymbolicTensor | null,
  mode: 'train' | 'inference',
  epsilon: number,
): SymbolicTensor[] {
  const inputs = gamma ? [dy, x, mean, stat, gamma] : [dy, x, mean, stat];
  return apply(batchNormGradOp, inputs, { mode, epsilon });
}

/**
 * Batch normalization of a [rows, features] matrix in training mode (updates the moving statistics
 * when the program runs) or inference mode. `gamma`/`beta` null when the layer has no scale/center.
 */
export function batchNorm(
  x: SymbolicTensor,
  params: {
    movingMean: SymbolicTensor;
    movingVariance: SymbolicTensor;
    gamma: SymbolicTensor | null;
    beta: SymbolicTensor | null;
  },
  attrs: { training: boolean; momentum: number; epsilon: number },
): SymbolicTensor {
  const inputs = [x, params.movingMean, params.movingVariance];
  if (params.gamma) inputs.push(params.gamma);
  if (params.beta) inputs.push(params.beta);
  const opAttrs: BatchNormAttrs = {
    scale: params.gamma !== null,
    center: params.beta !== null,
    epsilon: attrs.epsilon,
    momentum: attrs.momentum,
  };
  return apply(attrs.training ? batchNormTrainOp : batchNormInferenceOp, inputs, opAttrs)[0];
}
