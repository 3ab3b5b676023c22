// Float64 references of the losses (Keras's definitions): per-sample losses of a [rows, cols] batch.

export const EPS = 1e-7;
const clip = (v: number) => Math.min(Math.max(v, EPS), 1 - EPS);

export type Targets = ArrayLike<number>;

function rowsOf(n: number, cols: number): number {
  return Math.round(n / cols);
}

export function categoricalRef(
  x: ArrayLike<number>,
  t: Targets,
  cols: number,
  opts: { sparse: boolean; logits: boolean; smoothing?: number },
): Float64Array {
  const rows = rowsOf(x.length, cols);
  const eps = opts.smoothing ?? 0;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, (_, j) => x[r * cols + j]);
    const target = opts.sparse
      ? Array.from({ length: cols }, (_, j) => (j === t[r] ? 1 : 0))
      : Array.from({ length: cols }, (_, j) => t[r * cols + j] * (1 - eps) + eps / cols);
    let logp: number[];
    if (opts.logits) {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      logp = row.map((v) => v - lse);
    } else if (opts.sparse) {
      // tf.keras: clip, then sparse softmax CE on log(clip(p)) (implicit renormalisation)
      const c = row.map(clip);
      const s = c.reduce((a, v) => a + v, 0);
      logp = c.map((v) => Math.log(v) - Math.log(s));
    } else {
      const s = row.reduce((a, v) => a + v, 0);
      logp = row.map((v) => Math.log(clip(v / s)));
    }
    out[r] = -target.reduce((a, tv, j) => a + tv * logp[j], 0);
  }
  return out;
}

export type PointwiseKind = 'bceLogits' | 'bceProbs' | 'mse' | 'mae' | 'huber' | 'hinge';

export function pointwiseRef(
  kind: PointwiseKind,
  x: ArrayLike<number>,
  t: Targets,
  cols: number,
  param = 0,
): Float64Array {
  const rows = rowsOf(x.length, cols);
  const binary = Array.from(t).every((v) => v === 0 || v === 1);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const y = x[r * cols + j];
      let tv = t[r * cols + j];
      let l: number;
      switch (kind) {
        case 'bceLogits':
          tv = tv * (1 - param) + param / 2;
          l = Math.max(y, 0) - y * tv + Math.log1p(Math.exp(-Math.abs(y)));
          break;
        case 'bceProbs': {
          tv = tv * (1 - param) + param / 2;
          const c = clip(y);
          l = -(tv * Math.log(c) + (1 - tv) * Math.log(1 - c));
          break;
        }
        case 'mse':
          l = (y - tv) ** 2;
          break;
        case 'mae':
          l = Math.abs(y - tv);
          break;
        case 'huber': {
          const a = Math.abs(y - tv);
          l = a <= param ? 0.5 * a * a : param * (a - 0.5 * param);
          break;
        }
        case 'hinge':
          if (binary) tv = 2 * tv - 1;
          l = Math.max(1 - tv * y, 0);
          break;
      }
      s += l;
    }
    out[r] = s / cols;
  }
  return out;
}

/** Σ w_i·l_i (w null: all ones). */
export function weightedSum(perSample: Float64Array, w: ArrayLike<number> | null): number {
  let s = 0;
  for (let i = 0; i < perSample.length; i++) s += (w ? w[i] : 1) * perSample[i];
  return s;
}
