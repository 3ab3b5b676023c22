export { dense, Dense, type DenseArgs } from './dense.js';
export { flatten, Flatten } from './flatten.js';
export { activation, Activation, type ActivationArgs } from './activation.js';
export { Layer, clearSession, type LayerArgs, type CallContext, type LayerConfig } from './layer.js';
export type { ActivationName } from './activations.js';
