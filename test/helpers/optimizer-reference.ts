// Float64 references of the optimizers, written from Keras 3's documented update rules
// (keras/src/optimizers/*.py and base_optimizer.py), for the kernel and model tests.
// A Rule updates one tensor w (in place) from its final gradient g and its slots, at step t (1-based).

export type RuleSpec =
  | { kind: 'sgd' }
  | { kind: 'momentum'; momentum: number; nesterov: boolean }
  | { kind: 'adagrad'; epsilon: number; initial: number }
  | { kind: 'rmsprop'; rho: number; momentum: number; epsilon: number; centered: boolean }
  | { kind: 'adam'; beta1: number; beta2: number; epsilon: number; amsgrad: boolean }
  | { kind: 'adamax'; beta1: number; beta2: number; epsilon: number }
  | { kind: 'nadam'; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adadelta'; rho: number; epsilon: number };

/** The number of slots each rule keeps and their initial value. */
export function slotsFor(spec: RuleSpec, n: number): Float64Array[] {
  const zeros = (k: number) => Array.from({ length: k }, () => new Float64Array(n));
  switch (spec.kind) {
    case 'sgd':
      return [];
    case 'momentum':
      return zeros(1);
    case 'adagrad':
      return [new Float64Array(n).fill(spec.initial)];
    case 'rmsprop':
      return zeros(1 + (spec.centered ? 1 : 0) + (spec.momentum > 0 ? 1 : 0));
    case 'adam':
      return zeros(spec.amsgrad ? 3 : 2);
    default:
      return zeros(2);
  }
}

const nadamMu = (beta1: number, s: number) => beta1 * (1 - 0.5 * 0.96 ** s);

/** One step of the rule on w with gradient g (already regularized and clipped). */
export function applyRule(
  spec: RuleSpec,
  w: Float64Array,
  g: ArrayLike<number>,
  slots: Float64Array[],
  t: number,
  lr: number,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    switch (spec.kind) {
      case 'sgd':
        w[i] -= lr * gi;
        break;
      case 'momentum': {
        const [m] = slots;
        m[i] = spec.momentum * m[i] - lr * gi;
        w[i] += spec.nesterov ? spec.momentum * m[i] - lr * gi : m[i];
        break;
      }
      case 'adagrad': {
        const [a] = slots;
        a[i] += gi * gi;
        w[i] -= (lr * gi) / Math.sqrt(a[i] + spec.epsilon);
        break;
      }
      case 'rmsprop': {
        const v = slots[0];
        let k = 1;
        const mg = spec.centered ? slots[k++] : null;
        const mom = spec.momentum > 0 ? slots[k++] : null;
        v[i] = spec.rho * v[i] + (1 - spec.rho) * gi * gi;
        let d = v[i];
        if (mg) {
          mg[i] = spec.rho * mg[i] + (1 - spec.rho) * gi;
          d = v[i] - mg[i] * mg[i];
        }
        const inc = (lr * gi) / Math.sqrt(d + spec.epsilon);
        if (mom) {
          mom[i] = spec.momentum * mom[i] + inc;
          w[i] -= mom[i];
        } else w[i] -= inc;
        break;
      }
      case 'adam': {
        const [m, v] = slots;
        m[i] += (gi - m[i]) * (1 - spec.beta1);
        v[i] += (gi * gi - v[i]) * (1 - spec.beta2);
        let vu = v[i];
        if (spec.amsgrad) {
          slots[2][i] = Math.max(slots[2][i], v[i]);
          vu = slots[2][i];
        }
        const alpha = (lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t);
        w[i] -= (m[i] * alpha) / (Math.sqrt(vu) + spec.epsilon);
        break;
      }
      case 'adamax': {
        const [m, u] = slots;
        m[i] += (gi - m[i]) * (1 - spec.beta1);
        u[i] = Math.max(spec.beta2 * u[i], Math.abs(gi));
        w[i] -= (lr * m[i]) / ((1 - spec.beta1 ** t) * (u[i] + spec.epsilon));
        break;
      }
      case 'nadam': {
        const [m, v] = slots;
        let product = 1;
        for (let s = 1; s <= t; s++) product *= nadamMu(spec.beta1, s);
        const uT = nadamMu(spec.beta1, t);
        const uNext = nadamMu(spec.beta1, t + 1);
        m[i] += (gi - m[i]) * (1 - spec.beta1);
        v[i] += (gi * gi - v[i]) * (1 - spec.beta2);
        const mHat = (uNext * m[i]) / (1 - product * uNext) + ((1 - uT) * gi) / (1 - product);
        const vHat = v[i] / (1 - spec.beta2 ** t);
        w[i] -= (mHat * lr) / (Math.sqrt(vHat) + spec.epsilon);
        break;
      }
      case 'adadelta': {
        const [a, d] = slots;
        a[i] = spec.rho * a[i] + (1 - spec.rho) * gi * gi;
        const delta = (-Math.sqrt(d[i] + spec.epsilon) * gi) / Math.sqrt(a[i] + spec.epsilon);
        d[i] = spec.rho * d[i] + (1 - spec.rho) * delta * delta;
        w[i] += lr * delta;
        break;
      }
    }
  }
}

export interface TransformSpec {
  l1?: number;
  l2?: number;
  clipValue?: number;
  clipNorm?: number;
  globalClipNorm?: number;
  weightDecay?: number;
}

/** g + l1·sign(w) + 2·l2·w (the regularization loss's gradient is part of the loss gradient). */
export function regularized(w: ArrayLike<number>, g: ArrayLike<number>, l1 = 0, l2 = 0): Float64Array {
  return Float64Array.from(g, (gi, i) => gi + l1 * Math.sign(w[i]) + 2 * l2 * w[i]);
}

const sumSq = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v * v, 0);

/**
 * Keras 3's base_optimizer.apply() on several tensors: clip (clipnorm per tensor, else global_clipnorm,
 * else clipvalue), then w ← w − η·wd·w, then the rule. grads are already regularized.
 */
export function kerasStep(
  spec: RuleSpec,
  t: TransformSpec,
  ws: Float64Array[],
  grads: Float64Array[],
  slots: Float64Array[][],
  step: number,
  lr: number,
): void {
  let gs = grads.map((g) => Float64Array.from(g));
  if (t.clipNorm) {
    const c = t.clipNorm;
    gs = gs.map((g) => {
      const norm = Math.sqrt(sumSq(g));
      return g.map((v) => (v * c) / Math.max(norm, c));
    });
  } else if (t.globalClipNorm) {
    const c = t.globalClipNorm;
    const norm = Math.sqrt(gs.reduce((s, g) => s + sumSq(g), 0));
    gs = gs.map((g) => g.map((v) => (v * c) / Math.max(norm, c)));
  } else if (t.clipValue) {
    const c = t.clipValue;
    gs = gs.map((g) => g.map((v) => Math.min(Math.max(v, -c), c)));
  }
  ws.forEach((w, k) => {
    if (t.weightDecay) for (let i = 0; i < w.length; i++) w[i] -= w[i] * t.weightDecay * lr;
    applyRule(spec, w, gs[k], slots[k], step, lr);
  });
}
