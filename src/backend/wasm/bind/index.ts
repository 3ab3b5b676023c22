// All binders, merged: the compiler checks that every kind of KernelCall has one.

import type { KernelCall } from '../../calls/index.js';
import type { KernelFunctions } from '../kernels.js';
import { activationBinders } from './activation.js';
import { basicBinders } from './basic.js';
import { linearBinders } from './linear.js';
import { lossBinders } from './loss.js';
import { metricBinders } from './metric.js';
import { normalizationBinders } from './normalization.js';
import { randomBinders } from './random.js';
import { regularizationBinders } from './regularization.js';
import type { At, Binder, Binders } from './types.js';
import { updateBinders } from './update.js';

const binders: Binders<KernelCall> = {
  ...linearBinders,
  ...activationBinders,
  ...lossBinders,
  ...metricBinders,
  ...basicBinders,
  ...updateBinders,
  ...normalizationBinders,
  ...randomBinders,
  ...regularizationBinders,
};

/** The closure that performs one call. */
export function bindCall(call: KernelCall, at: At, k: KernelFunctions): () => void {
  return (binders[call.kind] as Binder<KernelCall>)(call, at, k);
}
