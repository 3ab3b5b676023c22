// Loss kernels. Each writes the batch SUM of per-sample losses to lossOut[0] (f32, overwritten; the
// sum is accumulated in f64) and, when grad != 0, the gradient w.r.t. its input times gradScale.
// Rows are independent; within a row the work is f32x4 over whole vectors plus a scalar remainder,
// so any cols (10 is the common case) works. grad may alias the input (each element is read
// before it is written).
//
// A sparse label outside [0, cols) cannot be reported (no throw): that row's loss is NaN, and its
// gradient has no one-hot term, so the caller's countNonFinite check sees the problem.

import { expShiftSum, rowMax, hsum4 } from './math';

// Keras's epsilon() and 1 − epsilon() as float32 (0.99999988…): the from-probabilities clip range.
// @ts-ignore: decorator
@inline const EPS: f32 = 1e-7;
// @ts-ignore: decorator
@inline const ONE_MINUS_EPS: f32 = <f32>1.0 - <f32>1e-7;

// ---------------------------------------------------------------------------------------------
// From logits

/**
 * loss_i = logsumexp(z_i) − z_i[label_i]; grad = (softmax(z_i) − onehot(label_i))·gradScale.
 * Per row: m = max z; e_j = exp(z_j − m) (stored in grad); s = Σ e; loss = (m − z_l) + log s;
 * then grad_j = e_j·(gradScale/s), and grad_l −= gradScale.
 */
export function softmaxCrossEntropySparse(
  logits: usize, labels: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const zr = logits + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const label = load<i32>(labels + (<usize>r << 2));
    const valid = label >= 0 && label < cols;
    const m = rowMax(zr, cols);
    const zl: f32 = valid ? load<f32>(zr + (<usize>label << 2)) : 0; // read before grad overwrites
    const s = expShiftSum(zr, cols, m, gr);
    total += valid ? <f64>((m - zl) + Mathf.log(s)) : NaN;
    if (gr) {
      const k: f32 = gradScale / s;
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
        store<f32>(gl, load<f32>(gl) - gradScale);
      }
    }
  }
  store<f32>(lossOut, <f32>total);
}

/**
 * loss_i = −Σ_j t_ij·logsoftmax(z_i)_j = Σ_j t_ij·(m − z_ij) + T_i·log s_i, T_i = Σ_j t_ij;
 * grad = (softmax(z_i)·T_i − t_i)·gradScale.
 */
export function softmaxCrossEntropyDense(
  logits: usize, targets: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const zr = logits + <usize>r * rowBytes;
    const tr = targets + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    const m = rowMax(zr, cols);
    // pass A: Σ t·(m − z) and Σ t (before grad, which may alias z, is written)
    const mv = f32x4.splat(m);
    let accTZ = f32x4.splat(0);
    let accT = f32x4.splat(0);
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      const o = <usize>j << 2;
      const t = v128.load(tr + o);
      accTZ = f32x4.add(accTZ, f32x4.mul(t, f32x4.sub(mv, v128.load(zr + o))));
      accT = f32x4.add(accT, t);
    }
    let tz = hsum4(accTZ);
    let tSum = hsum4(accT);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const t = load<f32>(tr + o);
      tz += t * (m - load<f32>(zr + o));
      tSum += t;
    }
    // pass B: e = exp(z − m) into grad, s = Σ e
    const s = expShiftSum(zr, cols, m, gr);
    total += <f64>(tz + tSum * Mathf.log(s));
    if (gr) {
      // pass C: grad = e·(T·gradScale/s) − t·gradScale
      const a: f32 = tSum * gradScale / s;
      const av = f32x4.splat(a);
      const gv = f32x4.splat(gradScale);
      j = 0;
      for (; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        v128.store(gr + o, f32x4.sub(f32x4.mul(v128.load(gr + o), av), f32x4.mul(v128.load(tr + o), gv)));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(gr + o, load<f32>(gr + o) * a - load<f32>(tr + o) * gradScale);
      }
    }
  }
  store<f32>(lossOut, <f32>total);
}

// ---------------------------------------------------------------------------------------------
// From probabilities (Keras semantics, TF clip gradient: passes where eps ≤ value ≤ 1 − eps)

/**
 * tf.keras sparse_categorical_crossentropy(from_logits=False): c = clip(p, eps, 1 − eps), then
 * sparse softmax cross-entropy on log(c), i.e. loss_i = log(Σ_k c_k) − log(c_l): the clipped row is
 * renormalised implicitly (after clipping, no second clip).
 * grad_k = [eps ≤ p_k ≤ 1 − eps]·(1/Σc − δ_kl/c_l)·gradScale.
 */
export function crossEntropySparseFromProbs(
  probs: usize, labels: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize,
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
    total += valid ? <f64>(Mathf.log(sc) - Mathf.log(cl)) : NaN;
    if (gr) {
      // pass B: grad_k = mask_k·gradScale/Σc, then the label term
      const k: f32 = gradScale / sc;
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
        store<f32>(gl, load<f32>(gl) - gradScale / cl);
      }
    }
  }
  store<f32>(lossOut, <f32>total);
}

/**
 * Keras categorical_crossentropy(from_logits=False): q = p / Σp; c = clip(q, eps, 1 − eps);
 * loss_i = −Σ_j t_j·log c_j. Gradient through the clip (mask_j = [eps ≤ q_j ≤ 1 − eps]) and the
 * normalisation (∂q_j/∂p_k = (δ_jk − q_j)/S):
 *   g_j = −mask_j·t_j/q_j  (∂loss/∂q_j),   ∂loss/∂p_k = (g_k − Σ_j g_j·q_j)/S = (g_k + Σ_j mask_j·t_j)/S.
 */
export function crossEntropyDenseFromProbs(
  probs: usize, targets: usize, rows: i32, cols: i32, grad: usize, gradScale: f32, lossOut: usize,
): void {
  let total: f64 = 0;
  if (cols <= 0) rows = 0; // nothing to read
  const rowBytes = <usize>cols << 2;
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  for (let r = 0; r < rows; r++) {
    const pr = probs + <usize>r * rowBytes;
    const tr = targets + <usize>r * rowBytes;
    const gr = grad ? grad + <usize>r * rowBytes : 0;
    // pass A: S = Σ p
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j <= cols - 4; j += 4) acc = f32x4.add(acc, v128.load(pr + (<usize>j << 2)));
    let sum = hsum4(acc);
    for (; j < cols; j++) sum += load<f32>(pr + (<usize>j << 2));
    // pass B (scalar: one log per nonzero target; one-hot rows cost one log): loss and Σ mask·t
    let rowLoss: f32 = 0;
    let tIn: f32 = 0;
    for (j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const t = load<f32>(tr + o);
      if (t != 0) {
        const q = load<f32>(pr + o) / sum;
        rowLoss -= t * Mathf.log(clip(q));
        if (inRange(q)) tIn += t;
      }
    }
    total += <f64>rowLoss;
    if (gr) {
      // pass C: grad_k = (mask_k·(−t_k/q_k) + tIn)/S·gradScale
      //               = mask_k·(−t_k·gradScale)/p_k + tIn·gradScale/S      (q_k·S = p_k)
      const sv = f32x4.splat(sum);
      const base: f32 = tIn * gradScale / sum;
      const bv = f32x4.splat(base);
      const gs = f32x4.splat(-gradScale);
      for (j = 0; j <= cols - 4; j += 4) {
        const o = <usize>j << 2;
        const p = v128.load(pr + o);
        const q = f32x4.div(p, sv);
        const mask = v128.and(f32x4.ge(q, lo), f32x4.le(q, hi));
        const term = v128.and(f32x4.div(f32x4.mul(v128.load(tr + o), gs), p), mask);
        v128.store(gr + o, f32x4.add(term, bv));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        const p = load<f32>(pr + o);
        const q = p / sum;
        const term: f32 = inRange(q) ? load<f32>(tr + o) * -gradScale / p : 0;
        store<f32>(gr + o, term + base);
      }
    }
  }
  store<f32>(lossOut, <f32>total);
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
