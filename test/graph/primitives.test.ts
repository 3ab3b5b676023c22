// The graph primitives and every row of their gradient table, on the float64 ReferenceBackend: each
// forward value against a float64 reference written here, each gradient against central
// differences of it. Agreement: 1e-6 relative (float32 rounding of the values read back, and the
// O(h²) error of the differences, stay far below it; a wrong rule is off by O(1)).

import { describe, expect, it } from 'vitest';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from '../../src/backend/calls/primitive.js';
import { referenceOps } from '../../src/backend/reference/reference-ops.js';
import { GRADIENT_KEYS } from '../../src/graph/gradient-rules.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import {
  add,
  argmax,
  broadcastTo,
  exp,
  greater,
  matmul,
  max,
  mean,
  min,
  mul,
  sub,
  sum,
  where,
} from '../../src/graph/formula.js';
import { placeholder } from '../../src/graph/tensor.js';
import { binary, reduce, unary } from '../../src/graph/ops/primitive.js';
import { awayFromZero, check, input, uniform } from './reference-gradcheck.js';

const TOL = 1e-6;
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function expectAgreement(result: { forwardError: number; gradientErrors: number[] }): void {
  expect(result.forwardError).toBeLessThan(TOL);
  for (const e of result.gradientErrors) expect(e).toBeLessThan(TOL);
}

/** numpy broadcasting in float64: f over the operands broadcast to their common shape. */
function broadcastRef(shapes: readonly (readonly number[])[], f: (...v: number[]) => number) {
  const rank = Math.max(...shapes.map((s) => s.length));
  const padded = shapes.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
  const out = Array.from({ length: rank }, (_, i) => Math.max(...padded.map((s) => s[i])));
  return (values: Float64Array[]) =>
    Float64Array.from({ length: size(out) }, (_, flat) => {
      const index: number[] = [];
      for (let i = rank - 1, r = flat; i >= 0; i--) {
        index[i] = r % out[i];
        r = Math.floor(r / out[i]);
      }
      return f(...padded.map((s, k) => values[k][s.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : index[i]), 0)]));
    });
}

// ---- unary -------------------------------------------------------------------------------------------

const erf = (x: number) => referenceOps.unary('erf', Float64Array.of(x))[0];
const UNARY: Record<UnaryOp, { f: (x: number) => number; data: Float64Array }> = {
  identity: { f: (x) => x, data: uniform(12, 1) },
  neg: { f: (x) => -x, data: uniform(12, 2) },
  abs: { f: Math.abs, data: awayFromZero(12, 3) },
  sign: { f: Math.sign, data: awayFromZero(12, 4) },
  exp: { f: Math.exp, data: uniform(12, 5, -2, 2) },
  log: { f: Math.log, data: uniform(12, 6, 0.2, 3) },
  log1p: { f: Math.log1p, data: uniform(12, 7, -0.5, 2) },
  sqrt: { f: Math.sqrt, data: uniform(12, 8, 0.2, 3) },
  square: { f: (x) => x * x, data: uniform(12, 9, -2, 2) },
  reciprocal: { f: (x) => 1 / x, data: awayFromZero(12, 10, 0.3) },
  tanh: { f: Math.tanh, data: uniform(12, 11, -3, 3) },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), data: uniform(12, 12, -4, 4) },
  softplus: { f: (x) => Math.log(1 + Math.exp(x)), data: uniform(12, 13, -4, 4) },
  relu: { f: (x) => Math.max(x, 0), data: awayFromZero(12, 14) },
  step: { f: (x) => (x > 0 ? 1 : 0), data: awayFromZero(12, 15) },
  erf: { f: erf, data: uniform(12, 16, -2, 2) },
  floor: {
    f: Math.floor,
    data: uniform(12, 17, -3, 3).map((v) => Math.fround(Math.round(v) + 0.5 * Math.sign(v - Math.round(v) || 1) * 0.6)),
  },
};

describe('unary primitives: forward and gradient rule', () => {
  for (const op of UNARY_OPS) {
    it(op, () => {
      const { f, data } = UNARY[op];
      expectAgreement(
        check(
          ([x]) => unary(op, x),
          ([x]) => x.map(f),
          [input([3, 4], data)],
        ),
      );
    });
  }
});

// ---- binary, every broadcast mode ---------------------------------------------------------------------

const BINARY: Record<
  BinaryOp,
  { f: (a: number, b: number) => number; a?: (n: number) => Float64Array; b?: (n: number) => Float64Array }
> = {
  add: { f: (a, b) => a + b },
  sub: { f: (a, b) => a - b },
  mul: { f: (a, b) => a * b },
  div: { f: (a, b) => a / b, b: (n) => awayFromZero(n, 21, 0.5) },
  max: { f: Math.max },
  min: { f: Math.min },
  pow: { f: Math.pow, a: (n) => uniform(n, 22, 0.5, 2), b: (n) => uniform(n, 23, -1.5, 1.5) },
  greater: { f: (a, b) => (a > b ? 1 : 0) },
  greaterEqual: { f: (a, b) => (a >= b ? 1 : 0) },
  less: { f: (a, b) => (a < b ? 1 : 0) },
  lessEqual: { f: (a, b) => (a <= b ? 1 : 0) },
  equal: { f: (a, b) => (a === b ? 1 : 0) },
};

/** [a, b] shapes: same shape, row, column, scalar, N-D row and columns, an outer pair. */
const PAIRS: [number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4]],
  [
    [3, 4],
    [3, 1],
  ],
  [[3, 4], []],
  [
    [2, 3, 4],
    [3, 4],
  ],
  [
    [2, 3, 4],
    [2, 3, 1],
  ],
  [
    [2, 3, 4],
    [2, 1, 1],
  ],
  [[3, 1], [4]],
  [[4], [2, 3, 4]],
];

describe('binary primitives: forward and gradient rule under broadcasting', () => {
  for (const op of BINARY_OPS) {
    it(op, () => {
      const spec = BINARY[op];
      for (const [sa, sb] of PAIRS) {
        const a = input(sa, (spec.a ?? ((n) => uniform(n, 31)))(size(sa)));
        const b = input(sb, (spec.b ?? ((n) => uniform(n, 32)))(size(sb)));
        const result = check(([x, y]) => binary(op, x, y), broadcastRef([sa, sb], spec.f), [a, b]);
        expectAgreement(result);
        // both ways round
        expectAgreement(
          check(
            ([y, x]) => binary(op, x, y),
            ([y, x]) => broadcastRef([sa, sb], spec.f)([x, y]),
            [b, a],
          ),
        );
      }
    });
  }

  it('numbers are constants', () => {
    const x = input([3, 4], uniform(12, 33));
    expectAgreement(
      check(
        ([t]) => sub(2, mul(t, 3)),
        ([t]) => t.map((v) => 2 - 3 * v),
        [x],
      ),
    );
  });

  it('max and min share a tie equally', () => {
    const x = input([4], Float64Array.of(1, 2, 3, 4));
    // central differences at a tie give ½ to each side, as the rule does
    expectAgreement(
      check(
        ([t]) => binary('max', t, t),
        ([t]) => t,
        [x],
      ),
    );
    expectAgreement(
      check(
        ([t]) => binary('min', t, t),
        ([t]) => t,
        [x],
      ),
    );
  });
});

// ---- where ------------------------------------------------------------------------------------------------

describe('where: gradient to the branch taken, none to the condition', () => {
  const cases: [number[], number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [3, 4], [4]],
    [[3, 1], [3, 4], []],
    // a row of one split and a column of another: a is broadcast whole first
    [
      [2, 3, 4],
      [3, 4],
      [2, 3, 1],
    ],
  ];
  for (const [sc, sa, sb] of cases) {
    it(`cond ${JSON.stringify(sc)}, a ${JSON.stringify(sa)}, b ${JSON.stringify(sb)}`, () => {
      const f = broadcastRef([sc, sa, sb], (c, a, b) => (c > 0 ? a : b));
      const r = check(([c, a, b]) => where(greater(c, 0), a, b), f, [
        input(sc, awayFromZero(size(sc), 41)),
        input(sa, uniform(size(sa), 42)),
        input(sb, uniform(size(sb), 43)),
      ]);
      expectAgreement(r);
    });
  }
});

// ---- reductions -----------------------------------------------------------------------------------------------

/** A float64 reduction of `x` (shape) over the last, leading or all axes. */
function reduceRef(op: 'sum' | 'max' | 'min' | 'argmax', shape: readonly number[], axis: 'last' | 'leading' | 'all') {
  const cols = axis === 'all' ? size(shape) : (shape.at(-1) ?? 1);
  const rows = size(shape) / cols;
  const along = axis === 'leading' ? 'rows' : 'cols';
  return ([x]: Float64Array[]) => referenceOps.reduce(op, along, x, rows, cols) as Float64Array;
}

describe('reductions over the last axis, the leading axes and everything', () => {
  for (const op of REDUCE_OPS) {
    for (const axis of ['last', 'leading', 'all'] as const) {
      it(`${op} over ${axis}`, () => {
        for (const shape of [[3, 4], [2, 3, 4], [5]]) {
          for (const keepDims of [false, true]) {
            const x = input(shape, uniform(size(shape), 51 + shape.length));
            const r = check(([t]) => reduce(op, t, axis, keepDims), reduceRef(op, shape, axis), [x]);
            expectAgreement(r);
            const kept =
              axis === 'all'
                ? shape.map(() => 1)
                : axis === 'last'
                  ? [...shape.slice(0, -1), 1]
                  : [...shape.slice(0, -1).map(() => 1), shape.at(-1)];
            const dropped = axis === 'all' ? [] : axis === 'last' ? shape.slice(0, -1) : [shape.at(-1)];
            expect(r.shape).toEqual(keepDims ? kept : dropped);
          }
        }
      });
    }
  }

  it('max gives a tie half each; the formula names read the same ops', () => {
    const x = input([2, 3], Float64Array.of(5, 1, 5, 0, 2, 1));
    // the upstream r_i split ½ to each tied 5, as central differences at a tie do
    expectAgreement(
      check(
        ([t]) => max(t, -1),
        ([t]) => Float64Array.of(Math.max(t[0], t[1], t[2]), Math.max(t[3], t[4], t[5])),
        [x],
      ),
    );
    expectAgreement(check(([t]) => min(t, 'leading', true), reduceRef('min', [2, 3], 'leading'), [x]));
    expectAgreement(check(([t]) => sum(t), reduceRef('sum', [2, 3], 'all'), [x]));
    expect(check(([t]) => argmax(t), reduceRef('argmax', [2, 3], 'last'), [x]).forwardError).toBe(0);
  });
});

// ---- matmul and expand ---------------------------------------------------------------------------------------

describe('matmul: the three layouts', () => {
  const [m, n, k] = [3, 5, 4];
  const ref =
    (ta: boolean, tb: boolean) =>
    ([a, b]: Float64Array[]) =>
      Float64Array.from({ length: m * n }, (_, idx) => {
        const [i, j] = [Math.floor(idx / n), idx % n];
        let s = 0;
        for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        return s;
      });
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
  ] as const) {
    it(`${ta ? 't' : 'n'}${tb ? 't' : 'n'}`, () => {
      const a = input(ta ? [k, m] : [m, k], uniform(m * k, 61));
      const b = input(tb ? [n, k] : [k, n], uniform(k * n, 62));
      expectAgreement(check(([x, y]) => matmul(x, y, { transposeA: ta, transposeB: tb }), ref(ta, tb), [a, b]));
    });
  }
});

describe('broadcastTo: gradient summed back', () => {
  for (const [from, to] of [
    [[4], [3, 4]],
    [
      [3, 1],
      [3, 4],
    ],
    [[], [2, 3]],
    [
      [2, 1, 1],
      [2, 3, 4],
    ],
  ] as [number[], number[]][]) {
    it(`${JSON.stringify(from)} → ${JSON.stringify(to)}`, () => {
      const ref = broadcastRef([from, to], (v) => v);
      expectAgreement(
        check(
          ([x]) => broadcastTo(x, to),
          ([x]) => ref([x, new Float64Array(size(to))]),
          [input(from, uniform(size(from), 71))],
        ),
      );
    });
  }
});

describe('the objective as the root', () => {
  it('Σ (x·x) differentiates with ones as the upstream', () => {
    const x = input([3, 4], uniform(12, 81));
    const r = check(
      ([t]) => sum(mul(t, t)),
      ([t]) => Float64Array.of(t.reduce((s, v) => s + v * v, 0)),
      [x],
      { objective: true },
    );
    expectAgreement(r);
  });
});

describe('bad operands: errors that name the op, the shapes and a fix', () => {
  const p = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => placeholder(shape, dtype, 'p');
  it('shapes that do not broadcast', () => {
    expect(() => add(p([3, 4]), p([3]))).toThrow(ShapeError);
    expect(() => add(p([3, 4]), p([3]))).toThrow(
      /^add: shapes \[3, 4\] and \[3\] do not broadcast: dimension -1 is 4 in one and 3 in another/,
    );
    expect(() => add(p([2, 1, 4]), p([2, 3, 4]))).toThrow(
      /^add: operands \[2, 1, 4\] and \[2, 3, 4\] broadcast to \[2, 3, 4\], but not as whole tensors, rows .* Reshape/,
    );
    expect(() => broadcastTo(p([2, 1, 4]), [2, 3, 4])).toThrow(ShapeError);
    expect(() => broadcastTo(p([3]), [3, 4])).toThrow(/^broadcastTo: shapes \[3\] and \[3, 4\] do not broadcast/);
  });
  it('operands that are not float32 tensors or finite numbers', () => {
    expect(() => mul(p([3], 'int32'), p([3]))).toThrow(ValueError);
    expect(() => mul(p([3], 'int32'), p([3]))).toThrow(/^mul: expected float32 operands, received int32 \[3\]/);
    expect(() => add(p([3]), '1' as never)).toThrow(
      /^add: b: expected a SymbolicTensor or a finite number, received "1"/,
    );
    expect(() => add(Number.NaN, p([3]))).toThrow(
      /^add: a: expected a SymbolicTensor or a finite number, received NaN/,
    );
    expect(() => exp(null as never)).toThrow(/^exp: x: expected a SymbolicTensor/);
  });
  it('matmul shapes, layouts and options', () => {
    expect(() => matmul(p([3, 4]), p([5, 2]))).toThrow(
      /^matmul: \[3, 4\] · \[5, 2\]: the inner dimensions differ \(4 and 5\)/,
    );
    expect(() => matmul(p([2, 3, 4]), p([4, 2]))).toThrow(
      /^matmul: expected two matrices, received \[2, 3, 4\] · \[4, 2\]/,
    );
    expect(() => matmul(p([4, 3]), p([2, 4]), { transposeA: true, transposeB: true })).toThrow(
      /both operands transposed/,
    );
    expect(() => matmul(p([3, 4]), p([4, 2]), { transpose: true } as never)).toThrow(
      /^matmul: unknown option "transpose"; the options are transposeA, transposeB/,
    );
  });
  it('reduction axes', () => {
    expect(() => sum(p([3, 4]), 0 as never)).toThrow(
      /^sum: axis: expected -1 \(the last axis\), 'leading' \(all but the last\) or nothing \(every axis\), received 0/,
    );
    expect(() => mean('x' as never)).toThrow(/^mean: x: expected a SymbolicTensor, received "x"/);
  });
});

describe('the gradient table', () => {
  it('has a row for every primitive, each checked above', () => {
    const checked = [
      ...UNARY_OPS,
      ...BINARY_OPS,
      'where',
      'reduceSum',
      'reduceMax',
      'reduceMin',
      'argmax',
      'matmul',
      'expand',
    ];
    expect([...GRADIENT_KEYS].sort()).toEqual([...checked].sort());
  });
});
