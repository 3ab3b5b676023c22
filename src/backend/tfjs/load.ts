// Finding TensorFlow.js and making the tfjs backend. tfjs is an optional peer dependency, never
// imported statically: the user passes the `tf` object their tfjs backends were registered on
// (tfjs-node-gpu, webgl in a page), or loadTfjs imports it. Without `tf`:
//   1. @tensorflow/tfjs-core, else @tensorflow/tfjs (a missing both: install tfjs);
//   2. when the asked-for backend is not registered, the package that registers it
//      (tensorflow: tfjs-node-gpu, then tfjs-node; wasm: tfjs-backend-wasm; cpu/webgl: their
//      backend package, then @tensorflow/tfjs); with no backend asked for and none registered,
//      @tensorflow/tfjs (cpu and webgl). tfjs keeps one engine per process (its global
//      namespace), so a backend registered through any of these is the namespace's.
// Then tf.setBackend(name) and tf.ready(). The importer is injectable, for tests.

import { TfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
import {
  TFJS_BACKEND_PACKAGES,
  backendFailed,
  backendNotRegistered,
  badOptions,
  nativeBindingFailed,
  tfjsNotInstalled,
} from './load-errors.js';
import type { TfNamespace } from './types.js';

/** Imports a module by name (the default: the runtime's dynamic `import()`). */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Settings of loadTfjs. */
export interface LoadTfjsOptions extends TfjsBackendOptions {
  /** Your tfjs namespace (`import * as tf from '@tensorflow/tfjs-node-gpu'`, `window.tf`); imported when omitted. */
  readonly tf?: TfNamespace;
  /**
   * The tfjs backend to run on: 'tensorflow' (tfjs-node / tfjs-node-gpu), 'webgl', 'webgpu',
   * 'wasm', 'cpu', or a custom registered one. Omitted: the one tfjs picks (its highest priority).
   */
  readonly backend?: string;
  /** How modules are imported (tests simulate failures with it). */
  readonly importer?: ModuleImporter;
}

const defaultImporter: ModuleImporter = (specifier) => import(/* @vite-ignore */ specifier);

/** Whether `error` says that `specifier` itself (not something it needs) cannot be found. */
function isMissing(error: unknown, specifier: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const quoted = (q: string) => `${q}${specifier}${q}`;
  const names = [quoted("'"), quoted('"')];
  return (
    names.some((n) => message.includes(`Cannot find package ${n}`) || message.includes(`Cannot find module ${n}`)) ||
    names.some((n) => message.includes(`Failed to resolve module specifier ${n}`)) ||
    message.includes(`Failed to load url ${specifier} `)
  );
}

/** The module, or null when it is not installed; any other failure is thrown. */
async function tryImport(importer: ModuleImporter, specifier: string): Promise<unknown> {
  try {
    return await importer(specifier);
  } catch (error) {
    if (isMissing(error, specifier)) return null;
    throw error;
  }
}

/** A module namespace as a tf namespace (ESM namespaces of CommonJS packages keep it in `default`). */
function asTf(module: unknown): TfNamespace | null {
  for (const candidate of [module, (module as { default?: unknown } | null)?.default]) {
    if (isTf(candidate)) return candidate;
  }
  return null;
}

export function isTf(value: unknown): value is TfNamespace {
  const v = value as Partial<Record<keyof TfNamespace, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.engine === 'function' &&
    typeof v.tidy === 'function' &&
    typeof v.setBackend === 'function'
  );
}

const registered = (tf: TfNamespace): string[] => Object.keys(tf.engine().registryFactory);

/** tfjs-core or the tfjs bundle, or null when neither is installed. */
async function importNamespace(importer: ModuleImporter): Promise<{ tf: TfNamespace | null; cause: unknown }> {
  let cause: unknown = null;
  for (const specifier of ['@tensorflow/tfjs-core', '@tensorflow/tfjs']) {
    try {
      const tf = asTf(await tryImport(importer, specifier));
      if (tf) return { tf, cause };
    } catch (error) {
      cause = error;
    }
  }
  return { tf: null, cause };
}

/** Imports the packages that register `name` until it is registered; returns a namespace one of them exported. */
async function importBackendPackage(
  importer: ModuleImporter,
  name: string,
  tf: TfNamespace | null,
): Promise<TfNamespace | null> {
  for (const pkg of TFJS_BACKEND_PACKAGES[name] ?? []) {
    let module: unknown;
    try {
      module = await tryImport(importer, pkg);
    } catch (error) {
      // Installed but failing: for tfjs-node(-gpu) that is its native binding.
      if (name === 'tensorflow') throw nativeBindingFailed(pkg, error);
      throw error;
    }
    if (module === null) continue;
    const found = tf ?? asTf(module);
    if (found && registered(found).includes(name)) return found;
    tf = found;
  }
  return tf;
}

/**
 * Finds TensorFlow.js, selects a tfjs backend and returns simdnet's engine on it.
 *
 * @example
 * // Node with a CUDA GPU (npm install @tensorflow/tfjs-node-gpu):
 * const backend = await loadTfjs({ backend: 'tensorflow' });
 * backend.description;   // "tfjs (tensorflow)"
 *
 * // A page that loaded tf.min.js:
 * const backend = await loadTfjs({ tf: window.tf, backend: 'webgl' });
 */
export async function loadTfjs(options: LoadTfjsOptions = {}): Promise<TfjsBackend> {
  if (typeof options !== 'object' || options === null)
    throw badOptions('options', "an object such as { backend: 'webgl' }", options);
  const { backend: name, importer = defaultImporter } = options;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw badOptions('backend', "a tfjs backend name such as 'tensorflow', 'webgl', 'wasm' or 'cpu'", name);
  }
  if (typeof importer !== 'function')
    throw badOptions('importer', 'a function (specifier) => Promise<module>', importer);
  if (options.tf !== undefined && !isTf(options.tf)) {
    throw badOptions(
      'tf',
      "the TensorFlow.js namespace (import * as tf from '@tensorflow/tfjs'), with engine(), tidy() and setBackend()",
      options.tf,
    );
  }

  let tf = options.tf ?? null;
  let cause: unknown = null;
  if (!tf) ({ tf, cause } = await importNamespace(importer));
  if (!options.tf) {
    const wanted = name ?? (tf && registered(tf).length > 0 ? null : 'cpu');
    if (wanted && (!tf || !registered(tf).includes(wanted))) tf = await importBackendPackage(importer, wanted, tf);
  }
  if (!tf) throw tfjsNotInstalled(cause);

  if (name !== undefined) {
    const names = registered(tf);
    if (!names.includes(name)) throw backendNotRegistered(name, names, options.tf !== undefined);
    let ok: boolean;
    try {
      ok = await tf.setBackend(name);
    } catch {
      ok = false;
    }
    if (!ok) throw backendFailed(name, names);
  }
  await tf.ready();
  return new TfjsBackend(tf, options);
}
