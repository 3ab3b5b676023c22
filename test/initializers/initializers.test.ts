// Initializers against Keras's definitions: statistics of large draws (mean and variance within a few
// standard errors, hard bounds for uniform and truncated draws) for several fan shapes, Keras's fan
// computation, determinism for a seed, the statistics of tfjs's initializers, and every error.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initializers, layers, sequential, Generator, ValueError } from '../../src/index.js';
import { resolveInitializer, type Initializer } from '../../src/initializers/initializer.js';

type TfInitializer = ReturnType<typeof tf.initializers.zeros>;

const TRUNC_SD = 0.87962566103423978;
/** Variance of a standard normal truncated to [−2, 2]: 1 − 4φ(2)/(Φ(2) − Φ(−2)). */
const TRUNC_VAR = 1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361036416;

function stats(v: ArrayLike<number>) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let q = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    q += (v[i] - mean) ** 2;
    lo = Math.min(lo, v[i]);
    hi = Math.max(hi, v[i]);
  }
  return { mean, variance: q / (v.length - 1), lo, hi, n: v.length };
}

/** Mean within 5 standard errors of `mean`, variance within 5 standard errors (normal kurtosis, the largest here). */
function expectMoments(v: ArrayLike<number>, mean: number, variance: number, what: string) {
  const s = stats(v);
  expect(Math.abs(s.mean - mean), `${what}: mean ${s.mean} vs ${mean}`).toBeLessThan(5 * Math.sqrt(variance / s.n));
  expect(Math.abs(s.variance / variance - 1), `${what}: variance ${s.variance} vs ${variance}`).toBeLessThan(
    5 * Math.sqrt(2 / s.n),
  );
  return s;
}

// ~200k values each, with different fans: dense, 1-D, and convolution kernels.
const SHAPES: { shape: number[]; fanIn: number; fanOut: number }[] = [
  { shape: [784, 256], fanIn: 784, fanOut: 256 },
  { shape: [200, 1000], fanIn: 200, fanOut: 1000 },
  { shape: [5, 5, 80, 100], fanIn: 2000, fanOut: 2500 },
  { shape: [3, 3, 100, 222], fanIn: 900, fanOut: 1998 },
];

const rng = (seed = 7) => new Generator(seed);

describe("Keras's fan computation", () => {
  it('scalars, vectors, matrices and convolution kernels', () => {
    expect(initializers.fans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(initializers.fans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(initializers.fans([784, 300])).toEqual({ fanIn: 784, fanOut: 300 });
    expect(initializers.fans([5, 16, 32])).toEqual({ fanIn: 80, fanOut: 160 });
    expect(initializers.fans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(initializers.fans([2, 3, 3, 16, 32])).toEqual({ fanIn: 288, fanOut: 576 });
    for (const { shape, fanIn, fanOut } of SHAPES) expect(initializers.fans(shape)).toEqual({ fanIn, fanOut });
  });
});

describe('constant initializers', () => {
  it('zeros, ones, constant', () => {
    expect([...initializers.zeros().init([2, 3], rng())]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...initializers.ones().init([4], rng())]).toEqual([1, 1, 1, 1]);
    expect([...initializers.constant({ value: -0.25 }).init([3], rng())]).toEqual([-0.25, -0.25, -0.25]);
    expect([...initializers.constant().init([2], rng())]).toEqual([0, 0]);
    expect(initializers.constant({ value: 2 }).getConfig()).toEqual({ value: 2 });
  });
});

describe('random initializers with explicit parameters', () => {
  it('randomNormal: N(mean, stddev²)', () => {
    const v = initializers.randomNormal({ mean: 0.5, stddev: 2 }).init([200000], rng());
    expectMoments(v, 0.5, 4, 'randomNormal');
    expectMoments(initializers.randomNormal().init([200000], rng(8)), 0, 0.05 ** 2, 'randomNormal defaults');
  });

  it('truncatedNormal: variance 0.7737·stddev², all values within 2 stddev of the mean', () => {
    const v = initializers.truncatedNormal({ mean: -1, stddev: 0.3 }).init([200000], rng());
    const s = expectMoments(v, -1, TRUNC_VAR * 0.09, 'truncatedNormal');
    expect(s.lo).toBeGreaterThanOrEqual(Math.fround(-1 - 0.6) - 1e-6);
    expect(s.hi).toBeLessThanOrEqual(Math.fround(-1 + 0.6) + 1e-6);
    // The truncation is at 2σ, not wider: values reach close to the bounds.
    expect(s.hi).toBeGreaterThan(-1 + 0.59);
    expect(TRUNC_VAR).toBeCloseTo(TRUNC_SD ** 2, 12);
  });

  it('randomUniform: U(minval, maxval)', () => {
    const v = initializers.randomUniform({ minval: -3, maxval: 1 }).init([200000], rng());
    const s = expectMoments(v, -1, 16 / 12, 'randomUniform');
    expect(s.lo).toBeGreaterThanOrEqual(-3);
    expect(s.hi).toBeLessThanOrEqual(1);
    const d = stats(initializers.randomUniform().init([200000], rng()));
    expect(d.lo).toBeGreaterThanOrEqual(-0.05);
    expect(d.hi).toBeLessThanOrEqual(0.05);
  });
});

// Keras: n = fanIn | fanOut | (fanIn + fanOut)/2; variance scale/n; truncated normal σ = sqrt(scale/n)/0.8796…,
// untruncated σ = sqrt(scale/n), uniform limit sqrt(3·scale/n).
const PRESETS: {
  name: string;
  make: () => Initializer;
  scale: number;
  mode: 'fanIn' | 'fanOut' | 'fanAvg';
  dist: 'truncatedNormal' | 'untruncatedNormal' | 'uniform';
}[] = [
  { name: 'glorotUniform', make: initializers.glorotUniform, scale: 1, mode: 'fanAvg', dist: 'uniform' },
  { name: 'glorotNormal', make: initializers.glorotNormal, scale: 1, mode: 'fanAvg', dist: 'truncatedNormal' },
  { name: 'heUniform', make: initializers.heUniform, scale: 2, mode: 'fanIn', dist: 'uniform' },
  { name: 'heNormal', make: initializers.heNormal, scale: 2, mode: 'fanIn', dist: 'truncatedNormal' },
  { name: 'lecunUniform', make: initializers.lecunUniform, scale: 1, mode: 'fanIn', dist: 'uniform' },
  { name: 'lecunNormal', make: initializers.lecunNormal, scale: 1, mode: 'fanIn', dist: 'truncatedNormal' },
  {
    name: "the notebook's varianceScaling(2, fanAvg, uniform)",
    make: () => initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' }),
    scale: 2,
    mode: 'fanAvg',
    dist: 'uniform',
  },
  {
    name: 'varianceScaling(0.5, fanOut, untruncatedNormal)',
    make: () => initializers.varianceScaling({ scale: 0.5, mode: 'fanOut', distribution: 'untruncatedNormal' }),
    scale: 0.5,
    mode: 'fanOut',
    dist: 'untruncatedNormal',
  },
  {
    name: 'varianceScaling(3, fan_out, truncated_normal)',
    make: () => initializers.varianceScaling({ scale: 3, mode: 'fan_out', distribution: 'truncated_normal' }),
    scale: 3,
    mode: 'fanOut',
    dist: 'truncatedNormal',
  },
  {
    name: 'varianceScaling() defaults (1, fanIn, truncatedNormal)',
    make: () => initializers.varianceScaling(),
    scale: 1,
    mode: 'fanIn',
    dist: 'truncatedNormal',
  },
];

describe('variance scaling and its presets (Keras definitions)', () => {
  for (const p of PRESETS) {
    it(`${p.name} on ${SHAPES.length} fan shapes`, () => {
      SHAPES.forEach(({ shape, fanIn, fanOut }, i) => {
        const n = p.mode === 'fanIn' ? fanIn : p.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
        const variance = p.scale / n;
        const v = p.make().init(shape, rng(100 + i));
        const s = expectMoments(v, 0, variance, `${p.name} ${JSON.stringify(shape)}`);
        if (p.dist === 'uniform') {
          const limit = Math.sqrt((3 * p.scale) / n);
          expect(Math.max(-s.lo, s.hi)).toBeLessThanOrEqual(limit * (1 + 1e-6));
          expect(Math.max(-s.lo, s.hi)).toBeGreaterThan(limit * 0.999);
        } else if (p.dist === 'truncatedNormal') {
          const bound = (2 * Math.sqrt(p.scale / n)) / TRUNC_SD;
          expect(Math.max(-s.lo, s.hi)).toBeLessThanOrEqual(bound * (1 + 1e-6));
          expect(Math.max(-s.lo, s.hi)).toBeGreaterThan(bound * 0.99);
        } else {
          // Untruncated: some draws lie beyond 2σ (4.55% of them).
          const beyond =
            Array.prototype.filter.call(v, (x: number) => Math.abs(x) > 2 * Math.sqrt(variance)).length / v.length;
          expect(Math.abs(beyond - 0.0455)).toBeLessThan(0.003);
        }
      });
    });
  }

  it('small fans are clamped to 1, as Keras (max(1, n))', () => {
    const v = initializers
      .varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'untruncatedNormal' })
      .init([1, 0], rng());
    expect(v.length).toBe(0);
    const w = initializers.varianceScaling({ scale: 4, mode: 'fanIn', distribution: 'uniform' }).init([], rng());
    expect(w.length).toBe(1);
    expect(Math.abs(w[0])).toBeLessThanOrEqual(Math.sqrt(12));
  });

  it('configs: varianceScaling keeps its arguments, presets have none', () => {
    expect(initializers.varianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' }).getConfig()).toEqual({
      scale: 2,
      mode: 'fanAvg',
      distribution: 'uniform',
    });
    expect(initializers.heNormal().className).toBe('HeNormal');
    expect(initializers.glorotUniform().getConfig()).toEqual({});
    expect(initializers.randomNormal({ stddev: 0.1 }).getConfig()).toEqual({ mean: 0, stddev: 0.1 });
    expect(initializers.randomUniform().getConfig()).toEqual({ minval: -0.05, maxval: 0.05 });
  });
});

describe('determinism', () => {
  it('the same seed gives the same values; another seed other values', () => {
    for (const make of [
      initializers.heNormal,
      initializers.glorotUniform,
      () => initializers.truncatedNormal(),
      () => initializers.randomNormal(),
    ]) {
      const a = make().init([50, 40], new Generator(42));
      const b = make().init([50, 40], new Generator(42));
      const c = make().init([50, 40], new Generator(43));
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    }
  });

  it('a seeded model draws the same kernel with an initializer given by name', () => {
    const make = () =>
      sequential([layers.dense({ units: 5, inputShape: [6], kernelInitializer: 'he_normal' })], { seed: 9 });
    expect(make().getWeights()[0].data).toEqual(make().getWeights()[0].data);
  });
});

describe('names', () => {
  it('camelCase, snake_case and class names', () => {
    expect(resolveInitializer('heNormal', 'zeros', 'k').className).toBe('HeNormal');
    expect(resolveInitializer('he_normal', 'zeros', 'k').className).toBe('HeNormal');
    expect(resolveInitializer('glorot_uniform' as never, 'zeros', 'k').className).toBe('GlorotUniform');
    expect(resolveInitializer('HeUniform' as never, 'zeros', 'k').className).toBe('HeUniform');
    expect(resolveInitializer('variance_scaling', 'zeros', 'k').getConfig()).toEqual({
      scale: 1,
      mode: 'fanIn',
      distribution: 'truncatedNormal',
    });
    expect(resolveInitializer('truncated_normal', 'zeros', 'k').getConfig()).toEqual({ mean: 0, stddev: 0.05 });
    expect(resolveInitializer(undefined, 'lecunUniform', 'k').className).toBe('LecunUniform');
    for (const name of [
      'ones',
      'constant',
      'random_uniform',
      'randomNormal',
      'glorot_normal',
      'lecun_normal',
      'lecun_uniform',
      'he_uniform',
    ] as const) {
      expect(() => resolveInitializer(name, 'zeros', 'k').init([2, 2], rng())).not.toThrow();
    }
  });
});

describe('parity with tfjs initializers (statistics of 200k draws)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const draw = (init: TfInitializer, shape: number[]) => {
    const t = init.apply(shape);
    const d = t.dataSync() as Float32Array;
    t.dispose();
    return d;
  };

  it('uniform presets and varianceScaling uniform: same variance and bounds', () => {
    const cases: [Initializer, TfInitializer][] = [
      [initializers.glorotUniform(), tf.initializers.glorotUniform({})],
      [initializers.heUniform(), tf.initializers.heUniform({})],
      [initializers.lecunUniform(), tf.initializers.leCunUniform({})],
      [
        initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' }),
        tf.initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' }),
      ],
    ];
    for (const [ours, theirs] of cases) {
      for (const shape of [
        [784, 256],
        [5, 5, 80, 100],
      ]) {
        const a = stats(ours.init(shape, rng()));
        const b = stats(draw(theirs, shape));
        expect(Math.abs(a.variance / b.variance - 1), `${ours.className} ${shape}`).toBeLessThan(
          5 * Math.sqrt(0.8 / a.n) * Math.SQRT2,
        );
        expect(Math.abs(a.hi / b.hi - 1)).toBeLessThan(1e-3);
        expect(Math.abs(a.lo / b.lo - 1)).toBeLessThan(1e-3);
      }
    }
  });

  it('randomNormal, randomUniform, truncatedNormal, constant: same distributions', () => {
    const pairs: [Initializer, TfInitializer, boolean][] = [
      [
        initializers.randomNormal({ mean: 0.2, stddev: 0.3 }),
        tf.initializers.randomNormal({ mean: 0.2, stddev: 0.3 }),
        false,
      ],
      [
        initializers.randomUniform({ minval: -0.5, maxval: 1.5 }),
        tf.initializers.randomUniform({ minval: -0.5, maxval: 1.5 }),
        true,
      ],
      [
        initializers.truncatedNormal({ mean: 0.1, stddev: 0.2 }),
        tf.initializers.truncatedNormal({ mean: 0.1, stddev: 0.2 }),
        true,
      ],
    ];
    for (const [ours, theirs, bounded] of pairs) {
      const a = stats(ours.init([200000], rng()));
      const b = stats(draw(theirs, [200000]));
      expect(Math.abs(a.mean - b.mean), ours.className).toBeLessThan(7 * Math.sqrt(b.variance / a.n));
      expect(Math.abs(a.variance / b.variance - 1), ours.className).toBeLessThan(7 * Math.sqrt(2 / a.n));
      if (bounded) {
        expect(Math.abs(a.hi - b.hi)).toBeLessThan(0.01);
        expect(Math.abs(a.lo - b.lo)).toBeLessThan(0.01);
      }
    }
    expect([...initializers.constant({ value: 0.3 }).init([3], rng())]).toEqual([
      ...draw(tf.initializers.constant({ value: 0.3 }), [3]),
    ]);
  });

  it(
    "normal presets: Keras's variance scale/n; tfjs truncates without the 0.8796 correction (variance " +
      '0.7737·scale/n)',
    () => {
      const cases: [Initializer, TfInitializer][] = [
        [initializers.heNormal(), tf.initializers.heNormal({})],
        [initializers.glorotNormal(), tf.initializers.glorotNormal({})],
        [initializers.lecunNormal(), tf.initializers.leCunNormal({})],
      ];
      for (const [ours, theirs] of cases) {
        const a = stats(ours.init([784, 256], rng()));
        const b = stats(draw(theirs, [784, 256]));
        // Same truncation at 2σ of the untruncated distribution; tfjs's σ is ours × 0.8796.
        expect(Math.abs(b.variance / a.variance / TRUNC_VAR - 1), ours.className).toBeLessThan(10 * Math.sqrt(2 / a.n));
        expect(Math.abs(b.hi / (a.hi * TRUNC_SD) - 1)).toBeLessThan(0.01);
      }
    },
  );
});

describe('errors', () => {
  it('varianceScaling: mode, distribution, scale', () => {
    expect(() => initializers.varianceScaling({ mode: 'fanMax' as never })).toThrow(
      new ValueError(
        `initializers.varianceScaling: mode: expected one of 'fanIn', 'fanOut', 'fanAvg' (or 'fan_in', 'fan_out', ` +
          `'fan_avg'), received "fanMax".`,
      ),
    );
    expect(() => initializers.varianceScaling({ distribution: 'gamma' as never })).toThrow(
      new ValueError(
        `initializers.varianceScaling: distribution: expected one of 'truncatedNormal', 'untruncatedNormal', ` +
          `'uniform' (or 'truncated_normal', 'untruncated_normal'), received "gamma".`,
      ),
    );
    expect(() => initializers.varianceScaling({ distribution: 'normal' as never })).toThrow(
      /received "normal" \(tfjs's 'normal' is a truncated normal: use 'truncatedNormal'\)\./,
    );
    for (const scale of [0, -1, NaN, Infinity, '2'] as never[]) {
      expect(() => initializers.varianceScaling({ scale })).toThrow(ValueError);
    }
    expect(() => initializers.varianceScaling({ scale: -2 })).toThrow(
      new ValueError('initializers.varianceScaling: scale: expected a finite number > 0, received -2.'),
    );
    expect(() => initializers.varianceScaling(null as never)).toThrow(
      /varianceScaling: expected an options object .* received null/,
    );
  });

  it('randomNormal / truncatedNormal stddev ≤ 0, non-finite mean', () => {
    expect(() => initializers.randomNormal({ stddev: 0 })).toThrow(
      new ValueError('initializers.randomNormal: stddev: expected a finite number > 0, received 0.'),
    );
    expect(() => initializers.truncatedNormal({ stddev: -0.1 })).toThrow(
      new ValueError('initializers.truncatedNormal: stddev: expected a finite number > 0, received -0.1.'),
    );
    expect(() => initializers.randomNormal({ mean: NaN })).toThrow(
      new ValueError('initializers.randomNormal: mean: expected a finite number, received NaN.'),
    );
    expect(() => initializers.truncatedNormal(3 as never)).toThrow(
      /truncatedNormal: expected an options object such as \{ mean: 0, stddev: 0.05 \}, received 3/,
    );
  });

  it('randomUniform minval ≥ maxval; constant non-finite', () => {
    expect(() => initializers.randomUniform({ minval: 1, maxval: 1 })).toThrow(
      new ValueError(
        'initializers.randomUniform: expected minval < maxval, received minval 1 and maxval 1; swap them or widen ' +
          'the range.',
      ),
    );
    expect(() => initializers.randomUniform({ minval: 2, maxval: -2 })).toThrow(/minval 2 and maxval -2/);
    expect(() => initializers.randomUniform({ maxval: Infinity })).toThrow(
      new ValueError('initializers.randomUniform: maxval: expected a finite number, received Infinity.'),
    );
    expect(() => initializers.constant({ value: NaN })).toThrow(
      new ValueError('initializers.constant: value: expected a finite number, received NaN.'),
    );
  });

  it('unknown names list the known ones', () => {
    expect(() => layers.dense({ units: 2, name: 'dense', kernelInitializer: 'xavier' as never })).toThrow(
      new ValueError(
        'dense: kernelInitializer: unknown initializer "xavier"; known: glorotUniform, zeros, ones, constant, ' +
          'randomNormal, randomUniform, truncatedNormal, glorotNormal, heUniform, heNormal, lecunUniform, ' +
          'lecunNormal, varianceScaling (or their snake_case forms such as he_normal).',
      ),
    );
    expect(() => resolveInitializer(5 as never, 'zeros', 'biasInitializer')).toThrow(
      /biasInitializer: expected an initializer name \(glorotUniform, zeros, .*\) or an Initializer, received 5\./,
    );
    expect(() => resolveInitializer('toString' as never, 'zeros', 'k')).toThrow(/unknown initializer "toString"/);
  });
});
