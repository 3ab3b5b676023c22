// The primitive calls: every unary op; every binary op with its operands full, broadcast from a row,
// a column or one value in memory, or a constant (a number or a HostScalar); where; every reduction
// along both axes; matmul in its three layouts; oneHot; randomUniform; fill; gatherRows. Inputs hold
// NaN, ±Infinity, ±0 and ties.

import type { HostScalar } from '../../../../src/backend/backend.js';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type Operand } from '../../../../src/backend/calls/primitive.js';
import { type CallCase, ints, normals, tied, uniformCheck, uniforms, type Slices } from '../calls-harness.js';

const ROWS = 5;
const COLS = 7;
const N = ROWS * COLS;

/** Unary inputs: normals, with the values where the functions have their edges. */
function unaryInputs(): Float32Array {
  const x = normals(N, 2);
  for (const [i, v] of [0, -0, NaN, Infinity, -Infinity, -1, 1e-7, -2.5, 2.5, 90, -90, 0.5, -0.5, 1e30].entries())
    x[i * 2] = v;
  return x;
}

/** Binary inputs: a and b with equal values (ties), zeros, NaN and ±Infinity at the same places. */
function binaryInputs(): {
  a: Float32Array;
  b: Float32Array;
  row: Float32Array;
  column: Float32Array;
  scalar: Float32Array;
} {
  const a = tied(N).map((v, i) => (i % 3 ? v - 0.75 : v));
  const b = tied(N).map((v, i) => (i % 4 ? v - 1 : v));
  const specials: [number, number][] = [
    [0, 0],
    [-0, 0],
    [1, 0],
    [-1, 0],
    [NaN, 1],
    [1, NaN],
    [Infinity, 2],
    [-Infinity, Infinity],
    [2, -Infinity],
    [-2, 3],
    [-2, 0.5],
    [0, -1],
    [1.5, 1.5],
  ];
  for (const [i, [u, v]] of specials.entries()) {
    a[i * 2 + 1] = u;
    b[i * 2 + 1] = v;
  }
  return {
    a,
    b,
    row: Float32Array.of(0, -1, 1.5, NaN, 2, -0.5, 0.5),
    column: Float32Array.of(1, 0, -1.5, 2, Infinity),
    scalar: Float32Array.of(-0.5),
  };
}

const hostScalar: HostScalar = { value: -1.5 };

type Modes = [string, (s: Slices) => Operand, (s: Slices) => Operand, inPlace?: boolean];
const full =
  (name: string) =>
  (s: Slices): Operand => ({ kind: 'full', slice: s[name] });
const shaped =
  (kind: 'row' | 'column' | 'scalar') =>
  (s: Slices): Operand => ({ kind, slice: s[kind] });
const constant = (value: number | HostScalar) => (): Operand => ({ kind: 'constant', value });
const BINARY_MODES: Modes[] = [
  ['full, full', full('a'), full('b')],
  ['full, row', full('a'), shaped('row')],
  ['full, column', full('a'), shaped('column')],
  ['full, scalar', full('a'), shaped('scalar')],
  ['full, constant 0.75', full('a'), constant(0.75)],
  ['full, constant HostScalar', full('a'), constant(hostScalar)],
  ['row, column', shaped('row'), shaped('column')],
  ['constant 2, full', constant(2), full('b')],
  ['scalar, row', shaped('scalar'), shaped('row')],
  ['full, full, in place (y = a)', full('a'), full('b'), true],
];

const WHERE_MODES: [
  string,
  (s: Slices) => Operand,
  (s: Slices) => Operand,
  (s: Slices) => Operand,
  inPlace?: boolean,
][] = [
  ['full (with NaN), full, full', full('a'), full('b'), full('row')],
  ['column, row, constant', shaped('column'), shaped('row'), constant(0.25)],
  ['row, scalar, full', shaped('row'), shaped('scalar'), full('b')],
  ['full, HostScalar, column', full('a'), constant(hostScalar), shaped('column')],
  ['full, full, full, in place (y = a)', full('a'), full('a'), full('b'), true],
];

/** Reduction inputs: ties within rows and columns, ±Infinity, and (if asked) a NaN in row 1, column 2. */
function reduceInputs(rows: number, cols: number, nan: boolean): Float32Array {
  const x = tied(rows * cols).map((v, i) => v - (i % 5) * 0.25);
  if (rows * cols > 20) [x[3], x[17]] = [Infinity, -Infinity];
  if (nan) x[Math.min(rows - 1, 1) * cols + Math.min(cols - 1, 2)] = NaN;
  return x;
}

export const PRIMITIVE_CASES: CallCase[] = [
  ...UNARY_OPS.flatMap((op): CallCase[] => [
    {
      name: `unary ${op}`,
      buffers: { x: { data: unaryInputs() }, y: { length: N } },
      call: (s) => ({ kind: 'unary', op, x: s.x, y: s.y, n: N }),
    },
    {
      name: `unary ${op} in place`,
      buffers: { x: { data: unaryInputs() } },
      call: (s) => ({ kind: 'unary', op, x: s.x, y: s.x, n: N }),
    },
  ]),

  ...BINARY_OPS.flatMap((op) =>
    BINARY_MODES.map(([modes, a, b, inPlace]): CallCase => {
      const { a: aData, b: bData, row, column, scalar } = binaryInputs();
      return {
        name: `binary ${op}: ${modes}`,
        buffers: {
          a: { data: aData },
          b: { data: bData },
          row: { data: row },
          column: { data: column },
          scalar: { data: scalar },
          y: { length: N },
        },
        call: (s) => ({ kind: 'binary', op, a: a(s), b: b(s), y: inPlace ? s.a : s.y, rows: ROWS, cols: COLS }),
      };
    }),
  ),

  ...WHERE_MODES.map(([modes, cond, a, b, inPlace]): CallCase => {
    const condition = tied(N).map((v, i) => (i % 6 === 0 ? NaN : v - 0.5 * (i % 2))); // zeros, nonzeros, NaN (≠ 0: a)
    const { b: bData, column, scalar } = binaryInputs();
    return {
      name: `where: ${modes}`,
      buffers: {
        a: { data: condition },
        b: { data: bData },
        row: { data: Float32Array.of(0, 1, NaN, -0, 2, 0, 3) },
        column: { data: column },
        scalar: { data: scalar },
        y: { length: N },
      },
      call: (s) => ({ kind: 'where', cond: cond(s), a: a(s), b: b(s), y: inPlace ? s.a : s.y, rows: ROWS, cols: COLS }),
    };
  }),

  ...REDUCE_OPS.flatMap((op) =>
    (['rows', 'cols'] as const).flatMap((axis) =>
      (
        [
          [ROWS, COLS, false],
          [ROWS, COLS, true],
          [1, 37, false],
          [37, 1, false],
        ] as const
      ).map(
        ([rows, cols, nan]): CallCase => ({
          name: `reduce ${op} along ${axis} of [${rows}, ${cols}]${nan ? ' with a NaN' : ''} (ties, ±Infinity)`,
          buffers: { x: { data: reduceInputs(rows, cols, nan) }, y: { data: normals(axis === 'cols' ? rows : cols) } },
          call: (s) => ({ kind: 'reduce', op, axis, x: s.x, y: s.y, rows, cols }),
        }),
      ),
    ),
  ),

  ...(['nn', 'tn', 'nt'] as const).flatMap((layout) =>
    (
      [
        [3, 7, 5],
        [9, 1, 13],
        [1, 11, 1],
      ] as const
    ).map(
      ([m, n, k]): CallCase => ({
        name: `matmul ${layout} ${m}×${n}×${k}`,
        buffers: { a: { data: normals(m * k) }, b: { data: normals(k * n) }, c: { data: normals(m * n) } },
        call: (s) => ({ kind: 'matmul', layout, m, n, k, a: s.a, b: s.b, c: s.c }),
      }),
    ),
  ),

  {
    name: 'oneHot, with labels out of range (cols, −1: a row of zeros)',
    buffers: { labels: { data: Int32Array.from([...ints(9, COLS), COLS, -1]) }, y: { data: normals(11 * COLS) } },
    call: (s) => ({ kind: 'oneHot', labels: s.labels, y: s.y, rows: 11, cols: COLS }),
  },

  ...[37, 4096].map(
    (n): CallCase => ({
      name: `randomUniform n ${n}`,
      buffers: { y: { length: n } },
      call: (s) => ({ kind: 'randomUniform', y: s.y, n, seed: { value: 0x9e3779b1 }, salt: 7 }),
      exact: ['y'],
      random: { outputs: ['y'], check: uniformCheck('y') },
    }),
  ),

  {
    name: 'fill with a number',
    buffers: { y: { data: normals(37) } },
    call: (s) => ({ kind: 'fill', y: s.y, n: 37, value: -2.25 }),
  },
  {
    name: 'fill with a HostScalar, part of a buffer',
    buffers: { y: { data: normals(37) } },
    call: (s) => ({ kind: 'fill', y: s.y, n: 29, value: hostScalar }),
  },

  {
    name: 'gatherRows from a bound source, rows repeated',
    buffers: {
      source: { data: uniforms(6 * 5, -1, 1) },
      rows: { data: Int32Array.of(5, 0, 5, 2) },
      out: { data: normals(4 * 5 + 3) },
    },
    call: (s, bound) => ({
      kind: 'gatherRows',
      source: bound.source,
      rows: s.rows,
      out: s.out,
      count: 4,
      rowLength: 5,
    }),
  },
];
