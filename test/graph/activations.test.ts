// Numerical gradient checks (float64 central differences against the ops' float32 gradient graphs) for
// every activation through the activation op, through the fused dense op (GEMM epilogue) where the
// activation fuses, and for the PReLU op with respect to both inputs.
import { describe, expect, it } from 'vitest';
import type { KernelActivation } from '../../src/backend/backend.js';
import { activation, activationNeedsInput } from '../../src/graph/ops/activation.js';
import { dense } from '../../src/graph/ops/linear.js';
import { prelu } from '../../src/graph/ops/prelu.js';
import { FORWARD } from '../helpers/activation-reference.js';
import { awayFromZero, gradCheck, randomData } from '../helpers/gradcheck.js';
import * as ref from '../helpers/reference.js';

const TOL = 2e-4;

function expectClose(result: { forwardError: number; gradientErrors: number[] }, expectedGrads: number) {
  expect(result.forwardError).toBeLessThan(TOL);
  expect(result.gradientErrors).toHaveLength(expectedGrads);
  for (const e of result.gradientErrors) expect(e).toBeLessThan(TOL);
}

const KINDS: { kind: KernelActivation; alpha: number }[] = [
  { kind: 'relu', alpha: 0 },
  { kind: 'sigmoid', alpha: 0 },
  { kind: 'tanh', alpha: 0 },
  { kind: 'leakyRelu', alpha: 0.2 },
  { kind: 'leakyRelu', alpha: 1.7 },
  { kind: 'elu', alpha: 1 },
  { kind: 'elu', alpha: 0.4 },
  { kind: 'selu', alpha: 0 },
  { kind: 'hardSigmoid', alpha: 0 },
  { kind: 'softplus', alpha: 0 },
  { kind: 'softsign', alpha: 0 },
  { kind: 'swish', alpha: 0 },
  { kind: 'gelu', alpha: 0 },
];

/**
 * Inputs on both sides of every region, kept 0.1 away from the kinks (0 for the relu family, ±2.5 for hardSigmoid).
 */
function activationInput(kind: KernelActivation, n: number, seed: number): Float64Array {
  const x = awayFromZero(n, seed).map((v) => v * 3.5);
  if (kind !== 'hardSigmoid') return x;
  return x.map((v) => (Math.abs(Math.abs(v) - 2.5) < 0.1 ? v * 0.9 : v));
}

describe('activation op gradients (every kernel activation)', () => {
  for (const { kind, alpha } of KINDS) {
    it(
      `${kind}${alpha ? ` (alpha ${alpha})` : ''}` +
        `${activationNeedsInput(kind) ? ', derivative from x' : ', derivative from y'}`,
      () => {
        const x = { shape: [3, 7], data: activationInput(kind, 21, 7) };
        const a = Math.fround(alpha);
        expectClose(
          gradCheck(
            ([t]) => activation(t, kind, alpha),
            ([t]) => t.map((v) => FORWARD[kind](v, a)),
            [x],
          ),
          1,
        );
      },
    );
  }
});

describe('fused dense gradients (GEMM with bias and the activation in its epilogue)', () => {
  const [m, k, n] = [6, 11, 9];
  for (const { kind, alpha } of KINDS.filter((c) => !activationNeedsInput(c.kind))) {
    it(`${kind}${alpha ? ` (alpha ${alpha})` : ''}`, () => {
      const x = { shape: [m, k], data: randomData(m * k, 3) };
      const w = { shape: [k, n], data: randomData(k * n, 4) };
      // pre-activations of ~±1 pushed 0.3 or more away from 0 (the relu-family kink) by the bias
      const b = { shape: [n], data: awayFromZero(n, 6).map((v) => v * 3) };
      const a = Math.fround(alpha);
      const forward = (xs: Float64Array, ws: Float64Array, bs: Float64Array) =>
        ref.matmul(xs, ws, m, n, k, false, false).map((v, i) => FORWARD[kind](v + bs[i % n], a));
      expectClose(
        gradCheck(
          ([xs, ws, bs]) => dense(xs, ws, bs, kind, alpha),
          ([xs, ws, bs]) => forward(xs, ws, bs),
          [x, w, b],
        ),
        3,
      );
    });
  }

  it('refuses to fuse swish and gelu (their derivative needs the pre-activation)', () => {
    const gc = () =>
      gradCheck(
        ([xs, ws]) => dense(xs, ws, null, 'gelu'),
        () => new Float64Array(4),
        [
          { shape: [2, 2], data: randomData(4, 1) },
          { shape: [2, 2], data: randomData(4, 2) },
        ],
      );
    expect(gc).toThrow(/dense cannot fuse gelu/);
  });
});

describe('prelu op gradients (input and slopes)', () => {
  it('[5, 6] with slopes [6], and [4, 2, 3] with slopes [2, 3]', () => {
    for (const shape of [
      [5, 6],
      [4, 2, 3],
    ]) {
      const size = shape.reduce((p, d) => p * d, 1);
      const cols = size / shape[0];
      const x = { shape, data: awayFromZero(size, 11).map((v) => v * 2) };
      const alpha = { shape: shape.slice(1), data: randomData(cols, 12, -0.5, 1.5) };
      const forward = ([xs, as]: Float64Array[]) => xs.map((v, i) => (v > 0 ? v : as[i % cols] * v));
      expectClose(
        gradCheck(([xs, as]) => prelu(xs, as), forward, [x, alpha]),
        2,
      );
    }
  });
});
