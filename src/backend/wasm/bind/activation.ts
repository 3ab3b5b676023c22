import type { ActivationCall } from '../../calls/activation.js';
import { ACTIVATION_CODES } from '../kernels.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface ActivationKernels {
  activationForward(act: number, x: Ptr, y: Ptr, n: number): void;
  activationBackward(act: number, y: Ptr, dy: Ptr, dx: Ptr, n: number): void;
  softmaxRows(x: Ptr, y: Ptr, rows: number, cols: number): void;
  softmaxBackwardRows(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
}

export const activationBinders: Binders<ActivationCall> = {
  activationForward(call, at, k) {
    const act = ACTIVATION_CODES[call.activation];
    const x = at(call.x);
    const y = at(call.y);
    return () => k.activationForward(act, x, y, call.n);
  },
  activationBackward(call, at, k) {
    const act = ACTIVATION_CODES[call.activation];
    const y = at(call.y);
    const dy = at(call.dy);
    const dx = at(call.dx);
    return () => k.activationBackward(act, y, dy, dx, call.n);
  },
  softmax(call, at, k) {
    const x = at(call.x);
    const y = at(call.y);
    return () => k.softmaxRows(x, y, call.rows, call.cols);
  },
  softmaxBackward(call, at, k) {
    const y = at(call.y);
    const dy = at(call.dy);
    const dx = at(call.dx);
    return () => k.softmaxBackwardRows(y, dy, dx, call.rows, call.cols);
  },
};
