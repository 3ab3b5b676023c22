// Loads the kernel module: picks the relaxed-SIMD build when the engine validates it, else the
// plain-SIMD build, and instantiates it on a WebAssembly.Memory that TypeScript owns.
//
// In Node the bytes are read and compiled synchronously on first use, so `predict` and `evaluate`
// can stay synchronous as in tfjs. In a browser, `await ready()` fetches and compiles them first.

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const nodeFs = isNode ? await import('node:fs') : undefined;
const nodeV8 = isNode ? await import('node:v8') : undefined;

/** Which instruction set the loaded kernels use. */
export type SimdFlavour = 'relaxed-simd' | 'simd';

/** Options that decide which build is loaded. */
export interface ModuleOptions {
  /**
   * Use relaxed SIMD (`f32x4.relaxed_madd`) when available. In Node 20 it sits behind a V8 flag that
   * simdnet turns on by itself unless this is false or `SIMDNET_RELAXED_SIMD=0` is set.
   */
  relaxedSimd?: boolean;
}

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b,
]);
// (module (func (result v128) v128.const i32x4 0 0 0 0))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x0b,
]);

function envAllowsRelaxed(): boolean {
  return !(isNode && process.env.SIMDNET_RELAXED_SIMD === '0');
}

/** True when this engine can run relaxed SIMD, turning on Node's V8 flag if allowed and needed. */
export function relaxedSimdAvailable(allow = true): boolean {
  if (!allow || !envAllowsRelaxed()) return false;
  if (WebAssembly.validate(RELAXED_PROBE)) return true;
  if (nodeV8) {
    // Must happen before any relaxed module is compiled; worker threads created later inherit it.
    nodeV8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    return WebAssembly.validate(RELAXED_PROBE);
  }
  return false;
}

function buildUrl(flavour: SimdFlavour, shared: boolean): URL {
  const file = `simdnet${flavour === 'relaxed-simd' ? '-relaxed' : ''}${shared ? '-shared' : ''}.wasm`;
  // src/backend/wasm/ and dist/backend/wasm/ are both three levels under the package root.
  return new URL(`../../../build/${file}`, import.meta.url);
}

// Compiled modules by flavour and memory kind ('relaxed-simd/shared' ...).
const compiled = new Map<string, WebAssembly.Module>();

function chooseFlavour(options: ModuleOptions): SimdFlavour {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error(
      'simdnet needs WebAssembly SIMD (Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+); this engine does not ' +
        'validate it.',
    );
  }
  return relaxedSimdAvailable(options.relaxedSimd ?? true) ? 'relaxed-simd' : 'simd';
}

/**
 * Compiles the kernel module synchronously (Node) or returns the one `prepareModule` compiled.
 * `shared`: the build that imports a shared memory (worker threads), else the private-memory one.
 */
export function compiledModule(
  options: ModuleOptions = {},
  shared = false,
): { module: WebAssembly.Module; flavour: SimdFlavour } {
  const flavour = chooseFlavour(options);
  const key = `${flavour}/${shared}`;
  let module = compiled.get(key);
  if (!module) {
    if (!nodeFs) {
      throw new Error(
        'simdnet: the WASM kernels are not loaded yet. In a browser, call `await simdnet.ready()` first.',
      );
    }
    const url = buildUrl(flavour, shared);
    if (!nodeFs.existsSync(url)) {
      throw new Error(`simdnet: kernel module ${url.pathname} is missing. Run \`npm run build:wasm\` to build it.`);
    }
    module = new WebAssembly.Module(nodeFs.readFileSync(url));
    compiled.set(key, module);
  }
  return { module, flavour };
}

/** Fetches and compiles the kernel module asynchronously (browsers). */
export async function prepareModule(options: ModuleOptions = {}, shared = false): Promise<SimdFlavour> {
  const flavour = chooseFlavour(options);
  const key = `${flavour}/${shared}`;
  if (!compiled.has(key)) {
    if (nodeFs) compiledModule(options, shared);
    else compiled.set(key, await WebAssembly.compileStreaming(fetch(buildUrl(flavour, shared))));
  }
  return flavour;
}

/** The kernel exports: every function takes byte offsets into the memory and plain numbers. */
export type KernelExports = Record<string, WebAssembly.ExportValue> & { heapBase: WebAssembly.Global };

/** Instantiates the kernels on `memory`. Every instance on one memory shares the same tensors. */
export function instantiateKernels(
  memory: WebAssembly.Memory,
  options: ModuleOptions = {},
  shared = false,
): {
  exports: KernelExports;
  flavour: SimdFlavour;
  module: WebAssembly.Module;
} {
  const { module, flavour } = compiledModule(options, shared);
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, column: number) => {
        throw new Error(`simdnet kernel aborted at ${line}:${column}`);
      },
    },
  });
  return { exports: instance.exports as KernelExports, flavour, module };
}
