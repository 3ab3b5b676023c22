export { l1, l2, l1l2, type L1Args, type L2Args, type L1L2Args } from './penalties.js';
export type { Regularizer, RegularizerName } from './regularizer.js';
export { regularizerFromConfig } from './from-config.js';
