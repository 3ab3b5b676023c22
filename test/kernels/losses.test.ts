// Loss kernels (from logits and Keras's from-probabilities path) against float64 references.
import { describe, it, expect } from 'vitest';
import { kernelHarness, uniformSource, worstViolation } from '../helpers/kernel-harness.js';

const setup = kernelHarness;
const rng = uniformSource;
const worst = worstViolation;
// --------------------------------------------------------------------------------------------------

const ROWS = [1, 7, 32];
const COLS = [1, 3, 10, 13];
const EPS = Math.fround(1e-7);
const ONE_M_EPS = Math.fround(1 - 1e-7);
const clip = (v: number) => Math.min(Math.max(v, EPS), ONE_M_EPS);
const inRange = (v: number) => v >= EPS && v <= ONE_M_EPS;

interface Ref {
  loss: number[];
  grad: number[];
  mag: number[];
} // mag: size of the gradient's parts (for tolerance)

function refSoftmaxCE(
  z: Float32Array,
  t: (i: number, j: number) => number,
  rows: number,
  cols: number,
  scale: number,
): Ref {
  const loss: number[] = [],
    grad: number[] = [],
    mag: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from(z.subarray(i * cols, (i + 1) * cols));
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0));
    let T = 0,
      l = 0;
    for (let j = 0; j < cols; j++) {
      T += t(i, j);
      l += t(i, j) * (lse - row[j]);
    }
    loss.push(l);
    for (let j = 0; j < cols; j++) {
      const p = Math.exp(row[j] - lse);
      grad.push((p * T - t(i, j)) * scale);
      mag.push((p * Math.abs(T) + Math.abs(t(i, j)) + 1) * scale);
    }
  }
  return { loss, grad, mag };
}

/** tf.keras: log(clip(p)) fed to sparse softmax cross-entropy; backward by the chain rule as TF does it. */
function refSparseProbs(p: Float32Array, labels: Int32Array, rows: number, cols: number, scale: number): Ref {
  const loss: number[] = [],
    grad: number[] = [],
    mag: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = Array.from(p.subarray(i * cols, (i + 1) * cols), clip);
    const logits = c.map(Math.log);
    const mx = Math.max(...logits);
    const lse = mx + Math.log(logits.reduce((a, v) => a + Math.exp(v - mx), 0));
    const l = labels[i];
    loss.push(lse - logits[l]);
    for (let j = 0; j < cols; j++) {
      const dLogit = Math.exp(logits[j] - lse) - (j === l ? 1 : 0); // softmax − onehot
      const dc = dLogit / c[j]; // d log c / dc = 1/c
      grad.push(inRange(p[i * cols + j]) ? dc * scale : 0);
      mag.push(((Math.exp(logits[j] - lse) + (j === l ? 1 : 0)) / c[j]) * scale);
    }
  }
  return { loss, grad, mag };
}

/** Keras categorical_crossentropy from probabilities: q = p/Σp, clip, −Σ t log; TF-style backward. */
function refDenseProbs(p: Float32Array, t: Float32Array, rows: number, cols: number, scale: number): Ref {
  const loss: number[] = [],
    grad: number[] = [],
    mag: number[] = [];
  for (let i = 0; i < rows; i++) {
    const pr = Array.from(p.subarray(i * cols, (i + 1) * cols));
    const tr = Array.from(t.subarray(i * cols, (i + 1) * cols));
    const S = pr.reduce((a, v) => a + v, 0);
    const q = pr.map((v) => v / S);
    const c = q.map(clip);
    loss.push(-tr.reduce((a, tj, j) => a + tj * Math.log(c[j]), 0));
    const gq = q.map((qj, j) => (inRange(qj) ? -tr[j] / c[j] : 0)); // through log and clip
    const dS = -gq.reduce((a, g, j) => a + g * pr[j], 0) / (S * S); // through the division's denominator
    for (let j = 0; j < cols; j++) {
      grad.push((gq[j] / S + dS) * scale);
      mag.push((Math.abs(gq[j]) / S + Math.abs(dS) + 1e-30) * scale);
    }
  }
  return { loss, grad, mag };
}

type Kernel =
  | 'softmaxCrossEntropySparse'
  | 'softmaxCrossEntropyDense'
  | 'crossEntropySparseFromProbs'
  | 'crossEntropyDenseFromProbs';

for (const relaxed of [true, false]) {
  describe(`losses (${relaxed ? 'relaxed' : 'plain'} SIMD)`, () => {
    const m = setup(relaxed);
    const { k } = m;

    /** Runs one kernel with and without grad, out of place and in place, and checks it against ref. */
    function check(
      name: Kernel,
      x0: Float32Array,
      target: { ptrOf: () => number },
      rows: number,
      cols: number,
      ref: Ref,
      what: string,
    ) {
      const scale = 1 / rows;
      const x = m.f32(x0);
      const tPtr = target.ptrOf();
      const g = m.f32(new Float32Array(rows * cols).fill(9));
      const out = m.f32([123]);
      k[name](x.ptr, tPtr, rows, cols, g.ptr, scale, out.ptr, 0, 0);
      const sumAbs = ref.loss.reduce((a, v) => a + Math.abs(v), 0);
      const refLoss = ref.loss.reduce((a, v) => a + v, 0);
      expect(Math.abs(out.a[0] - refLoss), `${what} loss ${out.a[0]} vs ${refLoss}`).toBeLessThanOrEqual(
        2e-6 * sumAbs + 1e-6 * rows,
      );
      expect(
        worst(g.a, ref.grad, (i) => 2e-6 * ref.mag[i] + 1e-30),
        `${what} grad`,
      ).toBeLessThanOrEqual(1);
      expect(Array.from(x.a), `${what} input untouched`).toEqual(Array.from(x0));
      // loss only: grad pointer 0 writes nothing but the loss
      const out2 = m.f32([7]);
      k[name](x.ptr, tPtr, rows, cols, 0, scale, out2.ptr, 0, 0);
      expect(out2.a[0]).toBe(out.a[0]);
      // in place: grad overwrites the input
      const out3 = m.f32([7]);
      k[name](x.ptr, tPtr, rows, cols, x.ptr, scale, out3.ptr, 0, 0);
      expect(out3.a[0]).toBe(out.a[0]);
      expect(Array.from(x.a), `${what} in place`).toEqual(Array.from(g.a));
      expect(m.guardsIntact(), `${what} canaries`).toBe(true);
    }

    function randomLogits(r: () => number, n: number, spread: number) {
      return Float32Array.from({ length: n }, () => (r() - 0.5) * 2 * spread);
    }
    function oneHot(labels: Int32Array, cols: number) {
      const t = new Float32Array(labels.length * cols);
      for (const [i, l] of labels.entries()) t[i * cols + l] = 1;
      return t;
    }
    function softLabels(r: () => number, rows: number, cols: number) {
      const t = Float32Array.from({ length: rows * cols }, () => (r() < 0.3 ? 0 : r()));
      for (let i = 0; i < rows; i++) {
        const s = t.subarray(i * cols, (i + 1) * cols).reduce((a, v) => a + v, 0) || 1;
        for (let j = 0; j < cols; j++) t[i * cols + j] /= s;
      }
      return t;
    }

    it('softmaxCrossEntropySparse: rows × cols grid, logits up to ±100', () => {
      for (const rows of ROWS)
        for (const cols of COLS)
          for (const spread of [3, 100]) {
            const r = rng(rows * 1000 + cols * 10 + spread);
            m.reset();
            const z = randomLogits(r, rows * cols, spread);
            const labels = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
            const lab = m.i32(labels);
            const ref = refSoftmaxCE(z, (i, j) => (labels[i] === j ? 1 : 0), rows, cols, 1 / rows);
            check(
              'softmaxCrossEntropySparse',
              z,
              { ptrOf: () => lab.ptr },
              rows,
              cols,
              ref,
              `${rows}x${cols}±${spread}`,
            );
          }
    });

    it('softmaxCrossEntropyDense: one-hot and soft targets', () => {
      for (const rows of ROWS)
        for (const cols of COLS)
          for (const spread of [3, 100])
            for (const soft of [false, true]) {
              const r = rng(rows * 1000 + cols * 10 + spread + (soft ? 7 : 0));
              m.reset();
              const z = randomLogits(r, rows * cols, spread);
              const labels = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
              const t0 = soft ? softLabels(r, rows, cols) : oneHot(labels, cols);
              const t = m.f32(t0);
              const ref = refSoftmaxCE(z, (i, j) => t0[i * cols + j], rows, cols, 1 / rows);
              check(
                'softmaxCrossEntropyDense',
                z,
                { ptrOf: () => t.ptr },
                rows,
                cols,
                ref,
                `${rows}x${cols}±${spread}${soft ? ' soft' : ''}`,
              );
            }
    });

    it('from logits: ±1e4 logits stay finite and the sparse and dense (one-hot) kernels agree', () => {
      m.reset();
      const z0 = Float32Array.from([1e4, -1e4, 0, 5, -1e4, 1e4, 1e4, -1e4, -1e4, -1e4, 3, 1e4]);
      const labels = Int32Array.from([1, 0, 2]);
      const ref = refSoftmaxCE(z0, (i, j) => (labels[i] === j ? 1 : 0), 3, 4, 1 / 3);
      const lab = m.i32(labels);
      check('softmaxCrossEntropySparse', z0, { ptrOf: () => lab.ptr }, 3, 4, ref, 'sparse ±1e4');
      const t = m.f32(oneHot(labels, 4));
      check('softmaxCrossEntropyDense', z0, { ptrOf: () => t.ptr }, 3, 4, ref, 'dense ±1e4');
    });

    it('softmaxCrossEntropySparse: an out-of-range label gives a NaN loss, never a stray write', () => {
      m.reset();
      const z = m.f32([1, 2, 3, 1, 2, 3]);
      const lab = m.i32([3, -1]);
      const g = m.f32(new Float32Array(6));
      const out = m.f32([0]);
      k.softmaxCrossEntropySparse(z.ptr, lab.ptr, 2, 3, g.ptr, 1, out.ptr, 0, 0);
      expect(Number.isNaN(out.a[0])).toBe(true);
      expect(m.guardsIntact()).toBe(true);
    });

    // Edge values for the sparse kernel (its clip acts on p itself, so exact-boundary values are exact
    // tests of the inclusive mask) ...
    const SPARSE_EDGES = [0, 1, 1e-9, EPS, ONE_M_EPS, 0.5, 2e-7, 0.999999];
    // ... and for the dense one, whose clip acts on p/Σp: values whose quotients stay far from the
    // bounds, since at a bound the mask depends on float32-vs-float64 rounding of the sum.
    const DENSE_EDGES = [0, 1, 1e-9, 1e-12, 0.5, 0.25];
    function probRows(
      r: () => number,
      rows: number,
      cols: number,
      kind: 'softmax' | 'raw' | 'edges',
      picks = SPARSE_EDGES,
    ) {
      const p = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const row = p.subarray(i * cols, (i + 1) * cols);
        if (kind === 'edges') {
          for (let j = 0; j < cols; j++) row[j] = picks[Math.floor(r() * picks.length)];
          if (row.every((v) => v === 0)) row[0] = 0.25;
        } else {
          for (let j = 0; j < cols; j++) row[j] = r() < 0.15 ? 0 : Math.exp((r() - 0.5) * 12);
          if (row.every((v) => v === 0)) row[0] = 1;
          if (kind === 'softmax') {
            const s = row.reduce((a, v) => a + v, 0);
            for (let j = 0; j < cols; j++) row[j] /= s;
          }
        }
      }
      return p;
    }

    it('crossEntropySparseFromProbs matches tf.keras (clip, log, sparse softmax CE)', () => {
      for (const rows of ROWS)
        for (const cols of COLS)
          for (const kind of ['softmax', 'raw', 'edges'] as const) {
            const r = rng(rows * 1000 + cols * 10 + kind.length);
            m.reset();
            const p = probRows(r, rows, cols, kind);
            const labels = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
            const lab = m.i32(labels);
            check(
              'crossEntropySparseFromProbs',
              p,
              { ptrOf: () => lab.ptr },
              rows,
              cols,
              refSparseProbs(p, labels, rows, cols, 1 / rows),
              `${rows}x${cols} ${kind}`,
            );
          }
    });

    it('crossEntropyDenseFromProbs matches Keras (normalise, clip, −Σ t log)', () => {
      for (const rows of ROWS)
        for (const cols of COLS)
          for (const kind of ['softmax', 'raw', 'edges'] as const)
            for (const soft of [false, true]) {
              const r = rng(rows * 1000 + cols * 10 + kind.length + (soft ? 5 : 0));
              m.reset();
              const p = probRows(r, rows, cols, kind, DENSE_EDGES);
              const labels = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
              const t0 = soft ? softLabels(r, rows, cols) : oneHot(labels, cols);
              const t = m.f32(t0);
              check(
                'crossEntropyDenseFromProbs',
                p,
                { ptrOf: () => t.ptr },
                rows,
                cols,
                refDenseProbs(p, t0, rows, cols, 1 / rows),
                `${rows}x${cols} ${kind}${soft ? ' soft' : ''}`,
              );
            }
    });

    it('from probabilities: clipping zeroes the gradient where active (inclusive bounds, as TF)', () => {
      m.reset();
      // row 0: label prob 0 (clipped): no gradient at the label; row 1: exactly eps passes; row 2: 1 clipped
      const p = m.f32([0, 0.6, 0.4, EPS, 0.5, 0.5, 1, 0, 0]);
      const lab = m.i32([0, 0, 0]);
      const g = m.f32(new Float32Array(9));
      const out = m.f32([0]);
      k.crossEntropySparseFromProbs(p.ptr, lab.ptr, 3, 3, g.ptr, 1, out.ptr, 0, 0);
      expect(g.a[0]).toBe(0);
      expect(g.a[3]).toBeLessThan(-1e6); // ≈ −1/eps
      expect(g.a[6]).toBe(0);
      expect(g.a[7]).toBe(0);
      const ref = refSparseProbs(Float32Array.from(p.a), Int32Array.from([0, 0, 0]), 3, 3, 1);
      const refLoss = ref.loss.reduce((a, v) => a + v, 0);
      expect(Math.abs(out.a[0] - refLoss)).toBeLessThan(1e-5 * refLoss);
      expect(m.guardsIntact()).toBe(true);
    });

    it('the float64 references have the right gradients (finite differences, away from the clip)', () => {
      const r = rng(4242);
      const rows = 2,
        cols = 5;
      const p = Float64Array.from({ length: rows * cols }, () => 0.05 + r());
      const t = Float64Array.from({ length: rows * cols }, () => r());
      const labels = Int32Array.from([3, 1]);
      const lossOf = (f: (q: Float32Array) => Ref, q: Float64Array) =>
        f(q as unknown as Float32Array).loss.reduce((a, v) => a + v, 0);
      const dense = (q: Float32Array) => refDenseProbs(q, t as unknown as Float32Array, rows, cols, 1);
      const sparse = (q: Float32Array) => refSparseProbs(q, labels, rows, cols, 1);
      for (const f of [dense, sparse]) {
        // keep probabilities below 1 − eps for the sparse (unnormalised) clip
        const q = f === sparse ? p.map((v) => v / 1.2) : p;
        const g = f(q as unknown as Float32Array).grad;
        for (let i = 0; i < q.length; i++) {
          const h = 1e-6;
          const up = Float64Array.from(q);
          up[i] += h;
          const dn = Float64Array.from(q);
          dn[i] -= h;
          expect(Math.abs((lossOf(f, up) - lossOf(f, dn)) / (2 * h) - g[i])).toBeLessThan(1e-6 * (1 + Math.abs(g[i])));
        }
      }
    });
  });
}
