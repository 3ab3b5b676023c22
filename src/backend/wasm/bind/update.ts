import type { Slice } from '../../backend.js';
import type { GradientTransform, UpdateCall } from '../../calls/update.js';
import type { At, Binders } from './types.js';

type Ptr = number;
/** The gradient transform's arguments, the same tail on every update kernel. */
type Tail = [l1: number, l2: number, clipValue: number, normSq: Ptr, clipNorm: number, weightDecay: number];

export interface UpdateKernels {
  sgdUpdate(w: Ptr, g: Ptr, n: number, lr: number, ...tail: Tail): void;
  momentumUpdate(w: Ptr, g: Ptr, m: Ptr, n: number, lr: number, momentum: number, nesterov: number, ...tail: Tail): void;
  adagradUpdate(w: Ptr, g: Ptr, a: Ptr, n: number, lr: number, epsilon: number, ...tail: Tail): void;
  /** flags: 1 centered, 2 momentum. */
  rmspropUpdate(w: Ptr, g: Ptr, v: Ptr, mg: Ptr, mom: Ptr, n: number, flags: number, lr: number, rho: number, momentum: number, epsilon: number, ...tail: Tail): void;
  adamUpdate(w: Ptr, g: Ptr, m: Ptr, v: Ptr, vHat: Ptr, n: number, amsgrad: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number, ...tail: Tail): void;
  adamaxUpdate(w: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, ...tail: Tail): void;
  nadamUpdate(w: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, beta1: number, beta2: number, epsilon: number, cm: number, cg: number, c2: number, ...tail: Tail): void;
  adadeltaUpdate(w: Ptr, g: Ptr, a: Ptr, d: Ptr, n: number, lr: number, rho: number, epsilon: number, ...tail: Tail): void;
}

function tail(t: GradientTransform, at: At): Tail {
  return [t.l1, t.l2, t.clipValue, t.normSq ? at(t.normSq) : 0, t.normSq ? t.clipNorm : 0, t.weightDecay];
}

/** Unused optional slots pass pointer 0: the kernels never touch them (their flag is off). */
function opt(slice: Slice | null, at: At): Ptr {
  return slice ? at(slice) : 0;
}

export const updateBinders: Binders<UpdateCall> = {
  sgdUpdate(c, at, k) {
    const [w, g, lr, t] = [at(c.w), at(c.g), c.learningRate, tail(c.transform, at)];
    return () => k.sgdUpdate(w, g, c.n, lr.value, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  momentumUpdate(c, at, k) {
    const [w, g, m, lr, t] = [at(c.w), at(c.g), at(c.m), c.learningRate, tail(c.transform, at)];
    const nesterov = c.nesterov ? 1 : 0;
    return () => k.momentumUpdate(w, g, m, c.n, lr.value, c.momentum, nesterov, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  adagradUpdate(c, at, k) {
    const [w, g, a, lr, t] = [at(c.w), at(c.g), at(c.accumulator), c.learningRate, tail(c.transform, at)];
    return () => k.adagradUpdate(w, g, a, c.n, lr.value, c.epsilon, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  rmspropUpdate(c, at, k) {
    const [w, g, v, lr, t] = [at(c.w), at(c.g), at(c.velocity), c.learningRate, tail(c.transform, at)];
    const mg = opt(c.averageGrad, at);
    const mom = opt(c.momentumBuffer, at);
    const flags = (c.averageGrad ? 1 : 0) | (c.momentumBuffer ? 2 : 0);
    return () => k.rmspropUpdate(w, g, v, mg, mom, c.n, flags, lr.value, c.rho, c.momentum, c.epsilon, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  adamUpdate(c, at, k) {
    const [w, g, m, v, lr, t] = [at(c.w), at(c.g), at(c.m), at(c.v), c.learningRate, tail(c.transform, at)];
    const vHat = opt(c.vHat, at);
    const amsgrad = c.vHat ? 1 : 0;
    const { correction1: c1, correction2: c2 } = c;
    return () => k.adamUpdate(w, g, m, v, vHat, c.n, amsgrad, lr.value, c.beta1, c.beta2, c.epsilon, c1.value, c2.value, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  adamaxUpdate(c, at, k) {
    const [w, g, m, u, lr, t] = [at(c.w), at(c.g), at(c.m), at(c.u), c.learningRate, tail(c.transform, at)];
    const c1 = c.correction1;
    return () => k.adamaxUpdate(w, g, m, u, c.n, lr.value, c.beta1, c.beta2, c.epsilon, c1.value, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  nadamUpdate(c, at, k) {
    const [w, g, m, v, lr, t] = [at(c.w), at(c.g), at(c.m), at(c.v), c.learningRate, tail(c.transform, at)];
    const { mCoef, gCoef, correction2: c2 } = c;
    return () => k.nadamUpdate(w, g, m, v, c.n, lr.value, c.beta1, c.beta2, c.epsilon, mCoef.value, gCoef.value, c2.value, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
  adadeltaUpdate(c, at, k) {
    const [w, g, a, d, lr, t] = [at(c.w), at(c.g), at(c.accumulatedGrad), at(c.accumulatedDelta), c.learningRate, tail(c.transform, at)];
    return () => k.adadeltaUpdate(w, g, a, d, c.n, lr.value, c.rho, c.epsilon, t[0], t[1], t[2], t[3], t[4], t[5]);
  },
};
