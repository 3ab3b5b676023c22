// The kernel module's exports with their exact signatures (see assembly/index.ts), assembled from the
// families in lower/. Pointers are byte offsets into the linear memory.

import type { KernelActivation } from '../backend.js';
import type { ActivationKernels } from './lower/activation.js';
import type { BasicKernels } from './lower/basic.js';
import type { LinearKernels } from './lower/linear.js';
import type { LossKernels } from './lower/loss.js';
import type { MetricKernels } from './lower/metric.js';
import type { NormalizationKernels } from './lower/normalization.js';
import type { PrimitiveKernels } from './lower/primitive.js';
import type { RandomKernels } from './lower/random.js';
import type { RegularizationKernels } from './lower/regularization.js';
import type { UpdateKernels } from './lower/update.js';

export const ACTIVATION_CODES: Record<KernelActivation, number> = {
  linear: 0, relu: 1, sigmoid: 2, tanh: 3, leakyRelu: 4, elu: 5, selu: 6, hardSigmoid: 7, softplus: 8, softsign: 9, swish: 10, gelu: 11,
};
export const GEMM_LAYOUT_CODES = { nn: 0, tn: 1, nt: 2 } as const;

export type KernelFunctions = { heapBase: WebAssembly.Global } & PrimitiveKernels &
  LinearKernels &
  ActivationKernels &
  LossKernels &
  MetricKernels &
  BasicKernels &
  UpdateKernels &
  NormalizationKernels &
  RandomKernels &
  RegularizationKernels;
