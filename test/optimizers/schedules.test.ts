import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, optimizers } from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import { referenceSgd, trainLinear } from '../helpers/linear-softmax.js';

const { schedules } = optimizers;

// Keras's formulas, written out in float64 (step = optimizer iterations, from 0).
const ref = {
  exponential: (s: number, eta0: number, ds: number, r: number, stair: boolean) =>
    eta0 * r ** (stair ? Math.floor(s / ds) : s / ds),
  inverseTime: (s: number, eta0: number, ds: number, r: number, stair: boolean) =>
    eta0 / (1 + r * (stair ? Math.floor(s / ds) : s / ds)),
  power: (s: number, eta0: number, ds: number, c: number) => eta0 / (1 + s / ds) ** c,
  polynomial(s: number, eta0: number, ds: number, end: number, p: number, cycle: boolean) {
    if (cycle) {
      const span = ds * (s === 0 ? 1 : Math.ceil(s / ds));
      return (eta0 - end) * (1 - s / span) ** p + end;
    }
    return (eta0 - end) * (1 - Math.min(s, ds) / ds) ** p + end;
  },
  cosine(s: number, eta0: number, ds: number, alpha: number, target: number | null, w: number) {
    const decay = (d: number, from: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * d) / ds)) + alpha);
    if (target === null) return decay(Math.min(s, ds), eta0);
    const t = Math.min(s, ds + w);
    return t < w ? eta0 + ((target - eta0) * t) / w : decay(t - w, target);
  },
};

const STEPS = Array.from({ length: 120 }, (_, i) => i).concat([250, 999, 1000, 1001, 5000, 123456]);

function expectClose(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(expected)));
}

describe('schedules follow Keras in float64', () => {
  it('exponentialDecay, smooth and staircase', () => {
    for (const staircase of [false, true]) {
      const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.5, staircase });
      for (const t of STEPS) expectClose(s.at(t), ref.exponential(t, 0.1, 7, 0.5, staircase));
    }
    const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(s.at(0)).toBe(0.1);
    expectClose(s.at(20), 0.025);
    expectClose(
      schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }).at(19),
      0.05,
    );
  });

  it('inverseTimeDecay, smooth and staircase', () => {
    for (const staircase of [false, true]) {
      const s = schedules.inverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 5, decayRate: 0.3, staircase });
      for (const t of STEPS) expectClose(s.at(t), ref.inverseTime(t, 0.2, 5, 0.3, staircase));
    }
    expectClose(schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1 }).at(10), 0.05);
  });

  it('powerDecay: η₀ / (1 + t/s)^c', () => {
    for (const c of [1, 0.5, 2]) {
      const s = schedules.powerDecay({ initialLearningRate: 0.01, decaySteps: 20, power: c });
      for (const t of STEPS) expectClose(s.at(t), ref.power(t, 0.01, 20, c));
    }
    expectClose(schedules.powerDecay({ initialLearningRate: 0.01, decaySteps: 20 }).at(20), 0.005);
  });

  it('piecewiseConstantDecay: values[i] on (boundaries[i-1], boundaries[i]]', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [5, 15], values: [0.01, 0.005, 0.001] });
    const expected = (t: number) => (t <= 5 ? 0.01 : t <= 15 ? 0.005 : 0.001);
    for (const t of STEPS) expect(s.at(t)).toBe(expected(t));
    expect([s.at(5), s.at(6), s.at(15), s.at(16)]).toEqual([0.01, 0.005, 0.005, 0.001]);
    expect(schedules.piecewiseConstantDecay({ boundaries: [], values: [0.3] }).at(99)).toBe(0.3);
  });

  it('polynomialDecay, with and without cycle', () => {
    for (const cycle of [false, true]) {
      for (const power of [1, 0.5, 3]) {
        const s = schedules.polynomialDecay({
          initialLearningRate: 0.1,
          decaySteps: 13,
          endLearningRate: 0.001,
          power,
          cycle,
        });
        for (const t of STEPS) expectClose(s.at(t), ref.polynomial(t, 0.1, 13, 0.001, power, cycle));
      }
    }
    const linear = schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 });
    expectClose(linear.at(5), (0.1 - 0.0001) * 0.5 + 0.0001);
    expectClose(linear.at(50), 0.0001);
    const cyc = schedules.polynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      endLearningRate: 0,
      cycle: true,
    });
    // Step 0 and 10 end the first cycle's span of 10; step 11 starts a span of 20.
    expect([cyc.at(0), cyc.at(10)]).toEqual([0.1, 0]);
    expectClose(cyc.at(11), 0.1 * (1 - 11 / 20));
  });

  it('cosineDecay without warm-up, and with Keras 3 warm-up', () => {
    for (const alpha of [0, 0.1]) {
      const s = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 40, alpha });
      for (const t of STEPS) expectClose(s.at(t), ref.cosine(t, 0.1, 40, alpha, null, 0));
    }
    for (const w of [0, 1, 17]) {
      const s = schedules.cosineDecay({
        initialLearningRate: 0.001,
        decaySteps: 30,
        alpha: 0.05,
        warmupTarget: 0.1,
        warmupSteps: w,
      });
      for (const t of STEPS) expectClose(s.at(t), ref.cosine(t, 0.001, 30, 0.05, 0.1, w));
    }
    const plain = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
    expectClose(plain.at(50), 0.05);
    expect(plain.at(100)).toBeCloseTo(0, 15);
    const warm = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 1, warmupSteps: 10 });
    expect([warm.at(0), warm.at(5), warm.at(10)]).toEqual([0, 0.5, 1]);
    expectClose(warm.at(60), 0.5);
  });
});

describe('schedule argument errors', () => {
  it('name the schedule, the option, the value and what fits', () => {
    const e = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(pattern);
    };
    e(
      () => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
      /exponentialDecay: decaySteps must be a finite number > 0, received 0\. It is the number of steps/,
    );
    e(
      () => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0 }),
      /exponentialDecay: decayRate must be a finite number > 0, received 0/,
    );
    e(
      () => schedules.exponentialDecay({ initialLearningRate: -1, decaySteps: 10, decayRate: 0.9 }),
      /exponentialDecay: initialLearningRate must be a finite number >= 0, received -1/,
    );
    e(
      () =>
        schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: 1 as never }),
      /exponentialDecay: staircase must be true or false, received 1/,
    );
    e(
      () => schedules.exponentialDecay(undefined as never),
      /exponentialDecay: expected an options object such as \{ initialLearningRate/,
    );
    e(
      () => schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: -5, decayRate: 0.5 }),
      /inverseTimeDecay: decaySteps must be a finite number > 0, received -5/,
    );
    e(
      () => schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: -0.5 }),
      /inverseTimeDecay: decayRate must be a finite number > 0, received -0.5/,
    );
    e(
      () => schedules.powerDecay({ initialLearningRate: 0.1, decaySteps: NaN }),
      /powerDecay: decaySteps must be a finite number > 0, received NaN/,
    );
    e(
      () => schedules.powerDecay({ initialLearningRate: 0.1, decaySteps: 5, power: 0 }),
      /powerDecay: power must be a finite number > 0, received 0/,
    );
    e(
      () => schedules.piecewiseConstantDecay({ boundaries: [5, 5], values: [1, 2, 3] }),
      /piecewiseConstantDecay: boundaries must be strictly increasing, received 5 then 5 at index 1/,
    );
    e(
      () => schedules.piecewiseConstantDecay({ boundaries: [5, 10], values: [1, 2] }),
      new RegExp(
        'piecewiseConstantDecay: values must have one more entry than boundaries \\(2 boundaries need 3 values\\), ' +
          'received 2',
      ),
    );
    e(
      () => schedules.piecewiseConstantDecay({ boundaries: [5], values: [1, -2] }),
      new RegExp(
        'piecewiseConstantDecay: values must be an array of finite learning rates >= 0, received an array of ' +
          'length 2 \\[1, -2\\]',
      ),
    );
    e(
      () => schedules.piecewiseConstantDecay({ boundaries: 'x' as never, values: [1] }),
      /piecewiseConstantDecay: boundaries must be an array of finite step numbers, received "x"/,
    );
    e(
      () => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 0 }),
      /polynomialDecay: decaySteps must be a finite number > 0, received 0/,
    );
    e(
      () => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: -1 }),
      /polynomialDecay: endLearningRate must be a finite number >= 0, received -1/,
    );
    e(
      () => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: -1 }),
      /polynomialDecay: power must be a finite number > 0, received -1/,
    );
    e(
      () => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: 'yes' as never }),
      /polynomialDecay: cycle must be true or false, received "yes"/,
    );
    e(
      () => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 1.5 }),
      /cosineDecay: alpha must be a number in \[0, 1\].*received 1.5/,
    );
    e(
      () => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: 5 }),
      /cosineDecay: warmupSteps is 5 but warmupTarget is not set; pass warmupTarget/,
    );
    e(
      () => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: -1, warmupSteps: 5 }),
      /cosineDecay: warmupTarget must be a finite number >= 0, received -1/,
    );
    e(
      () => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: -5 }),
      /cosineDecay: warmupSteps must be a finite number >= 0, received -5/,
    );
  });
});

describe('the optimizer and its rate', () => {
  it('learningRate reads the schedule at iterations; setting it replaces the schedule with a constant', () => {
    const schedule = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const opt = optimizers.sgd({ learningRate: schedule });
    expect(opt.learningRateSchedule).toBe(schedule);
    expect(opt.learningRate).toBe(0.1);
    opt.prepareStep();
    opt.finishStep();
    opt.prepareStep();
    opt.finishStep();
    expect(opt.iterations).toBe(2);
    expect(opt.learningRate).toBe(0.025);
    opt.learningRate = 0.3;
    expect(opt.learningRateSchedule).toBeNull();
    opt.finishStep();
    expect(opt.learningRate).toBe(0.3);
    expect(() => (opt.learningRate = -1)).toThrow(/learningRate: expected a finite number >= 0, received -1/);
  });

  it('legacy decay: η / (1 + decay·t); a set rate keeps decaying from the value set', () => {
    const opt = optimizers.sgd({ learningRate: 0.1, decay: 0.5 });
    expect(opt.getConfig()).toEqual({ learningRate: 0.1, decay: 0.5 });
    for (let i = 0; i < 4; i++) opt.finishStep();
    expectClose(opt.learningRate, 0.1 / 3);
    expect(opt.getConfig()).toEqual({ learningRate: 0.1, decay: 0.5 });
    opt.learningRate = 0.01;
    expectClose(opt.learningRate, 0.01);
    opt.finishStep();
    expectClose(opt.learningRate, (0.01 * 3) / 3.5);
    expect(() => optimizers.sgd({ decay: -1 })).toThrow(
      /decay: expected a finite number >= 0 \(η \/ \(1 \+ decay·step\)\), received -1/,
    );
  });

  it('a user function of the step is a schedule', () => {
    const opt = optimizers.sgd({ learningRate: (step) => 1 / (step + 1) });
    expect(opt.learningRateSchedule?.className).toBe('FunctionSchedule');
    opt.finishStep();
    expect(opt.learningRate).toBe(0.5);
  });
});

beforeEach(() => clearSession());

describe('SGD driven by a schedule, through fit', () => {
  const STEPS_RUN = 6;
  const cases: [string, () => optimizers.LearningRate, (t: number) => number, number][] = [
    [
      'exponentialDecay staircase',
      () => schedules.exponentialDecay({ initialLearningRate: 0.5, decaySteps: 2, decayRate: 0.3, staircase: true }),
      (t) => ref.exponential(t, 0.5, 2, 0.3, true),
      0,
    ],
    [
      'piecewiseConstantDecay',
      () => schedules.piecewiseConstantDecay({ boundaries: [1, 3], values: [1, 0.2, 0.05] }),
      (t) => (t <= 1 ? 1 : t <= 3 ? 0.2 : 0.05),
      0,
    ],
    [
      'cosineDecay with warm-up',
      () => schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 3, warmupTarget: 0.8, warmupSteps: 2 }),
      (t) => ref.cosine(t, 0, 3, 0, 0.8, 2),
      0,
    ],
    ['a function of the step', () => (t: number) => 0.3 * (t % 2 === 0 ? 1 : 2), (t) => 0.3 * (t % 2 === 0 ? 1 : 2), 0],
    ['legacy decay', () => 0.5, (t) => 0.5 / (1 + 0.7 * t), 0.7],
  ];
  for (const [name, make, rateAt, decay] of cases) {
    it(`${name}: the weights equal float64 SGD with the same rates`, async () => {
      const { k0, b0, k, b, history, optimizer } = await trainLinear(make(), STEPS_RUN, { decay });
      const rates = Array.from({ length: STEPS_RUN }, (_, t) => rateAt(t));
      const want = referenceSgd(k0, b0, rates);
      for (let i = 0; i < k.length; i++) expect(k[i]).toBeCloseTo(want.kernel[i], 5);
      for (let i = 0; i < b.length; i++) expect(b[i]).toBeCloseTo(want.bias[i], 5);
      expect(optimizer.iterations).toBe(STEPS_RUN);
      // One step per epoch: the logged rate is the one the next step uses.
      for (const [epoch, lr] of history.history.learningRate.entries()) expect(lr).toBeCloseTo(rateAt(epoch + 1), 12);
    });
  }

  it('a constant rate matches too (the reference is sound)', async () => {
    const { k0, b0, k } = await trainLinear(0.4, 3);
    const want = referenceSgd(k0, b0, [0.4, 0.4, 0.4]);
    for (let i = 0; i < k.length; i++) expect(k[i]).toBeCloseTo(want.kernel[i], 5);
  });

  it('a schedule giving a bad rate stops fit with an error naming the step, epoch and value', async () => {
    await expect(trainLinear((t) => (t < 2 ? 0.1 : NaN), 5)).rejects.toThrow(
      new RegExp(
        'learningRate: the schedule \\(FunctionSchedule\\) gave NaN at step 2 \\(epoch 3\\); a learning rate must be ' +
          'a ' +
          'finite number >= 0',
      ),
    );
    await expect(trainLinear((t) => 0.1 - t * 0.1, 5)).rejects.toThrow(/gave -0.1 at step 2 \(epoch 3\)/);
    await expect(trainLinear((() => 'fast') as never, 5)).rejects.toThrow(/gave "fast" at step 0 \(epoch 1\)/);
  });
});
