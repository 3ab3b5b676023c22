// gemmNN / gemmTN / gemmNT against a float64 JavaScript reference, both builds: odd and block-sized
// shapes, sub-block strides, bias and every activation, accumulate, the pack scratch size from
// gemmScratchFloats, canaries around and inside C (the stride gaps) and around the scratch, and
// operands placed flush against the end of memory (an over-read there traps).
import { describe, it, expect } from 'vitest';
import { GEMM_LAYOUT_CODES } from '../../src/backend/wasm/codes.js';
import type { KernelFunctions } from '../../src/backend/wasm/kernel-table.js';
import { instantiateKernels } from '../../src/backend/wasm/module.js';

type Layout = 'nn' | 'tn' | 'nt';
const LAYOUT_CODE: Record<Layout, number> = GEMM_LAYOUT_CODES;
const CANARY = 0x7fa5a5a5; // a NaN payload no kernel produces
const GUARD = 16; // canary floats before and after every buffer

type Kernels = Pick<KernelFunctions, 'gemmNN' | 'gemmTN' | 'gemmNT' | 'gemmScratchFloats' | 'peakProbe'>;

// deterministic pseudo-random numbers in [-1, 1)
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 31 - 1;
  };
}

function setup(relaxedSimd: boolean) {
  const memory = new WebAssembly.Memory({ initial: 256 }); // 16 MB
  const { exports, flavour } = instantiateKernels(memory, { relaxedSimd });
  const base = (Number(exports.heapBase.value) + 63) & ~63;
  const k = exports as unknown as Kernels;
  return { memory, k, flavour, base };
}
type Env = ReturnType<typeof setup>;

interface Case {
  layout: Layout;
  m: number;
  n: number;
  k: number;
  pad?: [number, number, number]; // extra floats per row of A, B, C storage (sub-block strides)
  bias?: boolean;
  act?: number;
  accumulate?: boolean;
  atEnd?: 'a' | 'b' | 'c' | 'bias' | 'pack'; // place this operand flush against the end of memory
  packAlign?: number; // byte offset of the pack pointer from a 64-byte boundary (multiple of 16)
  usePack?: boolean; // gemmTN: pass a pack buffer (default true)
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const ACTS = [(x: number) => x, (x: number) => Math.max(x, 0), sigmoid, Math.tanh];

function runCase(env: Env, cs: Case, seed: number): { maxErr: number; worst: string } {
  const { memory, k: kern } = env;
  const { layout, m, n, k } = cs;
  const [padA, padB, padC] = cs.pad ?? [0, 0, 0];
  const act = cs.act ?? 0;
  const acc = !!cs.accumulate;
  // storage shapes: A is [m×k] (nn, nt) or [k×m] (tn); B is [k×n] (nn, tn) or [n×k] (nt)
  const aRows = layout === 'tn' ? k : m,
    aCols = layout === 'tn' ? m : k;
  const bRows = layout === 'nt' ? n : k,
    bCols = layout === 'nt' ? k : n;
  const lda = aCols + padA,
    ldb = bCols + padB,
    ldc = n + padC;
  const sizeA = (aRows - 1) * lda + aCols,
    sizeB = (bRows - 1) * ldb + bCols,
    sizeC = (m - 1) * ldc + n;
  const scratch = layout === 'nn' ? 0 : kern.gemmScratchFloats(m, n, k, LAYOUT_CODE[layout]);
  const usePack = layout === 'nt' || (layout === 'tn' && cs.usePack !== false);
  const sizes: Record<string, number> = {
    a: sizeA,
    b: sizeB,
    c: sizeC,
    bias: cs.bias ? n : 0,
    pack: usePack ? scratch : 0,
  };

  // lay buffers out from the heap base, each between canary guards; `atEnd` goes last, flush at the end
  const bytes = memory.buffer.byteLength;
  const ptr: Record<string, number> = {};
  let top = env.base;
  const order = ['a', 'b', 'c', 'bias', 'pack'].filter((x) => sizes[x] > 0 && x !== cs.atEnd);
  for (const name of order) {
    top += GUARD * 4;
    top = (top + 63) & ~63;
    if (name === 'pack') top += cs.packAlign ?? 0;
    ptr[name] = top;
    top += sizes[name] * 4;
  }
  top += GUARD * 4;
  if (cs.atEnd && sizes[cs.atEnd] > 0) {
    const p = (bytes - sizes[cs.atEnd] * 4) & ~15; // 16-byte aligned, ends within 12 bytes of the end
    expect(p).toBeGreaterThan(top + GUARD * 4);
    ptr[cs.atEnd] = p;
  }
  const u32 = new Uint32Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  u32.fill(CANARY, env.base >> 2, top >> 2);
  if (cs.atEnd) u32.fill(CANARY, top >> 2, bytes >> 2);

  const rand = rng(seed);
  const fill = (name: string, rows: number, cols: number, ld: number) => {
    const p = ptr[name] >> 2;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f32[p + r * ld + c] = rand();
  };
  fill('a', aRows, aCols, lda);
  fill('b', bRows, bCols, ldb);
  if (cs.bias) fill('bias', 1, n, n);
  if (acc) fill('c', m, n, ldc);
  const first = env.base >> 2;
  const end = cs.atEnd ? bytes >> 2 : top >> 2;
  const before = u32.slice(first, end); // every word: inputs and canaries must come back unchanged

  const A = (i: number, p: number) =>
    layout === 'tn' ? f32[(ptr.a >> 2) + p * lda + i] : f32[(ptr.a >> 2) + i * lda + p];
  const B = (p: number, j: number) =>
    layout === 'nt' ? f32[(ptr.b >> 2) + j * ldb + p] : f32[(ptr.b >> 2) + p * ldb + j];
  const cOld = (i: number, j: number) => (acc ? f32[(ptr.c >> 2) + i * ldc + j] : 0);
  const ref = new Float64Array(m * n),
    scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = cOld(i, j) + (cs.bias ? f32[(ptr.bias >> 2) + j] : 0);
      let sc = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const t = A(i, p) * B(p, j);
        s += t;
        sc += Math.abs(t);
      }
      ref[i * n + j] = ACTS[act](s);
      scale[i * n + j] = sc;
    }
  }

  if (layout === 'nn')
    kern.gemmNN(m, n, k, ptr.a, lda, ptr.b, ldb, ptr.c, ldc, cs.bias ? ptr.bias : 0, act, 0, acc ? 1 : 0);
  else if (layout === 'tn')
    kern.gemmTN(m, n, k, ptr.a, lda, ptr.b, ldb, ptr.c, ldc, acc ? 1 : 0, usePack ? ptr.pack : 0);
  else kern.gemmNT(m, n, k, ptr.a, lda, ptr.b, ldb, ptr.c, ldc, acc ? 1 : 0, ptr.pack);

  // C: within tolerance of the reference
  let maxErr = 0,
    worst = '';
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const got = f32[(ptr.c >> 2) + i * ldc + j];
      const want = ref[i * n + j];
      const tol = 1e-6 * (k + 4) * scale[i * n + j] + (act >= 2 ? 2e-6 : 1e-7);
      const err = Math.abs(got - want) / tol;
      if (!(err <= maxErr)) {
        maxErr = Number.isNaN(err) ? Infinity : err;
        worst = `C[${i}][${j}] = ${got}, want ${want}`;
      }
    }
  }
  // nothing else changed: inputs, canaries, the gaps between C's rows; only C's elements and the scratch may change
  const cStart = ptr.c >> 2;
  const isC = (w: number) => w >= cStart && w < cStart + sizeC && (w - cStart) % ldc < n;
  const packStart = usePack ? ptr.pack >> 2 : -1;
  const isPack = (w: number) => usePack && w >= packStart && w < packStart + scratch;
  let stray = -1;
  for (let w = first; w < end; w++) {
    if (u32[w] !== before[w - first] && !isC(w) && !isPack(w)) {
      stray = w;
      break;
    }
  }
  expect(stray, `stray write at byte ${stray * 4}`).toBe(-1);
  return { maxErr, worst };
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 3, 1],
  [7, 13, 5],
  [6, 8, 4],
  [5, 17, 3],
  [4, 4, 4],
  [8, 16, 7],
  [9, 31, 17],
  [12, 24, 8],
  [13, 7, 2],
  [11, 5, 9],
  [3, 9, 30],
  [16, 10, 100],
  [10, 12, 6],
  [14, 20, 11],
  [33, 300, 784],
  [32, 100, 300],
  [1, 300, 784],
  [20, 1, 33],
  [1, 7, 64],
  [17, 19, 23],
  // 6- and 5-row blocks (m ≥ 20 with m % 6 ≠ 0)
  [26, 13, 7],
  [29, 9, 5],
  [25, 21, 3],
  [32, 12, 10],
  [128, 20, 6],
];
// weight-gradient shapes: m = fan-in, n = fan-out, k = batch
const TN_EXTRA: [number, number, number][] = [
  [784, 300, 16],
  [100, 10, 32],
  [300, 100, 5],
  [37, 11, 3],
];
// input-gradient shapes: m = batch, n = fan-in, k = fan-out
const NT_EXTRA: [number, number, number][] = [
  [16, 784, 300],
  [5, 300, 100],
  [32, 100, 10],
];

for (const relaxed of [true, false]) {
  describe(`gemm kernels (${relaxed ? 'relaxed-simd requested' : 'plain simd'})`, () => {
    const env = setup(relaxed);
    const check = (cs: Case, seed = 1) => {
      const { maxErr, worst } = runCase(env, cs, seed);
      expect(maxErr, `${JSON.stringify(cs)}: ${worst}`).toBeLessThanOrEqual(1);
    };

    it('loads the requested flavour', () => {
      // Node 20 runs relaxed SIMD behind a V8 flag that module.ts turns on; SIMDNET_RELAXED_SIMD=0 opts out
      const want = relaxed && process.env.SIMDNET_RELAXED_SIMD !== '0' ? 'relaxed-simd' : 'simd';
      expect(env.flavour).toBe(want);
    });

    for (const layout of ['nn', 'tn', 'nt'] as Layout[]) {
      it(`${layout}: every shape, contiguous`, () => {
        const extra = layout === 'tn' ? TN_EXTRA : layout === 'nt' ? NT_EXTRA : [];
        let seed = 1;
        for (const [m, n, k] of [...SHAPES, ...extra]) check({ layout, m, n, k }, seed++);
      });

      it(`${layout}: sub-block strides (odd padding), accumulate`, () => {
        let seed = 100;
        for (const [m, n, k] of [
          [7, 13, 5],
          [6, 8, 4],
          [13, 21, 9],
          [33, 30, 40],
          [1, 5, 3],
          [10, 12, 1],
        ] as const) {
          check({ layout, m, n, k, pad: [3, 5, 7] }, seed++);
          check({ layout, m, n, k, pad: [1, 0, 2], accumulate: true }, seed++);
          check({ layout, m, n, k, accumulate: true }, seed++);
        }
      });

      it(`${layout}: operands flush against the end of memory`, () => {
        let seed = 200;
        const ends: Case['atEnd'][] = layout === 'nn' ? ['a', 'b', 'c'] : ['a', 'b', 'c', 'pack'];
        for (const atEnd of ends) {
          for (const [m, n, k] of [
            [7, 13, 5],
            [6, 8, 4],
            [5, 3, 2],
            [13, 17, 9],
          ] as const) {
            check({ layout, m, n, k, atEnd }, seed++);
            check({ layout, m, n, k, atEnd, pad: [1, 3, 1], accumulate: true }, seed++);
          }
        }
      });
    }

    it('nn: bias and every activation, with remainders', () => {
      let seed = 300;
      for (const [m, n, k] of [
        [7, 13, 5],
        [16, 10, 100],
        [33, 300, 78],
        [6, 8, 4],
        [1, 3, 2],
        [11, 20, 9],
      ] as const) {
        for (let act = 0; act <= 3; act++) {
          check({ layout: 'nn', m, n, k, bias: true, act }, seed++);
          check({ layout: 'nn', m, n, k, act, pad: [2, 1, 3] }, seed++);
        }
      }
      for (let act = 0; act <= 3; act++)
        check({ layout: 'nn', m: 9, n: 11, k: 7, bias: true, act, atEnd: 'bias' }, seed++);
    });

    it('tn: without a pack buffer (A read in place)', () => {
      let seed = 400;
      for (const [m, n, k] of [
        [7, 13, 5],
        [784, 30, 16],
        [13, 9, 33],
        [1, 1, 1],
      ] as const) {
        check({ layout: 'tn', m, n, k, usePack: false }, seed++);
        check({ layout: 'tn', m, n, k, usePack: false, pad: [3, 1, 2], accumulate: true }, seed++);
      }
    });

    it('tn / nt: pack pointers 16 bytes past a 64-byte boundary', () => {
      let seed = 500;
      for (const layout of ['tn', 'nt'] as Layout[]) {
        for (const packAlign of [16, 32, 48]) {
          check({ layout, m: 13, n: 11, k: 7, packAlign }, seed++);
          check({ layout, m: 6, n: 8, k: 5, packAlign, atEnd: 'pack' }, seed++);
        }
      }
    });

    it('the same product gives the same bits through every layout and sub-block split', () => {
      // C = A·B with A [m×k] and B [k×n]; also as TN (Aᵀ stored) and NT (Bᵀ stored); and as two
      // column halves / two row halves through the strides: all bit-identical.
      const { memory, k: kern, base } = env;
      const m = 23,
        n = 37,
        k = 29;
      const rand = rng(9);
      const f32 = new Float32Array(memory.buffer);
      let top = base;
      const alloc = (count: number) => {
        const p = top;
        top = (top + count * 4 + 63) & ~63;
        return p;
      };
      const a = alloc(m * k),
        at = alloc(k * m),
        b = alloc(k * n),
        bt = alloc(n * k);
      const c1 = alloc(m * n),
        c2 = alloc(m * n),
        c3 = alloc(m * n),
        c4 = alloc(m * n);
      const pack = alloc(Math.max(kern.gemmScratchFloats(m, n, k, 1), kern.gemmScratchFloats(m, n, k, 2)) + 64);
      for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) {
          const v = rand();
          f32[(a >> 2) + i * k + p] = v;
          f32[(at >> 2) + p * m + i] = v;
        }
      for (let p = 0; p < k; p++)
        for (let j = 0; j < n; j++) {
          const v = rand();
          f32[(b >> 2) + p * n + j] = v;
          f32[(bt >> 2) + j * k + p] = v;
        }
      kern.gemmNN(m, n, k, a, k, b, n, c1, n, 0, 0, 0, 0);
      kern.gemmTN(m, n, k, at, m, b, n, c2, n, 0, pack);
      kern.gemmNT(m, n, k, a, k, bt, k, c3, n, 0, pack);
      // c4: column split at 13 and row split at 9
      kern.gemmNN(m, 13, k, a, k, b, n, c4, n, 0, 0, 0, 0);
      kern.gemmNN(9, n - 13, k, a, k, b + 13 * 4, n, c4 + 13 * 4, n, 0, 0, 0, 0);
      kern.gemmNN(m - 9, n - 13, k, a + 9 * k * 4, k, b + 13 * 4, n, c4 + (9 * n + 13) * 4, n, 0, 0, 0, 0);
      const u = new Uint32Array(memory.buffer);
      const bits = (p: number) => Array.from(u.subarray(p >> 2, (p >> 2) + m * n));
      expect(bits(c2)).toEqual(bits(c1));
      expect(bits(c3)).toEqual(bits(c1));
      expect(bits(c4)).toEqual(bits(c1));
    });

    it('gemmScratchFloats covers each layout, peakProbe runs', () => {
      expect(env.k.gemmScratchFloats(128, 300, 784, 0)).toBe(0);
      expect(env.k.gemmScratchFloats(784, 300, 128, 1)).toBeGreaterThanOrEqual(784 * 128);
      // never more than the k·n (+64 bytes) the engine budgets for NT, m·k (+64 bytes) for TN
      for (const [m, n, k] of [
        [128, 784, 300],
        [512, 100, 10],
        [7, 3, 5],
        [1, 1, 1],
      ]) {
        expect(env.k.gemmScratchFloats(m, n, k, 2)).toBeGreaterThan(0);
        expect(env.k.gemmScratchFloats(m, n, k, 2)).toBeLessThanOrEqual(k * n + 16);
        expect(env.k.gemmScratchFloats(n, m, k, 1)).toBeLessThanOrEqual(n * k + 16);
      }
      expect(Number.isFinite(env.k.peakProbe(1000))).toBe(true);
    });
  });
}
