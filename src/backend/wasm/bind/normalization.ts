import type { NormalizationCall } from '../../calls/normalization.js';
import type { Binders } from './types.js';

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

export const normalizationBinders: Binders<NormalizationCall> = {
  batchNormTrain(call, at, k) {
    const { rows, cols, momentum, epsilon } = call;
    const [x, y, mm, mv] = [at(call.x), at(call.y), at(call.movingMean), at(call.movingVariance)];
    const gamma = call.gamma ? at(call.gamma) : 0;
    const beta = call.beta ? at(call.beta) : 0;
    const mean = call.mean ? at(call.mean) : 0;
    const invStd = call.invStd ? at(call.invStd) : 0;
    return () => k.batchNormTrain(x, y, cols, rows, cols, gamma, beta, mm, mv, momentum, epsilon, mean, invStd);
  },
  batchNormInference(call, at, k) {
    const { rows, cols, epsilon } = call;
    const [x, y, mm, mv] = [at(call.x), at(call.y), at(call.movingMean), at(call.movingVariance)];
    const gamma = call.gamma ? at(call.gamma) : 0;
    const beta = call.beta ? at(call.beta) : 0;
    return () => k.batchNormInference(x, y, cols, rows, cols, gamma, beta, mm, mv, epsilon);
  },
  batchNormBackward(call, at, k) {
    const { rows, cols, epsilon } = call;
    const [x, dy, mean, stat] = [at(call.x), at(call.dy), at(call.mean), at(call.stat)];
    const gamma = call.gamma ? at(call.gamma) : 0;
    const dx = call.dx ? at(call.dx) : 0;
    const dgamma = call.dgamma ? at(call.dgamma) : 0;
    const dbeta = call.dbeta ? at(call.dbeta) : 0;
    const inference = call.mode === 'inference' ? 1 : 0;
    return () => k.batchNormBackward(x, dy, cols, rows, cols, gamma, mean, stat, epsilon, inference, dx, dgamma, dbeta);
  },
};
