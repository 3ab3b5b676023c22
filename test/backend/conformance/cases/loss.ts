// Loss calls: cross-entropy in every input × label variant, weighted or not, with or without the
// gradient, smoothed (dense); labels out of range (a NaN loss); the gradient written over the
// logits; every pointwise loss with its variants (binary cross-entropy on probabilities at 0 and 1,
// Huber's δ, hinge on {0, 1}, ±1 and real targets), d = 0 in the first element.

import { expect } from 'vitest';
import type { PointwiseLossKind } from '../../../../src/backend/calls/loss.js';
import { type CallCase, ints, oneHotRows, sampleWeights, uniforms } from '../calls-harness.js';

const ROWS = 5;
const COLS = 7;
const N = ROWS * COLS;

/** Probability rows (not normalised: the dense path divides by the sum), some below ε and one 0. */
function probabilities(): Float32Array {
  const p = uniforms(N, 0.01, 1);
  [p[3], p[9], p[20]] = [0, 1e-9, 5e-8];
  return p;
}
/** Probabilities with exact 0 and 1 and values past either end of the clip. */
function probabilitiesWithOne(): Float32Array {
  const p = probabilities();
  [p[5], p[11]] = [1, Math.fround(1 - 1e-8)];
  return p;
}
const finiteLoss = (out: Record<string, Float32Array>) => expect(Number.isFinite(out.loss[0])).toBe(true);

const crossEntropy: CallCase[] = (['logits', 'probs'] as const).flatMap((input) =>
  (['sparse', 'dense'] as const).flatMap((labels) =>
    [false, true].flatMap((weighted) =>
      [true, false].flatMap((withGrad) =>
        (labels === 'dense' ? [0, 0.1] : [0]).map((smoothing): CallCase => {
          const x = input === 'logits' ? uniforms(N, -4, 4) : probabilities();
          const classes = ints(ROWS, COLS);
          if (input === 'probs') x[2 * COLS + classes[2]] = 1e-8; // a label probability below ε
          return {
            name:
              `crossEntropy ${input} ` +
              `${labels}${weighted ? ', weighted' : ''}${withGrad ? '' : ', no grad'}` +
              `${smoothing ? `, smoothing ${smoothing}` : ''}`,
            buffers: {
              x: { data: x },
              target: { data: labels === 'sparse' ? classes : oneHotRows(classes, COLS) },
              weights: { data: sampleWeights(ROWS) },
              grad: { length: N },
              loss: { length: 1 },
            },
            call: (s) => ({
              kind: 'crossEntropy',
              input,
              labels,
              x: s.x,
              target: s.target,
              rows: ROWS,
              cols: COLS,
              grad: withGrad ? s.grad : null,
              gradScale: 1 / ROWS,
              lossOut: s.loss,
              weights: weighted ? s.weights : null,
              smoothing,
              partials: null,
            }),
            expectReference: finiteLoss,
          };
        }),
      ),
    ),
  ),
);

interface PointwiseVariant {
  readonly loss: PointwiseLossKind;
  readonly input: 'logits' | 'probs';
  readonly param: number;
  readonly x: () => Float32Array;
  readonly target: () => Float32Array;
  readonly label: string;
}
const binary = () => Float32Array.from(ints(N, 2));
const real = () => uniforms(N, -2, 2);
const POINTWISE: PointwiseVariant[] = [
  {
    loss: 'binaryCrossentropy',
    input: 'logits',
    param: 0,
    x: () => uniforms(N, -5, 5),
    target: binary,
    label: 'logits',
  },
  {
    loss: 'binaryCrossentropy',
    input: 'logits',
    param: 0.2,
    x: () => uniforms(N, -5, 5),
    target: binary,
    label: 'logits, smoothing 0.2',
  },
  {
    loss: 'binaryCrossentropy',
    input: 'probs',
    param: 0,
    x: probabilitiesWithOne,
    target: binary,
    label: 'probabilities',
  },
  {
    loss: 'binaryCrossentropy',
    input: 'probs',
    param: 0.2,
    x: probabilitiesWithOne,
    target: binary,
    label: 'probabilities, smoothing 0.2',
  },
  { loss: 'meanSquaredError', input: 'logits', param: 0, x: () => uniforms(N, -3, 3), target: real, label: '' },
  { loss: 'meanAbsoluteError', input: 'logits', param: 0, x: () => uniforms(N, -3, 3), target: real, label: '' },
  { loss: 'huber', input: 'logits', param: 0.7, x: () => uniforms(N, -3, 3), target: real, label: 'δ 0.7' },
  {
    loss: 'hinge',
    input: 'logits',
    param: 0,
    x: () => uniforms(N, -2, 2),
    target: binary,
    label: '{0, 1} targets (made ±1)',
  },
  {
    loss: 'hinge',
    input: 'logits',
    param: 0,
    x: () => uniforms(N, -2, 2),
    target: () => binary().map((t) => 2 * t - 1),
    label: '±1 targets',
  },
  { loss: 'hinge', input: 'logits', param: 0, x: () => uniforms(N, -2, 2), target: real, label: 'real targets (kept)' },
];

const pointwise: CallCase[] = POINTWISE.flatMap((v) =>
  [false, true].flatMap((weighted) =>
    [true, false].map((withGrad): CallCase => {
      const x = v.x();
      const target = v.target();
      x[0] = target[0]; // d = 0: MAE's sign(0), Huber's and MSE's zero
      return {
        name: `pointwiseLoss ${v.loss} ${v.label}${weighted ? ', weighted' : ''}${withGrad ? '' : ', no grad'}`,
        buffers: {
          x: { data: x },
          target: { data: target },
          weights: { data: sampleWeights(ROWS) },
          grad: { length: N },
          loss: { length: 1 },
        },
        call: (s) => ({
          kind: 'pointwiseLoss',
          loss: v.loss,
          input: v.input,
          x: s.x,
          target: s.target,
          rows: ROWS,
          cols: COLS,
          grad: withGrad ? s.grad : null,
          gradScale: 1 / ROWS,
          lossOut: s.loss,
          weights: weighted ? s.weights : null,
          param: v.param,
          partials: null,
        }),
        expectReference: finiteLoss,
      };
    }),
  ),
);

export const LOSS_CASES: CallCase[] = [
  ...crossEntropy,
  ...(['logits', 'probs'] as const).map((input): CallCase => {
    const classes = ints(ROWS, COLS);
    [classes[3], classes[4]] = [COLS, -1];
    return {
      name: `crossEntropy ${input} sparse with labels outside [0, cols): NaN loss, the gradient without its label term`,
      buffers: {
        x: { data: input === 'logits' ? uniforms(N, -4, 4) : probabilities() },
        target: { data: classes },
        grad: { length: N },
        loss: { length: 1 },
      },
      call: (s) => ({
        kind: 'crossEntropy',
        input,
        labels: 'sparse',
        x: s.x,
        target: s.target,
        rows: ROWS,
        cols: COLS,
        grad: s.grad,
        gradScale: 0.5,
        lossOut: s.loss,
        weights: null,
        smoothing: 0,
        partials: null,
      }),
      expectReference: (out) => expect(out.loss[0]).toBeNaN(),
    };
  }),
  {
    name: 'crossEntropy logits dense, smoothed and weighted, with grad written over the logits',
    buffers: {
      x: { data: uniforms(N, -4, 4) },
      target: { data: oneHotRows(ints(ROWS, COLS), COLS) },
      weights: { data: sampleWeights(ROWS) },
      loss: { length: 1 },
    },
    call: (s) => ({
      kind: 'crossEntropy',
      input: 'logits',
      labels: 'dense',
      x: s.x,
      target: s.target,
      rows: ROWS,
      cols: COLS,
      grad: s.x,
      gradScale: 1 / ROWS,
      lossOut: s.loss,
      weights: s.weights,
      smoothing: 0.2,
      partials: null,
    }),
  },
  ...pointwise,
  {
    name: 'pointwiseLoss with one column (weights per element) and grad written over x',
    buffers: {
      x: { data: uniforms(ROWS, -3, 3) },
      target: { data: Float32Array.from(ints(ROWS, 2)) },
      weights: { data: sampleWeights(ROWS) },
      loss: { length: 1 },
    },
    call: (s) => ({
      kind: 'pointwiseLoss',
      loss: 'binaryCrossentropy',
      input: 'logits',
      x: s.x,
      target: s.target,
      rows: ROWS,
      cols: 1,
      grad: s.x,
      gradScale: 0.3,
      lossOut: s.loss,
      weights: s.weights,
      param: 0.1,
      partials: null,
    }),
  },
];
