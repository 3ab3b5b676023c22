// loadTfjs: finding tfjs (passed in, or imported through an injectable importer), selecting a tfjs
// backend, and the errors that say what to install or check: tfjs missing, a backend name not
// registered (with the package that registers it), a backend that fails to start, tfjs-node-gpu
// whose native binding does not load (CUDA/cuDNN), bad options.

import { describe, expect, it } from 'vitest';
import { StateError, ValueError } from '../../../src/errors.js';
import { loadTfjs, type ModuleImporter } from '../../../src/backend/tfjs/load.js';
import type { TfNamespace } from '../../../src/backend/tfjs/types.js';
import { tf } from './helpers.js';

/** A tf namespace that has only the engine parts loadTfjs touches, with these backends registered. */
function fakeTf(
  registered: string[],
  { initializes = true } = {},
): TfNamespace & { registry: Record<string, unknown>; current: string } {
  const registry: Record<string, unknown> = Object.fromEntries(
    registered.map((n) => [n, { factory: () => ({}), priority: 1 }]),
  );
  const fake = {
    registry,
    current: registered[0] ?? '',
    engine: () => ({ registryFactory: registry }),
    tidy: <T>(fn: () => T) => fn(),
    getBackend: () => fake.current,
    setBackend: async (name: string) => {
      if (!(name in registry)) throw new Error(`Backend name '${name}' not found in registry`);
      if (!initializes) return false;
      fake.current = name;
      return true;
    },
    ready: async () => undefined,
  };
  return fake as unknown as TfNamespace & { registry: Record<string, unknown>; current: string };
}

/** Node's error for a package that is not installed. */
function notFound(specifier: string): Error {
  return Object.assign(
    new Error(`Cannot find package '${specifier}' imported from /app/node_modules/simdnet/dist/backend/tfjs/load.js`),
    { code: 'ERR_MODULE_NOT_FOUND' },
  );
}

/** An importer serving these modules and failing like Node for every other name; records the order. */
function importer(modules: Record<string, () => unknown>): ModuleImporter & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (specifier: string) => {
    asked.push(specifier);
    const make = modules[specifier];
    if (!make) throw notFound(specifier);
    return make();
  };
  return Object.assign(fn, { asked });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected loadTfjs to reject');
}

describe('loadTfjs', () => {
  it('uses the tf object passed in and selects its backend', async () => {
    const backend = await loadTfjs({ tf, backend: 'cpu' });
    expect(backend.name).toBe('tfjs');
    expect(backend.description).toBe('tfjs (cpu)');
    expect(backend.tf).toBe(tf);
  });

  it('imports tfjs-core and the package of the asked-for backend (wasm) with the real dynamic import', async () => {
    const backend = await loadTfjs({ backend: 'wasm' });
    expect(backend.description).toBe('tfjs (wasm)');
    const y = backend.upload(new Float32Array([1, 4, 9]));
    expect(backend.countNonFinite(y, 3)).toBe(0);
    await tf.setBackend('cpu');
  });

  it('tfjs not installed: says how to install it', async () => {
    const error = await rejection(loadTfjs({ importer: importer({}) }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(/TensorFlow\.js is not installed/);
    expect(error.message).toMatch(/npm install @tensorflow\/tfjs`/);
    expect(error.message).toMatch(/@tensorflow\/tfjs-node-gpu/);
    expect(error.message).toMatch(/configureBackend\(\{ backend: 'tfjs', tf \}\)/);
  });

  it('falls back from tfjs-core to @tensorflow/tfjs, and reads a CommonJS module from `default`', async () => {
    const fake = fakeTf(['cpu']);
    const imp = importer({ '@tensorflow/tfjs': () => ({ default: fake }) });
    const backend = await loadTfjs({ importer: imp });
    expect(backend.description).toBe('tfjs (cpu)');
    expect(imp.asked).toEqual(['@tensorflow/tfjs-core', '@tensorflow/tfjs']);
  });

  it("'tensorflow': tries tfjs-node-gpu, then tfjs-node, which registers the backend", async () => {
    const fake = fakeTf(['cpu']);
    const imp = importer({
      '@tensorflow/tfjs-core': () => fake,
      '@tensorflow/tfjs-node': () => {
        fake.registry.tensorflow = { factory: () => ({}), priority: 3 };
        return fake;
      },
    });
    const backend = await loadTfjs({ backend: 'tensorflow', importer: imp });
    expect(backend.description).toBe('tfjs (tensorflow)');
    expect(imp.asked).toEqual(['@tensorflow/tfjs-core', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  });

  it('tfjs-node-gpu whose native binding fails: the CUDA/cuDNN checks, the original message kept', async () => {
    const dlopen = Object.assign(
      new Error('libcudnn.so.8: cannot open shared object file: No such file or directory'),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const imp = importer({
      '@tensorflow/tfjs-core': () => fakeTf(['cpu']),
      '@tensorflow/tfjs-node-gpu': () => {
        throw dlopen;
      },
    });
    const error = await rejection(loadTfjs({ backend: 'tensorflow', importer: imp }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(
      new RegExp(
        '@tensorflow\\/tfjs-node-gpu is installed but its native TensorFlow binding failed to load: ' +
          'libcudnn\\.so\\.8: cannot open',
      ),
    );
    expect(error.message).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    expect(error.message).toMatch(/`nvidia-smi`/);
    expect(error.message).toMatch(/`ldconfig -p \| grep libcudnn`/);
    expect(error.message).toMatch(/tf\.getBackend\(\) === 'tensorflow'/);
    expect(error.message).toMatch(/device:GPU:0/);
    expect(error.cause).toBe(dlopen);
  });

  it('a missing file inside an installed tfjs-node-gpu is a broken install, not a missing package', async () => {
    const missingBinding = Object.assign(
      new Error("Cannot find module '/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'"),
      { code: 'MODULE_NOT_FOUND' },
    );
    const imp = importer({
      '@tensorflow/tfjs-core': () => fakeTf(['cpu']),
      '@tensorflow/tfjs-node-gpu': () => {
        throw missingBinding;
      },
    });
    const error = await rejection(loadTfjs({ backend: 'tensorflow', importer: imp }));
    expect(error.message).toMatch(/native TensorFlow binding failed to load: Cannot find module .*tfjs_binding\.node/);
  });

  it("a backend not registered (real tf, 'webgpu'): lists the registered ones and the package to import", async () => {
    const error = await rejection(loadTfjs({ tf, backend: 'webgpu' }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(/the tfjs backend "webgpu" is not registered \(registered: [a-z, ]*cpu/);
    expect(error.message).toMatch(/@tensorflow\/tfjs-backend-webgpu/);
    expect(error.message).toMatch(/import that package before calling loadTfjs/);
  });

  it("a fake tf without 'tensorflow': names tfjs-node and tfjs-node-gpu", async () => {
    const error = await rejection(loadTfjs({ tf: fakeTf(['cpu', 'webgl']), backend: 'tensorflow' }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(/registered: cpu, webgl/);
    expect(error.message).toMatch(/@tensorflow\/tfjs-node \(CPU\) or @tensorflow\/tfjs-node-gpu \(CUDA GPU\)/);
  });

  it("'tensorflow' with neither tfjs-node package installed (the real import): says to install one", async () => {
    const error = await rejection(loadTfjs({ backend: 'tensorflow' }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(/"tensorflow" is not registered/);
    expect(error.message).toMatch(/install that package/);
  });

  it('an unknown backend name is a ValueError listing the names', async () => {
    const error = await rejection(loadTfjs({ tf, backend: 'gpu' }));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toMatch(/backend "gpu" is not a tfjs backend registered here/);
    expect(error.message).toMatch(/cpu, webgl, wasm, webgpu, tensorflow/);
  });

  it('a registered backend that fails to start (webgl without WebGL)', async () => {
    const error = await rejection(loadTfjs({ tf: fakeTf(['cpu', 'webgl'], { initializes: false }), backend: 'webgl' }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(
      /"webgl" is registered but failed to initialize\. This browser or machine may lack WebGL 2/,
    );
    expect(error.message).toMatch(/configureBackend\(\{ backend: 'tfjs', tfjsBackend: 'cpu' \}\)/);
  });

  it('bad options: names the option, what it expects and what it got', async () => {
    const cases: [unknown, RegExp][] = [
      [null, /options must be an object .* received null/],
      [{ backend: 3 }, /backend must be a tfjs backend name .* received 3/],
      [{ backend: '' }, /backend must be a tfjs backend name .* received ""/],
      [{ tf: {} }, /tf must be the TensorFlow\.js namespace .* received an object/],
      [{ importer: 'x' }, /importer must be a function .* received "x"/],
    ];
    for (const [options, message] of cases) {
      const error = await rejection(loadTfjs(options as Parameters<typeof loadTfjs>[0]));
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toMatch(message);
    }
  });

  it('tfjs installed but failing to load: its own message, not "not installed"', async () => {
    const broken = new SyntaxError('Unexpected token in tfjs-core');
    const imp = importer({
      '@tensorflow/tfjs-core': () => {
        throw broken;
      },
    });
    const error = await rejection(loadTfjs({ importer: imp }));
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toMatch(/TensorFlow\.js is installed but failed to load: Unexpected token in tfjs-core/);
    expect(error.cause).toBe(broken);
  });
});
