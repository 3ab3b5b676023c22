import type { FormulaCall } from '../../calls/formula.js';
import type { UpdateCall } from '../../calls/update.js';
import type { KernelArgs } from '../kernel-table.js';
import type { LoweredCall } from '../threads/lowered.js';
import type { Lowerers, Lowering } from './types.js';

type UpdateKernel = UpdateCall['kind'] | 'lionUpdate';
/** The arguments every update kernel shares: the gradient transform, then the tensor's shape. */
type Shared = 'n' | 'l1' | 'l2' | 'clipValue' | 'normSq' | 'clipNorm' | 'weightDecay' | 'rows' | 'ld';

// Every update is elementwise over its tensor (the norm it may clip by was summed before, by one
// thread): it splits by elements, its state arrays with it; a weight matrix with column owners (its
// gradient written split by columns, see split.ts ownsColumns) by the same columns instead, on
// 8-column boundaries. The kernels take two last arguments, rows and the floats between rows: 1 and
// 0 for the whole tensor, or the matrix's rows and columns, n then counting the columns of the part.
function update<K extends UpdateKernel>(
  l: Lowering,
  name: K,
  c: UpdateCall | FormulaCall,
  rule: Omit<KernelArgs<K>, Shared>,
): LoweredCall {
  const t = c.transform;
  const transform = {
    l1: t.l1,
    l2: t.l2,
    clipValue: t.clipValue,
    normSq: t.normSq,
    clipNorm: t.normSq ? t.clipNorm : 0,
    weightDecay: t.weightDecay,
  };
  const rows = c.n / c.cols;
  if (rows > 1 && l.columnOwned.has(l.at(c.g))) {
    return l.kernel(name, { ...rule, ...transform, n: c.cols, rows, ld: c.cols } as unknown as KernelArgs<K>, {
      split: 'columns',
      align: 8,
    });
  }
  return l.kernel(name, { ...rule, ...transform, n: c.n, rows: 1, ld: 0 } as unknown as KernelArgs<K>);
}

/** Optimizer formulas (calls/formula.ts) that have a fused kernel here, by rule name. */
const FORMULA_KERNELS: Readonly<Record<string, (c: FormulaCall, l: Lowering) => LoweredCall>> = {
  lion: (c, l) =>
    update(l, 'lionUpdate', c, {
      w: c.w,
      g: c.g,
      m: c.slots[0],
      lr: c.learningRate,
      beta1: c.constants.beta1,
      beta2: c.constants.beta2,
    }),
};

/** Whether a formula's rule has a fused kernel here (else the program runs the formula: expandProgram). */
export function hasFormulaKernel(rule: string): boolean {
  return Object.hasOwn(FORMULA_KERNELS, rule);
}

export const updateLowerers: Lowerers<UpdateCall | FormulaCall> = {
  formulaUpdate(c, l) {
    // Only rules with a kernel reach here (lowersDirectly); the others were expanded.
    if (!hasFormulaKernel(c.rule)) throw new Error(`simdnet internal: no fused kernel for the ${c.rule} formula`);
    return FORMULA_KERNELS[c.rule](c, l);
  },
  sgdUpdate(c, l) {
    return update(l, 'sgdUpdate', c, { w: c.w, g: c.g, lr: c.learningRate });
  },
  momentumUpdate(c, l) {
    return update(l, 'momentumUpdate', c, {
      w: c.w,
      g: c.g,
      m: c.m,
      lr: c.learningRate,
      momentum: c.momentum,
      nesterov: c.nesterov,
    });
  },
  adagradUpdate(c, l) {
    return update(l, 'adagradUpdate', c, { w: c.w, g: c.g, a: c.accumulator, lr: c.learningRate, epsilon: c.epsilon });
  },
  rmspropUpdate(c, l) {
    // flags: 1 centered, 2 momentum; the buffers of the others are null (pointer 0, never touched).
    const flags = (c.averageGrad ? 1 : 0) | (c.momentumBuffer ? 2 : 0);
    return update(l, 'rmspropUpdate', c, {
      w: c.w,
      g: c.g,
      v: c.velocity,
      mg: c.averageGrad,
      mom: c.momentumBuffer,
      flags,
      lr: c.learningRate,
      rho: c.rho,
      momentum: c.momentum,
      epsilon: c.epsilon,
    });
  },
  adamUpdate(c, l) {
    return update(l, 'adamUpdate', c, {
      w: c.w,
      g: c.g,
      m: c.m,
      v: c.v,
      vHat: c.vHat,
      amsgrad: c.vHat !== null,
      lr: c.learningRate,
      beta1: c.beta1,
      beta2: c.beta2,
      epsilon: c.epsilon,
      c1: c.correction1,
      c2: c.correction2,
    });
  },
  adamaxUpdate(c, l) {
    return update(l, 'adamaxUpdate', c, {
      w: c.w,
      g: c.g,
      m: c.m,
      u: c.u,
      lr: c.learningRate,
      beta1: c.beta1,
      beta2: c.beta2,
      epsilon: c.epsilon,
      c1: c.correction1,
    });
  },
  nadamUpdate(c, l) {
    return update(l, 'nadamUpdate', c, {
      w: c.w,
      g: c.g,
      m: c.m,
      v: c.v,
      lr: c.learningRate,
      beta1: c.beta1,
      beta2: c.beta2,
      epsilon: c.epsilon,
      mCoef: c.mCoef,
      gCoef: c.gCoef,
      c2: c.correction2,
    });
  },
  adadeltaUpdate(c, l) {
    return update(l, 'adadeltaUpdate', c, {
      w: c.w,
      g: c.g,
      a: c.accumulatedGrad,
      d: c.accumulatedDelta,
      lr: c.learningRate,
      rho: c.rho,
      epsilon: c.epsilon,
    });
  },
};
