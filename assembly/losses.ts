// Loss kernels. Each writes the batch SUM of per-sample losses, each times its sample weight, to
// lossOut[0] (f32, overwritten; the sum is accumulated in f64) and, when grad != 0, the gradient of
// that weighted sum w.r.t. its input times gradScale. Every kernel has the same signature:
//   (x, target, rows, cols, grad, gradScale, lossOut, weights, param, partials, rowsPerPartial)
// weights: per-sample weights [rows] (0 = all ones); param: label smoothing ε (dense categorical and
// binary cross-entropy) or Huber's δ, unused elsewhere. partials (0: none): split over threads, a
// kernel writes f64 partial sums there, one per block of rowsPerPartial rows (here always one row),
// instead of lossOut; sumPartials then adds them in order, which gives lossOut bitwise.
// Rows are independent; within a row the work is f32x4 over whole vectors plus a scalar remainder,
// so any cols (10 is the common case) works. grad may alias the input (each element is read
// before it is written).
//
// A sparse label outside [0, cols) cannot be reported (no throw): that row's loss is NaN, and its
// gradient has no one-hot term, so the caller's countNonFinite check sees the problem.

import { expShiftSum, rowMax, hsum4 } from './math';
import { madd } from './simd';

// Keras's epsilon() and 1 − epsilon() as float32 (0.99999988…): the from-probabilities clip range.
// @ts-ignore: decorator
@inline const EPS: f32 = 1e-7;
// @ts-ignore: decorator
@inline const ONE_MINUS_EPS: f32 = <f32>1.0 - <f32>1e-7;

/**
 * Adds row r's loss to the running total, or, when the call is split over threads, stores it as the
 * row's partial (f64 [rows]) for sumPartials to add in the same order: the same result either way.
 */
// @ts-ignore: decorator
@inline
function addRow(total: f64, partials: usize, r: i32, loss: f64): f64 {
  if (!partials) return total + loss;
  store<f64>(partials + (<usize>r << 3), loss);
  return total;
}

/** The sample weight of row r (1 without weights). */
// @ts-ignore: decorator
@inline
function weightOf(weights: usize, r: i32): f32 {
  return weights ? load<f32>(weights + (<usize>r << 2)) : 1;
}

// ---------------------------------------------------------------------------------------------
// Categorical, from logits

/**
 * loss_i = logsumexp(z_i) − z_i[label_i]; grad = (softmax(z_i) − onehot(label_i))·w_i·gradScale.
 * Per row: m = max z; e_j = exp(z_j − m) (stored in grad); s = Σ e; loss = (m − z_l) + log s;
 * then grad_j = e_j·(gradScale·w/s), and grad_l −= gradScale·w.
 */
export function softmaxCrossEntropySparse(
  logits: usize, labels: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, _param: f32, partials: usize, _rowsPerPartial: i32,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const zr = logits + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const label = load<i32>(labels + (<usize>r << 2));
    const valid = label >= 0 && label < cols;
    const w = weightOf(weights, r);
    const m = rowMax(zr, cols);
    const zl: f32 = valid ? load<f32>(zr + (<usize>label << 2)) : 0; // read before grad overwrites
    const s = expShiftSum(zr, cols, m, gr);
    total = addRow(total, partials, r, valid ? <f64>(w * ((m - zl) + Mathf.log(s))) : NaN);
    if (gr) {
      const gs: f32 = gradScale * w;
      const k: f32 = gs / s;
      const kv = f32x4.splat(k);
      let j = 0;
      for (; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        v128.store(gr + o, f32x4.mul(v128.load(gr + o), kv));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(gr + o, load<f32>(gr + o) * k);
      }
      if (valid) {
        const gl = gr + (<usize>label << 2);
        store<f32>(gl, load<f32>(gl) - gs);
      }
    }
  }
  if (!partials) store<f32>(lossOut, <f32>total);
}

/**
 * With smoothed targets t' = t·(1 − ε) + ε/cols:
 * loss_i = −Σ_j t'_ij·logsoftmax(z_i)_j = Σ_j t'_ij·(m − z_ij) + T_i·log s_i, T_i = Σ_j t'_ij;
 * grad = (softmax(z_i)·T_i − t'_i)·w_i·gradScale.
 */
export function softmaxCrossEntropyDense(
  logits: usize, targets: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, smoothing: f32, partials: usize, _rowsPerPartial: i32,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  const ta: f32 = <f32>1 - smoothing;
  const tb: f32 = cols > 0 ? smoothing / <f32>cols : 0;
  const tav = f32x4.splat(ta);
  const tbv = f32x4.splat(tb);
  for (let r = 0; r < rows; r++) {
    const zr = logits + <usize>r * rowBytes;
    const tr = targets + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const w = weightOf(weights, r);
    const m = rowMax(zr, cols);
    // pass A: Σ t'·(m − z) and Σ t' (before grad, which may alias z, is written)
    const mv = f32x4.splat(m);
    let accTZ = f32x4.splat(0);
    let accT = f32x4.splat(0);
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      const o = <usize>j << 2;
      const t = madd(v128.load(tr + o), tav, tbv);
      accTZ = madd(t, f32x4.sub(mv, v128.load(zr + o)), accTZ);
      accT = f32x4.add(accT, t);
    }
    let tz = hsum4(accTZ);
    let tSum = hsum4(accT);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const t = load<f32>(tr + o) * ta + tb;
      tz += t * (m - load<f32>(zr + o));
      tSum += t;
    }
    // pass B: e = exp(z − m) into grad, s = Σ e
    const s = expShiftSum(zr, cols, m, gr);
    total = addRow(total, partials, r, <f64>(w * (tz + tSum * Mathf.log(s))));
    if (gr) {
      // pass C: grad = e·(T·gs/s) − t'·gs, gs = gradScale·w
      const gs: f32 = gradScale * w;
      const av = f32x4.splat(tSum * gs / s);
      const gv = f32x4.splat(gs);
      j = 0;
      for (; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        const t = madd(v128.load(tr + o), tav, tbv);
        v128.store(gr + o, f32x4.sub(f32x4.mul(v128.load(gr + o), av), f32x4.mul(t, gv)));
      }
      const a: f32 = tSum * gs / s;
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(gr + o, load<f32>(gr + o) * a - (load<f32>(tr + o) * ta + tb) * gs);
      }
    }
  }
  if (!partials) store<f32>(lossOut, <f32>total);
}

// ---------------------------------------------------------------------------------------------
// Categorical, from probabilities (Keras semantics, TF clip gradient: passes where eps ≤ value ≤ 1 − eps)

/**
 * tf.keras sparse_categorical_crossentropy(from_logits=False): c = clip(p, eps, 1 − eps), then
 * sparse softmax cross-entropy on log(c), i.e. loss_i = log(Σ_k c_k) − log(c_l): the clipped row is
 * renormalised implicitly (after clipping, no second clip).
 * grad_k = [eps ≤ p_k ≤ 1 − eps]·(1/Σc − δ_kl/c_l)·w_i·gradScale.
 */
export function crossEntropySparseFromProbs(
  probs: usize, labels: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, _param: f32, partials: usize, _rowsPerPartial: i32,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  for (let r = 0; r < rows; r++) {
    const pr = probs + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const label = load<i32>(labels + (<usize>r << 2));
    const valid = label >= 0 && label < cols;
    const w = weightOf(weights, r);
    // pass A: Σ clip(p)
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      acc = f32x4.add(acc, f32x4.pmin(f32x4.pmax(v128.load(pr + (<usize>j << 2)), lo), hi));
    }
    let sc = hsum4(acc);
    for (; j < cols; j++) sc += clip(load<f32>(pr + (<usize>j << 2)));
    const pl: f32 = valid ? load<f32>(pr + (<usize>label << 2)) : 0;
    const cl = clip(pl);
    total = addRow(total, partials, r, valid ? <f64>(w * (Mathf.log(sc) - Mathf.log(cl))) : NaN);
    if (gr) {
      // pass B: grad_k = mask_k·gs/Σc, then the label term
      const gs: f32 = gradScale * w;
      const k: f32 = gs / sc;
      const kv = f32x4.splat(k);
      for (j = 0; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        const p = v128.load(pr + o);
        const mask = v128.and(f32x4.ge(p, lo), f32x4.le(p, hi));
        v128.store(gr + o, v128.and(kv, mask));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(gr + o, inRange(load<f32>(pr + o)) ? k : 0);
      }
      if (valid && inRange(pl)) {
        const gl = gr + (<usize>label << 2);
        store<f32>(gl, load<f32>(gl) - gs / cl);
      }
    }
  }
  if (!partials) store<f32>(lossOut, <f32>total);
}

/**
 * Keras categorical_crossentropy(from_logits=False) with smoothed targets t' = t·(1 − ε) + ε/cols:
 * q = p / Σp; c = clip(q, eps, 1 − eps); loss_i = −Σ_j t'_j·log c_j. Gradient through the clip
 * (mask_j = [eps ≤ q_j ≤ 1 − eps]) and the normalisation (∂q_j/∂p_k = (δ_jk − q_j)/S):
 *   g_j = −mask_j·t'_j/q_j  (∂loss/∂q_j),   ∂loss/∂p_k = (g_k − Σ_j g_j·q_j)/S = (g_k + Σ_j mask_j·t'_j)/S.
 */
export function crossEntropyDenseFromProbs(
  probs: usize, targets: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize, weights: usize, smoothing: f32, partials: usize, _rowsPerPartial: i32,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  const ta: f32 = <f32>1 - smoothing;
  const tb: f32 = cols > 0 ? smoothing / <f32>cols : 0;
  const tav = f32x4.splat(ta);
  const tbv = f32x4.splat(tb);
  for (let r = 0; r < rows; r++) {
    const pr = probs + <usize>r * rowBytes;
    const tr = targets + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const w = weightOf(weights, r);
    // pass A: S = Σ p
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j <= cols - 4; j += 4) acc = f32x4.add(acc, v128.load(pr + (<usize>j << 2)));
    let sum = hsum4(acc);
    for (; j < cols; j++) sum += load<f32>(pr + (<usize>j << 2));
    // pass B (scalar: one log per nonzero target; unsmoothed one-hot rows cost one log): loss and Σ mask·t'
    let rowLoss: f32 = 0;
    let tIn: f32 = 0;
    for (j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const t = load<f32>(tr + o) * ta + tb;
      if (t != 0) {
        const q = load<f32>(pr + o) / sum;
        rowLoss -= t * Mathf.log(clip(q));
        if (inRange(q)) tIn += t;
      }
    }
    total = addRow(total, partials, r, <f64>(w * rowLoss));
    if (gr) {
      // pass C: grad_k = (mask_k·(−t'_k/q_k) + tIn)/S·gs
      //               = mask_k·(−t'_k·gs)/p_k + tIn·gs/S      (q_k·S = p_k), gs = gradScale·w
      const gs: f32 = gradScale * w;
      const sv = f32x4.splat(sum);
      const base: f32 = tIn * gs / sum;
      const bv = f32x4.splat(base);
      const ngs = f32x4.splat(-gs);
      for (j = 0; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        const p = v128.load(pr + o);
        const q = f32x4.div(p, sv);
        const mask = v128.and(f32x4.ge(q, lo), f32x4.le(q, hi));
        const t = madd(v128.load(tr + o), tav, tbv);
        const term = v128.and(f32x4.div(f32x4.mul(t, ngs), p), mask);
        v128.store(gr + o, f32x4.add(term, bv));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        const p = load<f32>(pr + o);
        const q = p / sum;
        const term: f32 = inRange(q) ? (load<f32>(tr + o) * ta + tb) * -gs / p : 0;
        store<f32>(gr + o, term + base);
      }
    }
  }
  if (!partials) store<f32>(lossOut, <f32>total);
}

// @ts-ignore: decorator
@inline
function clip(v: f32): f32 {
  return v < EPS ? EPS : v > ONE_MINUS_EPS ? ONE_MINUS_EPS : v;
}

// @ts-ignore: decorator
@inline
function inRange(v: f32): bool {
  return v >= EPS && v <= ONE_MINUS_EPS;
}
