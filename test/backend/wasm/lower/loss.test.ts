// Losses split over threads: the kernel writes one f64 partial sum per block of rows and sumPartials
// adds them in order, so the summed loss and its gradient are bitwise those of one thread, for every
// loss, with and without sample weights; the sum is checked against the float64 references too.
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../../src/backend/wasm/wasm-backend.js';
import { testing } from '../../../../src/backend/wasm/testing.js';
import { CompiledGraph } from '../../../../src/graph/compile.js';
import {
  crossEntropyOp,
  pointwiseLossOp,
  type CrossEntropyAttrs,
  type PointwiseLossAttrs,
} from '../../../../src/graph/ops/losses.js';
import { apply, placeholder, type SymbolicTensor } from '../../../../src/graph/tensor.js';
import type { OpDef } from '../../../../src/graph/op.js';
import { categoricalRef, pointwiseRef, weightedSum, type PointwiseKind } from '../../../helpers/loss-reference.js';

// 300 rows of 61: 18,300 elements, above both split thresholds; 61 columns leave a scalar remainder
// per row, and the elementwise losses' blocks (8 rows) a partial last block.
const ROWS = 300;
const COLS = 61;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const backends = new Map<number, WasmBackend>();
async function backendWith(threads: number): Promise<WasmBackend> {
  let b = backends.get(threads);
  if (!b) {
    b = new WasmBackend({ threads });
    await b.start();
    if (threads > 1) testing.runOnTeam(b);
    backends.set(threads, b);
  }
  return b;
}
afterAll(async () => {
  for (const b of backends.values()) await b.stop();
});

interface Case {
  readonly name: string;
  readonly op: OpDef<CrossEntropyAttrs> | OpDef<PointwiseLossAttrs>;
  readonly attrs: CrossEntropyAttrs | PointwiseLossAttrs;
  readonly sparse: boolean;
  /** Inputs in (0, 1) (probabilities) rather than logits in (−4, 4). */
  readonly probs: boolean;
  /** Targets in {0, 1} rather than one-hot rows or real values. */
  readonly targets: 'labels' | 'oneHot' | 'binary' | 'real';
  readonly reference: (x: Float32Array, t: Float32Array | Int32Array) => Float64Array;
}

const pointwise = (
  name: string,
  loss: PointwiseLossAttrs['loss'],
  ref: PointwiseKind,
  input: 'logits' | 'probs',
  targets: Case['targets'],
  param = 0,
): Case => ({
  name,
  op: pointwiseLossOp,
  attrs: { loss, input, gradScale: 1 / ROWS, param },
  sparse: false,
  probs: input === 'probs',
  targets,
  reference: (x, t) => pointwiseRef(ref, x, t, COLS, param),
});

const cases: Case[] = [
  {
    name: 'softmax cross-entropy, sparse',
    op: crossEntropyOp,
    attrs: { input: 'logits', labels: 'sparse', gradScale: 1 / ROWS },
    sparse: true,
    probs: false,
    targets: 'labels',
    reference: (x, t) => categoricalRef(x, t, COLS, { sparse: true, logits: true }),
  },
  {
    name: 'softmax cross-entropy, one-hot, smoothed',
    op: crossEntropyOp,
    attrs: { input: 'logits', labels: 'dense', gradScale: 1 / ROWS, smoothing: 0.1 },
    sparse: false,
    probs: false,
    targets: 'oneHot',
    reference: (x, t) => categoricalRef(x, t, COLS, { sparse: false, logits: true, smoothing: 0.1 }),
  },
  {
    name: 'cross-entropy of probabilities, sparse',
    op: crossEntropyOp,
    attrs: { input: 'probs', labels: 'sparse', gradScale: 1 / ROWS },
    sparse: true,
    probs: true,
    targets: 'labels',
    reference: (x, t) => categoricalRef(x, t, COLS, { sparse: true, logits: false }),
  },
  {
    name: 'cross-entropy of probabilities, one-hot',
    op: crossEntropyOp,
    attrs: { input: 'probs', labels: 'dense', gradScale: 1 / ROWS },
    sparse: false,
    probs: true,
    targets: 'oneHot',
    reference: (x, t) => categoricalRef(x, t, COLS, { sparse: false, logits: false }),
  },
  pointwise('binary cross-entropy of logits', 'binaryCrossentropy', 'bceLogits', 'logits', 'binary'),
  pointwise('binary cross-entropy of probabilities', 'binaryCrossentropy', 'bceProbs', 'probs', 'binary'),
  pointwise('mean squared error', 'meanSquaredError', 'mse', 'logits', 'real'),
  pointwise('mean absolute error', 'meanAbsoluteError', 'mae', 'logits', 'real'),
  pointwise('Huber', 'huber', 'huber', 'logits', 'real', 0.7),
  pointwise(
    'hinge (runs whole: it tests the whole batch for {0, 1} targets first)',
    'hinge',
    'hinge',
    'logits',
    'binary',
  ),
];

function data(c: Case) {
  const rand = lcg(c.name.length * 97 + 13);
  const x = Float32Array.from({ length: ROWS * COLS }, () => (c.probs ? 0.02 + 0.96 * rand() : 8 * rand() - 4));
  if (c.probs && Object.hasOwn(c.attrs, 'labels')) {
    // Probability rows that sum to 1.
    for (let r = 0; r < ROWS; r++) {
      const row = x.subarray(r * COLS, (r + 1) * COLS);
      const s = row.reduce((a, b) => a + b, 0);
      for (const [j, v] of row.entries()) row[j] = v / s;
    }
  }
  const labels = Int32Array.from({ length: ROWS }, () => Math.floor(rand() * COLS));
  const t =
    c.targets === 'labels'
      ? labels
      : Float32Array.from({ length: ROWS * COLS }, (_, i) =>
          c.targets === 'oneHot'
            ? Number(labels[Math.floor(i / COLS)] === i % COLS)
            : c.targets === 'binary'
              ? Number(rand() < 0.5)
              : 4 * rand() - 2,
        );
  const w = Float32Array.from({ length: ROWS }, () => 0.25 + 1.5 * rand());
  return { x, t, w };
}

async function run(c: Case, threads: number, weighted: boolean) {
  const backend = await backendWith(threads);
  const { x, t, w } = data(c);
  const xT = placeholder([ROWS, COLS], 'float32', 'x');
  const tT = placeholder(c.sparse ? [ROWS] : [ROWS, COLS], c.sparse ? 'int32' : 'float32', 't');
  const wT = placeholder([ROWS], 'float32', 'w');
  const [loss, grad] = apply(c.op as OpDef<unknown>, weighted ? [xT, tT, wT] : [xT, tT], c.attrs) as [
    SymbolicTensor,
    SymbolicTensor,
  ];
  const graph = new CompiledGraph(backend, { feeds: weighted ? [xT, tT, wT] : [xT, tT], fetches: [loss, grad] });
  graph.write(xT, x);
  graph.write(tT, t);
  if (weighted) graph.write(wT, w);
  const before = backend.teamRuns;
  graph.run();
  const result = {
    loss: graph.readScalar(loss),
    grad: graph.read(grad) as Float32Array,
    onTeam: backend.teamRuns > before,
    expected: weightedSum(c.reference(x, t), weighted ? w : null),
  };
  graph.dispose();
  return result;
}

describe('a loss split over two threads', () => {
  for (const c of cases) {
    for (const weighted of [false, true]) {
      it(`${c.name}${weighted ? ', sample-weighted' : ''}: bitwise the loss and gradient of one thread`, async () => {
        const one = await run(c, 1, weighted);
        const two = await run(c, 2, weighted);
        expect(two.onTeam).toBe(!c.name.startsWith('hinge'));
        expect(Object.is(two.loss, one.loss), `loss ${two.loss} against ${one.loss}`).toBe(true);
        expect(two.grad.filter((v, i) => !Object.is(v, one.grad[i])).length).toBe(0);
        expect(Math.abs(one.loss - one.expected)).toBeLessThanOrEqual(1e-5 * Math.abs(one.expected) + 1e-6);
      });
    }
  }
});
