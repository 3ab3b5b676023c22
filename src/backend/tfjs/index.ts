// The TensorFlow.js backend: loadTfjs() finds tfjs and returns a TfjsBackend on the tfjs backend asked
// for. Nothing here imports tfjs at run time until loadTfjs is called.

export { loadTfjs, type LoadTfjsOptions, type ModuleImporter } from './load.js';
export { TfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
export { tfjsOps } from './tfjs-ops.js';
export { tfjsOverrides } from './overrides.js';
export type { Tensor as TfjsTensor, TfNamespace } from './types.js';
