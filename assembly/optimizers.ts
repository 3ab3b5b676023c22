// Optimizer update kernels: one pass per parameter tensor. Each reads w, g and its slots once and
// writes w and the slots once; the gradient the rule sees is built in registers on the way, in
// Keras 3's order (keras/src/optimizers/base_optimizer.py, apply(): the regularizer's gradient is part
// of the loss's gradient, then _clip_gradients, then _apply_weight_decay, then update_step):
//   ĝ = clip(scale · (g + l1·sign(w) + 2·l2·w))   scale = c / max(‖ĝ_raw‖, c) read from *normSq
//   w' = w · (1 − η·wd)                            decoupled weight decay (AdamW, weightDecay)
// and the rule then updates w' with ĝ.
//
// Loop structure, the same in every kernel: a body written once over four lanes (an @inline function
// with a compile-time `wide` flag) runs over n & ~3 with v128 loads and stores, then over the 0–3
// remaining floats with each value splatted into the lanes and lane 0 stored back, so the remainder
// computes exactly what the vector body computes. Around them, a loop over `rows` spans of n floats,
// `ld` floats apart: one span (rows ≤ 1) for the whole tensor, or, when the lowering splits a large
// weight matrix by columns over threads (lower/split.ts OWNED_MATRIX_FLOATS), each row's part.

import { madd } from './simd';

/** l1·sign(w) on four lanes, sign(0) = 0: l1's magnitude with w's sign bit, masked where w == 0. */
@inline
function l1Sign4(w: v128, l1: v128): v128 {
  const signed = v128.or(v128.and(w, f32x4.splat(-0.0)), l1);
  return v128.and(signed, f32x4.ne(w, f32x4.splat(0)));
}

/** g + l1·sign(w) + twoL2·w on four lanes (l1 ≥ 0). */
@inline
export function regularizedGrad4(w: v128, g: v128, l1: v128, twoL2: v128): v128 {
  return madd(w, twoL2, f32x4.add(g, l1Sign4(w, l1)));
}

/** g + l1·sign(w) + twoL2·w for one value. */
@inline
export function regularizedGrad1(w: f32, g: f32, l1: f32, twoL2: f32): f32 {
  const s: f32 = w > 0 ? l1 : w < 0 ? -l1 : 0;
  return twoL2 * w + (g + s);
}

/** Four floats at p, or the float at p in every lane. */
@inline
function ld(p: usize, wide: bool): v128 {
  return wide ? v128.load(p) : f32x4.splat(load<f32>(p));
}

/** Stores four lanes at p, or lane 0 at p. */
@inline
function st(p: usize, v: v128, wide: bool): void {
  if (wide) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/**
 * v with every lane whose magnitude is below the smallest normal float (1.1755e-38) set to 0. Slots
 * that decay geometrically (m, v, …) drift into subnormals when a gradient stays zero for long, e.g.
 * dead ReLU units at batch size 1; arithmetic on subnormals is ~5× slower on x86, measured on the
 * online-learning run (bench/online.ts). The values flushed are below any step they could make.
 * Lanes are cleared where |v| < the bound, so a NaN (no order) stays NaN and reaches the weights.
 */
@inline
function ftz(v: v128): v128 {
  return v128.andnot(v, f32x4.lt(f32x4.abs(v), f32x4.splat(1.1754944e-38)));
}

// Like Keras (`if self.clipnorm and self.clipnorm > 0`), a threshold that is not > 0 (0, or NaN when
// a caller leaves the argument out) turns its clipping off; so does a weight decay that is not > 0.

/** The norm clipping factor c / max(√Σ, c), or 1 when clipNorm is off. */
@inline
function clipScale(normSq: usize, clipNorm: f32): f32 {
  if (!(clipNorm > 0)) return 1;
  return clipNorm / Mathf.max(Mathf.sqrt(load<f32>(normSq)), clipNorm);
}

/** The elementwise bound, +∞ when off. */
@inline
function clipBound(clipValue: f32): v128 {
  return f32x4.splat(clipValue > 0 ? clipValue : Infinity);
}

/** 1 − η·wd, the factor decoupled weight decay keeps of w (1 when off). */
@inline
function keepFactor(lr: f32, wd: f32): v128 {
  return f32x4.splat(wd > 0 ? 1 - lr * wd : 1);
}

/**
 * True when the gradient transform is the identity: no regularizer, no clipping, no weight decay.
 * The kernels then skip it (a compile-time `plain` flag): measured here on a 784×300 SGD update, the
 * transform took 144 of its 164 µs (f32x4.min/max alone are ~7 x64 instructions each in V8).
 */
@inline
function isPlain(l1: f32, l2: f32, clipValue: f32, clipNorm: f32, wd: f32): bool {
  return l1 == 0 && l2 == 0 && !(clipValue > 0 && clipValue < Infinity) && !(clipNorm > 0) && !(wd > 0);
}

/**
 * ĝ on four lanes: the regularized gradient, scaled, clamped to [−clip, clip] (clip = ∞ when off);
 * g itself when `plain`. The clamp uses pmin/pmax (one instruction each); in this operand order a
 * NaN gradient stays NaN, as with min/max.
 */
@inline
function effGrad(w: v128, g: v128, plain: bool, l1: v128, twoL2: v128, scale: v128, clip: v128): v128 {
  if (plain) return g;
  const s = f32x4.mul(regularizedGrad4(w, g, l1, twoL2), scale);
  return f32x4.pmin(f32x4.pmax(s, f32x4.neg(clip)), clip);
}

/** w·(1 − η·wd): w itself when `plain` (no weight decay). */
@inline
function kept(w: v128, keep: v128, plain: bool): v128 {
  return plain ? w : f32x4.mul(w, keep);
}

// ---- SGD (keras/src/optimizers/sgd.py) ---------------------------------------------------------

@inline
function sgdAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, nlr: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  st(w + o, madd(gh, nlr, kept(wv, keep, plain)), wide);
}

/** w ← w(1 − η·wd) − η·ĝ. */
export function sgdUpdate(w: usize, g: usize, n: i32, lr: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const nlr = f32x4.splat(-lr), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) sgdAt(ro + (<usize>i << 2), true, true, w, g, nlr, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) sgdAt(ro + (<usize>i << 2), false, true, w, g, nlr, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) sgdAt(ro + (<usize>i << 2), true, false, w, g, nlr, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) sgdAt(ro + (<usize>i << 2), false, false, w, g, nlr, keep, l1v, twoL2, scale, clip);
    }
  }
}

// ---- SGD with momentum: m ← μ·m − η·ĝ; w ← w + m, or w ← w + μ·m − η·ĝ (Nesterov) --------------

@inline
function momentumAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, m: usize, mu: v128, nlr: v128, nesterov: bool, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const step = f32x4.mul(gh, nlr);
  const mv = ftz(madd(ld(m + o, wide), mu, step));
  st(m + o, mv, wide);
  const delta = nesterov ? madd(mv, mu, step) : mv;
  st(w + o, f32x4.add(kept(wv, keep, plain), delta), wide);
}

export function momentumUpdate(w: usize, g: usize, m: usize, n: i32, lr: f32, momentum: f32, nesterov: i32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const mu = f32x4.splat(momentum), nlr = f32x4.splat(-lr), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (nesterov != 0) {
      if (plain) {
        for (; i <= n - 4; i += 4) momentumAt(ro + (<usize>i << 2), true, true, w, g, m, mu, nlr, true, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) momentumAt(ro + (<usize>i << 2), false, true, w, g, m, mu, nlr, true, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) momentumAt(ro + (<usize>i << 2), true, false, w, g, m, mu, nlr, true, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) momentumAt(ro + (<usize>i << 2), false, false, w, g, m, mu, nlr, true, keep, l1v, twoL2, scale, clip);
      }
    } else {
      if (plain) {
        for (; i <= n - 4; i += 4) momentumAt(ro + (<usize>i << 2), true, true, w, g, m, mu, nlr, false, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) momentumAt(ro + (<usize>i << 2), false, true, w, g, m, mu, nlr, false, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) momentumAt(ro + (<usize>i << 2), true, false, w, g, m, mu, nlr, false, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) momentumAt(ro + (<usize>i << 2), false, false, w, g, m, mu, nlr, false, keep, l1v, twoL2, scale, clip);
      }
    }
  }
}

// ---- Adagrad (keras/src/optimizers/adagrad.py): a ← a + ĝ²; w ← w − η·ĝ/√(a + ε) ----------------

@inline
function adagradAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, a: usize, lrv: v128, eps: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const av = madd(gh, gh, ld(a + o, wide));
  st(a + o, av, wide);
  const step = f32x4.div(f32x4.mul(lrv, gh), f32x4.sqrt(f32x4.add(av, eps)));
  st(w + o, f32x4.sub(kept(wv, keep, plain), step), wide);
}

export function adagradUpdate(w: usize, g: usize, a: usize, n: i32, lr: f32, epsilon: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const lrv = f32x4.splat(lr), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) adagradAt(ro + (<usize>i << 2), true, true, w, g, a, lrv, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adagradAt(ro + (<usize>i << 2), false, true, w, g, a, lrv, eps, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) adagradAt(ro + (<usize>i << 2), true, false, w, g, a, lrv, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adagradAt(ro + (<usize>i << 2), false, false, w, g, a, lrv, eps, keep, l1v, twoL2, scale, clip);
    }
  }
}

// ---- RMSprop (keras/src/optimizers/rmsprop.py) ----------------------------------------------------
// v ← ρv + (1−ρ)ĝ²; centered: ḡ ← ρḡ + (1−ρ)ĝ, d = max(v − ḡ², 0) + ε, else d = v + ε;
// inc = η·ĝ/√d; with momentum: μm ← μ·μm + inc, w ← w − μm; else w ← w − inc.
// (Keras takes v − ḡ² as is; rounding can make it slightly negative, which Keras turns into NaN.)

@inline
function rmspropAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, v: usize, mg: usize, mom: usize, centered: bool, useMomentum: bool, lrv: v128, rho: v128, oneMinusRho: v128, mu: v128, eps: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const vv = ftz(madd(f32x4.mul(gh, gh), oneMinusRho, f32x4.mul(ld(v + o, wide), rho)));
  st(v + o, vv, wide);
  let d = vv;
  if (centered) {
    const mgv = ftz(madd(gh, oneMinusRho, f32x4.mul(ld(mg + o, wide), rho)));
    st(mg + o, mgv, wide);
    // pmax (one instruction; min/max are ~7 in V8): a NaN difference stays NaN in this operand order.
    d = f32x4.pmax(f32x4.sub(vv, f32x4.mul(mgv, mgv)), f32x4.splat(0));
  }
  let inc = f32x4.div(f32x4.mul(lrv, gh), f32x4.sqrt(f32x4.add(d, eps)));
  if (useMomentum) {
    inc = ftz(madd(ld(mom + o, wide), mu, inc));
    st(mom + o, inc, wide);
  }
  st(w + o, f32x4.sub(kept(wv, keep, plain), inc), wide);
}

/** flags: bit 0 centered (mg used), bit 1 momentum (mom used); unused pointers are ignored. */
export function rmspropUpdate(w: usize, g: usize, v: usize, mg: usize, mom: usize, n: i32, flags: i32, lr: f32, rho: f32, momentum: f32, epsilon: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const lrv = f32x4.splat(lr), rhov = f32x4.splat(rho), omr = f32x4.splat(1 - rho), mu = f32x4.splat(momentum), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    // Four specialisations so that the loops carry no flag tests.
    if (flags == 0) {
      if (plain) {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, true, w, g, v, mg, mom, false, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, true, w, g, v, mg, mom, false, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, false, w, g, v, mg, mom, false, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, false, w, g, v, mg, mom, false, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      }
    } else if (flags == 1) {
      if (plain) {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, true, w, g, v, mg, mom, true, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, true, w, g, v, mg, mom, true, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, false, w, g, v, mg, mom, true, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, false, w, g, v, mg, mom, true, false, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      }
    } else if (flags == 2) {
      if (plain) {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, true, w, g, v, mg, mom, false, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, true, w, g, v, mg, mom, false, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, false, w, g, v, mg, mom, false, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, false, w, g, v, mg, mom, false, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      }
    } else {
      if (plain) {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, true, w, g, v, mg, mom, true, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, true, w, g, v, mg, mom, true, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) rmspropAt(ro + (<usize>i << 2), true, false, w, g, v, mg, mom, true, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) rmspropAt(ro + (<usize>i << 2), false, false, w, g, v, mg, mom, true, true, lrv, rhov, omr, mu, eps, keep, l1v, twoL2, scale, clip);
      }
    }
  }
}

// ---- Adam (keras/src/optimizers/adam.py) ----------------------------------------------------------
// m ← m + (ĝ − m)(1−β1); v ← v + (ĝ² − v)(1−β2); amsgrad: v̂ ← max(v̂, v), used in place of v;
// w ← w − α·m/(√v + ε) with α = η·√(1−β2^t)/(1−β1^t) (c1 = 1−β1^t, c2 = 1−β2^t from the host).

@inline
function adamAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, m: usize, v: usize, vh: usize, amsgrad: bool, nalpha: v128, omb1: v128, omb2: v128, eps: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const m0 = ld(m + o, wide);
  const mv = ftz(madd(f32x4.sub(gh, m0), omb1, m0));
  const v0 = ld(v + o, wide);
  const vv = ftz(madd(f32x4.sub(f32x4.mul(gh, gh), v0), omb2, v0));
  st(m + o, mv, wide);
  st(v + o, vv, wide);
  let vu = vv;
  if (amsgrad) {
    vu = f32x4.pmax(vv, ld(vh + o, wide)); // pmax: a NaN v stays NaN in this operand order
    st(vh + o, vu, wide);
  }
  const step = f32x4.div(mv, f32x4.add(f32x4.sqrt(vu), eps));
  st(w + o, madd(step, nalpha, kept(wv, keep, plain)), wide);
}

export function adamUpdate(w: usize, g: usize, m: usize, v: usize, vh: usize, n: i32, amsgrad: i32, lr: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, c2: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const nalpha = f32x4.splat(-(lr * Mathf.sqrt(c2)) / c1);
  const omb1 = f32x4.splat(1 - beta1), omb2 = f32x4.splat(1 - beta2), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (amsgrad != 0) {
      if (plain) {
        for (; i <= n - 4; i += 4) adamAt(ro + (<usize>i << 2), true, true, w, g, m, v, vh, true, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) adamAt(ro + (<usize>i << 2), false, true, w, g, m, v, vh, true, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) adamAt(ro + (<usize>i << 2), true, false, w, g, m, v, vh, true, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) adamAt(ro + (<usize>i << 2), false, false, w, g, m, v, vh, true, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
      }
    } else {
      if (plain) {
        for (; i <= n - 4; i += 4) adamAt(ro + (<usize>i << 2), true, true, w, g, m, v, vh, false, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) adamAt(ro + (<usize>i << 2), false, true, w, g, m, v, vh, false, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
      } else {
        for (; i <= n - 4; i += 4) adamAt(ro + (<usize>i << 2), true, false, w, g, m, v, vh, false, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
        for (; i < n; i++) adamAt(ro + (<usize>i << 2), false, false, w, g, m, v, vh, false, nalpha, omb1, omb2, eps, keep, l1v, twoL2, scale, clip);
      }
    }
  }
}

// ---- Adamax (keras/src/optimizers/adamax.py) ------------------------------------------------------
// m ← m + (ĝ − m)(1−β1); u ← max(β2·u, |ĝ|); w ← w − η·m/((1−β1^t)(u + ε)).

@inline
function adamaxAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, m: usize, u: usize, nlrc: v128, omb1: v128, b2: v128, eps: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const m0 = ld(m + o, wide);
  const mv = ftz(madd(f32x4.sub(gh, m0), omb1, m0));
  const uv = ftz(f32x4.pmax(f32x4.abs(gh), f32x4.mul(ld(u + o, wide), b2))); // pmax: a NaN ĝ stays NaN
  st(m + o, mv, wide);
  st(u + o, uv, wide);
  st(w + o, madd(f32x4.div(mv, f32x4.add(uv, eps)), nlrc, kept(wv, keep, plain)), wide);
}

export function adamaxUpdate(w: usize, g: usize, m: usize, u: usize, n: i32, lr: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const nlrc = f32x4.splat(-lr / c1), omb1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) adamaxAt(ro + (<usize>i << 2), true, true, w, g, m, u, nlrc, omb1, b2, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adamaxAt(ro + (<usize>i << 2), false, true, w, g, m, u, nlrc, omb1, b2, eps, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) adamaxAt(ro + (<usize>i << 2), true, false, w, g, m, u, nlrc, omb1, b2, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adamaxAt(ro + (<usize>i << 2), false, false, w, g, m, u, nlrc, omb1, b2, eps, keep, l1v, twoL2, scale, clip);
    }
  }
}

// ---- Nadam (keras/src/optimizers/nadam.py) --------------------------------------------------------
// m ← m + (ĝ − m)(1−β1); v ← v + (ĝ² − v)(1−β2);
// m̂ = μ_{t+1}·m/(1 − Πμ_{..t+1}) + (1 − μ_t)·ĝ/(1 − Πμ_{..t}) = cm·m + cg·ĝ;  v̂ = v/(1 − β2^t);
// w ← w − η·m̂/(√v̂ + ε). cm, cg and c2 = 1 − β2^t come from the host (the momentum cache).

@inline
function nadamAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, m: usize, v: usize, nlr: v128, omb1: v128, omb2: v128, eps: v128, cm: v128, cg: v128, invC2: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const m0 = ld(m + o, wide);
  const mv = ftz(madd(f32x4.sub(gh, m0), omb1, m0));
  const v0 = ld(v + o, wide);
  const vv = ftz(madd(f32x4.sub(f32x4.mul(gh, gh), v0), omb2, v0));
  st(m + o, mv, wide);
  st(v + o, vv, wide);
  const mHat = madd(mv, cm, f32x4.mul(gh, cg));
  const vHat = f32x4.mul(vv, invC2);
  st(w + o, madd(f32x4.div(mHat, f32x4.add(f32x4.sqrt(vHat), eps)), nlr, kept(wv, keep, plain)), wide);
}

export function nadamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, beta1: f32, beta2: f32, epsilon: f32, cm: f32, cg: f32, c2: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const nlr = f32x4.splat(-lr), omb1 = f32x4.splat(1 - beta1), omb2 = f32x4.splat(1 - beta2), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const cmv = f32x4.splat(cm), cgv = f32x4.splat(cg), invC2 = f32x4.splat(1 / c2);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) nadamAt(ro + (<usize>i << 2), true, true, w, g, m, v, nlr, omb1, omb2, eps, cmv, cgv, invC2, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) nadamAt(ro + (<usize>i << 2), false, true, w, g, m, v, nlr, omb1, omb2, eps, cmv, cgv, invC2, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) nadamAt(ro + (<usize>i << 2), true, false, w, g, m, v, nlr, omb1, omb2, eps, cmv, cgv, invC2, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) nadamAt(ro + (<usize>i << 2), false, false, w, g, m, v, nlr, omb1, omb2, eps, cmv, cgv, invC2, keep, l1v, twoL2, scale, clip);
    }
  }
}

// ---- Adadelta (keras/src/optimizers/adadelta.py) --------------------------------------------------
// a ← ρa + (1−ρ)ĝ²; δ = −√(d + ε)·ĝ/√(a + ε); d ← ρd + (1−ρ)δ²; w ← w + η·δ.

@inline
function adadeltaAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, a: usize, d: usize, lrv: v128, rho: v128, omr: v128, eps: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const av = ftz(madd(f32x4.mul(gh, gh), omr, f32x4.mul(ld(a + o, wide), rho)));
  st(a + o, av, wide);
  const d0 = ld(d + o, wide);
  const delta = f32x4.neg(f32x4.div(f32x4.mul(f32x4.sqrt(f32x4.add(d0, eps)), gh), f32x4.sqrt(f32x4.add(av, eps))));
  st(d + o, ftz(madd(f32x4.mul(delta, delta), omr, f32x4.mul(d0, rho))), wide);
  st(w + o, madd(delta, lrv, kept(wv, keep, plain)), wide);
}

export function adadeltaUpdate(w: usize, g: usize, a: usize, d: usize, n: i32, lr: f32, rho: f32, epsilon: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const lrv = f32x4.splat(lr), rhov = f32x4.splat(rho), omr = f32x4.splat(1 - rho), eps = f32x4.splat(epsilon), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) adadeltaAt(ro + (<usize>i << 2), true, true, w, g, a, d, lrv, rhov, omr, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adadeltaAt(ro + (<usize>i << 2), false, true, w, g, a, d, lrv, rhov, omr, eps, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) adadeltaAt(ro + (<usize>i << 2), true, false, w, g, a, d, lrv, rhov, omr, eps, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) adadeltaAt(ro + (<usize>i << 2), false, false, w, g, a, d, lrv, rhov, omr, eps, keep, l1v, twoL2, scale, clip);
    }
  }
}

// ---- Lion: c = β1·m + (1 − β1)·ĝ; w ← w(1 − η·wd) − η·sign(c); m ← β2·m + (1 − β2)·ĝ -------------
// The fused form of optimizers/lion.ts's formula (which other backends run as primitives): products
// and sums rounded as the formula rounds them (no fused multiply-add), so sign(c) agrees with it.
// Measured before this kernel (reference MLP, 1 thread): the formula's ten passes cost 33% of a
// batch-32 training step against Adam's one (npx tsx .scratch-style epoch timing, 17k vs 26k samples/s).

/** sign(x) on four lanes: −1, 0 or 1 (0 for 0 and NaN). */
@inline
function sign4(x: v128): v128 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  return f32x4.sub(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), one));
}

@inline
function lionAt(o: usize, wide: bool, plain: bool, w: usize, g: usize, m: usize, b1: v128, omb1: v128, b2: v128, omb2: v128, lr: v128, keep: v128, l1: v128, twoL2: v128, scale: v128, clip: v128): void {
  const wv = ld(w + o, wide);
  const gh = effGrad(wv, ld(g + o, wide), plain, l1, twoL2, scale, clip);
  const mv = ld(m + o, wide);
  const c = f32x4.add(f32x4.mul(mv, b1), f32x4.mul(gh, omb1));
  st(w + o, f32x4.sub(kept(wv, keep, plain), f32x4.mul(sign4(c), lr)), wide);
  st(m + o, ftz(f32x4.add(f32x4.mul(mv, b2), f32x4.mul(gh, omb2))), wide);
}

export function lionUpdate(w: usize, g: usize, m: usize, n: i32, lr: f32, beta1: f32, beta2: f32, l1: f32, l2: f32, clipValue: f32, normSq: usize, clipNorm: f32, wd: f32, rows: i32, ld: i32): void {
  const plain = isPlain(l1, l2, clipValue, clipNorm, wd);
  const b1 = f32x4.splat(beta1), omb1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), omb2 = f32x4.splat(1 - beta2);
  const lrv = f32x4.splat(lr), keep = keepFactor(lr, wd);
  const l1v = f32x4.splat(l1), twoL2 = f32x4.splat(2 * l2), scale = f32x4.splat(clipScale(normSq, clipNorm)), clip = clipBound(clipValue);
  // rows > 1: a [rows × n] block of a matrix, rows ld floats apart (its columns split over threads)
  const ld4 = <usize>ld << 2;
  for (let r = 0, rs = max(rows, 1); r < rs; r++) {
    const ro = <usize>r * ld4;
    let i = 0;
    if (plain) {
      for (; i <= n - 4; i += 4) lionAt(ro + (<usize>i << 2), true, true, w, g, m, b1, omb1, b2, omb2, lrv, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) lionAt(ro + (<usize>i << 2), false, true, w, g, m, b1, omb1, b2, omb2, lrv, keep, l1v, twoL2, scale, clip);
    } else {
      for (; i <= n - 4; i += 4) lionAt(ro + (<usize>i << 2), true, false, w, g, m, b1, omb1, b2, omb2, lrv, keep, l1v, twoL2, scale, clip);
      for (; i < n; i++) lionAt(ro + (<usize>i << 2), false, false, w, g, m, b1, omb1, b2, omb2, lrv, keep, l1v, twoL2, scale, clip);
    }
  }
}
