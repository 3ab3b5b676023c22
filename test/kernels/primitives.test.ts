// The primitive calls on the WASM backend (assembly/primitives.ts and the kernels the primitive
// lowerers reuse), each against a float64 JavaScript reference, on 1 and 2 threads: odd sizes, every
// op, every operand mode, in place, host scalars read when the program runs. On 2 threads the calls
// large enough to split run on the team and must give bitwise the results of one thread.
import { afterAll, describe, expect, it } from 'vitest';
import type { BufferBinding, HostScalar, KernelCall, Slice } from '../../src/backend/backend.js';
import {
  BINARY_OPS,
  REDUCE_OPS,
  UNARY_OPS,
  type BinaryOp,
  type Operand,
  type ReduceOp,
  type UnaryOp,
} from '../../src/backend/calls/primitive.js';
import { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { testing } from '../../src/backend/wasm/testing.js';
import { uniformSource } from '../helpers/kernel-harness.js';

const backends = new Map<string, WasmBackend>();
async function backendWith(threads: number, relaxedSimd = true): Promise<WasmBackend> {
  const key = `${threads}/${relaxedSimd}`;
  let b = backends.get(key);
  if (!b) {
    b = new WasmBackend({ threads, relaxedSimd });
    await b.start();
    if (threads > 1) testing.runOnTeam(b);
    backends.set(key, b);
  }
  return b;
}
afterAll(async () => {
  for (const b of backends.values()) await b.stop();
});

/** Large enough to split over two threads (light: 16,384 elements), odd in both dimensions. */
const BIG: [number, number] = [67, 259];
const SHAPES: [number, number][] = [[1, 1], [1, 13], [5, 7], [3, 4], BIG];

type Data = Float32Array | Int32Array;

interface Outcome {
  readonly y: Float32Array;
  /** Whether the run went to the team (a split call on 2 threads). */
  readonly onTeam: boolean;
}

/**
 * Uploads `arrays`, compiles the call `make` builds over their slices (and `bindings` over the
 * buffers), runs it (after `beforeRun(i)` for run i of `runs`) and reads back array `out`.
 */
function exec(
  b: WasmBackend,
  arrays: readonly Data[],
  make: (s: Slice[], bufs: BufferBinding[]) => KernelCall,
  out: number,
  runs = 1,
  beforeRun?: (i: number) => void,
): Outcome[] {
  const bufs = arrays.map((a) => b.upload(a));
  const slices: Slice[] = bufs.map((buffer) => ({ kind: 'buffer', buffer, byteOffset: 0 }));
  const bindings = bufs.map((buffer) => ({ buffer }));
  const exe = b.compile({ arenaBytes: 0, calls: [make(slices, bindings)] });
  const results: Outcome[] = [];
  for (let i = 0; i < runs; i++) {
    beforeRun?.(i);
    const before = b.teamRuns;
    exe.run();
    results.push({ y: b.readF32(bufs[out], 0, arrays[out].length), onTeam: b.teamRuns > before });
  }
  exe.dispose();
  for (const buf of bufs) b.disposeBuffer(buf);
  return results;
}

/** Index of the first element off the reference by more than tol(i) (NaN matches NaN); −1 if none. */
function firstMiss(y: ArrayLike<number>, ref: ArrayLike<number>, tol: (i: number) => number): number {
  for (let i = 0; i < ref.length; i++) {
    const a = y[i];
    const r = ref[i];
    if (Object.is(a, r) || (Number.isNaN(a) && Number.isNaN(r))) continue;
    if (!(Math.abs(a - r) <= tol(i))) return i;
  }
  return -1;
}

function expectClose(y: ArrayLike<number>, ref: ArrayLike<number>, tol: (i: number) => number, what: string) {
  const i = firstMiss(y, ref, tol);
  expect(i, i < 0 ? what : `${what}: element ${i} is ${y[i]}, expected ${ref[i]} within ${tol(i)}`).toBe(-1);
}

/**
 * Runs on 1 thread and on 2, checks 2 threads bitwise equal to 1 (and on the team when `split`); returns 1 thread's
 * outcome.
 */
async function both(
  arrays: () => Data[],
  make: (s: Slice[], bufs: BufferBinding[]) => KernelCall,
  out: number,
  split: boolean,
  what: string,
  runs = 1,
  beforeRun?: (i: number) => void,
): Promise<Outcome[]> {
  const one = exec(await backendWith(1), arrays(), make, out, runs, beforeRun);
  const two = exec(await backendWith(2), arrays(), make, out, runs, beforeRun);
  for (let r = 0; r < runs; r++) {
    expect(two[r].onTeam, `${what}: ran on the team`).toBe(split);
    const differ = two[r].y.findIndex((v, i) => !Object.is(v, one[r].y[i]));
    expect(differ, `${what}: 2 threads differ from 1 at ${differ}`).toBe(-1);
  }
  return one;
}

const f32 = Math.fround;

// ------------------------------------------------------------------------------------------------
// References in float64 (inputs are float32 values)

function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const t = Math.abs(x);
  let e: number;
  if (t < 3) {
    let s = 0;
    let term = t;
    for (let n = 0; n < 200; n++) {
      s += term / (2 * n + 1);
      term *= (-t * t) / (n + 1);
    }
    e = (2 / Math.sqrt(Math.PI)) * s;
  } else {
    let f = 0;
    for (let k = 80; k >= 1; k--) f = k / 2 / (t + f);
    e = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  }
  return x < 0 ? -e : e;
}

const UNARY_REF: Record<UnaryOp, (x: number) => number> = {
  identity: (x) => x,
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  relu: (x) => Math.max(0, x),
  step: (x) => (x > 0 ? 1 : 0),
  erf,
  floor: Math.floor,
};

/** Ops whose float32 result is the correctly rounded reference. */
const EXACT_UNARY = new Set<UnaryOp>([
  'identity',
  'neg',
  'abs',
  'sign',
  'sqrt',
  'square',
  'reciprocal',
  'relu',
  'step',
  'floor',
]);

/** Relative tolerance of the approximated ops (float32's ulp is 1.2e-7 relative at most). */
const UNARY_REL: Partial<Record<UnaryOp, number>> = {
  exp: 4e-7,
  log: 3e-7,
  log1p: 4e-7,
  tanh: 4e-7,
  sigmoid: 5e-7,
  softplus: 4e-7,
  erf: 4e-7,
};

/** Where each op is tested: its interesting range. */
function unaryInput(op: UnaryOp, r: () => number): number {
  switch (op) {
    case 'exp':
      return 200 * r() - 100;
    case 'log':
      return r() < 0.5 ? 10 * r() : Math.exp(80 * r() - 40);
    case 'log1p':
      return r() < 0.5 ? 2 * r() - 0.999 : Math.exp(30 * r() - 20) * (r() < 0.5 ? 1 : -1e-3);
    case 'sqrt':
    case 'reciprocal':
      return 100 * r() * (r() < 0.1 ? -1 : 1);
    case 'erf':
    case 'tanh':
      return r() < 0.5 ? 2 * r() - 1 : 12 * r() - 6;
    case 'floor':
      return 20 * r() - 10;
    default:
      return 40 * r() - 20;
  }
}

const SPECIALS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  Infinity,
  -Infinity,
  NaN,
  1e-40,
  -1e-40,
  88.5,
  88.72,
  89,
  -87,
  -88,
  1e-6,
  -1e-6,
  3e38,
];

const BINARY_REF: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  max: Math.max,
  min: Math.min,
  pow: Math.pow,
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  equal: (a, b) => Number(a === b),
};

// ------------------------------------------------------------------------------------------------
// Operands

type Mode = 'full' | 'row' | 'column' | 'scalar' | 'constant' | 'hostScalar';

/** An operand's data (uploaded; a constant's is a placeholder value) and its value at (i, j). */
interface OperandData {
  readonly mode: Mode;
  readonly data: Float32Array;
  readonly value: number;
  at(i: number, j: number): number;
}

function operandData(mode: Mode, rows: number, cols: number, gen: () => number, hostValue?: HostScalar): OperandData {
  const length = mode === 'full' ? rows * cols : mode === 'row' ? cols : mode === 'column' ? rows : 1;
  const data = Float32Array.from({ length }, gen);
  const value = f32(gen());
  const at = (i: number, j: number) => {
    switch (mode) {
      case 'full':
        return data[i * cols + j];
      case 'row':
        return data[j];
      case 'column':
        return data[i];
      case 'scalar':
        return data[0];
      case 'constant':
        return value;
      case 'hostScalar':
        return f32(hostValue!.value);
    }
  };
  return { mode, data, value, at };
}

function operand(d: OperandData, slice: Slice, host?: HostScalar): Operand {
  if (d.mode === 'constant') return { kind: 'constant', value: d.value };
  if (d.mode === 'hostScalar') return { kind: 'constant', value: host! };
  return { kind: d.mode, slice };
}

/** Mode pairs of binary operands: every mode against a full operand on either side, and a few mixed. */
const PAIRS: [Mode, Mode][] = [
  ['full', 'full'],
  ['full', 'row'],
  ['full', 'column'],
  ['full', 'scalar'],
  ['full', 'constant'],
  ['full', 'hostScalar'],
  ['row', 'full'],
  ['column', 'full'],
  ['scalar', 'full'],
  ['constant', 'full'],
  ['hostScalar', 'full'],
  ['row', 'column'],
  ['column', 'row'],
  ['row', 'constant'],
  ['scalar', 'column'],
  ['constant', 'hostScalar'],
];

const splits = (rows: number, cols: number, threshold = 16_384) => rows * cols >= threshold && (rows > 1 || cols >= 32);

// ------------------------------------------------------------------------------------------------

describe('unary', () => {
  for (const op of UNARY_OPS) {
    it(`${op}: against float64 on odd sizes and special values, in place, 1 and 2 threads`, async () => {
      const ref = UNARY_REF[op];
      const rel = UNARY_REL[op] ?? 0;
      const tol = (x: number) => (EXACT_UNARY.has(op) ? 0 : rel * Math.abs(ref(x)) + 1.2e-38);
      for (const n of [1, 3, 4, 7, 17, SPECIALS.length, 20_001]) {
        const r = uniformSource(n * 31 + op.length);
        const x =
          n === SPECIALS.length
            ? Float32Array.from(SPECIALS)
            : Float32Array.from({ length: n }, () => unaryInput(op, r));
        const expected = Array.from(x, (v) => f32(ref(v)));
        const heavy = !EXACT_UNARY.has(op) || op === 'sqrt' || op === 'reciprocal';
        const split = n >= (heavy ? 4096 : 16_384);
        for (const inPlace of [false, true]) {
          const arrays = () => (inPlace ? [x.slice()] : [x.slice(), new Float32Array(n).fill(7)]);
          const [{ y }] = await both(
            arrays,
            ([xs, ys]) => ({ kind: 'unary', op, x: xs, y: inPlace ? xs : ys, n }),
            inPlace ? 0 : 1,
            split,
            `${op} n=${n}${inPlace ? ' in place' : ''}`,
          );
          expectClose(y, expected, (i) => tol(x[i]), `${op} n=${n}${inPlace ? ' in place' : ''}`);
        }
      }
    });
  }
});

describe('binary', () => {
  for (const op of BINARY_OPS) {
    it(`${op}: every operand mode, odd shapes, in place, host scalars read at run time, 1 and 2 threads`, async () => {
      const ref = BINARY_REF[op];
      const tolOf = (v: number) => (op === 'pow' ? 3e-7 * Math.abs(v) : 0);
      for (const [rows, cols] of SHAPES) {
        for (const [ma, mb] of PAIRS) {
          const r = uniformSource(rows * 1000 + cols + ma.length * 7 + mb.length);
          // pow: positive bases; comparisons: small integers so that ties occur
          const genA = () =>
            op === 'pow'
              ? 0.1 + 3 * r()
              : op.includes('qual') || op === 'max' || op === 'min'
                ? Math.floor(5 * r()) - 2
                : 20 * r() - 10;
          const genB = () =>
            op === 'pow'
              ? 6 * r() - 3
              : op.includes('qual') || op === 'max' || op === 'min'
                ? Math.floor(5 * r()) - 2
                : op === 'div'
                  ? (r() < 0.5 ? -1 : 1) * (0.5 + 5 * r())
                  : 20 * r() - 10;
          const host: HostScalar = { value: 1.5 };
          const a = operandData(ma, rows, cols, genA, host);
          const b = operandData(mb, rows, cols, genB, host);
          const broadcast = [ma, mb].some((m) => m === 'row' || m === 'column');
          const heavy = op === 'pow' || op === 'div';
          const split = broadcast
            ? rows * cols >= (heavy ? 4096 : 16_384) && rows > 1
            : rows * cols >= (heavy ? 4096 : 16_384);
          for (const inPlace of ma === 'full' ? [false, true] : [false]) {
            const what = `${op} [${rows}, ${cols}] ${ma} ∘ ${mb}${inPlace ? ' in place' : ''}`;
            const arrays = () => [a.data.slice(), b.data.slice(), new Float32Array(rows * cols).fill(9)];
            const hostValues = [1.5, -0.75];
            const outcomes = await both(
              arrays,
              ([as, bs, ys]) => ({
                kind: 'binary',
                op,
                a: operand(a, as, host),
                b: operand(b, bs, host),
                y: inPlace ? as : ys,
                rows,
                cols,
              }),
              // in place, a second run would read the first one's output: one run
              inPlace ? 0 : 2,
              split,
              what,
              inPlace ? 1 : 2,
              (i) => (host.value = hostValues[i]),
            );
            outcomes.forEach(({ y }, run) => {
              host.value = hostValues[run];
              const expected = Array.from({ length: rows * cols }, (_, k) =>
                f32(ref(a.at(Math.floor(k / cols), k % cols), b.at(Math.floor(k / cols), k % cols))),
              );
              expectClose(y, expected, (k) => tolOf(expected[k]), `${what}, run ${run}`);
            });
          }
        }
      }
    });
  }

  it('pow: special cases as Math.pow', async () => {
    const bases = [0, -0, 1, -1, 2, -2, 0.5, Infinity, -Infinity, NaN, 1, -1, 2];
    const exps = [0, 3, NaN, Infinity, -Infinity, 0.5, -1, 2, 3, 0, Infinity, -Infinity, NaN];
    const n = bases.length;
    const [{ y }] = await both(
      () => [Float32Array.from(bases), Float32Array.from(exps), new Float32Array(n)],
      ([a, b, ys]) => ({
        kind: 'binary',
        op: 'pow',
        a: { kind: 'full', slice: a },
        b: { kind: 'full', slice: b },
        y: ys,
        rows: 1,
        cols: n,
      }),
      2,
      false,
      'pow specials',
    );
    expectClose(
      y,
      bases.map((v, i) => f32(v ** exps[i])),
      () => 0,
      'pow specials',
    );
  });
});

describe('where', () => {
  const TRIPLES: [Mode, Mode, Mode][] = [
    ['full', 'full', 'full'],
    ['row', 'full', 'full'],
    ['column', 'full', 'full'],
    ['scalar', 'full', 'full'],
    ['constant', 'full', 'full'],
    ['full', 'row', 'full'],
    ['full', 'column', 'full'],
    ['full', 'scalar', 'full'],
    ['full', 'constant', 'full'],
    ['full', 'hostScalar', 'full'],
    ['full', 'full', 'row'],
    ['full', 'full', 'column'],
    ['full', 'full', 'scalar'],
    ['full', 'full', 'constant'],
    ['full', 'constant', 'hostScalar'],
    ['column', 'row', 'constant'],
    ['hostScalar', 'full', 'row'],
  ];
  it('every operand mode in each place, odd shapes, in place, NaN and −0 conditions, 1 and 2 threads', async () => {
    for (const [rows, cols] of SHAPES) {
      for (const [mc, ma, mb] of TRIPLES) {
        const r = uniformSource(rows * 100 + cols + mc.length + ma.length * 3 + mb.length * 5);
        const host: HostScalar = { value: 0 };
        const conds = [0, -0, 1, -2, NaN, 0.5];
        const c = operandData(mc, rows, cols, () => conds[Math.floor(r() * conds.length)], host);
        const a = operandData(ma, rows, cols, () => 10 * r() - 5, host);
        const b = operandData(mb, rows, cols, () => 10 * r() - 5, host);
        const broadcast = [mc, ma, mb].some((m) => m === 'row' || m === 'column');
        const split = rows * cols >= 16_384 && (!broadcast || rows > 1);
        for (const inPlace of ma === 'full' ? [false, true] : [false]) {
          const what = `where [${rows}, ${cols}] ${mc} ? ${ma} : ${mb}${inPlace ? ' in place' : ''}`;
          const hostValues = [0, 2.5];
          const outcomes = await both(
            () => [c.data.slice(), a.data.slice(), b.data.slice(), new Float32Array(rows * cols).fill(9)],
            ([cs, as, bs, ys]) => ({
              kind: 'where',
              cond: operand(c, cs, host),
              a: operand(a, as, host),
              b: operand(b, bs, host),
              y: inPlace ? as : ys,
              rows,
              cols,
            }),
            inPlace ? 1 : 3,
            split,
            what,
            inPlace ? 1 : 2,
            (i) => (host.value = hostValues[i]),
          );
          outcomes.forEach(({ y }, run) => {
            host.value = hostValues[run];
            const expected = Array.from({ length: rows * cols }, (_, k) => {
              const i = Math.floor(k / cols),
                j = k % cols;
              return c.at(i, j) !== 0 ? a.at(i, j) : b.at(i, j);
            });
            expectClose(y, expected, () => 0, `${what}, run ${run}`);
          });
        }
      }
    }
  });
});

describe('reduce', () => {
  const shapes: [number, number][] = [[1, 1], [1, 9], [7, 1], [3, 5], [5, 4], [9, 18], BIG, [259, 67]];
  for (const op of REDUCE_OPS) {
    for (const axis of ['cols', 'rows'] as const) {
      it(`${op} along ${axis}: odd shapes, ties, 1 and 2 threads`, async () => {
        for (const [rows, cols] of shapes) {
          for (const ties of [false, true]) {
            const r = uniformSource(rows * 7 + cols + (ties ? 1 : 0) + op.length);
            const x = Float32Array.from({ length: rows * cols }, () => (ties ? Math.floor(3 * r()) : 200 * r() - 100));
            const outLength = axis === 'cols' ? rows : cols;
            const lines = Array.from({ length: outLength }, (_, o) =>
              Array.from({ length: axis === 'cols' ? cols : rows }, (_, t) =>
                axis === 'cols' ? x[o * cols + t] : x[t * cols + o],
              ),
            );
            const expected = lines.map((v) =>
              op === 'sum'
                ? v.reduce((s, e) => s + e, 0)
                : op === 'max'
                  ? Math.max(...v)
                  : op === 'min'
                    ? Math.min(...v)
                    : v.indexOf(Math.max(...v)),
            );
            const mass = lines.map((v) => v.reduce((s, e) => s + Math.abs(e), 0));
            const split = splits(rows, cols) && outLength > 1;
            const what = `${op} along ${axis} of [${rows}, ${cols}]${ties ? ' with ties' : ''}`;
            const [{ y }] = await both(
              () => [x, new Float32Array(outLength).fill(9)],
              ([xs, ys]) => ({ kind: 'reduce', op: op as ReduceOp, axis, x: xs, y: ys, rows, cols }),
              1,
              split,
              what,
            );
            expectClose(
              y,
              expected.map(f32),
              (i) => (op === 'sum' ? 6e-8 * Math.abs(expected[i]) + 1e-15 * mass[i] : 0),
              what,
            );
          }
        }
      });
    }
  }

  it('max and min propagate NaN; argmax skips a NaN after the first element', async () => {
    const x = Float32Array.from([1, NaN, 3, 2, 5, -1, 0, 4, NaN]); // [3, 3]
    for (const [op, axis, expected] of [
      ['max', 'cols', [NaN, 5, NaN]],
      ['min', 'rows', [0, NaN, NaN]],
      ['argmax', 'cols', [2, 1, 1]],
      ['argmax', 'rows', [1, 0, 0]],
      ['sum', 'rows', [3, NaN, NaN]],
    ] as const) {
      const [{ y }] = await both(
        () => [x, new Float32Array(3)],
        ([xs, ys]) => ({ kind: 'reduce', op, axis, x: xs, y: ys, rows: 3, cols: 3 }),
        1,
        false,
        `${op} ${axis}`,
      );
      expectClose(y, expected, () => 0, `${op} along ${axis} with NaN`);
    }
  });
});

describe('matmul', () => {
  for (const layout of ['nn', 'tn', 'nt'] as const) {
    it(`${layout}: odd shapes against float64, 1 and 2 threads`, async () => {
      for (const [m, n, k] of [
        [1, 1, 1],
        [5, 7, 3],
        [2, 9, 4],
        [13, 9, 17],
        [6, 8, 5],
        [37, 41, 29],
        [67, 21, 33],
      ]) {
        const r = uniformSource(m * 10_000 + n * 100 + k);
        const a = Float32Array.from({ length: m * k }, () => 2 * r() - 1);
        const b = Float32Array.from({ length: k * n }, () => 2 * r() - 1);
        // element (i, p) of A and (p, j) of B in each layout's storage
        const A = (i: number, p: number) => (layout === 'tn' ? a[p * m + i] : a[i * k + p]);
        const B = (p: number, j: number) => (layout === 'nt' ? b[j * k + p] : b[p * n + j]);
        const expected: number[] = [];
        const bound: number[] = [];
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0,
              abs = 0;
            for (let p = 0; p < k; p++) {
              s += A(i, p) * B(p, j);
              abs += Math.abs(A(i, p) * B(p, j));
            }
            expected.push(s);
            bound.push((k + 2) * 6e-8 * abs);
          }
        }
        const what = `${layout} ${m}×${n}×${k}`;
        const [{ y }] = await both(
          () => [a, b, new Float32Array(m * n).fill(9)],
          ([as, bs, cs]) => ({ kind: 'matmul', layout, m, n, k, a: as, b: bs, c: cs }),
          2,
          m * n * k >= 32_768,
          what,
        );
        expectClose(y, expected, (i) => bound[i], what);
      }
    });
  }
});

describe('oneHot, fill, randomUniform, gatherRows', () => {
  it('oneHot: labels outside [0, cols) give rows of zeros', async () => {
    for (const [rows, cols] of [
      [1, 1],
      [3, 5],
      [7, 4],
      [300, 61],
    ]) {
      const r = uniformSource(rows + cols);
      const labels = Int32Array.from({ length: rows }, () => Math.floor(r() * (cols + 2)) - 1);
      const expected = Array.from({ length: rows * cols }, (_, k) => Number(labels[Math.floor(k / cols)] === k % cols));
      const [{ y }] = await both(
        () => [labels, new Float32Array(rows * cols).fill(9)],
        ([l, ys]) => ({ kind: 'oneHot', labels: l, y: ys, rows, cols }),
        1,
        rows * cols >= 16_384,
        `oneHot [${rows}, ${cols}]`,
      );
      expectClose(y, expected, () => 0, `oneHot [${rows}, ${cols}]`);
    }
  });

  it('fill: a number, and a host scalar read at every run', async () => {
    for (const n of [1, 3, 5, 20_001]) {
      const [{ y }] = await both(
        () => [new Float32Array(n).fill(9)],
        ([ys]) => ({ kind: 'fill', y: ys, n, value: -2.5 }),
        0,
        n >= 16_384,
        `fill ${n}`,
      );
      expectClose(y, new Array(n).fill(-2.5), () => 0, `fill ${n}`);
      const host = { value: 0 };
      const values = [0.25, -7];
      const outcomes = await both(
        () => [new Float32Array(n).fill(9)],
        ([ys]) => ({ kind: 'fill', y: ys, n, value: host }),
        0,
        n >= 16_384,
        `fill ${n} host`,
        2,
        (i) => (host.value = values[i]),
      );
      for (const [i, { y: v }] of outcomes.entries()) {
        expectClose(v, new Array(n).fill(values[i]), () => 0, `fill ${n} host, run ${i}`);
      }
    }
  });

  /** The counter-based stream of assembly/random.ts, in JavaScript. */
  function uniformRef(n: number, seed: number, salt: number): number[] {
    const mix = (x: number) => {
      x = (x ^ (x >>> 16)) >>> 0;
      x = Math.imul(x, 0x7feb352d) >>> 0;
      x = (x ^ (x >>> 15)) >>> 0;
      x = Math.imul(x, 0x846ca68b) >>> 0;
      return (x ^ (x >>> 16)) >>> 0;
    };
    const k1 = mix((seed ^ mix((salt ^ 0x9e3779b9) >>> 0)) >>> 0);
    const k2 = mix((k1 ^ 0x85ebca6b) >>> 0);
    return Array.from({ length: n }, (_, i) => (mix((mix((i ^ k1) >>> 0) + k2) >>> 0) >>> 8) / 16777216);
  }

  it('randomUniform: the counter-based stream, the seed read at every run', async () => {
    for (const n of [1, 7, 20_001]) {
      const seed = { value: 0 };
      const seeds = [12345, 987654321];
      const outcomes = await both(
        () => [new Float32Array(n)],
        ([ys]) => ({ kind: 'randomUniform', y: ys, n, seed, salt: 77 }),
        0,
        n >= 16_384,
        `randomUniform ${n}`,
        2,
        (i) => (seed.value = seeds[i]),
      );
      for (const [i, { y }] of outcomes.entries()) {
        expectClose(y, uniformRef(n, seeds[i], 77), () => 0, `randomUniform ${n}, seed ${seeds[i]}`);
      }
    }
  });

  it('gatherRows: rows of the bound buffer, in the order of the indices', async () => {
    for (const [count, rowLength, sourceRows] of [
      [1, 1, 3],
      [5, 7, 11],
      [300, 61, 401],
    ]) {
      const r = uniformSource(count + rowLength);
      const source = Float32Array.from({ length: sourceRows * rowLength }, () => r());
      const rows = Int32Array.from({ length: count }, () => Math.floor(r() * sourceRows));
      const expected = Array.from(
        { length: count * rowLength },
        (_, k) => source[rows[Math.floor(k / rowLength)] * rowLength + (k % rowLength)],
      );
      const [{ y }] = await both(
        () => [source, rows, new Float32Array(count * rowLength)],
        ([, rs, out], bindings) => ({ kind: 'gatherRows', source: bindings[0], rows: rs, out, count, rowLength }),
        2,
        count * rowLength >= 16_384,
        `gatherRows ${count}×${rowLength}`,
      );
      expectClose(y, expected, () => 0, `gatherRows ${count}×${rowLength}`);
    }
  });
});

describe('the plain-SIMD build', () => {
  it('gives the references too (one thread, the approximated unary ops and the products)', async () => {
    const b = await backendWith(1, false);
    for (const op of ['exp', 'log', 'log1p', 'erf', 'tanh', 'sigmoid', 'softplus'] as const) {
      const r = uniformSource(op.length);
      const x = Float32Array.from({ length: 1001 }, () => unaryInput(op, r));
      const [{ y }] = exec(
        b,
        [x, new Float32Array(x.length)],
        ([xs, ys]) => ({ kind: 'unary', op, x: xs, y: ys, n: x.length }),
        1,
      );
      expectClose(
        y,
        Array.from(x, (v) => f32(UNARY_REF[op](v))),
        (i) => UNARY_REL[op]! * Math.abs(UNARY_REF[op](x[i])) + 1.2e-38,
        `${op} (plain)`,
      );
    }
  });
});
