// The errors loadTfjs throws, each saying what to install or check. Kept apart from load.ts so that
// the loading logic reads on its own.

import { StateError, ValueError, describe } from '../../errors.js';

/** The tfjs backend names simdnet knows, with the package that registers each. */
export const TFJS_BACKEND_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  cpu: ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs'],
  webgl: ['@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
};

const WHERE: Readonly<Record<string, string>> = {
  cpu: 'is registered by @tensorflow/tfjs (or @tensorflow/tfjs-backend-cpu)',
  webgl:
    'is registered by @tensorflow/tfjs (or @tensorflow/tfjs-backend-webgl) and runs in browsers only (it needs WebGL)',
  wasm:
    'is registered by @tensorflow/tfjs-backend-wasm (`npm install @tensorflow/tfjs-backend-wasm`, then `import ' +
    "'@tensorflow/tfjs-backend-wasm'`)",
  webgpu:
    'is registered by @tensorflow/tfjs-backend-webgpu (`npm install @tensorflow/tfjs-backend-webgpu`) and runs in ' +
    'browsers with WebGPU',
  tensorflow:
    'is registered by @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA GPU) in Node (`npm install ' +
    '@tensorflow/tfjs-node-gpu`)',
};

const list = (names: readonly string[]) => (names.length ? names.join(', ') : 'none');

/** Neither tfjs-core nor tfjs could be imported: not installed (cause null), or failing to load. */
export function tfjsNotInstalled(cause: unknown): StateError {
  const install =
    'Install it with `npm install @tensorflow/tfjs` (browsers and Node, cpu and webgl backends), ' +
    '`npm install @tensorflow/tfjs-node` (Node, native TensorFlow on the CPU) or ' +
    '`npm install @tensorflow/tfjs-node-gpu` (Node, CUDA GPU), or pass your tf object: ' +
    "configureBackend({ backend: 'tfjs', tf }) (in a page without a bundler: load tf.min.js and pass window.tf).";
  if (cause !== null) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return withCause(
      new StateError(
        `loadTfjs: TensorFlow.js is installed but failed to load: ${message}. Reinstall it, or pass your tf object: ` +
          `configureBackend({ backend: 'tfjs', tf }). ${install}`,
      ),
      cause,
    );
  }
  return new StateError(
    `loadTfjs: TensorFlow.js is not installed (it is an optional peer dependency of simdnet). ${install}`,
  );
}

export function badOptions(what: string, expected: string, received: unknown): ValueError {
  return new ValueError(`loadTfjs: ${what} must be ${expected}, received ${describe(received)}.`);
}

export function backendNotRegistered(name: string, registered: readonly string[], userTf: boolean): SimdnetLoadError {
  const where = WHERE[name];
  if (!where) {
    return new ValueError(
      `loadTfjs: backend ${JSON.stringify(name)} is not a tfjs backend registered here (registered: ` +
        `${list(registered)}). ` +
        `Expected one of ${Object.keys(WHERE).join(', ')}, or a custom backend registered with tf.registerBackend() ` +
        `before loadTfjs.`,
    );
  }
  const fix = userTf
    ? `import that package before calling loadTfjs (it registers the backend on the tf object you passed).`
    : `install that package; simdnet imports it when the backend is asked for.`;
  return new StateError(
    `loadTfjs: the tfjs backend ${JSON.stringify(name)} is not registered (registered: ${list(registered)}). ` +
      `${JSON.stringify(name)} ${where}: ${fix}`,
  );
}

export function backendFailed(name: string, registered: readonly string[]): StateError {
  const hint =
    name === 'webgl' || name === 'webgpu'
      ? ` This browser or machine may lack ${name === 'webgl' ? 'WebGL 2' : 'WebGPU'} (tfjs logged the reason above);`
      : '';
  return new StateError(
    `loadTfjs: the tfjs backend ${JSON.stringify(name)} is registered but failed to initialize.${hint} ` +
      `choose another of the registered backends (${list(registered)}), ` +
      "e.g. configureBackend({ backend: 'tfjs', tfjsBackend: 'cpu' }).",
  );
}

/** tfjs-node-gpu (or tfjs-node) is installed but its native TensorFlow binding did not load. */
export function nativeBindingFailed(pkg: string, cause: unknown): StateError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const gpu = pkg.endsWith('-gpu');
  const checks = gpu
    ? 'The usual cause is a missing or mismatched CUDA toolkit and cuDNN: tfjs-node-gpu 4.x needs CUDA 11.2 and ' +
      'cuDNN 8.1. ' +
      'Check that `nvidia-smi` shows the GPU and its driver, that `ldconfig -p | grep libcudnn` lists libcudnn.so.8 ' +
      'and ' +
      '`ldconfig -p | grep libcudart` lists libcudart.so.11.0 (or add their directory to LD_LIBRARY_PATH). ' +
      "Once it loads, check that ops run on the GPU: tf.getBackend() === 'tensorflow' and TensorFlow's log shows a " +
      'line ' +
      "like 'Created device /job:localhost/replica:0/task:0/device:GPU:0 with ... MB memory'. " +
      'To train on the CPU meanwhile, install @tensorflow/tfjs-node or use ' +
      "configureBackend({ backend: 'tfjs', tfjsBackend: 'cpu' })."
    : 'Reinstall it so that its install script downloads the TensorFlow library for this platform ' +
      '(`npm rebuild @tensorflow/tfjs-node`, which needs network access), or use ' +
      "configureBackend({ backend: 'tfjs', tfjsBackend: 'cpu' }).";
  return withCause(
    new StateError(
      `loadTfjs: ${pkg} is installed but its native TensorFlow binding failed to load: ${message}. ${checks}`,
    ),
    cause,
  );
}

type SimdnetLoadError = StateError | ValueError;

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}
