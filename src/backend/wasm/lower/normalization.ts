import type { NormalizationCall } from '../../calls/normalization.js';
import type { Lowerers } from './types.js';

// Batch normalization works column by column (each feature's statistics over the batch), so it
// splits by columns: a thread owns whole features, rows read with the full leading dimension.
export const normalizationLowerers: Lowerers<NormalizationCall> = {
  batchNormTrain({ x, y, rows, cols, gamma, beta, movingMean, movingVariance, momentum, epsilon, mean, invStd }, l) {
    return l.kernel('batchNormTrain', {
      x,
      y,
      ld: cols,
      rows,
      cols,
      gamma,
      beta,
      movingMean,
      movingVariance,
      momentum,
      epsilon,
      mean,
      invStd,
    });
  },
  batchNormInference({ x, y, rows, cols, gamma, beta, movingMean, movingVariance, epsilon }, l) {
    return l.kernel('batchNormInference', {
      x,
      y,
      ld: cols,
      rows,
      cols,
      gamma,
      beta,
      movingMean,
      movingVariance,
      epsilon,
    });
  },
  batchNormBackward({ mode, x, dy, rows, cols, gamma, mean, stat, epsilon, dx, dgamma, dbeta }, l) {
    return l.kernel('batchNormBackward', {
      x,
      dy,
      ld: cols,
      rows,
      cols,
      gamma,
      mean,
      stat,
      epsilon,
      inference: mode === 'inference',
      dx,
      dgamma,
      dbeta,
    });
  },
};
