// The kernel module's exports with their exact signatures (see assembly/index.ts), assembled from the
// families in bind/. Pointers are byte offsets into the linear memory.

import type { KernelActivation } from '../backend.js';
import type { ActivationKernels } from './bind/activation.js';
import type { BasicKernels } from './bind/basic.js';
import type { LinearKernels } from './bind/linear.js';
import type { LossKernels } from './bind/loss.js';
import type { MetricKernels } from './bind/metric.js';
import type { NormalizationKernels } from './bind/normalization.js';
import type { RandomKernels } from './bind/random.js';
import type { RegularizationKernels } from './bind/regularization.js';
import type { UpdateKernels } from './bind/update.js';

export const ACTIVATION_CODES: Record<KernelActivation, number> = {
  linear: 0, relu: 1, sigmoid: 2, tanh: 3, leakyRelu: 4, elu: 5, selu: 6, hardSigmoid: 7, softplus: 8, softsign: 9, swish: 10, gelu: 11,
};
export const GEMM_LAYOUT_CODES = { nn: 0, tn: 1, nt: 2 } as const;

export type KernelFunctions = { heapBase: WebAssembly.Global } & LinearKernels &
  ActivationKernels &
  LossKernels &
  MetricKernels &
  BasicKernels &
  UpdateKernels &
  NormalizationKernels &
  RandomKernels &
  RegularizationKernels;
