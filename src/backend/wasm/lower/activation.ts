import type { KernelActivation } from '../../backend.js';
import type { ActivationCall } from '../../calls/activation.js';
import { ACTIVATION_CODES } from '../codes.js';
import type { WorkClass } from '../split-thresholds.js';
import type { Lowerers } from './types.js';

/** Activations whose lane function is a compare or a multiply; the others evaluate exp or divide. */
const LIGHT = new Set<KernelActivation>(['linear', 'relu', 'leakyRelu', 'hardSigmoid']);
/** An activation's cost class (split-thresholds.ts). */
export const activationCost = (a: KernelActivation): WorkClass => (LIGHT.has(a) ? 'light' : 'heavy');

export const activationLowerers: Lowerers<ActivationCall> = {
  activationForward({ activation, alpha, x, y, n }, l) {
    return l.kernel(
      'activationForward',
      { act: ACTIVATION_CODES[activation], x, y, n, alpha },
      { cost: activationCost(activation) },
    );
  },
  activationBackward({ activation, alpha, x, y, dy, dx, n }, l) {
    return l.kernel(
      'activationBackward',
      { act: ACTIVATION_CODES[activation], x, y, dy, dx, n, alpha },
      { cost: activationCost(activation) },
    );
  },
  softmax({ x, y, rows, cols }, l) {
    return l.kernel('softmaxRows', { x, y, rows, cols });
  },
  softmaxBackward({ y, dy, dx, rows, cols }, l) {
    return l.kernel('softmaxBackwardRows', { y, dy, dx, rows, cols });
  },
  prelu({ x, alpha, y, rows, cols }, l) {
    return l.kernel('preluForward', { x, alpha, y, rows, cols });
  },
  preluBackward({ x, alpha, dy, dx, dalpha, rows, cols }, l) {
    // dalpha sums over rows: split by rows only when it is not asked for.
    return l.kernel('preluBackward', { x, alpha, dy, dx, dalpha, rows, cols }, { split: dalpha ? 'none' : 'rows' });
  },
};
