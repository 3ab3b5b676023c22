// Gradient checking: an op's analytic gradient (its gradient rule compiled and run in float32) against
// central differences of a float64 reference implementation of its forward pass.

import { getBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gradients } from '../../src/graph/gradients.js';
import { placeholder, type SymbolicTensor } from '../../src/graph/tensor.js';
import { Generator } from '../../src/random.js';

export interface CheckInput {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /** int32 inputs (labels) are fed but not differentiated. */
  readonly dtype?: 'float32' | 'int32';
}

export interface CheckResult {
  /** max |forward − reference| / max(1, max |reference|) */
  readonly forwardError: number;
  /** per differentiable input: max |analytic − numeric| / max(1e-3, max |numeric|) */
  readonly gradientErrors: number[];
}

export function randomData(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Generator(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Data away from zero (for ops with a kink there, such as relu). */
export function awayFromZero(n: number, seed: number): Float64Array {
  return randomData(n, seed).map((v) => (v >= 0 ? 0.1 + v : -0.1 + v));
}

const f32 = (d: Float64Array) => Float32Array.from(d);

/**
 * Checks `build` (graph ops on placeholders) against `reference` (float64). The objective is
 * Σ r ⊙ y for a random r, unless `objective` says the op is a loss whose gradient output is checked
 * against the reference's scalar value times `objectiveScale`.
 */
export function gradCheck(
  build: (inputs: SymbolicTensor[]) => SymbolicTensor,
  reference: (inputs: Float64Array[]) => Float64Array,
  inputs: readonly CheckInput[],
  options: { objective?: { scale: number }; h?: number; forwardOnly?: boolean } = {},
): CheckResult {
  const h = options.h ?? 1e-4;
  const phs = inputs.map((inp, i) => placeholder(inp.shape, inp.dtype ?? 'float32', `in${i}`));
  const y = build(phs);
  const differentiable = options.forwardOnly ? [] : phs.filter((_, i) => (inputs[i].dtype ?? 'float32') === 'float32');
  const r = randomData(y.size, 99);
  let seed: SymbolicTensor | undefined;
  if (!options.objective && !options.forwardOnly) seed = placeholder(y.shape, 'float32', 'seed');
  const grads = gradients(y, differentiable, seed);
  const fetched = grads.filter((g): g is SymbolicTensor => g !== null);
  const graph = new CompiledGraph(getBackend(), { feeds: seed ? [...phs, seed] : phs, fetches: [y, ...fetched] });
  for (const [i, p] of phs.entries()) {
    graph.write(p, inputs[i].dtype === 'int32' ? Int32Array.from(inputs[i].data) : f32(inputs[i].data));
  }
  if (seed) graph.write(seed, f32(r));
  graph.run();

  const values = inputs.map((i) => i.data);
  const ref = reference(values);
  const out = graph.read(y);
  const refMax = Math.max(1, ...ref.map(Math.abs));
  let forwardError = 0;
  for (let i = 0; i < ref.length; i++) forwardError = Math.max(forwardError, Math.abs(out[i] - ref[i]) / refMax);

  const objective = (vals: Float64Array[]) => {
    const v = reference(vals);
    if (options.objective) return options.objective.scale * v.reduce((a, b) => a + b, 0);
    let s = 0;
    for (let i = 0; i < v.length; i++) s += r[i] * v[i];
    return s;
  };
  const gradientErrors: number[] = [];
  let g = 0;
  inputs.forEach((inp, i) => {
    if ((inp.dtype ?? 'float32') !== 'float32' || options.forwardOnly) return;
    const grad = grads[g++];
    const analytic = grad ? graph.read(grad) : new Float32Array(inp.data.length);
    const numeric = new Float64Array(inp.data.length);
    for (let j = 0; j < numeric.length; j++) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      numeric[j] = (objective(plus) - objective(minus)) / (2 * h);
    }
    const scale = Math.max(1e-3, ...numeric.map(Math.abs));
    let err = 0;
    for (let j = 0; j < numeric.length; j++) err = Math.max(err, Math.abs(analytic[j] - numeric[j]) / scale);
    gradientErrors.push(err);
  });
  graph.dispose();
  return { forwardError, gradientErrors };
}
