// Float64 reference implementations of the ops, written from their textbook definitions.

export type Act = 'linear' | 'relu' | 'sigmoid' | 'tanh';

export function act(kind: Act, x: number): number {
  if (kind === 'relu') return Math.max(0, x);
  if (kind === 'sigmoid') return 1 / (1 + Math.exp(-x));
  if (kind === 'tanh') return Math.tanh(x);
  return x;
}

/** C[m×n] = op(A)·op(B) with op a transpose when asked. */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

export function softmaxRows(x: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - max);
    for (let c = 0; c < cols; c++) y[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
  }
  return y;
}

/** Per-row cross-entropy −Σ t log p against one-hot rows built from class indices or given targets. */
export function crossEntropyRows(
  p: Float64Array,
  targets: Float64Array,
  rows: number,
  cols: number,
  sparse: boolean,
  clip: boolean,
): Float64Array {
  const loss = new Float64Array(rows);
  const eps = 1e-7;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const t = sparse ? (targets[r] === c ? 1 : 0) : targets[r * cols + c];
      const q = clip ? Math.min(Math.max(p[r * cols + c], eps), 1 - eps) : p[r * cols + c];
      if (t !== 0) s -= t * Math.log(q);
    }
    loss[r] = s;
  }
  return loss;
}
