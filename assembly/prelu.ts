// PReLU kernels over a [rows, cols] matrix with one learned slope per column (alpha[cols], broadcast
// over the rows): y = x > 0 ? x : alpha_j·x.
// Loop structure: rows outer; columns inner in f32x4 vectors, then a scalar remainder that computes
// the same IEEE operations as the vector lanes (a select and one multiply), so results are identical.

// @ts-ignore: decorator
@inline
function prelu4(x: v128, a: v128): v128 {
  // NaN compares false, so a NaN lane becomes a·NaN = NaN
  return v128.bitselect(x, f32x4.mul(x, a), f32x4.gt(x, f32x4.splat(0)));
}

/** y[r, j] = x[r, j] > 0 ? x[r, j] : alpha[j]·x[r, j]. x == y allowed. */
export function preluForward(x: usize, alpha: usize, y: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const yr = y + <usize>r * stride;
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, prelu4(v128.load(xr + o), v128.load(alpha + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(xr + o);
      store<f32>(yr + o, v > 0 ? v : v * load<f32>(alpha + o));
    }
  }
}

/**
 * dx[r, j] = dy[r, j]·(x[r, j] > 0 ? 1 : alpha[j]) when dx ≠ 0 (dx == dy allowed);
 * dalpha[j] = Σ_r (x[r, j] ≤ 0 ? dy[r, j]·x[r, j] : 0) when dalpha ≠ 0, summed in row order
 * (deterministic). dalpha must not overlap the other operands.
 */
export function preluBackward(x: usize, alpha: usize, dy: usize, dx: usize, dalpha: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  const zero = f32x4.splat(0);
  if (dalpha) memory.fill(dalpha, 0, stride);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const dyr = dy + <usize>r * stride;
    const dxr = dx + <usize>r * stride;
    let j = 0;
    for (; j <= cols - 4; j += 4) {
      const o = <usize>j << 2;
      const xv = v128.load(xr + o);
      const g = v128.load(dyr + o);
      const pos = f32x4.gt(xv, zero);
      if (dalpha) v128.store(dalpha + o, f32x4.add(v128.load(dalpha + o), v128.andnot(f32x4.mul(g, xv), pos)));
      if (dx) v128.store(dxr + o, v128.bitselect(g, f32x4.mul(g, v128.load(alpha + o)), pos));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const xv = load<f32>(xr + o);
      const g = load<f32>(dyr + o);
      if (dalpha) store<f32>(dalpha + o, load<f32>(dalpha + o) + (xv > 0 ? 0 : g * xv));
      if (dx) store<f32>(dxr + o, xv > 0 ? g : g * load<f32>(alpha + o));
    }
  }
}
