// Float64 references of every activation, from Keras's documented formulas, and their derivatives.

export const SELU_ALPHA = 1.67326324;
export const SELU_SCALE = 1.05070098;

/** erfc(t) for t ≥ 0: the Maclaurin series of erf below 3, Lentz-free continued fraction above. */
function erfcPos(t: number): number {
  if (t < 3) {
    let s = 0;
    let term = t;
    for (let n = 0; n < 200; n++) {
      s += term / (2 * n + 1);
      term *= (-t * t) / (n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * s;
  }
  let f = 0;
  for (let k = 80; k >= 1; k--) f = k / 2 / (t + f);
  return Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
}

/** Φ(x), the standard normal CDF, accurate in both tails. */
export function normalCdf(x: number): number {
  const e = 0.5 * erfcPos(Math.abs(x) / Math.SQRT2);
  return x >= 0 ? 1 - e : e;
}

export function normalPdf(x: number): number {
  return Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** f(x) for each activation; alpha is the leaky slope or the elu alpha. */
export const FORWARD: Record<string, (x: number, alpha: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  sigmoid,
  tanh: Math.tanh,
  leakyRelu: (x, a) => (x > 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  gelu: (x) => x * normalCdf(x),
};

/** f′(x) for each activation. */
export const DERIVATIVE: Record<string, (x: number, alpha: number) => number> = {
  linear: () => 1,
  relu: (x) => (x > 0 ? 1 : 0),
  sigmoid: (x) => sigmoid(x) * sigmoid(-x),
  tanh: (x) => 1 - Math.tanh(x) ** 2,
  leakyRelu: (x, a) => (x > 0 ? 1 : a),
  elu: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  hardSigmoid: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
  softplus: sigmoid,
  softsign: (x) => 1 / (1 + Math.abs(x)) ** 2,
  swish: (x) => sigmoid(x) * (1 + x * sigmoid(-x)),
  gelu: (x) => normalCdf(x) + x * normalPdf(x),
};
