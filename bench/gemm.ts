// GEMM benchmark: the three products of a reference-MLP training step (first layer, 784 → 300) at
// batch 32, 128 and 512, single thread, for both kernel builds, each as a fraction of the peak probe of
// the same build measured in the same run, and against @tensorflow/tfjs-backend-wasm's matMul of the
// same product with the same transposes.
//
//   forward          gemmNN  C[B×300]   = X[B×784] · W[784×300]        tf.matMul(X, W)
//   weight gradient  gemmTN  dW[784×300] = Xᵀ · dY[B×300]               tf.matMul(X, dY, true, false)
//   input gradient   gemmNT  dX[B×784]  = dY · Wᵀ                      tf.matMul(dY, W, false, true)
//
// `npx tsx bench/gemm.ts` prints a markdown table; `benchGemm()` returns the rows.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { instantiateKernels, type SimdFlavour } from '../src/backend/wasm/module.js';

export type GemmLayout = 'NN' | 'TN' | 'NT';

/** One measured product: simdnet's kernel on one build next to tfjs-wasm's matMul of the same product. */
export interface GemmRow {
  /** e.g. "forward, batch 128: 128×300×784" (m×n×k) */
  shape: string;
  /** what the product is in a training step */
  role: 'forward' | 'weight gradient' | 'input gradient';
  layout: GemmLayout;
  batch: number;
  m: number;
  n: number;
  k: number;
  flavour: SimdFlavour;
  /** simdnet kernel, GFLOP/s (2·m·n·k per call, median latency) */
  gflops: number;
  /** the peak probe of the same build in the same run, GFLOP/s */
  peakGflops: number;
  /** gflops / peakGflops */
  fractionOfPeak: number;
  /** the acceptance target for this build: 0.85 (relaxed SIMD) or 0.65 (plain SIMD) of its peak */
  target: number;
  /** tfjs-wasm matMul of the same product and transposes, GFLOP/s */
  tfjsGflops: number;
  /** gflops / tfjsGflops */
  vsTfjs: number;
}

export const GEMM_BATCHES = [32, 128, 512] as const;
export const GEMM_TARGETS: Record<SimdFlavour, number> = { 'relaxed-simd': 0.85, simd: 0.65 };
const FAN_IN = 784;
const FAN_OUT = 300;
const PEAK_ITERATIONS = 1_000_000; // 96 MFLOP per call

interface Kernels {
  heapBase: WebAssembly.Global;
  gemmNN(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    bias: number,
    act: number,
    alpha: number,
    accumulate: number,
  ): void;
  gemmTN(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
    pack: number,
  ): void;
  gemmNT(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
    pack: number,
  ): void;
  gemmScratchFloats(m: number, n: number, k: number, layout: number): number;
  peakProbe(iterations: number): number;
}

interface Product {
  role: GemmRow['role'];
  layout: GemmLayout;
  batch: number;
  m: number;
  n: number;
  k: number;
}

function products(): Product[] {
  const out: Product[] = [];
  for (const batch of GEMM_BATCHES) {
    out.push({ role: 'forward', layout: 'NN', batch, m: batch, n: FAN_OUT, k: FAN_IN });
    out.push({ role: 'weight gradient', layout: 'TN', batch, m: FAN_IN, n: FAN_OUT, k: batch });
    out.push({ role: 'input gradient', layout: 'NT', batch, m: batch, n: FAN_IN, k: FAN_OUT });
  }
  return out;
}

const shapeLabel = (p: Product) => `${p.role}, batch ${p.batch}: ${p.m}×${p.n}×${p.k}`;
const flops = (p: Product) => 2 * p.m * p.n * p.k;

/** A kernel build on its own memory, with the operands of every product at the largest batch. */
function loadBuild(relaxedSimd: boolean) {
  const maxB = Math.max(...GEMM_BATCHES);
  const sizes = {
    x: maxB * FAN_IN,
    w: FAN_IN * FAN_OUT,
    y: maxB * FAN_OUT,
    dy: maxB * FAN_OUT,
    dx: maxB * FAN_IN,
    dw: FAN_IN * FAN_OUT,
    pack: 0,
  };
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { exports, flavour } = instantiateKernels(memory, { relaxedSimd });
  const k = exports as unknown as Kernels;
  sizes.pack = Math.max(
    ...GEMM_BATCHES.flatMap((b) => [
      k.gemmScratchFloats(FAN_IN, FAN_OUT, b, 1),
      k.gemmScratchFloats(b, FAN_IN, FAN_OUT, 2),
    ]),
  );
  let top = (Number(exports.heapBase.value) + 63) & ~63;
  const ptr = {} as Record<keyof typeof sizes, number>;
  for (const [name, n] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    ptr[name] = top;
    top = (top + n * 4 + 63) & ~63;
  }
  const pages = Math.ceil(top / 65536);
  memory.grow(pages - memory.buffer.byteLength / 65536);
  const f32 = new Float32Array(memory.buffer);
  let s = 12345;
  for (let i = ptr.x >> 2; i < top >> 2; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f32[i] = s / 2 ** 32 - 0.5;
  }
  const call = (p: Product): (() => void) => {
    if (p.layout === 'NN')
      return () => k.gemmNN(p.m, p.n, p.k, ptr.x, FAN_IN, ptr.w, FAN_OUT, ptr.y, FAN_OUT, 0, 0, 0, 0);
    if (p.layout === 'TN')
      return () => k.gemmTN(p.m, p.n, p.k, ptr.x, FAN_IN, ptr.dy, FAN_OUT, ptr.dw, FAN_OUT, 0, ptr.pack);
    return () => k.gemmNT(p.m, p.n, p.k, ptr.dy, FAN_OUT, ptr.w, FAN_OUT, ptr.dx, FAN_IN, 0, ptr.pack);
  };
  return { flavour, call, peak: () => k.peakProbe(PEAK_ITERATIONS) };
}

/** tfjs with the wasm backend (SIMD; its threads are off in Node); null when it cannot load. */
async function loadTfjs() {
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(`${dir}${path.sep}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();
  const rand = (shape: [number, number]) => tf.randomUniform(shape, -0.5, 0.5, 'float32');
  const w = rand([FAN_IN, FAN_OUT]);
  const xs = new Map<number, ReturnType<typeof rand>>();
  const dys = new Map<number, ReturnType<typeof rand>>();
  for (const b of GEMM_BATCHES) {
    xs.set(b, rand([b, FAN_IN]));
    dys.set(b, rand([b, FAN_OUT]));
  }
  const call = (p: Product): (() => void) => {
    const x = xs.get(p.batch)!;
    const dy = dys.get(p.batch)!;
    const run =
      p.layout === 'NN'
        ? () => tf.matMul(x, w)
        : p.layout === 'TN'
          ? () => tf.matMul(x, dy, true, false)
          : () => tf.matMul(dy, w, false, true);
    return () => {
      const out = run();
      out.dataSync();
      out.dispose();
    };
  };
  return { call, version: tf.version.tfjs };
}

/** Median latency in ms of `fn` under tinybench: a warm-up (Liftoff → TurboFan), then at least `minRuns` runs. */
async function medianMs(name: string, fn: () => void, timeMs: number, minRuns: number): Promise<number> {
  const bench = new Bench({
    time: timeMs,
    iterations: minRuns,
    warmupTime: Math.min(200, timeMs),
    warmupIterations: 5,
  });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== 'completed') throw new Error(`bench ${name}: ${r.state}`);
  return r.latency.p50;
}

export async function benchGemm(options: { log?: (line: string) => void } = {}): Promise<GemmRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const builds = [loadBuild(true), loadBuild(false)];
  if (builds[0].flavour !== 'relaxed-simd')
    log('gemm bench: relaxed SIMD is unavailable here; both rows use the plain build');
  const tfjs = await loadTfjs();
  const list = products();

  // tfjs-wasm first (its transposed products are slow; time-boxed)
  const tfjsGflops = new Map<Product, number>();
  for (const p of list) {
    const ms = await medianMs(`tfjs ${shapeLabel(p)}`, tfjs.call(p), 400, 3);
    tfjsGflops.set(p, flops(p) / ms / 1e6);
  }

  const rows: GemmRow[] = [];
  for (const build of builds) {
    // the peak probe before and after this build's kernels; the higher one is the ceiling
    const peakMs0 = await medianMs(`peak ${build.flavour}`, build.peak, 400, 20);
    const results: [Product, number][] = [];
    for (const p of list) {
      const ms = await medianMs(`${build.flavour} ${shapeLabel(p)}`, build.call(p), 400, 10);
      results.push([p, flops(p) / ms / 1e6]);
    }
    const peakMs1 = await medianMs(`peak ${build.flavour}`, build.peak, 400, 20);
    const peakGflops = (96 * PEAK_ITERATIONS) / Math.min(peakMs0, peakMs1) / 1e6;
    for (const [p, gflops] of results) {
      const tf = tfjsGflops.get(p)!;
      rows.push({
        shape: shapeLabel(p),
        role: p.role,
        layout: p.layout,
        batch: p.batch,
        m: p.m,
        n: p.n,
        k: p.k,
        flavour: build.flavour,
        gflops,
        peakGflops,
        fractionOfPeak: gflops / peakGflops,
        target: GEMM_TARGETS[build.flavour],
        tfjsGflops: tf,
        vsTfjs: gflops / tf,
      });
    }
  }
  return rows;
}

/** The rows as a markdown table. */
export function gemmMarkdown(rows: GemmRow[]): string {
  const head =
    '| product (m×n×k) | layout | build | GFLOP/s | peak probe | of peak | target | tfjs-wasm GFLOP/s | vs tfjs |';
  const sep = '|---|---|---|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) =>
    [
      r.shape,
      r.layout,
      r.flavour,
      r.gflops.toFixed(1),
      r.peakGflops.toFixed(1),
      `${(r.fractionOfPeak * 100).toFixed(0)}%`,
      `≥ ${(r.target * 100).toFixed(0)}% ${r.fractionOfPeak >= r.target ? 'pass' : 'MISS'}`,
      r.tfjsGflops.toFixed(1),
      `${r.vsTfjs.toFixed(1)}×`,
    ].join(' | '),
  );
  return [head, sep, ...lines.map((l) => `| ${l} |`)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const rows = await benchGemm();
  console.log(gemmMarkdown(rows));
}
