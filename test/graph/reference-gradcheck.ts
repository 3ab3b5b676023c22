// Gradient checking on a given backend (the float64 ReferenceBackend by default): a graph's forward
// values and its gradients (the gradient rules compiled and run) against a float64 reference forward
// pass and its central differences. Inputs are rounded to float32 first, as the backend stores them.

import type { Backend } from '../../src/backend/backend.js';
import { ReferenceBackend } from '../../src/backend/reference/reference-backend.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gradients } from '../../src/graph/gradients.js';
import { placeholder, type SymbolicTensor } from '../../src/graph/tensor.js';
import { Generator } from '../../src/random.js';

export interface Input {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export interface Check {
  /** max |forward − reference| / max(1, max |reference|) */
  readonly forwardError: number;
  /** per input: max |analytic − numeric| / max(1e-3, max |numeric|) */
  readonly gradientErrors: number[];
  /** The output's shape as the graph inferred it. */
  readonly shape: readonly number[];
}

/** n values uniform in [lo, hi), rounded to float32. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Generator(seed);
  return Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * rng.uniform()));
}

/** Values at least `gap` away from 0 (for ops with a kink or jump there). */
export function awayFromZero(n: number, seed: number, gap = 0.1, scale = 1): Float64Array {
  return uniform(n, seed).map((v) => Math.fround(scale * (v >= 0 ? gap + v : -gap + v)));
}

export const input = (shape: readonly number[], data: Float64Array): Input => ({ shape, data });

let shared: ReferenceBackend | null = null;
const reference = () => (shared ??= new ReferenceBackend());

/**
 * Checks `build` against `forward` (float64). The objective is Σ r ⊙ y for a random r (a seeded
 * upstream), or, with `objective: true`, the sum of y itself (the gradient pass's implicit objective:
 * the primitives read it as ones).
 */
export function check(
  build: (inputs: SymbolicTensor[]) => SymbolicTensor,
  forward: (inputs: Float64Array[]) => Float64Array,
  inputs: readonly Input[],
  options: { backend?: Backend; h?: number; objective?: boolean } = {},
): Check {
  const backend = options.backend ?? reference();
  const h = options.h ?? 1e-5;
  const phs = inputs.map((inp, i) => placeholder(inp.shape, 'float32', `in${i}`));
  const y = build(phs);
  const r = uniform(y.size, 99);
  const seed = options.objective ? undefined : placeholder(y.shape, 'float32', 'seed');
  const grads = gradients(y, phs, seed);
  const fetched = grads.filter((g): g is SymbolicTensor => g !== null);
  const graph = new CompiledGraph(backend, { feeds: seed ? [...phs, seed] : phs, fetches: [y, ...fetched] });
  phs.forEach((p, i) => {
    graph.write(p, Float32Array.from(inputs[i].data));
  });
  if (seed) graph.write(seed, Float32Array.from(r));
  graph.run();

  const values = inputs.map((i) => i.data);
  const expected = forward(values);
  const out = graph.read(y);
  const refMax = Math.max(1, ...expected.map(Math.abs));
  let forwardError = out.length === expected.length ? 0 : Infinity;
  for (let i = 0; i < expected.length; i++)
    forwardError = Math.max(forwardError, Math.abs(out[i] - expected[i]) / refMax);

  const objective = (vals: Float64Array[]) =>
    forward(vals).reduce((s, v, i) => s + (options.objective ? v : r[i] * v), 0);
  const gradientErrors = inputs.map((inp, i) => {
    const grad = grads[i];
    const analytic = grad ? graph.read(grad) : new Float32Array(inp.data.length);
    const numeric = inp.data.map((_, j) => {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      return (objective(plus) - objective(minus)) / (2 * h);
    });
    const scale = Math.max(1e-3, ...numeric.map(Math.abs));
    return numeric.reduce(
      (err, v, j) => Math.max(err, Math.abs(analytic[j] - v) / scale),
      analytic.length === numeric.length ? 0 : Infinity,
    );
  });
  graph.dispose();
  return { forwardError, gradientErrors, shape: y.shape };
}
