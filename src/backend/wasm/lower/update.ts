import type { HostScalar, Slice } from '../../backend.js';
import type { GradientTransform, UpdateCall } from '../../calls/update.js';
import { byColumns, byElements } from './split.js';
import type { LoweredCall } from '../threads/lowered.js';
import type { WorkClass } from '../split-thresholds.js';
import type { At, Lowerers, Lowering } from './types.js';

type Ptr = number;
/** The gradient transform's arguments, the same tail on every update kernel. */
type Tail = [l1: number, l2: number, clipValue: number, normSq: Ptr, clipNorm: number, weightDecay: number];

export interface UpdateKernels {
  sgdUpdate(w: Ptr, g: Ptr, n: number, lr: number, ...rest: [...Tail, rows: number, ld: number]): void;
  momentumUpdate(w: Ptr, g: Ptr, m: Ptr, n: number, lr: number, momentum: number, nesterov: number, ...rest: [...Tail, rows: number, ld: number]): void;
  adagradUpdate(w: Ptr, g: Ptr, a: Ptr, n: number, lr: number, epsilon: number, ...rest: [...Tail, rows: number, ld: number]): void;
  /** flags: 1 centered, 2 momentum. */
  rmspropUpdate(w: Ptr, g: Ptr, v: Ptr, mg: Ptr, mom: Ptr, n: number, flags: number, lr: number, rho: number, momentum: number, epsilon: number, ...rest: [...Tail, rows: number, ld: number]): void;
  adamUpdate(w: Ptr, g: Ptr, m: Ptr, v: Ptr, vHat: Ptr, n: number, amsgrad: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number, ...rest: [...Tail, rows: number, ld: number]): void;
  adamaxUpdate(w: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, ...rest: [...Tail, rows: number, ld: number]): void;
  nadamUpdate(w: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, beta1: number, beta2: number, epsilon: number, cm: number, cg: number, c2: number, ...rest: [...Tail, rows: number, ld: number]): void;
  adadeltaUpdate(w: Ptr, g: Ptr, a: Ptr, d: Ptr, n: number, lr: number, rho: number, epsilon: number, ...rest: [...Tail, rows: number, ld: number]): void;
}

function tail(t: GradientTransform, at: At): Tail {
  return [t.l1, t.l2, t.clipValue, t.normSq ? at(t.normSq) : 0, t.normSq ? t.clipNorm : 0, t.weightDecay];
}

/** Unused optional slots pass pointer 0: the kernels never touch them (their flag is off). */
function opt(slice: Slice | null, at: At): Ptr {
  return slice ? at(slice) : 0;
}

// Every update is elementwise over its tensor (the norm it may clip by was summed before, by one
// thread): it splits by elements, the state arrays (the first `states` pointers after w and g) with
// it; a weight matrix with column owners (its gradient written split by columns, see split.ts
// ownsColumns) by the same columns instead. The kernels take two last arguments, rows and the
// floats between rows: 1 and 0 for the whole tensor, or the matrix's rows and columns, the size
// argument then counting the columns of the part.
function update(l: Lowering, fn: string, args: (number | HostScalar)[], sizeArg: number, states: number, cls: WorkClass, cols: number): LoweredCall {
  const n = args[sizeArg] as number;
  const rows = n / cols;
  const ptrArgs = Array.from({ length: 2 + states }, (_, i) => i);
  const g = args[1] as number;
  if (rows > 1 && l.columnOwned.has(g)) {
    const matrix = [...args, rows, cols];
    matrix[sizeArg] = cols;
    return l.call(fn, matrix, byColumns(matrix, rows, cols, sizeArg, ptrArgs, cls, 8));
  }
  const whole = [...args, 1, 0];
  return l.call(fn, whole, byElements(whole, n, sizeArg, ptrArgs, cls));
}

export const updateLowerers: Lowerers<UpdateCall> = {
  sgdUpdate(c, l) {
    return update(l, 'sgdUpdate', [l.at(c.w), l.at(c.g), c.n, c.learningRate, ...tail(c.transform, l.at)], 2, 0, 'light', c.cols);
  },
  momentumUpdate(c, l) {
    const args = [l.at(c.w), l.at(c.g), l.at(c.m), c.n, c.learningRate, c.momentum, c.nesterov ? 1 : 0, ...tail(c.transform, l.at)];
    return update(l, 'momentumUpdate', args, 3, 1, 'light', c.cols);
  },
  adagradUpdate(c, l) {
    const args = [l.at(c.w), l.at(c.g), l.at(c.accumulator), c.n, c.learningRate, c.epsilon, ...tail(c.transform, l.at)];
    return update(l, 'adagradUpdate', args, 3, 1, 'heavy', c.cols);
  },
  rmspropUpdate(c, l) {
    const flags = (c.averageGrad ? 1 : 0) | (c.momentumBuffer ? 2 : 0);
    const args = [l.at(c.w), l.at(c.g), l.at(c.velocity), opt(c.averageGrad, l.at), opt(c.momentumBuffer, l.at), c.n, flags, c.learningRate, c.rho, c.momentum, c.epsilon, ...tail(c.transform, l.at)];
    return update(l, 'rmspropUpdate', args, 5, 3, 'heavy', c.cols);
  },
  adamUpdate(c, l) {
    const args = [
      l.at(c.w), l.at(c.g), l.at(c.m), l.at(c.v), opt(c.vHat, l.at), c.n, c.vHat ? 1 : 0, c.learningRate, c.beta1, c.beta2, c.epsilon,
      c.correction1, c.correction2, ...tail(c.transform, l.at),
    ];
    return update(l, 'adamUpdate', args, 5, 3, 'heavy', c.cols);
  },
  adamaxUpdate(c, l) {
    const args = [l.at(c.w), l.at(c.g), l.at(c.m), l.at(c.u), c.n, c.learningRate, c.beta1, c.beta2, c.epsilon, c.correction1, ...tail(c.transform, l.at)];
    return update(l, 'adamaxUpdate', args, 4, 2, 'heavy', c.cols);
  },
  nadamUpdate(c, l) {
    const args = [l.at(c.w), l.at(c.g), l.at(c.m), l.at(c.v), c.n, c.learningRate, c.beta1, c.beta2, c.epsilon, c.mCoef, c.gCoef, c.correction2, ...tail(c.transform, l.at)];
    return update(l, 'nadamUpdate', args, 4, 2, 'heavy', c.cols);
  },
  adadeltaUpdate(c, l) {
    const args = [l.at(c.w), l.at(c.g), l.at(c.accumulatedGrad), l.at(c.accumulatedDelta), c.n, c.learningRate, c.rho, c.epsilon, ...tail(c.transform, l.at)];
    return update(l, 'adadeltaUpdate', args, 4, 2, 'heavy', c.cols);
  },
};
