// simdnet's public face: re-exports only.

export {
  sequential,
  Sequential,
  type SequentialArgs,
  type CompileArgs,
  type EvaluateArgs,
  type PredictArgs,
} from './model/sequential.js';
export type { FitArgs } from './model/fit.js';
export type { ClassWeight } from './model/class-weight.js';
export { NonFiniteLossError } from './model/fit.js';
export { loadModel, saveModel, type LoadArgs, type SaveArgs } from './model/save-load.js';
export { cloneModel, cloneLayer } from './model/clone.js';
export { browserFiles, type PickedFile } from './model/io/browser-download.js';
export type { IOHandler, ModelArtifacts, ModelJson, LoadedSource } from './model/io/types.js';
export * as layers from './layers/index.js';
export { clearSession } from './layers/layer.js';
export * as optimizers from './optimizers/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as callbacks from './callbacks/index.js';
export * as datasets from './data/index.js';
export { tensor, Tensor, type TensorLike, type DType, type NestedArray } from './tensor.js';
export { setSeed, Generator } from './random.js';
export { SimdnetError, ValueError, ShapeError, DataError, StateError, WorkerError } from './errors.js';
export { ready, configureBackend, getBackend, type Backend, type BackendOptions } from './backend/index.js';
export type { LossName } from './losses/losses.js';
export type { MetricName } from './metrics/metrics.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export { toCategorical } from './data/to-categorical.js';
