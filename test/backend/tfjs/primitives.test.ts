// The other primitives (reduce, matmul, gatherRows, oneHot, fill, randomUniform) and the buffer
// methods (partial writes and reads across segments, countNonFinite, writeRows, readScalar) of the
// tfjs backend (tfjs cpu in Node) against the float64 reference backend, on odd shapes.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, KernelCall } from '../../../src/backend/backend.js';
import { REDUCE_OPS } from '../../../src/backend/calls/primitive.js';
import type { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import type { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';
import { expectClose, quarters, runOn, tf, tfjsCpu, uniforms, type BufferSpec, type Slices } from './helpers.js';

let tfjs: TfjsBackend;
let reference: ReferenceBackend;
beforeAll(async () => {
  ({ tfjs, reference } = await tfjsCpu());
});

function compare(
  specs: Record<string, BufferSpec>,
  build: (s: Slices) => KernelCall[],
  out: string,
  what: string,
  rtol = 1e-5,
  atol = 1e-6,
): Float32Array {
  const expected = runOn(reference, specs, build)[out];
  const actual = runOn(tfjs, specs, build)[out];
  expectClose(actual, expected, what, rtol, atol);
  return actual;
}

describe('tfjs backend: reduce', () => {
  const SHAPES: readonly [number, number][] = [
    [5, 7],
    [1, 9],
    [9, 1],
    [1, 1],
    [64, 33],
  ];
  for (const op of REDUCE_OPS) {
    for (const axis of ['cols', 'rows'] as const) {
      it(`${op} along ${axis}`, () => {
        for (const [rows, cols] of SHAPES) {
          // quarters: ties, so argmax must give the first largest
          for (const x of [uniforms(rows * cols, rows + cols), quarters(rows * cols, rows * cols)]) {
            const outLength = axis === 'cols' ? rows : cols;
            compare(
              { x: { data: x }, y: { length: outLength } },
              (s) => [{ kind: 'reduce', op, axis, x: s.x, y: s.y, rows, cols }],
              'y',
              `${op} ${axis} [${rows},${cols}]`,
              1e-5,
              1e-5,
            );
          }
        }
      });
    }
  }

  it('max and min of a row with NaN are NaN; argmax skips NaN (0 when all are NaN)', () => {
    const x = new Float32Array([NaN, 1, 3, 2, 5, NaN, -Infinity, -Infinity, NaN, NaN, NaN, NaN, -1, Infinity, NaN, 4]);
    for (const op of REDUCE_OPS) {
      for (const axis of ['cols', 'rows'] as const) {
        compare(
          { x: { data: x }, y: { length: 4 } },
          (s) => [{ kind: 'reduce', op, axis, x: s.x, y: s.y, rows: 4, cols: 4 }],
          'y',
          `${op} ${axis} with NaN`,
        );
      }
    }
  });
});

describe('tfjs backend: matmul', () => {
  const SHAPES: readonly [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [17, 9, 33],
    [8, 1, 4],
    [1, 8, 4],
    [2, 3, 130],
  ];
  for (const layout of ['nn', 'tn', 'nt'] as const) {
    it(`${layout} on odd shapes`, () => {
      for (const [m, n, k] of SHAPES) {
        const a = uniforms(m * k, m + 3 * k, -1, 1);
        const b = uniforms(k * n, n + 5 * k, -1, 1);
        compare(
          { a: { data: a }, b: { data: b }, c: { length: m * n } },
          (s) => [{ kind: 'matmul', layout, m, n, k, a: s.a, b: s.b, c: s.c }],
          'c',
          `${layout} ${m}x${n}x${k}`,
          1e-5,
          1e-6 * k,
        );
      }
    });
  }
});

describe('tfjs backend: gatherRows, oneHot, fill', () => {
  it('gathers float rows and int32 rows (labels stay int32)', () => {
    const source = uniforms(30, 4);
    const labels = new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).map((v) => v * 7 - 20);
    for (const backend of [tfjs, reference] as Backend[]) {
      const rows = backend.upload(new Int32Array([9, 0, 3, 3, 7]));
      const data = backend.upload(source);
      const labelData = backend.upload(labels);
      const out = backend.createBuffer(15 * 4);
      const outLabels = backend.createBuffer(5 * 4);
      const binding = { buffer: data };
      const labelBinding = { buffer: labelData };
      const slice = (buffer: typeof out) => ({ kind: 'buffer', buffer, byteOffset: 0 }) as const;
      const exe = backend.compile({
        arenaBytes: 0,
        calls: [
          { kind: 'gatherRows', source: binding, rows: slice(rows), out: slice(out), count: 5, rowLength: 3 },
          {
            kind: 'gatherRows',
            source: labelBinding,
            rows: slice(rows),
            out: slice(outLabels),
            count: 5,
            rowLength: 1,
          },
        ],
      });
      exe.run();
      const expected = [9, 0, 3, 3, 7].flatMap((r) => Array.from(source.subarray(r * 3, r * 3 + 3)));
      expect(Array.from(backend.readF32(out, 0, 15)), backend.name).toEqual(expected);
      expect(Array.from(backend.readI32(outLabels, 0, 5)), backend.name).toEqual([9, 0, 3, 3, 7].map((r) => labels[r]));
      // A binding is read when the program runs: rebind to another source.
      binding.buffer = backend.upload(source.map((v) => v * 2));
      exe.run();
      expect(Array.from(backend.readF32(out, 0, 15)), backend.name).toEqual(expected.map((v) => Math.fround(v * 2)));
      exe.dispose();
    }
  });

  it('oneHot: int32 labels; a label outside [0, cols) gives a zero row', () => {
    const labels = new Int32Array([0, 3, -1, 4, 2, 100, 1]);
    const y = compare(
      { l: { data: labels }, y: { length: 28 } },
      (s) => [{ kind: 'oneHot', labels: s.l, y: s.y, rows: 7, cols: 4 }],
      'y',
      'oneHot',
    );
    expect(Array.from(y.subarray(8, 16))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(y.subarray(4, 8))).toEqual([0, 0, 0, 1]);
  });

  it('oneHot of labels stored as float32 (cast to int32)', () => {
    compare(
      { l: { data: new Float32Array([2, 0, 1]) }, y: { length: 9 } },
      (s) => [{ kind: 'oneHot', labels: s.l, y: s.y, rows: 3, cols: 3 }],
      'y',
      'oneHot f32',
    );
  });

  it('fill with a number and with a HostScalar read at run time', () => {
    const host = { value: 2.5 };
    compare({ y: { length: 13 } }, (s) => [{ kind: 'fill', y: s.y, n: 13, value: -1.5 }], 'y', 'fill number');
    compare({ y: { length: 13 } }, (s) => [{ kind: 'fill', y: s.y, n: 13, value: host }], 'y', 'fill host');
  });
});

describe('tfjs backend: randomUniform', () => {
  const draw = (n: number, seed: number, salt: number) =>
    runOn(tfjs, { y: { length: n } }, (s) => [{ kind: 'randomUniform', y: s.y, n, seed: { value: seed }, salt }]).y;

  it('values in [0, 1), reproducible for a (seed, salt), different for another seed or salt', () => {
    const u = draw(10_000, 42, 3);
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = u.reduce((s, v) => s + v, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(Array.from(draw(10_000, 42, 3))).toEqual(Array.from(u));
    const otherSeed = draw(10_000, 43, 3);
    const otherSalt = draw(10_000, 42, 4);
    expect(otherSeed.filter((v, i) => v === u[i]).length).toBeLessThan(10);
    expect(otherSalt.filter((v, i) => v === u[i]).length).toBeLessThan(10);
  });

  it('reads the seed when the program runs (a new mask every step)', () => {
    const seed = { value: 1 };
    const y = tfjs.createBuffer(64 * 4);
    const exe = tfjs.compile({
      arenaBytes: 0,
      calls: [{ kind: 'randomUniform', y: { kind: 'buffer', buffer: y, byteOffset: 0 }, n: 64, seed, salt: 0 }],
    });
    exe.run();
    const first = tfjs.readF32(y, 0, 64);
    seed.value = 2;
    exe.run();
    expect(Array.from(tfjs.readF32(y, 0, 64))).not.toEqual(Array.from(first));
    seed.value = 1;
    exe.run();
    expect(Array.from(tfjs.readF32(y, 0, 64))).toEqual(Array.from(first));
    exe.dispose();
  });
});

describe('tfjs backend: buffers', () => {
  it('partial writes and reads across segments and gaps, float32 and int32', () => {
    for (const backend of [tfjs, reference] as Backend[]) {
      const b = backend.createBuffer(12 * 4);
      backend.write(b, new Float32Array([1, 2, 3, 4]), 4);
      backend.write(b, new Float32Array([5, 6]), 28);
      backend.write(b, new Float32Array([9]), 8); // splits the first segment
      expect(Array.from(backend.readF32(b, 0, 12)), backend.name).toEqual([0, 1, 9, 3, 4, 0, 0, 5, 6, 0, 0, 0]);
      expect(Array.from(backend.readF32(b, 12, 5)), backend.name).toEqual([3, 4, 0, 0, 5]);
      expect(backend.readScalar(b, 8)).toBe(9);
      const l = backend.createBuffer(5 * 4);
      backend.write(l, new Int32Array([7, 8]), 4);
      expect(Array.from(backend.readI32(l, 0, 5)), backend.name).toEqual([0, 7, 8, 0, 0]);
      backend.disposeBuffer(b);
      backend.disposeBuffer(l);
    }
  });

  it('countNonFinite, uploadCounting and writeRows', () => {
    const data = new Float32Array([1, NaN, Infinity, -Infinity, 0, 3, NaN]);
    const { buffer, nonFinite } = tfjs.uploadCounting(data);
    expect(nonFinite).toBe(4);
    expect(tfjs.countNonFinite(buffer, 2)).toBe(1);
    const rows = tfjs.createBuffer(6 * 4);
    tfjs.writeRows(rows, new Float32Array([0, 1, 10, 11, 20, 21, 30, 31]), new Int32Array([3, 0, 2, 1]), 1, 3, 2);
    expect(Array.from(tfjs.readF32(rows, 0, 6))).toEqual([0, 1, 20, 21, 10, 11]);
  });

  it('host copies do not alias: changing an uploaded array or a read-back array changes nothing stored', () => {
    const host = new Float32Array([1, 2, 3]);
    const b = tfjs.upload(host);
    host[0] = 100;
    const back = tfjs.readF32(b, 0, 3);
    back[1] = 200;
    expect(Array.from(tfjs.readF32(b, 0, 3))).toEqual([1, 2, 3]);
    tfjs.disposeBuffer(b);
  });

  it('describes itself with the tfjs backend it runs on', () => {
    expect(tfjs.name).toBe('tfjs');
    expect(tfjs.description).toBe('tfjs (cpu)');
    expect(tfjs.tfBackend).toBe(tf.getBackend());
  });
});
