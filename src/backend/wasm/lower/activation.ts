import type { KernelActivation } from '../../backend.js';
import type { ActivationCall } from '../../calls/activation.js';
import { ACTIVATION_CODES } from '../kernels.js';
import type { WorkClass } from '../split-thresholds.js';
import { byElements, byRows } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface ActivationKernels {
  activationForward(act: number, x: Ptr, y: Ptr, n: number, alpha: number): void;
  activationBackward(act: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number): void;
  softmaxRows(x: Ptr, y: Ptr, rows: number, cols: number): void;
  softmaxBackwardRows(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
  preluForward(x: Ptr, alpha: Ptr, y: Ptr, rows: number, cols: number): void;
  preluBackward(x: Ptr, alpha: Ptr, dy: Ptr, dx: Ptr, dalpha: Ptr, rows: number, cols: number): void;
}

/** Activations whose lane function is a compare or a multiply; the others evaluate exp or divide. */
const LIGHT = new Set<KernelActivation>(['linear', 'relu', 'leakyRelu', 'hardSigmoid']);
const classOf = (a: KernelActivation): WorkClass => (LIGHT.has(a) ? 'light' : 'heavy');

export const activationLowerers: Lowerers<ActivationCall> = {
  activationForward(call, l) {
    const args = [ACTIVATION_CODES[call.activation], l.at(call.x), l.at(call.y), call.n, call.alpha];
    return l.call('activationForward', args, byElements(args, call.n, 3, [1, 2], classOf(call.activation)));
  },
  activationBackward(call, l) {
    const x = call.x ? l.at(call.x) : 0;
    const args = [ACTIVATION_CODES[call.activation], x, l.at(call.y), l.at(call.dy), l.at(call.dx), call.n, call.alpha];
    return l.call('activationBackward', args, byElements(args, call.n, 5, [1, 2, 3, 4], classOf(call.activation)));
  },
  softmax(call, l) {
    const args = [l.at(call.x), l.at(call.y), call.rows, call.cols];
    return l.call('softmaxRows', args, byRows(args, call.rows, call.cols, 2, [0, 1], 'heavy'));
  },
  softmaxBackward(call, l) {
    const args = [l.at(call.y), l.at(call.dy), l.at(call.dx), call.rows, call.cols];
    return l.call('softmaxBackwardRows', args, byRows(args, call.rows, call.cols, 3, [0, 1, 2], 'light'));
  },
  prelu(call, l) {
    const args = [l.at(call.x), l.at(call.alpha), l.at(call.y), call.rows, call.cols];
    return l.call('preluForward', args, byRows(args, call.rows, call.cols, 3, [0, 2], 'light'));
  },
  preluBackward(call, l) {
    // dalpha sums over rows: split by rows only when it is not asked for.
    const dx = call.dx ? l.at(call.dx) : 0;
    const dalpha = call.dalpha ? l.at(call.dalpha) : 0;
    const args = [l.at(call.x), l.at(call.alpha), l.at(call.dy), dx, dalpha, call.rows, call.cols];
    return l.call('preluBackward', args, dalpha ? null : byRows(args, call.rows, call.cols, 5, [0, 2, 3], 'light'));
  },
};
