// Activation names and how each becomes graph ops. Elementwise ones fuse into the dense epilogue;
// softmax is its own op (and fuses into cross-entropy when the loss follows it).

import type { KernelActivation } from '../backend/backend.js';
import { ValueError, describe } from '../errors.js';
import { activation as activationOp, softmax } from '../graph/ops/activation.js';
import type { SymbolicTensor } from '../graph/tensor.js';

/** Activations accepted by name. */
export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** Validates an activation name (undefined and null mean linear). */
export function resolveActivation(value: unknown, argName: string): ActivationName {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(value)) return value as ActivationName;
  throw new ValueError(`${argName}: unknown activation ${describe(value)}; known: ${ACTIVATION_NAMES.join(', ')}.`);
}

/** True when the activation can run in a GEMM epilogue. */
export function isElementwise(name: ActivationName): name is KernelActivation {
  return name !== 'softmax';
}

/** Applies an activation to a symbolic tensor. */
export function applyActivation(x: SymbolicTensor, name: ActivationName): SymbolicTensor {
  if (name === 'linear') return x;
  if (name === 'softmax') return softmax(x);
  return activationOp(x, name);
}
