// Every function the kernel module exports (assembly/index.ts), declared once: its arguments in
// order, each with a name and a role, how its calls split over threads and what the work costs.
// From this table come the TypeScript type of the module's exports (KernelFunctions), the argument
// objects lowerers pass by name (KernelArgs, see lower/types.ts `Lowering.kernel`), and every split
// (lower/split.ts builds a call's SplitSpec from the roles: which pointers advance by a row, a
// column or an element, and by how much). scripts/build-wasm.mjs checks each compiled module
// against it: every entry exported as a function with this many arguments, no function exported
// that the table lacks; a mismatch fails the build naming the kernel.
//
// Roles:
//   size(units…)   the count of units of a split direction: a part gets its own count there;
//   dim            a count or a leading dimension that a split leaves alone;
//   scalar, flag, code   numbers fixed when the program is lowered (a flag may be given as a boolean;
//                  a code is a position in a list of codes.ts);
//   runScalar      a number, or a HostScalar read each time the program runs (a learning rate);
//   index          an element index (random streams): a part starting at element s adds s;
//   ptr(steps)     a byte offset, advanced by a part starting at unit s by s·step of the split's
//                  direction (0 when absent); a pointer that is 0 (an operand not given) stays 0.
//                  elemPtr: 4 bytes an element; rowPtr(ld): a row-major matrix, ld floats a row and
//                  4 bytes a column; rowVec: one 32-bit value a row; colVec: one a column; tensorPtr:
//                  an update's tensor (by elements, or by columns of a matrix); fixedPtr: read or
//                  written whole by every part (an output sum, a table);
//   partials(per)  f64 partial sums, one per `per` rows (8/per bytes a row);
//   operand(mode)  a broadcast operand of the elementwise primitives: steps as its mode says (full:
//                  a matrix; row: a colVec; column: a rowVec; scalar and constant: fixed);
//   scratch        per-call scratch: on threads, each part but the first gets its thread's own;
//   runPtr         a pointer read when the program runs (a bound data set), never advanced.
//
// This file is read by the build script too (transpiled on its own): type imports only.

import type { HostScalar, Slice } from '../backend.js';
import type { WorkClass } from './split-thresholds.js';

/** The directions a call splits in: ranges of elements, of rows, or of columns. */
export type Direction = 'elements' | 'rows' | 'columns';

/** Bytes a pointer advances per unit: a number, `by`·value(times), or `by`/value(per). */
export type Step =
  | number
  | { readonly times: string; readonly by: number }
  | { readonly per: string; readonly by: number };

export type Role =
  | { readonly kind: 'size'; readonly units: readonly Direction[] }
  | { readonly kind: 'dim' | 'scalar' | 'runScalar' | 'flag' | 'code' | 'index' | 'scratch' | 'runPtr' }
  | { readonly kind: 'ptr'; readonly steps: { readonly [D in Direction]?: Step } }
  | { readonly kind: 'operand'; readonly mode: string; readonly ld: string };

export interface Arg {
  readonly name: string;
  readonly role: Role;
}

/**
 * How a kernel's calls split: the directions a lowerer may choose (the first by default), 'gemm'
 * (by rows or by 8-column strips, whichever leaves the smaller largest part: lower/split.ts
 * gemmSplit), or 'none' (whole, on one thread: kernels that sum to a few numbers, whose order a
 * split would change).
 */
export type SplitKind = 'none' | 'gemm' | readonly Direction[];

export interface KernelSpec<A extends readonly Arg[]> {
  readonly split: SplitKind;
  /** The cost class of split-thresholds.ts (a lowerer may name another for a call). */
  readonly cost?: WorkClass;
  /** The call's work in the cost class's units (elements, or multiply-adds for 'gemm'). */
  readonly work?: (a: ArgNumbers<A>) => number;
  /**
   * Part boundaries by direction: a number, or an argument's value (default elements 16, rows 1,
   * columns 16; gemm columns 8).
   */
  readonly align?: { readonly [D in Direction]?: number | ArgName<A> };
  /** Set when the export returns a number. */
  readonly returns?: 'number';
}

export type Kernel<A extends readonly Arg[]> = KernelSpec<A> & { readonly args: A };

type ArgName<A extends readonly Arg[]> = A[number]['name'];
/** An argument list as numbers by name (what `work` reads). */
export type ArgNumbers<A extends readonly Arg[]> = { readonly [X in A[number] as X['name']]: number };

function kernel<const A extends readonly Arg[], const S extends KernelSpec<A>>(
  args: A,
  spec: S,
): S & { readonly args: A } {
  return { ...spec, args };
}

const arg = <const N extends string, const R extends Role>(name: N, role: R) => ({ name, role }) as const;
const size = <const N extends string, const U extends readonly Direction[]>(name: N, ...units: U) =>
  arg(name, { kind: 'size', units });
const dim = <const N extends string>(name: N) => arg(name, { kind: 'dim' });
const scalar = <const N extends string>(name: N) => arg(name, { kind: 'scalar' });
const runScalar = <const N extends string>(name: N) => arg(name, { kind: 'runScalar' });
const flag = <const N extends string>(name: N) => arg(name, { kind: 'flag' });
const code = <const N extends string>(name: N) => arg(name, { kind: 'code' });
const index = <const N extends string>(name: N) => arg(name, { kind: 'index' });
const scratch = <const N extends string>(name: N) => arg(name, { kind: 'scratch' });
const runPtr = <const N extends string>(name: N) => arg(name, { kind: 'runPtr' });
const ptr = <const N extends string, const S extends { readonly [D in Direction]?: Step }>(name: N, steps: S) =>
  arg(name, { kind: 'ptr', steps });
const floats = <const T extends string>(times: T) => ({ times, by: 4 }) as const;
const elemPtr = <const N extends string>(name: N) => ptr(name, { elements: 4 });
const rowPtr = <const N extends string, const L extends string>(name: N, ld: L) =>
  ptr(name, { rows: floats(ld), columns: 4 });
const rowVec = <const N extends string>(name: N) => ptr(name, { rows: 4 });
const colVec = <const N extends string>(name: N) => ptr(name, { columns: 4 });
const tensorPtr = <const N extends string>(name: N) => ptr(name, { elements: 4, columns: 4 });
const fixedPtr = <const N extends string>(name: N) => ptr(name, {});
const partials = <const N extends string, const P extends string>(name: N, per: P) =>
  ptr(name, { rows: { per, by: 8 } });
const operand = <const N extends string, const M extends string, const L extends string>(name: N, mode: M, ld: L) =>
  arg(name, { kind: 'operand', mode, ld });

/**
 * A loss kernel (assembly/losses.ts, losses-elementwise.ts), split by blocks of `rowsPerPartial`
 * rows that each write one f64 partial sum (lower/loss.ts); sparse targets are int32 labels, one a row.
 */
const loss = (target: 'sparse' | 'dense', cost: WorkClass) =>
  kernel(
    [
      rowPtr('x', 'cols'),
      target === 'sparse' ? rowVec('target') : rowPtr('target', 'cols'),
      size('rows', 'rows'),
      dim('cols'),
      rowPtr('grad', 'cols'),
      scalar('gradScale'),
      fixedPtr('lossOut'),
      rowVec('weights'),
      scalar('param'),
      partials('partials', 'rowsPerPartial'),
      dim('rowsPerPartial'),
    ],
    { split: ['rows'], cost, work: (a) => a.rows * a.cols, align: { rows: 'rowsPerPartial' } },
  );

const rowsTimesN = (a: { readonly rows: number; readonly n: number }) => a.rows * a.n;
const rowsTimesCols = (a: { readonly rows: number; readonly cols: number }) => a.rows * a.cols;

/** The gradient transform every update kernel ends with, then the matrix view (rows, ld). */
const updateTail = [
  scalar('l1'),
  scalar('l2'),
  scalar('clipValue'),
  fixedPtr('normSq'),
  scalar('clipNorm'),
  scalar('weightDecay'),
  dim('rows'),
  dim('ld'),
] as const;
/**
 * An update: elementwise over its tensor (rows 1, ld 0), or over the columns of a matrix whose
 * gradient has column owners (rows, ld = its columns, n = the part's columns).
 */
const update = <const A extends readonly Arg[]>(args: A, cost: WorkClass) =>
  kernel(args, { split: ['elements', 'columns'], cost, work: rowsTimesN as (a: ArgNumbers<A>) => number });

export const KERNELS = {
  // ---- products (assembly/gemm.ts, primitives.ts) ----
  /** C = act(A·B + bias); A [m×k], B [k×n]; accumulate: C += A·B. */
  gemmNN: kernel(
    [
      size('m', 'rows'),
      size('n', 'columns'),
      dim('k'),
      ptr('a', { rows: floats('lda') }),
      dim('lda'),
      ptr('b', { columns: 4 }),
      dim('ldb'),
      ptr('c', { rows: floats('ldc'), columns: 4 }),
      dim('ldc'),
      ptr('bias', { columns: 4 }),
      code('act'),
      scalar('alpha'),
      flag('accumulate'),
    ],
    { split: 'gemm', cost: 'gemm', work: (a) => a.m * a.n * a.k },
  ),
  /**
   * C = Aᵀ·B, A stored [k×m]: row i of C is column i of A; pack: scratch for A's panels, or 0 (A read
   * in place).
   */
  gemmTN: kernel(
    [
      size('m', 'rows'),
      size('n', 'columns'),
      dim('k'),
      ptr('a', { rows: 4 }),
      dim('lda'),
      ptr('b', { columns: 4 }),
      dim('ldb'),
      ptr('c', { rows: floats('ldc'), columns: 4 }),
      dim('ldc'),
      flag('accumulate'),
      scratch('pack'),
    ],
    { split: 'gemm', cost: 'gemm', work: (a) => a.m * a.n * a.k, align: { rows: 6 } },
  ),
  /** C = A·Bᵀ, B stored [n×k]: 8-column strips of C are 8-row strips of B, each packed by its thread into pack. */
  gemmNT: kernel(
    [
      dim('m'),
      size('n', 'columns'),
      dim('k'),
      ptr('a', {}),
      dim('lda'),
      ptr('b', { columns: floats('ldb') }),
      dim('ldb'),
      ptr('c', { columns: 4 }),
      dim('ldc'),
      flag('accumulate'),
      scratch('pack'),
    ],
    { split: 'gemm', cost: 'gemm', work: (a) => a.m * a.n * a.k },
  ),
  /** C = A·Bᵀ by dot products, B read in place (no scratch): the matmul primitive's nt layout. */
  gemmNTDot: kernel(
    [
      size('m', 'rows'),
      size('n', 'columns'),
      dim('k'),
      ptr('a', { rows: floats('lda') }),
      dim('lda'),
      ptr('b', { columns: floats('ldb') }),
      dim('ldb'),
      ptr('c', { rows: floats('ldc'), columns: 4 }),
      dim('ldc'),
    ],
    { split: 'gemm', cost: 'gemm', work: (a) => a.m * a.n * a.k, align: { rows: 2 } },
  ),
  /** Floats of pack scratch a layout (codes.ts GEMM_LAYOUTS) needs. */
  gemmScratchFloats: kernel([dim('m'), dim('n'), dim('k'), code('layout')], { split: 'none', returns: 'number' }),
  /** The single-core multiply-add ceiling (bench). */
  peakProbe: kernel([dim('iterations')], { split: 'none', returns: 'number' }),
  /** out[j] (+)= Σ_i x[i·ldx + j]: bias gradients. */
  columnSums: kernel(
    [dim('rows'), size('cols', 'columns'), rowPtr('x', 'ldx'), dim('ldx'), colVec('out'), flag('accumulate')],
    { split: ['columns'], cost: 'light', work: rowsTimesCols },
  ),

  // ---- activations (assembly/activations.ts, prelu.ts) ----
  activationForward: kernel([code('act'), elemPtr('x'), elemPtr('y'), size('n', 'elements'), scalar('alpha')], {
    split: ['elements'],
    cost: 'heavy',
    work: (a) => a.n,
  }),
  activationBackward: kernel(
    [code('act'), elemPtr('x'), elemPtr('y'), elemPtr('dy'), elemPtr('dx'), size('n', 'elements'), scalar('alpha')],
    { split: ['elements'], cost: 'heavy', work: (a) => a.n },
  ),
  softmaxRows: kernel([rowPtr('x', 'cols'), rowPtr('y', 'cols'), size('rows', 'rows'), dim('cols')], {
    split: ['rows'],
    cost: 'heavy',
    work: rowsTimesCols,
  }),
  softmaxBackwardRows: kernel(
    [rowPtr('y', 'cols'), rowPtr('dy', 'cols'), rowPtr('dx', 'cols'), size('rows', 'rows'), dim('cols')],
    { split: ['rows'], cost: 'light', work: rowsTimesCols },
  ),
  preluForward: kernel([rowPtr('x', 'cols'), colVec('alpha'), rowPtr('y', 'cols'), size('rows', 'rows'), dim('cols')], {
    split: ['rows'],
    cost: 'light',
    work: rowsTimesCols,
  }),
  /** dalpha sums over the rows: a call that asks for it runs whole (split 'none'). */
  preluBackward: kernel(
    [
      rowPtr('x', 'cols'),
      colVec('alpha'),
      rowPtr('dy', 'cols'),
      rowPtr('dx', 'cols'),
      colVec('dalpha'),
      size('rows', 'rows'),
      dim('cols'),
    ],
    { split: ['rows'], cost: 'light', work: rowsTimesCols },
  ),

  // ---- losses (assembly/losses.ts, losses-elementwise.ts, reductions.ts) ----
  softmaxCrossEntropySparse: loss('sparse', 'heavy'),
  softmaxCrossEntropyDense: loss('dense', 'heavy'),
  crossEntropySparseFromProbs: loss('sparse', 'heavy'),
  crossEntropyDenseFromProbs: loss('dense', 'heavy'),
  sigmoidCrossEntropy: loss('dense', 'heavy'),
  binaryCrossEntropyFromProbs: loss('dense', 'heavy'),
  meanSquaredErrorLoss: loss('dense', 'light'),
  meanAbsoluteErrorLoss: loss('dense', 'light'),
  huberLoss: loss('dense', 'light'),
  hingeLoss: loss('dense', 'light'),
  /** out = Σ partials / divisor, in order: the end of a split loss. */
  sumPartials: kernel([fixedPtr('partials'), dim('count'), scalar('divisor'), fixedPtr('out')], { split: 'none' }),

  // ---- metrics and checks (assembly/metrics.ts, reductions.ts) ----
  categoricalHits: kernel(
    [
      fixedPtr('scores'),
      fixedPtr('target'),
      flag('sparse'),
      dim('rows'),
      dim('cols'),
      dim('k'),
      fixedPtr('weights'),
      fixedPtr('out'),
    ],
    { split: 'none' },
  ),
  binaryCounts: kernel(
    [
      fixedPtr('scores'),
      fixedPtr('target'),
      dim('rows'),
      dim('cols'),
      scalar('threshold'),
      fixedPtr('weights'),
      fixedPtr('out'),
    ],
    { split: 'none' },
  ),
  aucHistogram: kernel(
    [
      fixedPtr('scores'),
      fixedPtr('target'),
      dim('rows'),
      dim('cols'),
      dim('buckets'),
      fixedPtr('weights'),
      fixedPtr('out'),
    ],
    { split: 'none' },
  ),
  weightSum: kernel([fixedPtr('weights'), dim('n'), fixedPtr('out')], { split: 'none' }),
  countNonFinite: kernel([fixedPtr('x'), dim('n')], { split: 'none', returns: 'number' }),

  // ---- updates (assembly/optimizers.ts) ----
  sgdUpdate: update(
    [tensorPtr('w'), tensorPtr('g'), size('n', 'elements', 'columns'), runScalar('lr'), ...updateTail],
    'light',
  ),
  momentumUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('m'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('momentum'),
      flag('nesterov'),
      ...updateTail,
    ],
    'light',
  ),
  adagradUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('a'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('epsilon'),
      ...updateTail,
    ],
    'heavy',
  ),
  /** flags: 1 centered (mg), 2 momentum (mom); the pointers of the others are 0. */
  rmspropUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('v'),
      tensorPtr('mg'),
      tensorPtr('mom'),
      size('n', 'elements', 'columns'),
      flag('flags'),
      runScalar('lr'),
      scalar('rho'),
      scalar('momentum'),
      scalar('epsilon'),
      ...updateTail,
    ],
    'heavy',
  ),
  adamUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('m'),
      tensorPtr('v'),
      tensorPtr('vHat'),
      size('n', 'elements', 'columns'),
      flag('amsgrad'),
      runScalar('lr'),
      scalar('beta1'),
      scalar('beta2'),
      scalar('epsilon'),
      runScalar('c1'),
      runScalar('c2'),
      ...updateTail,
    ],
    'heavy',
  ),
  adamaxUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('m'),
      tensorPtr('u'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('beta1'),
      scalar('beta2'),
      scalar('epsilon'),
      runScalar('c1'),
      ...updateTail,
    ],
    'heavy',
  ),
  nadamUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('m'),
      tensorPtr('v'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('beta1'),
      scalar('beta2'),
      scalar('epsilon'),
      runScalar('mCoef'),
      runScalar('gCoef'),
      runScalar('c2'),
      ...updateTail,
    ],
    'heavy',
  ),
  adadeltaUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('a'),
      tensorPtr('d'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('rho'),
      scalar('epsilon'),
      ...updateTail,
    ],
    'heavy',
  ),
  lionUpdate: update(
    [
      tensorPtr('w'),
      tensorPtr('g'),
      tensorPtr('m'),
      size('n', 'elements', 'columns'),
      runScalar('lr'),
      scalar('beta1'),
      scalar('beta2'),
      ...updateTail,
    ],
    'light',
  ),

  // ---- elementwise, norms, penalties (assembly/elementwise.ts, norms.ts, regularization.ts) ----
  copyF32: kernel([elemPtr('src'), elemPtr('dst'), size('n', 'elements')], {
    split: ['elements'],
    cost: 'light',
    work: (a) => a.n,
  }),
  /** The allocator's zeroing (bytes, not floats). */
  zeroBytes: kernel([fixedPtr('ptr'), dim('bytes')], { split: 'none' }),
  fillF32: kernel([elemPtr('dst'), size('n', 'elements'), runScalar('value')], {
    split: ['elements'],
    cost: 'light',
    work: (a) => a.n,
  }),
  addF32: kernel([elemPtr('a'), elemPtr('b'), elemPtr('y'), size('n', 'elements')], {
    split: ['elements'],
    cost: 'light',
    work: (a) => a.n,
  }),
  gradientNormSq: kernel(
    [fixedPtr('g'), fixedPtr('w'), dim('n'), scalar('l1'), scalar('l2'), flag('accumulate'), fixedPtr('out')],
    { split: 'none' },
  ),
  regularizerPenalty: kernel([fixedPtr('x'), dim('n'), scalar('l1'), scalar('l2'), fixedPtr('out')], { split: 'none' }),
  /** grad 0: no gradient. */
  activityRegularizer: kernel(
    [fixedPtr('x'), dim('n'), scalar('l1'), scalar('l2'), scalar('scale'), fixedPtr('out'), fixedPtr('grad')],
    { split: 'none' },
  ),

  // ---- random and normalization (assembly/random.ts, dropout.ts, normalization.ts) ----
  randomUniform: kernel([elemPtr('out'), size('n', 'elements'), runScalar('seed'), scalar('salt'), index('first')], {
    split: ['elements'],
    cost: 'light',
    work: (a) => a.n,
  }),
  dropoutForward: kernel(
    [
      elemPtr('x'),
      elemPtr('y'),
      elemPtr('mask'),
      size('n', 'elements'),
      scalar('rate'),
      runScalar('seed'),
      scalar('salt'),
      index('first'),
    ],
    { split: ['elements'], cost: 'light', work: (a) => a.n },
  ),
  alphaDropoutForward: kernel(
    [
      elemPtr('x'),
      elemPtr('y'),
      elemPtr('mask'),
      size('n', 'elements'),
      scalar('rate'),
      scalar('a'),
      scalar('b'),
      scalar('dropped'),
      runScalar('seed'),
      scalar('salt'),
      index('first'),
    ],
    { split: ['elements'], cost: 'light', work: (a) => a.n },
  ),
  dropoutBackward: kernel([elemPtr('dy'), elemPtr('mask'), elemPtr('dx'), size('n', 'elements')], {
    split: ['elements'],
    cost: 'light',
    work: (a) => a.n,
  }),
  batchNormTrain: kernel(
    [
      rowPtr('x', 'ld'),
      rowPtr('y', 'ld'),
      dim('ld'),
      dim('rows'),
      size('cols', 'columns'),
      colVec('gamma'),
      colVec('beta'),
      colVec('movingMean'),
      colVec('movingVariance'),
      scalar('momentum'),
      scalar('epsilon'),
      colVec('mean'),
      colVec('invStd'),
    ],
    { split: ['columns'], cost: 'heavy', work: rowsTimesCols },
  ),
  batchNormInference: kernel(
    [
      rowPtr('x', 'ld'),
      rowPtr('y', 'ld'),
      dim('ld'),
      dim('rows'),
      size('cols', 'columns'),
      colVec('gamma'),
      colVec('beta'),
      colVec('movingMean'),
      colVec('movingVariance'),
      scalar('epsilon'),
    ],
    { split: ['columns'], cost: 'light', work: rowsTimesCols },
  ),
  batchNormBackward: kernel(
    [
      rowPtr('x', 'ld'),
      rowPtr('dy', 'ld'),
      dim('ld'),
      dim('rows'),
      size('cols', 'columns'),
      colVec('gamma'),
      colVec('mean'),
      colVec('stat'),
      scalar('epsilon'),
      flag('inference'),
      rowPtr('dx', 'ld'),
      colVec('dgamma'),
      colVec('dbeta'),
    ],
    { split: ['columns'], cost: 'heavy', work: rowsTimesCols },
  ),

  // ---- primitives (assembly/primitives.ts, gather.ts) ----
  /** out row i = source row rows[i]; source is a bound data set's offset, read when the program runs. */
  gatherRows: kernel(
    [
      runPtr('source'),
      rowVec('rows'),
      size('count', 'rows'),
      dim('rowBytes'),
      ptr('out', { rows: { times: 'rowBytes', by: 1 } }),
    ],
    {
      split: ['rows'],
      cost: 'light',
      work: (a) => (a.count * a.rowBytes) / 4,
    },
  ),
  unaryF32: kernel([code('op'), elemPtr('x'), elemPtr('y'), size('n', 'elements')], {
    split: ['elements'],
    cost: 'heavy',
    work: (a) => a.n,
  }),
  /** Without row or column operands: one row of rows·cols elements, split by elements; else by rows. */
  binaryF32: kernel(
    [
      code('op'),
      operand('a', 'aMode', 'cols'),
      code('aMode'),
      runScalar('aValue'),
      operand('b', 'bMode', 'cols'),
      code('bMode'),
      runScalar('bValue'),
      ptr('y', { elements: 4, rows: floats('cols') }),
      size('rows', 'rows'),
      size('cols', 'elements'),
    ],
    { split: ['elements', 'rows'], cost: 'light', work: rowsTimesCols },
  ),
  whereF32: kernel(
    [
      operand('c', 'cMode', 'cols'),
      code('cMode'),
      runScalar('cValue'),
      operand('a', 'aMode', 'cols'),
      code('aMode'),
      runScalar('aValue'),
      operand('b', 'bMode', 'cols'),
      code('bMode'),
      runScalar('bValue'),
      ptr('y', { elements: 4, rows: floats('cols') }),
      size('rows', 'rows'),
      size('cols', 'elements'),
    ],
    { split: ['elements', 'rows'], cost: 'light', work: rowsTimesCols },
  ),
  reduceEachRow: kernel([code('op'), rowPtr('x', 'cols'), rowVec('y'), size('rows', 'rows'), dim('cols')], {
    split: ['rows'],
    cost: 'light',
    work: rowsTimesCols,
  }),
  reduceEachColumn: kernel(
    [code('op'), rowPtr('x', 'ld'), colVec('y'), dim('rows'), size('cols', 'columns'), dim('ld')],
    { split: ['columns'], cost: 'light', work: rowsTimesCols },
  ),
  oneHotF32: kernel([rowVec('labels'), rowPtr('y', 'cols'), size('rows', 'rows'), dim('cols')], {
    split: ['rows'],
    cost: 'light',
    work: rowsTimesCols,
  }),
} as const;

type Table = typeof KERNELS;
export type KernelName = keyof Table;
type ArgsOf<K extends KernelName> = Table[K]['args'];

/**
 * A pointer argument as a lowerer gives it: a slice (resolved to its byte offset), null or 0 for none,
 * or a byte offset.
 */
export type PointerValue = Slice | null | number;

/** What a lowerer passes for an argument of each role. */
type ValueOf<R extends Role> = R extends { readonly kind: 'ptr' | 'operand' | 'scratch' }
  ? PointerValue
  : R extends { readonly kind: 'runPtr' }
    ? HostScalar | PointerValue
    : R extends { readonly kind: 'runScalar' }
      ? number | HostScalar
      : R extends { readonly kind: 'flag' }
        ? number | boolean
        : number;

/** A kernel's arguments by name, as lowerers give them to `Lowering.kernel`. */
export type KernelArgs<K extends KernelName> = { readonly [A in ArgsOf<K>[number] as A['name']]: ValueOf<A['role']> };

type Numbers<T extends readonly unknown[]> = { -readonly [I in keyof T]: number };

/** The module's exports, typed from the table: byte offsets and numbers in, in the table's order. */
export type KernelFunctions = {
  readonly [K in KernelName]: (
    ...args: Numbers<ArgsOf<K>>
  ) => Table[K] extends { readonly returns: 'number' } ? number : void;
} & { readonly heapBase: WebAssembly.Global };

/** Exports that are not kernel functions (checked by the build as well). */
export const OTHER_EXPORTS = { heapBase: 'global', memory: 'memory' } as const;

/** The table as the build check reads it: each kernel's argument count and names. */
export function tableSummary(): Record<string, readonly string[]> {
  return Object.fromEntries(
    Object.entries(KERNELS).map(([name, k]) => [name, (k.args as readonly Arg[]).map((a) => a.name)]),
  );
}
