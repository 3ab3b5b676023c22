// The elementwise primitives (unary, binary, where) on the tfjs backend (tfjs cpu in Node) against
// the float64 reference backend: every op, every operand mode (full, row, column, one value in
// memory, a number, a HostScalar) for each operand, on odd shapes. Inputs are multiples of 0.25 so
// that equal values, zeros, integers and negative bases occur; float32 tolerance (rtol 1e-5).

import { beforeAll, describe, expect, it } from 'vitest';
import type { HostScalar, KernelCall } from '../../../src/backend/backend.js';
import { BINARY_OPS, UNARY_OPS, type Operand, type UnaryOp } from '../../../src/backend/calls/primitive.js';
import type { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import type { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';
import { expectClose, quarters, runOn, tfjsCpu, uniforms, type BufferSpec, type Slices } from './helpers.js';

let tfjs: TfjsBackend;
let reference: ReferenceBackend;
beforeAll(async () => {
  ({ tfjs, reference } = await tfjsCpu());
});

const MODES = ['full', 'row', 'column', 'scalar', 'number', 'hostScalar'] as const;
type Mode = (typeof MODES)[number];
const SHAPES: readonly [number, number][] = [
  [5, 7],
  [1, 1],
  [4, 1],
  [1, 6],
  [13, 11],
];

/** An operand of `mode` over [rows, cols] named `name`: its buffer (if any) and the operand. */
function operandOf(
  mode: Mode,
  name: string,
  rows: number,
  cols: number,
  seed: number,
  host: HostScalar,
): { spec?: BufferSpec; operand: (s: Slices) => Operand } {
  const length = mode === 'full' ? rows * cols : mode === 'row' ? cols : mode === 'column' ? rows : 1;
  switch (mode) {
    case 'number':
      return { operand: () => ({ kind: 'constant', value: 1.75 }) };
    case 'hostScalar':
      return { operand: () => ({ kind: 'constant', value: host }) };
    default:
      return { spec: { data: quarters(length, seed) }, operand: (s) => ({ kind: mode, slice: s[name] }) };
  }
}

/** Runs one call on both backends and compares its output. */
function compare(
  specs: Record<string, BufferSpec>,
  build: (s: Slices) => KernelCall,
  what: string,
  rtol = 1e-5,
  atol = 1e-6,
): void {
  const expected = runOn(reference, specs, (s) => [build(s)]).y;
  const actual = runOn(tfjs, specs, (s) => [build(s)]).y;
  expectClose(actual, expected, what, rtol, atol);
}

describe('tfjs backend: unary primitives against the float64 reference', () => {
  const special = new Float32Array([0, -0, 1, -1, 0.5, -0.5, 1e-6, -1e-6, 20, -20, 88, -88, 3.75, -2.25]);
  for (const op of UNARY_OPS) {
    it(`${op} on 1, 37 and 301 values`, () => {
      for (const n of [1, 37, 301]) {
        const x = n === 1 ? new Float32Array([-1.25]) : uniforms(n, n + op.length, -4, 4);
        if (n > special.length) x.set(special);
        if (n === 37) x.set(quarters(20, 3), 17);
        // erf: tfjs uses Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7); exp and friends round in float32
        compare(
          { x: { data: x }, y: { length: n } },
          (s) => ({ kind: 'unary', op, x: s.x, y: s.y, n }),
          `${op} n=${n}`,
          1e-5,
          op === 'erf' ? 3e-7 : 1e-6,
        );
      }
    });
  }

  it('identity of int32 values keeps them int32 and exact', () => {
    const labels = new Int32Array([3, -7, 2147483647, 0, 16777217]);
    const out = tfjs.createBuffer(20);
    const src = tfjs.upload(labels);
    const exe = tfjs.compile({
      arenaBytes: 0,
      calls: [
        {
          kind: 'unary',
          op: 'identity',
          x: { kind: 'buffer', buffer: src, byteOffset: 0 },
          y: { kind: 'buffer', buffer: out, byteOffset: 0 },
          n: 5,
        },
      ],
    });
    exe.run();
    expect(Array.from(tfjs.readI32(out, 0, 5))).toEqual(Array.from(labels));
    exe.dispose();
  });
});

describe('tfjs backend: binary primitives, every operand mode', () => {
  for (const op of BINARY_OPS) {
    it(`${op}: ${MODES.length}×${MODES.length} operand modes on ${SHAPES.length} shapes`, () => {
      for (const [rows, cols] of SHAPES) {
        for (const ma of MODES) {
          for (const mb of MODES) {
            const host = { value: -0.5 };
            const a = operandOf(ma, 'a', rows, cols, 11 + rows, host);
            const b = operandOf(mb, 'b', rows, cols, 23 + cols, host);
            const specs: Record<string, BufferSpec> = { y: { length: rows * cols } };
            if (a.spec) specs.a = a.spec;
            if (b.spec) specs.b = b.spec;
            compare(
              specs,
              (s) => ({ kind: 'binary', op, a: a.operand(s), b: b.operand(s), y: s.y, rows, cols }),
              `${op} ${ma}∘${mb} [${rows},${cols}]`,
            );
          }
        }
      }
    });
  }

  it('reads a HostScalar operand when the program runs, not when it is compiled', () => {
    const host = { value: 2 };
    const specs = { a: { data: new Float32Array([1, 2, 3]) }, y: { length: 3 } };
    const values: number[][] = [];
    const buffers = { a: tfjs.upload(specs.a.data), y: tfjs.createBuffer(12) };
    const exe = tfjs.compile({
      arenaBytes: 0,
      calls: [
        {
          kind: 'binary',
          op: 'mul',
          a: { kind: 'full', slice: { kind: 'buffer', buffer: buffers.a, byteOffset: 0 } },
          b: { kind: 'constant', value: host },
          y: { kind: 'buffer', buffer: buffers.y, byteOffset: 0 },
          rows: 1,
          cols: 3,
        },
      ],
    });
    for (const v of [2, -1, 0.5]) {
      host.value = v;
      exe.run();
      values.push(Array.from(tfjs.readF32(buffers.y, 0, 3)));
    }
    expect(values).toEqual([
      [2, 4, 6],
      [-1, -2, -3],
      [0.5, 1, 1.5],
    ]);
    exe.dispose();
  });

  it('divides int32 values as numbers (tfjs would floor-divide int32 tensors)', () => {
    const specs = {
      a: { data: new Int32Array([7, -7, 1, 9]) },
      b: { data: new Int32Array([2, 2, 3, 1]) },
      y: { length: 4 },
    };
    const build = (s: Slices): KernelCall[] => [
      {
        kind: 'binary',
        op: 'div',
        a: { kind: 'full', slice: s.a },
        b: { kind: 'full', slice: s.b },
        y: s.y,
        rows: 1,
        cols: 4,
      },
    ];
    expect(Array.from(runOn(tfjs, specs, build).y)).toEqual(Array.from(new Float32Array([3.5, -3.5, 1 / 3, 9])));
  });

  it('compares float scores with int32 labels (an accuracy count)', () => {
    const specs = {
      a: { data: new Float32Array([2, 0, 1, 1]) },
      b: { data: new Int32Array([2, 1, 1, 0]) },
      y: { length: 4 },
    };
    const build = (s: Slices): KernelCall[] => [
      {
        kind: 'binary',
        op: 'equal',
        a: { kind: 'full', slice: s.a },
        b: { kind: 'full', slice: s.b },
        y: s.y,
        rows: 1,
        cols: 4,
      },
    ];
    expect(Array.from(runOn(tfjs, specs, build).y)).toEqual([1, 0, 1, 0]);
  });
});

describe('tfjs backend: where, every operand mode of cond, a and b', () => {
  const COND_MODES = MODES;
  for (const [rows, cols] of [
    [5, 7],
    [1, 1],
    [3, 1],
    [2, 9],
  ] as const) {
    it(`[${rows}, ${cols}]`, () => {
      for (const mc of COND_MODES) {
        for (const ma of MODES) {
          for (const mb of MODES) {
            const host = { value: 0 };
            const c = operandOf(mc, 'c', rows, cols, 5 + rows * cols, host);
            const a = operandOf(ma, 'a', rows, cols, 7 + rows, host);
            const b = operandOf(mb, 'b', rows, cols, 9 + cols, { value: -3 });
            const specs: Record<string, BufferSpec> = { y: { length: rows * cols } };
            if (c.spec) specs.c = c.spec;
            if (a.spec) specs.a = a.spec;
            if (b.spec) specs.b = b.spec;
            compare(
              specs,
              (s) => ({ kind: 'where', cond: c.operand(s), a: a.operand(s), b: b.operand(s), y: s.y, rows, cols }),
              `where ${mc} ? ${ma} : ${mb}`,
            );
          }
        }
      }
    });
  }
});

describe('tfjs backend: NaN and infinities as the reference treats them', () => {
  const x = new Float32Array([NaN, Infinity, -Infinity, 0, -0, 2, -2]);
  for (const op of ['sign', 'step', 'abs', 'neg', 'floor', 'square', 'exp', 'tanh', 'sigmoid'] satisfies UnaryOp[]) {
    it(`${op}`, () => {
      compare(
        { x: { data: x }, y: { length: x.length } },
        (s) => ({ kind: 'unary', op, x: s.x, y: s.y, n: x.length }),
        op,
      );
    });
  }

  it('max and min of a NaN are NaN; comparisons with NaN are 0; where takes a NaN condition as true', () => {
    const a = new Float32Array([NaN, 1, NaN, -Infinity, 3]);
    const b = new Float32Array([1, NaN, NaN, 2, Infinity]);
    for (const op of ['max', 'min', 'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'add'] as const) {
      compare(
        { a: { data: a }, b: { data: b }, y: { length: 5 } },
        (s) => ({
          kind: 'binary',
          op,
          a: { kind: 'full', slice: s.a },
          b: { kind: 'full', slice: s.b },
          y: s.y,
          rows: 1,
          cols: 5,
        }),
        op,
      );
    }
    compare(
      { c: { data: a }, a: { data: b }, y: { length: 5 } },
      (s) => ({
        kind: 'where',
        cond: { kind: 'full', slice: s.c },
        a: { kind: 'full', slice: s.a },
        b: { kind: 'constant', value: 7 },
        y: s.y,
        rows: 1,
        cols: 5,
      }),
      'where',
    );
  });
});
