import type { ActivationCall } from '../../calls/activation.js';
import { ACTIVATION_CODES } from '../kernels.js';
import type { Binders } from './types.js';

type Ptr = number;

export interface ActivationKernels {
  activationForward(act: number, x: Ptr, y: Ptr, n: number, alpha: number): void;
  activationBackward(act: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number): void;
  softmaxRows(x: Ptr, y: Ptr, rows: number, cols: number): void;
  softmaxBackwardRows(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
  preluForward(x: Ptr, alpha: Ptr, y: Ptr, rows: number, cols: number): void;
  preluBackward(x: Ptr, alpha: Ptr, dy: Ptr, dx: Ptr, dalpha: Ptr, rows: number, cols: number): void;
}

export const activationBinders: Binders<ActivationCall> = {
  activationForward(call, at, k) {
    const act = ACTIVATION_CODES[call.activation];
    const x = at(call.x);
    const y = at(call.y);
    const { n, alpha } = call;
    return () => k.activationForward(act, x, y, n, alpha);
  },
  activationBackward(call, at, k) {
    const act = ACTIVATION_CODES[call.activation];
    const x = call.x ? at(call.x) : 0;
    const y = at(call.y);
    const dy = at(call.dy);
    const dx = at(call.dx);
    const { n, alpha } = call;
    return () => k.activationBackward(act, x, y, dy, dx, n, alpha);
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
  prelu(call, at, k) {
    const x = at(call.x);
    const alpha = at(call.alpha);
    const y = at(call.y);
    const { rows, cols } = call;
    return () => k.preluForward(x, alpha, y, rows, cols);
  },
  preluBackward(call, at, k) {
    const x = at(call.x);
    const alpha = at(call.alpha);
    const dy = at(call.dy);
    const dx = call.dx ? at(call.dx) : 0;
    const dalpha = call.dalpha ? at(call.dalpha) : 0;
    const { rows, cols } = call;
    return () => k.preluBackward(x, alpha, dy, dx, dalpha, rows, cols);
  },
};
