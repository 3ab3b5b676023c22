// Dropout ops: the counter-based mask stream (exact against a JavaScript model of the hash, the same
// numbers for any split of the range), its statistics, the kept values, determinism per seed, the
// gradient against central differences of the same masked function, and alpha dropout's affine
// correction (Keras's formulas keep a standardised input's mean 0 and variance 1). Both kernel builds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostScalar } from '../../src/backend/backend.js';
import { configureBackend, getBackend } from '../../src/backend/index.js';
import { instantiateKernels } from '../../src/backend/wasm/module.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { dropout, type DropoutNoise } from '../../src/graph/ops/dropout.js';
import { placeholder } from '../../src/graph/tensor.js';
import { ALPHA_P } from '../../src/layers/alpha-dropout.js';
import { Generator } from '../../src/random.js';
import { gradCheck, randomData } from '../helpers/gradcheck.js';

// ---- a JavaScript model of assembly/random.ts ----------------------------------------------------

function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
function uniformStream(seed: number, salt: number, first: number, n: number): Float64Array {
  const k1 = mix((seed ^ mix((salt ^ 0x9e3779b9) >>> 0)) >>> 0);
  const k2 = mix((k1 ^ 0x85ebca6b) >>> 0);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = (mix((mix(((first + j) ^ k1) >>> 0) + k2) >>> 0) >>> 8) / 16777216;
  return out;
}

// ---- running the forward op ----------------------------------------------------------------------

function runDropout(
  data: Float32Array,
  shape: number[],
  noise: DropoutNoise,
  seedValue: number,
  salt: number,
): { y: Float32Array; mask: Float32Array } {
  const seed: HostScalar = { value: seedValue };
  const x = placeholder(shape, 'float32', 'x');
  const [y, mask] = dropout(x, noise, seed, salt);
  const graph = new CompiledGraph(getBackend(), { feeds: [x], fetches: [y, mask] });
  try {
    graph.write(x, data);
    graph.run();
    return { y: graph.read(y) as Float32Array, mask: graph.read(mask) as Float32Array };
  } finally {
    graph.dispose();
  }
}

function normals(n: number, seed: number): Float32Array {
  const rng = new Generator(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

function alphaNoise(rate: number): DropoutNoise {
  const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
  return { kind: 'alpha', rate, a, b: -a * ALPHA_P * rate, alphaP: ALPHA_P };
}

describe('the mask stream (kernel randomUniform)', () => {
  for (const relaxedSimd of [true, false]) {
    it(
      `matches the JavaScript model of the hash exactly, and any sub-range [first, first + n) gives the same ` +
        `numbers (${relaxedSimd ? 'relaxed' : 'plain'} SIMD)`,
      () => {
        const memory = new WebAssembly.Memory({ initial: 4 });
        const { exports } = instantiateKernels(memory, { relaxedSimd });
        const k = exports as unknown as {
          randomUniform(out: number, n: number, seed: number, salt: number, first: number): void;
        };
        const base = (Number(exports.heapBase.value) + 63) & ~63;
        const n = 1003;
        const seed = 0xdeadbeef;
        const salt = 12345;
        k.randomUniform(base, n, seed, salt, 0);
        const whole = new Float32Array(memory.buffer, base, n).slice();
        expect(Array.from(whole)).toEqual(Array.from(uniformStream(seed, salt, 0, n)));
        // Thread-style splits: uneven pieces starting anywhere (not only at multiples of 4).
        for (const [first, len] of [
          [0, 5],
          [5, 498],
          [503, 1],
          [504, 499],
          [7, 3],
        ]) {
          k.randomUniform(base + 8192, len, seed, salt, first);
          expect(Array.from(new Float32Array(memory.buffer, base + 8192, len))).toEqual(
            Array.from(whole.subarray(first, first + len)),
          );
        }
      },
    );
  }

  it('is uniform: mean, variance, decile counts and lag-1 correlation within sampling error', () => {
    const n = 200_000;
    const u = uniformStream(7, 3, 0, n);
    let mean = 0;
    for (const v of u) mean += v;
    mean /= n;
    let variance = 0;
    let lag = 0;
    for (let i = 0; i < n; i++) {
      variance += (u[i] - mean) ** 2;
      if (i > 0) lag += (u[i] - mean) * (u[i - 1] - mean);
    }
    variance /= n;
    const corr = lag / n / variance;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(n));
    const deciles = new Array<number>(10).fill(0);
    for (const v of u) deciles[Math.floor(v * 10)]++;
    // χ² with 9 degrees of freedom: P(χ² > 33.7) < 1e-4.
    const chi2 = deciles.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(33.7);
  });
});

describe.each([
  { build: 'relaxed-simd', relaxedSimd: true },
  { build: 'simd', relaxedSimd: false },
])('dropout op, $build kernels', ({ relaxedSimd }) => {
  beforeAll(() => configureBackend({ relaxedSimd }));
  afterAll(() => configureBackend({ relaxedSimd: true }));

  it(
    'keeps a fraction within sampling error of 1 − rate; kept values are x·s with s = 1/(1 − rate) in float32, ' +
      'dropped ones 0; the mask is s or 0',
    () => {
      const n = 100_003;
      const x = Float32Array.from(randomData(n, 11, -3, 3));
      for (const rate of [0.1, 0.2, 0.5, 0.9]) {
        const { y, mask } = runDropout(x, [n], { kind: 'dropout', rate }, 0x1234567, 99);
        const s = Math.fround(1 / (1 - rate));
        let kept = 0;
        const bad: string[] = [];
        for (let i = 0; i < n; i++) {
          if (mask[i] !== 0) {
            kept++;
            if (mask[i] !== s) bad.push(`mask[${i}] = ${mask[i]}`);
            if (y[i] !== Math.fround(x[i] * s)) bad.push(`y[${i}] = ${y[i]} ≠ ${x[i]}·${s}`);
            // and within an ulp of the exact x/(1 − rate) (s's rounding and the product's)
            if (Math.abs(y[i] - x[i] / (1 - rate)) > Math.abs(x[i] / (1 - rate)) * 2 ** -23)
              bad.push(`y[${i}] far from x/(1 − rate)`);
          } else if (y[i] !== 0) bad.push(`element ${i} dropped but y = ${y[i]}`);
        }
        expect(bad.slice(0, 5)).toEqual([]);
        const p = 1 - rate;
        expect(Math.abs(kept / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
        // exactly the elements whose stream value is ≥ rate
        const u = uniformStream(0x1234567, 99, 0, n);
        for (let i = 0; i < n; i++)
          if (u[i] >= rate !== (mask[i] !== 0)) expect.fail(`element ${i}: u = ${u[i]}, rate ${rate}, mask ${mask[i]}`);
      }
    },
  );

  it('the same seed and salt give the same mask; another step seed or salt gives an independent one', () => {
    const n = 20_000;
    const x = new Float32Array(n).fill(1);
    const rate = 0.5;
    const a = runDropout(x, [100, 200], { kind: 'dropout', rate }, 42, 1).mask;
    const again = runDropout(x, [100, 200], { kind: 'dropout', rate }, 42, 1).mask;
    expect(Array.from(again)).toEqual(Array.from(a));
    for (const [seed, salt] of [
      [43, 1],
      [42, 2],
    ]) {
      const b = runDropout(x, [100, 200], { kind: 'dropout', rate }, seed, salt).mask;
      let both = 0;
      let differ = 0;
      for (let i = 0; i < n; i++) {
        if (a[i] !== 0 && b[i] !== 0) both++;
        if (a[i] !== b[i]) differ++;
      }
      expect(differ).toBeGreaterThan(0);
      // independent masks: P(both kept) = (1 − rate)², within 5σ
      const p = (1 - rate) ** 2;
      expect(Math.abs(both / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('gradient: dx = dy ⊙ mask against central differences of the same masked function (fixed seed)', () => {
    const shape = [6, 13];
    const n = 78;
    const seed: HostScalar = { value: 2024 };
    const rate = 0.3;
    const data = randomData(n, 5);
    const { mask } = runDropout(Float32Array.from(data), shape, { kind: 'dropout', rate }, seed.value, 7);
    expect(mask.some((m) => m === 0)).toBe(true);
    const r = gradCheck(
      ([x]) => dropout(x, { kind: 'dropout', rate }, seed, 7)[0],
      ([x]) => x.map((v, i) => v * mask[i]),
      [{ shape, data }],
    );
    expect(r.forwardError).toBeLessThan(1e-6);
    expect(r.gradientErrors[0]).toBeLessThan(1e-4);
  });

  it('alpha dropout: kept a·x + b, dropped a·α′ + b (Keras), mask a or 0; gradient a ⊙ kept', () => {
    const shape = [5, 11];
    const seed: HostScalar = { value: 77 };
    const rate = 0.25;
    const noise = alphaNoise(rate);
    if (noise.kind !== 'alpha') throw new Error('unreachable');
    const data = randomData(55, 8, -2, 2);
    const { y, mask } = runDropout(Float32Array.from(data), shape, noise, seed.value, 3);
    const u = uniformStream(77, 3, 0, 55);
    for (let i = 0; i < 55; i++) {
      const kept = u[i] >= rate;
      expect(mask[i]).toBe(kept ? Math.fround(noise.a) : 0);
      const expected = kept ? noise.a * Math.fround(data[i]) + noise.b : noise.a * ALPHA_P + noise.b;
      expect(Math.abs(y[i] - expected)).toBeLessThan(1e-6);
    }
    const ref = ([x]: Float64Array[]) =>
      x.map((v, i) => (mask[i] !== 0 ? noise.a * v + noise.b : noise.a * ALPHA_P + noise.b));
    const r = gradCheck(([x]) => dropout(x, noise, seed, 3)[0], ref, [{ shape, data }]);
    expect(r.forwardError).toBeLessThan(1e-6);
    expect(r.gradientErrors[0]).toBeLessThan(1e-4);
  });

  it('alpha dropout keeps a standardised input at mean 0 and variance 1 (the point of its a and b)', () => {
    const n = 200_000;
    const x = normals(n, 31);
    for (const rate of [0.1, 0.3]) {
      const { y } = runDropout(x, [n], alphaNoise(rate), 5, 9);
      let mean = 0;
      for (const v of y) mean += v;
      mean /= n;
      let variance = 0;
      for (const v of y) variance += (v - mean) ** 2;
      variance /= n;
      expect(Math.abs(mean)).toBeLessThan(0.015);
      expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    }
  });
});
