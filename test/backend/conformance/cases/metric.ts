// Metric calls: categorical hits (sparse and dense, k = 0 (argmax) and top-k, weighted) on scores
// with ties, non-finite scores and labels out of range; binary counts at the threshold with NaN
// scores and targets; AUC histograms with scores outside [0, 1]; weight sums. Every output starts
// at 7: a metric that adds instead of overwriting is caught.

import { expect } from 'vitest';
import { type CallCase, ints, sampleWeights, tied, uniforms } from '../calls-harness.js';

const ROWS = 5;
const COLS = 7;
const N = ROWS * COLS;
const stale = (n: number) => new Float32Array(n).fill(7);

const categoricalHits: CallCase[] = (['sparse', 'dense'] as const).flatMap((labels) =>
  [0, 1, 3].flatMap((k) =>
    [false, true].map((weighted): CallCase => {
      const rows = 11;
      const scores = tied(rows * COLS);
      const classes = ints(rows, COLS);
      let target: Float32Array | Int32Array = classes;
      if (labels === 'dense') {
        target = tied(rows * COLS); // target rows with tied maxima: the label is the first
      } else {
        [classes[7], classes[8]] = [COLS, -2]; // out of range: a miss
      }
      // Row 0 a sure hit (its label the one largest score), so that the counts are not all 0.
      scores.set([5, 0, 0, 0, 0, 0, 0]);
      if (labels === 'dense') target.set([2, 0, 0, 0, 0, 0, 0]);
      else classes[0] = 0;
      if (k > 0) {
        scores[2 * COLS + (labels === 'sparse' ? classes[2] : 0)] = NaN; // a non-finite label score: a miss
        scores[4 * COLS + 5] = Infinity;
      }
      return {
        name: `categoricalHits ${labels}, k = ${k}${weighted ? ', weighted' : ''} (scores with ties)`,
        buffers: {
          scores: { data: scores },
          target: { data: target },
          weights: { data: sampleWeights(rows) },
          out: { data: stale(2) },
        },
        call: (s) => ({
          kind: 'categoricalHits',
          labels,
          scores: s.scores,
          target: s.target,
          rows,
          cols: COLS,
          k,
          weights: weighted ? s.weights : null,
          out: s.out,
        }),
        expectReference: (out) => expect(out.out[0]).toBeGreaterThan(0),
      };
    }),
  ),
);

export const METRIC_CASES: CallCase[] = [
  ...categoricalHits,
  ...[
    [ROWS, COLS],
    [9, 1],
  ].flatMap(([rows, cols]) =>
    [false, true].map((weighted): CallCase => {
      const n = rows * cols;
      const scores = uniforms(n, 0, 1);
      [scores[1], scores[2]] = [0.5, NaN]; // at the threshold: negative
      const target = Float32Array.from(ints(n, 2));
      [target[3], target[4]] = [0.5, NaN]; // a positive label no prediction matches exactly
      return {
        name: `binaryCounts [${rows}, ${cols}]${weighted ? ', weighted' : ''}`,
        buffers: {
          scores: { data: scores },
          target: { data: target },
          weights: { data: sampleWeights(rows) },
          out: { data: stale(6) },
        },
        call: (s) => ({
          kind: 'binaryCounts',
          scores: s.scores,
          target: s.target,
          rows,
          cols,
          threshold: 0.5,
          weights: weighted ? s.weights : null,
          out: s.out,
        }),
      };
    }),
  ),
  ...[7, 200].flatMap((buckets) =>
    [false, true].map((weighted): CallCase => {
      const scores = uniforms(N, -0.2, 1.2);
      [scores[0], scores[1], scores[2], scores[3]] = [0, 1, NaN, 0.5];
      const target = Float32Array.from(ints(N, 2));
      target[4] = 0.25; // a positive label
      return {
        name: `aucHistogram, ${buckets} buckets${weighted ? ', weighted' : ''}`,
        buffers: {
          scores: { data: scores },
          target: { data: target },
          weights: { data: sampleWeights(ROWS) },
          out: { data: stale(2 * buckets) },
        },
        call: (s) => ({
          kind: 'aucHistogram',
          scores: s.scores,
          target: s.target,
          rows: ROWS,
          cols: COLS,
          buckets,
          weights: weighted ? s.weights : null,
          out: s.out,
        }),
      };
    }),
  ),
  {
    name: 'weightSum',
    buffers: { weights: { data: sampleWeights(13) }, out: { data: stale(1) } },
    call: (s) => ({ kind: 'weightSum', weights: s.weights, n: 13, out: s.out }),
  },
];
