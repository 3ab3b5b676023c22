// GEMM kernels: C = act(op(A)·op(B) + bias) in row-major f32, single thread.
//
// Every layout runs the same register-blocked micro-kernels (6×8: 12 f32x4 accumulators, plus 5×8,
// 4×8, 6×4 and 6×1..3 for the remainders). A micro-kernel reads B as an 8-, 4- or 1..3-column strip whose
// row p sits at `b + p·bs`, and A either as rows r at `a + r·ars` with element p at `+p·aps`
// (k6x8, k5x8, k4x8, k6x4, k6xw) or as a packed panel A[r][p] at `a + p·24 + r·4` (k6x8p: one pointer,
// immediate offsets, the fastest form).
//   NN  A rows in place (ars = lda·4, aps = 4), B in place (bs = ldb·4); there is no scratch.
//       loop order: ic (m: blocks of 6 rows, 5s at the end) > jc (n: 8-col strips, then 4 + 1..3)
//       > p (k). The 6×k A block stays in L1 across the strips; B streams from L2 per row block.
//   TN  A (stored k×m) packed into row-block panels [k][rows] in `pack`, B in place; same loop order.
//       Without a pack, A is read in place as columns (ars = 4, aps = lda·4).
//   NT  per 8-col strip, Bᵀ (B stored n×k) is transposed into one L1-resident [k][8] panel in
//       `pack` (SIMD 4×4 transposes) and every row block of A (in place) runs on it.
//       loop order: jc (n, 8 cols, pack the strip) > ic (m, 6/5-row blocks) > p (k).
//       (Packing A into panels as well measured no better here, and the scratch stays ≤ k·n.)
//
// Determinism: every output element, whichever kernel, block or layout computes it, is
//   c = init (0, bias[j] or the old C[i][j]); c = madd(a[i][p], b[p][j], c) for p = 0 … k−1 in order;
//   then the activation with its alpha (activationForward: any elementwise kind whose derivative
//   is expressible from its output, see activations.ts),
// so its value does not depend on the blocking, the remainders, the packing or how a caller splits
// the output into row or column sub-blocks.
//
// Measured (this machine, 784/300 shapes, batch 32–512): 88–96% of the peak probe with relaxed SIMD,
// 92–100% with plain SIMD. Things that measured worse and are deliberately absent: any operation on
// the accumulators between the k-loop and the stores (a relu there, even branch-free, made V8 spill 4
// accumulators inside the loop), unrolling the k-loop (V8 hoists the second step's loads: spills),
// looping over several strips inside a kernel (spills), blocking rows in chunks with B-strip reuse.

import { madd } from './simd';
import { activationForward } from './activations';
import { ACT_LINEAR } from './generated/activations';
import { LAYOUT_NN, LAYOUT_NT, LAYOUT_TN } from './generated/codes';

// eight zero floats: the accumulator source when there is neither bias nor accumulate
const ZEROS = memory.data(32, 16);

// Lanes 0..2 from q, q+o1, q+o2 (o1, o2 clamped to the valid columns), lane 3 zero: a 1..3 column
// vector that never reads past the last valid column.
// @ts-ignore: decorator
@inline
function loadPartial(q: usize, o1: usize, o2: usize): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(v128.load32_zero(q), 1, load<f32>(q + o1)), 2, load<f32>(q + o2));
}

// @ts-ignore: decorator
@inline
function storePartial(q: usize, v: v128, t: i32): void {
  store<f32>(q, f32x4.extract_lane(v, 0));
  if (t > 1) store<f32>(q, f32x4.extract_lane(v, 1), 4);
  if (t > 2) store<f32>(q, f32x4.extract_lane(v, 2), 8);
}

// ---------------------------------------------------------------------------------------------
// 6×8 micro-kernel: rows 1..6, 8 columns. Register block 6×8: 12 accumulators + 2 B vectors +
// 1 broadcast = 15 xmm. Kept branch-free around the loop: any extra work on the accumulators after
// the loop (even a relu) made V8 spill 4 of them inside it (measured), so activations run later.
//   init: accumulator row r = the vectors at s + min(r, rows−1)·ss (C itself, the bias with ss = 0,
//         or the static zero row);
//   rows past `rows` re-read the last row, compute exactly its values and store them over it again.
// loop: p (k), one step per iteration.
function k6x8(a: usize, ars: usize, aps: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, rows: i32, s: usize, ss: usize): void {
  const last = <usize>(rows - 1);
  const m1 = min<usize>(1, last), m2 = min<usize>(2, last), m3 = min<usize>(3, last);
  const m4 = min<usize>(4, last), m5 = min<usize>(5, last);
  let a0 = a, a1 = a + m1 * ars, a2 = a + m2 * ars, a3 = a + m3 * ars, a4 = a + m4 * ars, a5 = a + m5 * ars;
  let c00 = v128.load(s), c01 = v128.load(s, 16);
  let c10 = v128.load(s + m1 * ss), c11 = v128.load(s + m1 * ss, 16);
  let c20 = v128.load(s + m2 * ss), c21 = v128.load(s + m2 * ss, 16);
  let c30 = v128.load(s + m3 * ss), c31 = v128.load(s + m3 * ss, 16);
  let c40 = v128.load(s + m4 * ss), c41 = v128.load(s + m4 * ss, 16);
  let c50 = v128.load(s + m5 * ss), c51 = v128.load(s + m5 * ss, 16);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a4);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a5);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a0 += aps; a1 += aps; a2 += aps; a3 += aps; a4 += aps; a5 += aps;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  let r = c + m1 * ldc4;
  v128.store(r, c10); v128.store(r, c11, 16);
  r = c + m2 * ldc4;
  v128.store(r, c20); v128.store(r, c21, 16);
  r = c + m3 * ldc4;
  v128.store(r, c30); v128.store(r, c31, 16);
  r = c + m4 * ldc4;
  v128.store(r, c40); v128.store(r, c41, 16);
  r = c + m5 * ldc4;
  v128.store(r, c50); v128.store(r, c51, 16);
}

// 6×8 micro-kernel on a packed A panel: A[r][p] at a + p·24 + r·4 (one pointer, immediate
// offsets: five fewer additions per step than k6x8), 6 full rows. Same accumulator conventions.
// loop: p (k), one step per iteration; 12 accumulators.
function k6x8p(a: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, s: usize, ss: usize): void {
  let c00 = v128.load(s), c01 = v128.load(s, 16);
  let c10 = v128.load(s + ss), c11 = v128.load(s + ss, 16);
  let c20 = v128.load(s + 2 * ss), c21 = v128.load(s + 2 * ss, 16);
  let c30 = v128.load(s + 3 * ss), c31 = v128.load(s + 3 * ss, 16);
  let c40 = v128.load(s + 4 * ss), c41 = v128.load(s + 4 * ss, 16);
  let c50 = v128.load(s + 5 * ss), c51 = v128.load(s + 5 * ss, 16);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  let r = c + ldc4;
  v128.store(r, c10); v128.store(r, c11, 16);
  r += ldc4;
  v128.store(r, c20); v128.store(r, c21, 16);
  r += ldc4;
  v128.store(r, c30); v128.store(r, c31, 16);
  r += ldc4;
  v128.store(r, c40); v128.store(r, c41, 16);
  r += ldc4;
  v128.store(r, c50); v128.store(r, c51, 16);
}

// 5×8 micro-kernel: rows 1..5, 8 columns; 10 accumulators. m ≡ 1..5 (mod 6) is split into 6s and
// 5s (m = 32 → 6,6,5,5,5,5) so that no block runs idle rows; 4×8 blocks measured ~4% slower.
// Same conventions as k6x8. loop: p (k), one step per iteration.
function k5x8(a: usize, ars: usize, aps: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, rows: i32, s: usize, ss: usize): void {
  const last = <usize>(rows - 1);
  const m1 = min<usize>(1, last), m2 = min<usize>(2, last), m3 = min<usize>(3, last);
  const m4 = min<usize>(4, last);
  let a0 = a, a1 = a + m1 * ars, a2 = a + m2 * ars, a3 = a + m3 * ars, a4 = a + m4 * ars;
  let c00 = v128.load(s), c01 = v128.load(s, 16);
  let c10 = v128.load(s + m1 * ss), c11 = v128.load(s + m1 * ss, 16);
  let c20 = v128.load(s + m2 * ss), c21 = v128.load(s + m2 * ss, 16);
  let c30 = v128.load(s + m3 * ss), c31 = v128.load(s + m3 * ss, 16);
  let c40 = v128.load(s + m4 * ss), c41 = v128.load(s + m4 * ss, 16);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a4);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    a0 += aps; a1 += aps; a2 += aps; a3 += aps; a4 += aps;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  let r = c + m1 * ldc4;
  v128.store(r, c10); v128.store(r, c11, 16);
  r = c + m2 * ldc4;
  v128.store(r, c20); v128.store(r, c21, 16);
  r = c + m3 * ldc4;
  v128.store(r, c30); v128.store(r, c31, 16);
  r = c + m4 * ldc4;
  v128.store(r, c40); v128.store(r, c41, 16);
}

// 4×8 micro-kernel: rows 1..4, 8 columns; 8 accumulators. The last blocks of the few m that cannot
// be split into 6s and 5s (m ≤ 4, 7, 8, 9, 13, 14, 19): 8 → 4+4, 14 → 6+4+4. Same conventions as k6x8.
// loop: p (k), one step per iteration.
function k4x8(a: usize, ars: usize, aps: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, rows: i32, s: usize, ss: usize): void {
  const last = <usize>(rows - 1);
  const m1 = min<usize>(1, last), m2 = min<usize>(2, last), m3 = min<usize>(3, last);
  let a0 = a, a1 = a + m1 * ars, a2 = a + m2 * ars, a3 = a + m3 * ars;
  let c00 = v128.load(s), c01 = v128.load(s, 16);
  let c10 = v128.load(s + m1 * ss), c11 = v128.load(s + m1 * ss, 16);
  let c20 = v128.load(s + m2 * ss), c21 = v128.load(s + m2 * ss, 16);
  let c30 = v128.load(s + m3 * ss), c31 = v128.load(s + m3 * ss, 16);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a0 += aps; a1 += aps; a2 += aps; a3 += aps;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  let r = c + m1 * ldc4;
  v128.store(r, c10); v128.store(r, c11, 16);
  r = c + m2 * ldc4;
  v128.store(r, c20); v128.store(r, c21, 16);
  r = c + m3 * ldc4;
  v128.store(r, c30); v128.store(r, c31, 16);
}

// 6×4 column-tail micro-kernel: rows 1..6, 4 columns (one B vector); 6 accumulators.
// Same conventions as k6x8. loop: p (k), one step per iteration.
function k6x4(a: usize, ars: usize, aps: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, rows: i32, s: usize, ss: usize): void {
  const last = <usize>(rows - 1);
  const m1 = min<usize>(1, last), m2 = min<usize>(2, last), m3 = min<usize>(3, last);
  const m4 = min<usize>(4, last), m5 = min<usize>(5, last);
  let a0 = a, a1 = a + m1 * ars, a2 = a + m2 * ars, a3 = a + m3 * ars, a4 = a + m4 * ars, a5 = a + m5 * ars;
  let c0 = v128.load(s), c1 = v128.load(s + m1 * ss), c2 = v128.load(s + m2 * ss);
  let c3 = v128.load(s + m3 * ss), c4 = v128.load(s + m4 * ss), c5 = v128.load(s + m5 * ss);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const bv = v128.load(b);
    c0 = madd(v128.load32_splat(a0), bv, c0);
    c1 = madd(v128.load32_splat(a1), bv, c1);
    c2 = madd(v128.load32_splat(a2), bv, c2);
    c3 = madd(v128.load32_splat(a3), bv, c3);
    c4 = madd(v128.load32_splat(a4), bv, c4);
    c5 = madd(v128.load32_splat(a5), bv, c5);
    a0 += aps; a1 += aps; a2 += aps; a3 += aps; a4 += aps; a5 += aps;
    b += bs;
  }
  v128.store(c, c0);
  v128.store(c + m1 * ldc4, c1);
  v128.store(c + m2 * ldc4, c2);
  v128.store(c + m3 * ldc4, c3);
  v128.store(c + m4 * ldc4, c4);
  v128.store(c + m5 * ldc4, c5);
}

// 6×w column-tail micro-kernel for the last w = 1..3 columns: B, the init row and C are read and
// written lane by lane on the valid columns only (lanes past w hold copies and are not stored).
// Rows 1..6 as in k6x8; 6 accumulators. loop: p (k), one step per iteration.
function k6xw(a: usize, ars: usize, aps: usize, b: usize, bs: usize, k: i32, c: usize, ldc4: usize, rows: i32, s: usize, ss: usize, w: i32): void {
  const last = <usize>(rows - 1);
  const m1 = min<usize>(1, last), m2 = min<usize>(2, last), m3 = min<usize>(3, last);
  const m4 = min<usize>(4, last), m5 = min<usize>(5, last);
  let a0 = a, a1 = a + m1 * ars, a2 = a + m2 * ars, a3 = a + m3 * ars, a4 = a + m4 * ars, a5 = a + m5 * ars;
  const o1: usize = w > 1 ? 4 : 0;
  const o2: usize = w > 2 ? 8 : 0;
  let c0 = loadPartial(s, o1, o2), c1 = loadPartial(s + m1 * ss, o1, o2), c2 = loadPartial(s + m2 * ss, o1, o2);
  let c3 = loadPartial(s + m3 * ss, o1, o2), c4 = loadPartial(s + m4 * ss, o1, o2), c5 = loadPartial(s + m5 * ss, o1, o2);
  const bend = b + <usize>k * bs;
  for (; b < bend; ) {
    const bv = loadPartial(b, o1, o2);
    c0 = madd(v128.load32_splat(a0), bv, c0);
    c1 = madd(v128.load32_splat(a1), bv, c1);
    c2 = madd(v128.load32_splat(a2), bv, c2);
    c3 = madd(v128.load32_splat(a3), bv, c3);
    c4 = madd(v128.load32_splat(a4), bv, c4);
    c5 = madd(v128.load32_splat(a5), bv, c5);
    a0 += aps; a1 += aps; a2 += aps; a3 += aps; a4 += aps; a5 += aps;
    b += bs;
  }
  storePartial(c, c0, w);
  storePartial(c + m1 * ldc4, c1, w);
  storePartial(c + m2 * ldc4, c2, w);
  storePartial(c + m3 * ldc4, c3, w);
  storePartial(c + m4 * ldc4, c4, w);
  storePartial(c + m5 * ldc4, c5, w);
}

// The row-block partition of m: 6-row blocks, then `fives` blocks of 5 rows so that no block runs
// idle rows (m = 32 → 6,6,5,5,5,5; 128 → 18×6 + 4×5; 784 → 129×6 + 2×5). The m too small for
// that (1–4, 7, 8, 9, 13, 14, 19) end in 4-row blocks, rows past m idle (k4x8 / k6x8 clamping).
// @ts-ignore: decorator
@inline
function fiveBlocks(m: i32): i32 {
  const f = (6 - m % 6) % 6;
  return m >= 5 * f ? f : -1;
}

// Rows of the block starting at row i (fives = fiveBlocks(m)).
// @ts-ignore: decorator
@inline
function blockRows(m: i32, i: i32, fives: i32): i32 {
  const rem = m - i;
  if (fives >= 0) return rem > 5 * fives ? 6 : 5;
  // small m: 6s, then 8 → 4+4, 7 → 4+3, 4 → 4, 5 → 6 with an idle row, ≤ 3 → 4 with idle rows
  if (rem == 4 || rem == 7 || rem == 8 || rem <= 3) return min(rem, 4);
  return min(rem, 6);
}

// The row-block driver of NN and TN.
//   A: apanel = false: row i at a + i·ars0, element p of a row at +p·aps0;
//      apanel = true: packed row-block panels (see packPanelsT), 6-row panels run on k6x8p.
//   B: column strip starting at column j at b + j·bjs; its row p at +p·bs for full 8-column strips,
//      +p·bsTail for the n % 8 tail columns (tail: 4 columns at +0, then 1..3 at +16).
//   Accumulators start from C (accumulate), the bias, or zeros.
// loop order: ic (m, 6/5-row blocks) > jc (n, 8 cols; tail 4 + 1..3) > p (k) inside the kernels;
// then the activation (any fusable kind, with its alpha) on the finished row block while it is in L1.
// accumulate takes precedence over bias (the ABI never passes both).
function drive(m: i32, n: i32, k: i32, a: usize, ars0: usize, aps0: usize, apanel: bool, b: usize, bjs: usize, bs: usize, bsTail: usize,
               c: usize, ldc: i32, bias: usize, act: i32, alpha: f32, accumulate: i32): void {
  const ldc4 = <usize>ldc << 2;
  const n8 = n & ~7;
  // accumulator source for column j of row block ci: s(ci) + j·4, next row at +ss
  const ss: usize = accumulate ? ldc4 : 0;
  const fives = fiveBlocks(m);
  for (let i = 0; i < m; ) {
    const rows = blockRows(m, i, fives);
    // A panels (packed): the block's rows×k panel starts at a + i·k·4 and holds A[r][p] at +(p·rows + r)·4
    const ai = apanel ? a + (<usize>i * <usize>k << 2) : a + <usize>i * ars0;
    const ars: usize = apanel ? 4 : ars0;
    const aps: usize = apanel ? <usize>rows << 2 : aps0;
    const ci = c + <usize>i * ldc4;
    const si: usize = accumulate ? ci : bias;
    let j = 0;
    if (apanel && rows == 6) {
      for (; j < n8; j += 8) {
        const o = <usize>j << 2;
        k6x8p(ai, b + <usize>j * bjs, bs, k, ci + o, ldc4, si ? si + o : ZEROS, ss);
      }
    } else if (rows == 5) {
      for (; j < n8; j += 8) {
        const o = <usize>j << 2;
        k5x8(ai, ars, aps, b + <usize>j * bjs, bs, k, ci + o, ldc4, rows, si ? si + o : ZEROS, ss);
      }
    } else if (rows > 4) {
      for (; j < n8; j += 8) {
        const o = <usize>j << 2;
        k6x8(ai, ars, aps, b + <usize>j * bjs, bs, k, ci + o, ldc4, rows, si ? si + o : ZEROS, ss);
      }
    } else {
      for (; j < n8; j += 8) {
        const o = <usize>j << 2;
        k4x8(ai, ars, aps, b + <usize>j * bjs, bs, k, ci + o, ldc4, rows, si ? si + o : ZEROS, ss);
      }
    }
    let t = n - j;
    if (t) {
      let bt = b + <usize>j * bjs;
      let o = <usize>j << 2;
      if (t >= 4) {
        k6x4(ai, ars, aps, bt, bsTail, k, ci + o, ldc4, rows, si ? si + o : ZEROS, ss);
        t -= 4; bt += 16; o += 16;
      }
      if (t) k6xw(ai, ars, aps, bt, bsTail, k, ci + o, ldc4, rows, si ? si + o : ZEROS, ss, t);
    }
    if (act != ACT_LINEAR) {
      for (let r = 0; r < rows; r++) {
        const row = ci + <usize>r * ldc4;
        activationForward(act, row, row, n, alpha);
      }
    }
    i += rows;
  }
}

/** C[m×n] = act(A[m×k]·B[k×n] + bias) (alpha: the activation's parameter); accumulate ≠ 0: C += A·B (bias 0, act 0). */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, act: i32, alpha: f32, accumulate: i32): void {
  if (m <= 0 || n <= 0) return;
  const ldb4 = <usize>ldb << 2;
  drive(m, n, k, a, <usize>lda << 2, 4, false, b, 4, ldb4, ldb4, c, ldc, bias, act, alpha, accumulate);
}

// 4×4 transpose of the vectors r0..r3 (rows) into columns, stored at d, d+ds, d+2ds, d+3ds.
// @ts-ignore: decorator
@inline
function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, ds: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(d, v128.shuffle<f64>(t0, t2, 0, 2));
  v128.store(d + ds, v128.shuffle<f64>(t0, t2, 1, 3));
  v128.store(d + 2 * ds, v128.shuffle<f64>(t1, t3, 0, 2));
  v128.store(d + 3 * ds, v128.shuffle<f64>(t1, t3, 1, 3));
}

// Transposes w source rows of length k (row j at src + j·lds4) into a [k][w] panel (row p at
// dst + p·w·4): dst[p][j] = S[j][p]. Builds the NT Bᵀ strips and the A panels of NT. 4×4 SIMD
// transposes for whole 4-row × 4-column tiles, scalar copies for the rest.
// loop: jq (w, 4 source rows) > p (k, 4 at a time).
function transposePanel(src: usize, lds4: usize, k: i32, w: i32, dst: usize): void {
  const dp4 = <usize>w << 2; // bytes per destination row
  const k4 = k & ~3;
  const w4 = w & ~3;
  for (let j = 0; j < w4; j += 4) {
    const s0 = src + <usize>j * lds4;
    const s1 = s0 + lds4, s2 = s1 + lds4, s3 = s2 + lds4;
    const d = dst + (<usize>j << 2);
    for (let p = 0; p < k4; p += 4) {
      const o = <usize>p << 2;
      transpose4Store(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), d + <usize>p * dp4, dp4);
    }
    for (let p = k4; p < k; p++) {
      const o = <usize>p << 2;
      const q = d + <usize>p * dp4;
      store<f32>(q, load<f32>(s0 + o));
      store<f32>(q, load<f32>(s1 + o), 4);
      store<f32>(q, load<f32>(s2 + o), 8);
      store<f32>(q, load<f32>(s3 + o), 12);
    }
  }
  for (let j = w4; j < w; j++) {
    const s = src + <usize>j * lds4;
    const d = dst + (<usize>j << 2);
    for (let p = 0; p < k; p++) store<f32>(d + <usize>p * dp4, load<f32>(s + (<usize>p << 2)));
  }
}

// Packs Aᵀ for gemmTN into row-block panels: A is stored [k×m] (row p at a + p·lda4); the block of
// rows i..i+rows−1 of Aᵀ (the driver's blockRows partition) goes to dst + i·k·4 as [k][rows]:
// panel[p][r] = A[p][i + r]. Each p copies `rows` contiguous floats.
// loop: ic (m, blocks) > p (k).
function packPanelsT(m: i32, k: i32, a: usize, lda4: usize, dst: usize): void {
  const fives = fiveBlocks(m);
  for (let i = 0; i < m; ) {
    const rows = blockRows(m, i, fives);
    let src = a + (<usize>i << 2);
    let d = dst + (<usize>i * <usize>k << 2);
    if (rows == 6) {
      for (let p = 0; p < k; p++) {
        v128.store(d, v128.load(src));
        store<u64>(d, load<u64>(src, 16), 16);
        src += lda4; d += 24;
      }
    } else if (rows == 4) {
      for (let p = 0; p < k; p++) {
        v128.store(d, v128.load(src));
        src += lda4; d += 16;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < rows; r++) store<f32>(d + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
        src += lda4; d += <usize>rows << 2;
      }
    }
    i += rows;
  }
}

/**
 * C[m×n] = Aᵀ·B with A stored [k×m] (stride lda): the weight gradient Xᵀ·dY. accumulate ≠ 0: C +=.
 * pack ≠ 0: scratch for m·k floats (+64 bytes, any 16-byte alignment); A is copied into row-block
 * panels there (packPanelsT) and 6-row blocks run on k6x8p. pack = 0 reads A in place (stride lda).
 * loop order: ic (m, 6/5-row blocks) > jc (n, 8 cols, tail 4 + 1..3) > p (k).
 */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, pack: usize): void {
  if (m <= 0 || n <= 0) return;
  const ldb4 = <usize>ldb << 2;
  if (pack) {
    const pk = (pack + 63) & ~<usize>63;
    packPanelsT(m, k, a, <usize>lda << 2, pk);
    drive(m, n, k, pk, 0, 0, true, b, 4, ldb4, ldb4, c, ldc, 0, 0, 0, accumulate);
  } else {
    drive(m, n, k, a, 4, <usize>lda << 2, false, b, 4, ldb4, ldb4, c, ldc, 0, 0, 0, accumulate);
  }
}

/**
 * C[m×n] = A·Bᵀ with B stored [n×k] (stride ldb): the input gradient dY·Wᵀ. accumulate ≠ 0: C +=.
 * pack (required): scratch for min(n, 8)·k floats (+64 bytes): one Bᵀ strip of 8 columns at a time,
 * transposed into a [k][8] panel (L1-resident, 4×4 SIMD transposes), on which every row block runs.
 * loop order: jc (n, 8 cols; the last strip 1..7) > ic (m, 6/5-row blocks) > p (k).
 */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, pack: usize): void {
  if (m <= 0 || n <= 0) return;
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  // scratch: one Bᵀ strip panel [k][min(n, 8)]
  const pb = (pack + 63) & ~<usize>63;
  const ss: usize = accumulate ? ldc4 : 0;
  const fives = fiveBlocks(m);
  // loop order: jc (n, 8 cols: pack the strip's Bᵀ panel, L1-resident) > ic (m, row blocks) > p (k)
  for (let j = 0; j < n; j += 8) {
    const w = min(8, n - j);
    transposePanel(b + <usize>j * ldb4, ldb4, k, w, pb);
    const bs = <usize>w << 2;
    const cj = c + (<usize>j << 2);
    for (let i = 0; i < m; ) {
      const rows = blockRows(m, i, fives);
      const ai = a + <usize>i * lda4;
      const ci = cj + <usize>i * ldc4;
      const si: usize = accumulate ? ci : ZEROS;
      if (w == 8) {
        if (rows == 5) k5x8(ai, lda4, 4, pb, 32, k, ci, ldc4, rows, si, ss);
        else if (rows > 4) k6x8(ai, lda4, 4, pb, 32, k, ci, ldc4, rows, si, ss);
        else k4x8(ai, lda4, 4, pb, 32, k, ci, ldc4, rows, si, ss);
      } else {
        let t = w;
        let bt = pb;
        let o: usize = 0;
        if (t >= 4) {
          k6x4(ai, lda4, 4, bt, bs, k, ci, ldc4, rows, si, ss);
          t -= 4; bt += 16; o = 16;
        }
        if (t) k6xw(ai, lda4, 4, bt, bs, k, ci + o, ldc4, rows, accumulate ? si + o : ZEROS, ss, t);
      }
      i += rows;
    }
  }
}

/**
 * Floats of scratch `pack` each layout needs (LAYOUT_*), including 64 bytes for alignment:
 * TN m·k + 16, NT min(n, 8)·k + 16 (never more than the k·n + 16 the engine budgets), NN 0.
 */
export function gemmScratchFloats(m: i32, n: i32, k: i32, layout: i32): i32 {
  if (layout == LAYOUT_NN) return 0;
  if (layout == LAYOUT_TN) return m * k + 16;
  if (layout == LAYOUT_NT) return min(n, 8) * k + 16;
  return 0;
}
