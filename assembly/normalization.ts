// Batch normalization over the last axis of a [rows, cols] matrix (row stride ld floats): statistics
// per column, reduced over the rows.
//
//   training:  μ = Σx/N, σ² = Σ(x − μ)²/N (biased, as Keras/TF), ŝ = 1/√(σ² + ε),
//              y = γ·(x − μ)·ŝ + β, and in the same pass the moving statistics
//              moving ← moving·momentum + stat·(1 − momentum).
//   inference: the same y with the moving mean and variance.
//   backward:  dβ = Σdy, dγ = ŝ·Σdy·(x − μ), and
//              training:  dx = γŝ·(dy − Σdy/N − (x − μ)·ŝ²·Σdy·(x − μ)/N)
//              inference: dx = γŝ·dy
//
// Loop structure: columns in blocks of four (one f32x4 per row), each block walking down the rows in
// two or three passes (sum; squared deviations; output), the reductions unrolled over four rows with
// independent accumulators so that the adds do not wait on each other; the last cols % 4 columns go
// through the same passes in scalar code. Every column is reduced by one thread in one order, so a
// later split over threads by column blocks gives the same numbers.
//
// Optional operands are 0: gamma (γ = 1), beta (β = 0), mean/invStd outputs, dx/dgamma/dbeta.
// Two passes for the variance (not E[x²] − μ²) keep it exact enough when |μ| ≫ σ, and a column whose
// values are all equal gets σ² = 0 and y = β, never NaN.

import { madd } from './simd';

// @ts-ignore: decorator
@inline
function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  return f32x4.add(f32x4.add(a, b), f32x4.add(c, d));
}

/** Σ over the rows of four columns starting at p (row stride st bytes). */
// @ts-ignore: decorator
@inline
function columnSum4(p: usize, st: usize, rows: i32): v128 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let r = 0;
  for (; r <= rows - 4; r += 4) {
    s0 = f32x4.add(s0, v128.load(p));
    s1 = f32x4.add(s1, v128.load(p + st));
    s2 = f32x4.add(s2, v128.load(p + 2 * st));
    s3 = f32x4.add(s3, v128.load(p + 3 * st));
    p += 4 * st;
  }
  for (; r < rows; r++) {
    s0 = f32x4.add(s0, v128.load(p));
    p += st;
  }
  return sum4(s0, s1, s2, s3);
}

/** Σ (x − μ)² over the rows of four columns starting at p. */
// @ts-ignore: decorator
@inline
function columnSquares4(p: usize, st: usize, rows: i32, mu: v128): v128 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let r = 0;
  for (; r <= rows - 4; r += 4) {
    const d0 = f32x4.sub(v128.load(p), mu);
    const d1 = f32x4.sub(v128.load(p + st), mu);
    const d2 = f32x4.sub(v128.load(p + 2 * st), mu);
    const d3 = f32x4.sub(v128.load(p + 3 * st), mu);
    s0 = madd(d0, d0, s0);
    s1 = madd(d1, d1, s1);
    s2 = madd(d2, d2, s2);
    s3 = madd(d3, d3, s3);
    p += 4 * st;
  }
  for (; r < rows; r++) {
    const d = f32x4.sub(v128.load(p), mu);
    s0 = madd(d, d, s0);
    p += st;
  }
  return sum4(s0, s1, s2, s3);
}

/** y = (x − μ)·scale + shift down four columns. */
// @ts-ignore: decorator
@inline
function normalize4(x: usize, y: usize, st: usize, rows: i32, mu: v128, scale: v128, shift: v128): void {
  for (let r = 0; r < rows; r++) {
    v128.store(y, madd(f32x4.sub(v128.load(x), mu), scale, shift));
    x += st;
    y += st;
  }
}

// @ts-ignore: decorator
@inline
function loadOr4(p: usize, c: usize, fallback: f32): v128 {
  return p ? v128.load(p + c) : f32x4.splat(fallback);
}

// @ts-ignore: decorator
@inline
function loadOr1(p: usize, c: usize, fallback: f32): f32 {
  return p ? load<f32>(p + c) : fallback;
}

/** Training-mode forward; updates movingMean and movingVar in place. */
export function batchNormTrain(
  x: usize, y: usize, ld: i32, rows: i32, cols: i32,
  gamma: usize, beta: usize, movingMean: usize, movingVar: usize, momentum: f32, eps: f32,
  mean: usize, invStd: usize,
): void {
  const st = <usize>ld << 2;
  const n = <f32>rows;
  const nv = f32x4.splat(n);
  const momv = f32x4.splat(momentum);
  const restv = f32x4.splat(1 - momentum);
  const epsv = f32x4.splat(eps);
  const one = f32x4.splat(1);
  let c = 0;
  for (; c <= cols - 4; c += 4) {
    const o = <usize>c << 2;
    const mu = f32x4.div(columnSum4(x + o, st, rows), nv);
    const variance = f32x4.div(columnSquares4(x + o, st, rows, mu), nv);
    const s = f32x4.div(one, f32x4.sqrt(f32x4.add(variance, epsv)));
    v128.store(movingMean + o, madd(v128.load(movingMean + o), momv, f32x4.mul(mu, restv)));
    v128.store(movingVar + o, madd(v128.load(movingVar + o), momv, f32x4.mul(variance, restv)));
    if (mean) v128.store(mean + o, mu);
    if (invStd) v128.store(invStd + o, s);
    normalize4(x + o, y + o, st, rows, mu, f32x4.mul(loadOr4(gamma, o, 1), s), loadOr4(beta, o, 0));
  }
  // Remaining columns, one at a time.
  for (; c < cols; c++) {
    const o = <usize>c << 2;
    let sum: f32 = 0;
    for (let r = 0; r < rows; r++) sum += load<f32>(x + o + <usize>r * st);
    const mu = sum / n;
    let sq: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const d = load<f32>(x + o + <usize>r * st) - mu;
      sq += d * d;
    }
    const variance = sq / n;
    const s: f32 = 1 / Mathf.sqrt(variance + eps);
    store<f32>(movingMean + o, load<f32>(movingMean + o) * momentum + mu * (1 - momentum));
    store<f32>(movingVar + o, load<f32>(movingVar + o) * momentum + variance * (1 - momentum));
    if (mean) store<f32>(mean + o, mu);
    if (invStd) store<f32>(invStd + o, s);
    const scale = loadOr1(gamma, o, 1) * s;
    const shift = loadOr1(beta, o, 0);
    for (let r = 0; r < rows; r++) {
      const p = o + <usize>r * st;
      store<f32>(y + p, (load<f32>(x + p) - mu) * scale + shift);
    }
  }
}

/** Inference-mode forward: the moving statistics in place of the batch's. */
export function batchNormInference(
  x: usize, y: usize, ld: i32, rows: i32, cols: i32,
  gamma: usize, beta: usize, movingMean: usize, movingVar: usize, eps: f32,
): void {
  const st = <usize>ld << 2;
  const epsv = f32x4.splat(eps);
  const one = f32x4.splat(1);
  let c = 0;
  for (; c <= cols - 4; c += 4) {
    const o = <usize>c << 2;
    const s = f32x4.div(one, f32x4.sqrt(f32x4.add(v128.load(movingVar + o), epsv)));
    normalize4(x + o, y + o, st, rows, v128.load(movingMean + o), f32x4.mul(loadOr4(gamma, o, 1), s), loadOr4(beta, o, 0));
  }
  for (; c < cols; c++) {
    const o = <usize>c << 2;
    const mu = load<f32>(movingMean + o);
    const scale = loadOr1(gamma, o, 1) / Mathf.sqrt(load<f32>(movingVar + o) + eps);
    const shift = loadOr1(beta, o, 0);
    for (let r = 0; r < rows; r++) {
      const p = o + <usize>r * st;
      store<f32>(y + p, (load<f32>(x + p) - mu) * scale + shift);
    }
  }
}

/**
 * Backward of either mode. `mean` is the batch mean (training) or the moving mean (inference);
 * `stat` is the batch's 1/√(σ² + ε) (training) or the moving variance (inference, ŝ computed here).
 */
export function batchNormBackward(
  x: usize, dy: usize, ld: i32, rows: i32, cols: i32,
  gamma: usize, mean: usize, stat: usize, eps: f32, inference: i32,
  dx: usize, dgamma: usize, dbeta: usize,
): void {
  const st = <usize>ld << 2;
  const n = <f32>rows;
  const nv = f32x4.splat(n);
  const epsv = f32x4.splat(eps);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const sums = dgamma != 0 || dbeta != 0 || (dx != 0 && inference == 0);
  let c = 0;
  for (; c <= cols - 4; c += 4) {
    const o = <usize>c << 2;
    const mu = v128.load(mean + o);
    const s = inference ? f32x4.div(one, f32x4.sqrt(f32x4.add(v128.load(stat + o), epsv))) : v128.load(stat + o);
    // Pass 1: Σdy and Σdy·(x − μ), two rows at a time with two accumulators each.
    let sdy = zero, sdd = zero;
    if (sums) {
      let a0 = zero, a1 = zero, b0 = zero, b1 = zero;
      let px = x + o, pd = dy + o;
      let r = 0;
      for (; r <= rows - 2; r += 2) {
        const g0 = v128.load(pd);
        const g1 = v128.load(pd + st);
        a0 = f32x4.add(a0, g0);
        a1 = f32x4.add(a1, g1);
        b0 = madd(g0, f32x4.sub(v128.load(px), mu), b0);
        b1 = madd(g1, f32x4.sub(v128.load(px + st), mu), b1);
        px += 2 * st;
        pd += 2 * st;
      }
      if (r < rows) {
        const g0 = v128.load(pd);
        a0 = f32x4.add(a0, g0);
        b0 = madd(g0, f32x4.sub(v128.load(px), mu), b0);
      }
      sdy = f32x4.add(a0, a1);
      sdd = f32x4.add(b0, b1);
      if (dbeta) v128.store(dbeta + o, sdy);
      if (dgamma) v128.store(dgamma + o, f32x4.mul(sdd, s));
    }
    if (!dx) continue;
    // Pass 2: dx.
    const g = f32x4.mul(loadOr4(gamma, o, 1), s);
    let px = x + o, pd = dy + o, pdx = dx + o;
    if (inference) {
      for (let r = 0; r < rows; r++) {
        v128.store(pdx, f32x4.mul(v128.load(pd), g));
        pd += st;
        pdx += st;
      }
    } else {
      const m1 = f32x4.div(sdy, nv);
      const m2 = f32x4.div(f32x4.mul(f32x4.mul(sdd, s), s), nv);
      for (let r = 0; r < rows; r++) {
        const t = f32x4.sub(f32x4.sub(v128.load(pd), m1), f32x4.mul(f32x4.sub(v128.load(px), mu), m2));
        v128.store(pdx, f32x4.mul(t, g));
        px += st;
        pd += st;
        pdx += st;
      }
    }
  }
  for (; c < cols; c++) {
    const o = <usize>c << 2;
    const mu = load<f32>(mean + o);
    const s: f32 = inference ? 1 / Mathf.sqrt(load<f32>(stat + o) + eps) : load<f32>(stat + o);
    let sdy: f32 = 0, sdd: f32 = 0;
    if (sums) {
      for (let r = 0; r < rows; r++) {
        const p = o + <usize>r * st;
        const g0 = load<f32>(dy + p);
        sdy += g0;
        sdd += g0 * (load<f32>(x + p) - mu);
      }
      if (dbeta) store<f32>(dbeta + o, sdy);
      if (dgamma) store<f32>(dgamma + o, sdd * s);
    }
    if (!dx) continue;
    const g = loadOr1(gamma, o, 1) * s;
    const m1 = sdy / n;
    const m2 = (sdd * s * s) / n;
    for (let r = 0; r < rows; r++) {
      const p = o + <usize>r * st;
      const d = load<f32>(dy + p);
      store<f32>(dx + p, inference ? d * g : (d - m1 - (load<f32>(x + p) - mu) * m2) * g);
    }
  }
}
