import type { NormalizationCall } from '../../calls/normalization.js';
import { byColumns } from './split.js';
import type { Lowerers } from './types.js';

type Ptr = number;

export interface NormalizationKernels {
  batchNormTrain(
    x: Ptr, y: Ptr, ld: number, rows: number, cols: number,
    gamma: Ptr, beta: Ptr, movingMean: Ptr, movingVar: Ptr, momentum: number, eps: number,
    mean: Ptr, invStd: Ptr,
  ): void;
  batchNormInference(x: Ptr, y: Ptr, ld: number, rows: number, cols: number, gamma: Ptr, beta: Ptr, movingMean: Ptr, movingVar: Ptr, eps: number): void;
  batchNormBackward(
    x: Ptr, dy: Ptr, ld: number, rows: number, cols: number,
    gamma: Ptr, mean: Ptr, stat: Ptr, eps: number, inference: number,
    dx: Ptr, dgamma: Ptr, dbeta: Ptr,
  ): void;
}

// Batch normalization works column by column (each feature's statistics over the batch), so it
// splits by columns: a thread owns whole features, rows read with the full leading dimension.
export const normalizationLowerers: Lowerers<NormalizationCall> = {
  batchNormTrain(call, l) {
    const { rows, cols } = call;
    const opt = (s: typeof call.gamma) => (s ? l.at(s) : 0);
    const args = [l.at(call.x), l.at(call.y), cols, rows, cols, opt(call.gamma), opt(call.beta), l.at(call.movingMean), l.at(call.movingVariance), call.momentum, call.epsilon, opt(call.mean), opt(call.invStd)];
    return l.call('batchNormTrain', args, byColumns(args, rows, cols, 4, [0, 1, 5, 6, 7, 8, 11, 12], 'heavy'));
  },
  batchNormInference(call, l) {
    const { rows, cols } = call;
    const opt = (s: typeof call.gamma) => (s ? l.at(s) : 0);
    const args = [l.at(call.x), l.at(call.y), cols, rows, cols, opt(call.gamma), opt(call.beta), l.at(call.movingMean), l.at(call.movingVariance), call.epsilon];
    return l.call('batchNormInference', args, byColumns(args, rows, cols, 4, [0, 1, 5, 6, 7, 8], 'light'));
  },
  batchNormBackward(call, l) {
    const { rows, cols } = call;
    const opt = (s: typeof call.gamma) => (s ? l.at(s) : 0);
    const args = [
      l.at(call.x), l.at(call.dy), cols, rows, cols, opt(call.gamma), l.at(call.mean), l.at(call.stat), call.epsilon,
      call.mode === 'inference' ? 1 : 0, opt(call.dx), opt(call.dgamma), opt(call.dbeta),
    ];
    return l.call('batchNormBackward', args, byColumns(args, rows, cols, 4, [0, 1, 5, 6, 7, 10, 11, 12], 'heavy'));
  },
};
