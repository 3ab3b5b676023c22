// Parameter updates: every optimizer rule (with its options: nesterov, centered, momentum, amsgrad)
// under every gradient transform (regularizer gradients, clipping by value and by norm, active or
// not, decoupled weight decay, all at once), four steps in a row from a nonzero state, with the
// learning rate and bias corrections changing between steps (HostScalars read when the call runs);
// a rule written as a formula (formulaUpdate, Lion's) under the same transforms.

import { expect } from 'vitest';
import type { HostScalar, Slice } from '../../../../src/backend/backend.js';
import type { GradientTransform, UpdateCall } from '../../../../src/backend/calls/update.js';
import { constant, full, type Composer } from '../../../../src/backend/defaults/compose.js';
import { type BufferSpec, type CallCase, type Slices, uniforms } from '../calls-harness.js';

const ROWS = 5;
const COLS = 7;
const N = ROWS * COLS;

const PLAIN: GradientTransform = { l1: 0, l2: 0, normSq: null, clipNorm: 0, clipValue: Infinity, weightDecay: 0 };
const TRANSFORMS: { label: string; transform: (s: Slices) => GradientTransform }[] = [
  { label: 'plain', transform: () => PLAIN },
  { label: 'l1 + l2', transform: () => ({ ...PLAIN, l1: 0.05, l2: 0.1 }) },
  { label: 'clip value', transform: () => ({ ...PLAIN, clipValue: 0.25 }) },
  // Σg² ≈ 35·0.33: a norm clip at 0.9 scales by ~0.26.
  { label: 'clip norm (active)', transform: (s) => ({ ...PLAIN, normSq: s.normSq, clipNorm: 0.9 }) },
  { label: 'clip norm (inactive)', transform: (s) => ({ ...PLAIN, normSq: s.normSq, clipNorm: 100 }) },
  { label: 'weight decay', transform: () => ({ ...PLAIN, weightDecay: 0.05 }) },
  {
    label: 'every transform',
    transform: (s) => ({ l1: 0.01, l2: 0.02, clipNorm: 0.9, clipValue: 0.3, weightDecay: 0.05, normSq: s.normSq }),
  },
];

/** The learning rate and bias corrections of step t. */
const lr: HostScalar = { value: 0 };
const c1: HostScalar = { value: 0 };
const c2: HostScalar = { value: 0 };
const mCoef: HostScalar = { value: 0 };
const gCoef: HostScalar = { value: 0 };
export function beforeStep(t: number): void {
  lr.value = 0.1 / t;
  c1.value = 1 - 0.9 ** t;
  c2.value = 1 - 0.999 ** t;
  mCoef.value = 0.9 / (1 - 0.9 ** (t + 1));
  gCoef.value = 0.1 / (1 - 0.9 ** t);
}

type Base = { w: Slice; g: Slice; n: number; cols: number; learningRate: HostScalar; transform: GradientTransform };
export interface Rule {
  readonly label: string;
  /** Its state buffers (m, mg, mom: signed; the others nonnegative). */
  readonly states: readonly string[];
  readonly build: (s: Slices, base: Base) => UpdateCall;
}
export const RULES: Rule[] = [
  { label: 'sgd', states: [], build: (_s, b) => ({ kind: 'sgdUpdate', ...b }) },
  {
    label: 'momentum',
    states: ['m'],
    build: (s, b) => ({ kind: 'momentumUpdate', m: s.m, momentum: 0.9, nesterov: false, ...b }),
  },
  {
    label: 'momentum, nesterov',
    states: ['m'],
    build: (s, b) => ({ kind: 'momentumUpdate', m: s.m, momentum: 0.8, nesterov: true, ...b }),
  },
  {
    label: 'adagrad',
    states: ['a'],
    build: (s, b) => ({ kind: 'adagradUpdate', accumulator: s.a, epsilon: 1e-7, ...b }),
  },
  ...[false, true].flatMap((centered) =>
    [false, true].map(
      (momentum): Rule => ({
        label: `rmsprop${centered ? ', centered' : ''}${momentum ? ', momentum' : ''}`,
        states: ['v', ...(centered ? ['mg'] : []), ...(momentum ? ['mom'] : [])],
        build: (s, b) => ({
          kind: 'rmspropUpdate',
          velocity: s.v,
          averageGrad: centered ? s.mg : null,
          momentumBuffer: momentum ? s.mom : null,
          rho: 0.9,
          momentum: momentum ? 0.7 : 0,
          epsilon: 1e-7,
          ...b,
        }),
      }),
    ),
  ),
  ...[false, true].map(
    (amsgrad): Rule => ({
      label: `adam${amsgrad ? ', amsgrad' : ''}`,
      states: ['m', 'v', ...(amsgrad ? ['vHat'] : [])],
      build: (s, b) => ({
        kind: 'adamUpdate',
        m: s.m,
        v: s.v,
        vHat: amsgrad ? s.vHat : null,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        correction1: c1,
        correction2: c2,
        ...b,
      }),
    }),
  ),
  {
    label: 'adamax',
    states: ['m', 'u'],
    build: (s, b) => ({
      kind: 'adamaxUpdate',
      m: s.m,
      u: s.u,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      correction1: c1,
      ...b,
    }),
  },
  {
    label: 'nadam',
    states: ['m', 'v'],
    build: (s, b) => ({
      kind: 'nadamUpdate',
      m: s.m,
      v: s.v,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      mCoef,
      gCoef,
      correction2: c2,
      ...b,
    }),
  },
  {
    label: 'adadelta',
    states: ['a', 'd'],
    build: (s, b) => ({
      kind: 'adadeltaUpdate',
      accumulatedGrad: s.a,
      accumulatedDelta: s.d,
      rho: 0.95,
      epsilon: 1e-6,
      ...b,
    }),
  },
];

/** w, g, Σg² and the rule's state (as after earlier steps) for an update of n values. */
export function updateBuffers(rule: Rule, n: number): Record<string, BufferSpec> {
  const w = uniforms(n, -1, 1);
  w[0] = 0; // sign(0) = 0 for l1
  const g = uniforms(n, -1, 1);
  const buffers: Record<string, BufferSpec> = {
    w: { data: w },
    g: { data: g },
    normSq: { data: Float32Array.of(g.reduce((s, v) => s + v * v, 0)) },
  };
  for (const state of rule.states)
    buffers[state] = { data: ['m', 'mg', 'mom'].includes(state) ? uniforms(n, -0.1, 0.1) : uniforms(n, 0, 0.1) };
  return buffers;
}

export const UPDATE_CASES: CallCase[] = RULES.flatMap((rule) =>
  TRANSFORMS.map(({ label, transform }): CallCase => {
    const buffers = updateBuffers(rule, N);
    const w = buffers.w.data!;
    return {
      name: `${rule.label}, ${label}, 4 steps`,
      buffers,
      call: (s) => rule.build(s, { w: s.w, g: s.g, n: N, cols: COLS, learningRate: lr, transform: transform(s) }),
      steps: 4,
      before: beforeStep,
      expectReference: (out) => expect(Array.from(out.w)).not.toEqual(Array.from(w)),
    };
  }),
);

export const updateLearningRate = lr;

/** β·a + (1 − β)·b over n values. */
const blend = (c: Composer, beta: number, a: Slice, b: Slice, n: number): Slice =>
  c.map2(
    'add',
    full(c.map2('mul', full(a), constant(beta), n)),
    full(c.map2('mul', full(b), constant(1 - beta), n)),
    n,
  );

/**
 * Lion's rule (as src/optimizers/lion.ts writes it): w ← w − η·sign(β1·m + (1 − β1)·ĝ);
 * m ← β2·m + (1 − β2)·ĝ.
 */
const lionFormula =
  (beta1: number, beta2: number) =>
  (
    c: Composer,
    {
      w,
      g,
      slots: [m],
      n,
      learningRate,
    }: { w: Slice; g: Slice; slots: readonly Slice[]; n: number; learningRate: HostScalar },
  ) => {
    const direction = c.unary('sign', blend(c, beta1, m, g, n), n);
    c.map2('sub', full(w), full(c.map2('mul', full(direction), constant(learningRate), n)), n, w);
    c.copy(blend(c, beta2, m, g, n), n, m);
  };

/**
 * A rule written as a formula on the Composer (Lion's), under every transform: as `lion`, which the
 * WASM backend runs as its fused kernel, and under another name, which every backend runs as the formula.
 */
export const FORMULA_CASES: CallCase[] = ['lion', 'lion as a formula'].flatMap((rule) =>
  TRANSFORMS.map(({ label, transform }): CallCase => {
    const lion: Rule = { label: 'lion', states: ['m'], build: () => undefined as never };
    const buffers = updateBuffers(lion, N);
    return {
      name: `formulaUpdate ${rule}, ${label}, 4 steps`,
      buffers,
      call: (s) => ({
        kind: 'formulaUpdate',
        rule,
        w: s.w,
        g: s.g,
        slots: [s.m],
        n: N,
        cols: COLS,
        learningRate: lr,
        transform: transform(s),
        formula: lionFormula(0.9, 0.99),
        constants: { beta1: 0.9, beta2: 0.99 },
      }),
      steps: 4,
      before: beforeStep,
    };
  }),
);
