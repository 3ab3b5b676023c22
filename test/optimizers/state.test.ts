// The optimizer-state contract (getWeights / setWeights / slotNames / getConfig, optimizerFromConfig):
// round trips, resuming training bit for bit in a fresh model and optimizer, slots shared by every
// batch size's program, and the errors for a state that does not fit.
import { describe, expect, it } from 'vitest';
import { ShapeError, StateError, ValueError } from '../../src/errors.js';
import { layers, optimizers, sequential, Tensor, type Sequential } from '../../src/index.js';
import { optimizerFromConfig, type Optimizer } from '../../src/optimizers/index.js';
import { CLASSES, FEATURES, SAMPLES, linearData } from '../helpers/linear-softmax.js';

const { x, y } = linearData();
const X = new Tensor(x, [SAMPLES, FEATURES]);
const Y = new Tensor(y, [SAMPLES]);

function model(seed: number): Sequential {
  return sequential(
    [
      layers.dense({ units: 5, activation: 'tanh', inputShape: [FEATURES] }),
      layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
    { seed },
  );
}

async function fit(m: Sequential, steps: number, batchSize = SAMPLES) {
  await m.fit(X, Y, { epochs: steps, batchSize, shuffle: false, verbose: 0 });
}

const FACTORIES: [string, () => Optimizer, string[]][] = [
  ['sgd', () => optimizers.sgd({ learningRate: 0.1 }), []],
  [
    'sgd momentum nesterov, clipNorm',
    () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipNorm: 0.5 }),
    ['momentum'],
  ],
  ['adagrad', () => optimizers.adagrad({ learningRate: 0.1 }), ['accumulator']],
  [
    'rmsprop centered momentum, globalClipNorm',
    () => optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5, globalClipNorm: 1 }),
    ['velocity', 'averageGradient', 'momentum'],
  ],
  [
    'adam amsgrad with a schedule',
    () =>
      optimizers.adam({
        learningRate: optimizers.schedules.exponentialDecay({
          initialLearningRate: 0.05,
          decaySteps: 2,
          decayRate: 0.7,
        }),
        amsgrad: true,
      }),
    ['m', 'v', 'vHat'],
  ],
  ['adamw clipValue', () => optimizers.adamw({ learningRate: 0.05, clipValue: 0.05 }), ['m', 'v']],
  ['adamax', () => optimizers.adamax({ learningRate: 0.05 }), ['m', 'u']],
  ['nadam', () => optimizers.nadam({ learningRate: 0.05 }), ['m', 'v']],
  ['adadelta', () => optimizers.adadelta({ learningRate: 1 }), ['accumulatedGrad', 'accumulatedDelta']],
];

const bits = (ts: Tensor[]) => ts.map((t) => Array.from(new Uint32Array((t.data as Float32Array).slice().buffer)));

describe('optimizer state', () => {
  for (const [name, make, slots] of FACTORIES) {
    it(`${name}: names, round trip, and resuming in a fresh model + optimizer is bitwise identical`, async () => {
      const a = model(1);
      const opt = make();
      expect(opt.getWeights().map((w) => Array.from(w.data))).toEqual([[0]]);
      expect(opt.slotNames()).toEqual(['iterations']);
      a.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
      await fit(a, 3);

      const names = a.layers.flatMap((l) => l.trainableWeights.map((v) => v.name));
      expect(opt.slotNames()).toEqual(['iterations', ...names.flatMap((n) => slots.map((s) => `${n}/${s}`))]);
      const state = opt.getWeights();
      expect(state.length).toBe(1 + names.length * slots.length);
      expect(Array.from(state[0].data)).toEqual([3]);
      expect(state[0].shape).toEqual([1]);

      // Round trip on the same optimizer changes nothing.
      opt.setWeights(state);
      expect(bits(opt.getWeights())).toEqual(bits(state));

      // A fresh model (other seed) and a fresh optimizer rebuilt from the config, given A's weights
      // and optimizer state before its first fit (the state waits for the slots to exist)…
      const b = model(99);
      // (getConfig holds a schedule's current value only, so a scheduled optimizer is rebuilt by hand.)
      const rebuild = () => (opt.learningRateSchedule ? make() : optimizerFromConfig(opt.className, opt.getConfig()));
      const fresh = rebuild();
      expect(fresh.className).toBe(opt.className);
      b.setWeights(a.getWeights());
      fresh.setWeights(state);
      expect(fresh.iterations).toBe(3);
      b.compile({ optimizer: fresh, loss: 'sparseCategoricalCrossentropy' });
      // …and a third copy whose slots exist already (trained one step, then overwritten).
      const c = model(7);
      const third = rebuild();
      c.compile({ optimizer: third, loss: 'sparseCategoricalCrossentropy' });
      await fit(c, 1);
      c.setWeights(a.getWeights());
      third.setWeights(state);

      await fit(a, 2);
      await fit(b, 2);
      await fit(c, 2);
      expect(bits(b.getWeights())).toEqual(bits(a.getWeights()));
      expect(bits(c.getWeights())).toEqual(bits(a.getWeights()));
      expect(bits(fresh.getWeights())).toEqual(bits(opt.getWeights()));
      expect(opt.iterations).toBe(5);
    });
  }

  it('every batch size program shares one set of slots (batches of 5 and 3)', async () => {
    const m = model(1);
    const opt = optimizers.adam({ learningRate: 0.01 });
    m.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
    await fit(m, 2, 5);
    expect(opt.getWeights().length).toBe(1 + 4 * 2);
    expect(opt.iterations).toBe(4);
    // (keras-reference.test.ts checks the values of such a run against Keras's formulas.)
    const v = opt.getWeights()[2].data as Float32Array;
    expect(Array.from(v).every((e) => e > 0)).toBe(true);
  });

  it('setWeights refuses a state that does not fit, naming the slot and both shapes, and changes nothing', async () => {
    const m = model(1);
    const opt = optimizers.adam({ learningRate: 0.01 });
    m.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
    await fit(m, 2);
    const state = opt.getWeights();
    const before = bits(state);
    const kernelName = m.layers[0].trainableWeights[0].name;
    const swapped = [...state];
    swapped[1] = new Tensor(new Float32Array(FEATURES * 5), [5, FEATURES]);
    swapped[0] = new Tensor(Float32Array.of(9), [1]);
    expect(() => opt.setWeights(swapped)).toThrow(ShapeError);
    expect(() => opt.setWeights(swapped)).toThrow(
      `Adam.setWeights: slot ${kernelName}/m has shape [${FEATURES}, 5], received float32 [5, ${FEATURES}]. The ` +
        `state must come from the same optimizer on the same model.`,
    );
    expect(() => opt.setWeights(state.slice(0, 3))).toThrow(ValueError);
    expect(() => opt.setWeights(state.slice(0, 3))).toThrow(
      new RegExp(
        '^Adam\\.setWeights: expected 9 weights \\(iterations and .*\\/kernel\\/m, .*\\), received 3\\. The state ' +
          'must ' +
          'come from the same optimizer on the same model\\.$',
      ),
    );
    expect(bits(opt.getWeights())).toEqual(before);
    expect(opt.iterations).toBe(2);
    // an SGD state (no slots) for Adam
    expect(() => opt.setWeights([state[0]])).toThrow('Adam.setWeights: expected 9 weights');
  });

  it("the model's dispose() releases the slots", async () => {
    const m = model(1);
    const opt = optimizers.adam();
    m.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
    await fit(m, 1);
    expect(opt.getWeights().length).toBe(9);
    m.dispose();
    expect(opt.slotNames()).toEqual(['iterations']);
    expect(opt.getWeights().length).toBe(1);
  });

  it('setWeights refuses what is not a state', () => {
    const opt = optimizers.sgd();
    expect(() => opt.setWeights([] as never)).toThrow(
      'SGD.setWeights: expected an array of Tensors [iterations, ...slots] as getWeights() returns, received',
    );
    expect(() => opt.setWeights('state' as never)).toThrow(ValueError);
    expect(() => opt.setWeights([new Tensor(Float32Array.of(1.5), [1])])).toThrow(
      'SGD.setWeights: the first weight must be the step count (a [1] tensor holding an integer >= 0), received a ' +
        '[1] tensor starting with 1.5.',
    );
    expect(() => opt.setWeights([new Tensor(Float32Array.of(-1), [1])])).toThrow(ValueError);
    expect(() => opt.setWeights([new Tensor(Float32Array.of(1, 2), [2])])).toThrow('received a [2] tensor');
  });

  it('a state given before the first fit that does not match the model fails fit clearly', async () => {
    const m = model(1);
    const opt = optimizers.adam();
    opt.setWeights([new Tensor(Float32Array.of(4), [1]), new Tensor(new Float32Array(6), [2, 3])]);
    expect(opt.iterations).toBe(4);
    m.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
    await expect(fit(m, 1)).rejects.toThrow(StateError);
    const again = optimizers.adam();
    again.setWeights([new Tensor(Float32Array.of(4), [1]), new Tensor(new Float32Array(6), [2, 3])]);
    const m2 = model(1);
    m2.compile({ optimizer: again, loss: 'sparseCategoricalCrossentropy' });
    await expect(fit(m2, 1)).rejects.toThrow(
      new RegExp(
        '^Adam\\.setWeights: expected 9 weights .*received 2\\. The state must come from the same optimizer on the ' +
          'same model\\. \\(the state was given to setWeights before training and is applied when fit first ' +
          'compiles\\)\\.$',
      ),
    );
  });

  it('optimizerFromConfig rebuilds every optimizer and refuses unknown classes', () => {
    const opt = optimizers.rmsprop({ learningRate: 0.02, rho: 0.8, centered: true, clipNorm: 2, weightDecay: 0.01 });
    expect(opt.getConfig()).toEqual({
      learningRate: 0.02,
      rho: 0.8,
      momentum: 0,
      epsilon: 1e-7,
      centered: true,
      clipNorm: 2,
      weightDecay: 0.01,
    });
    expect(optimizers.adamw().getConfig()).toEqual({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: 0.004,
    });
    expect(optimizers.sgd({ momentum: 0.9 }).getConfig()).toEqual({
      learningRate: 0.01,
      momentum: 0.9,
      nesterov: false,
    });
    for (const [, make] of FACTORIES) {
      const o = make();
      const copy = optimizerFromConfig(o.className, o.getConfig());
      expect(copy.constructor).toBe(o.constructor);
      expect(copy.getConfig()).toEqual(o.getConfig());
    }
    expect(() => optimizerFromConfig('Ftrl', {})).toThrow(
      'optimizerFromConfig: unknown optimizer class "Ftrl"; known: SGD, Adam, AdamW, Adagrad, RMSprop, Adamax, ' +
        'Nadam, Adadelta, Lion.',
    );
  });

  it('compile accepts every optimizer by name with Keras defaults', () => {
    const expected: Record<string, string> = {
      sgd: 'SGD',
      adam: 'Adam',
      adamw: 'AdamW',
      adagrad: 'Adagrad',
      rmsprop: 'RMSprop',
      adamax: 'Adamax',
      nadam: 'Nadam',
      adadelta: 'Adadelta',
      lion: 'Lion',
    };
    for (const [id, className] of Object.entries(expected)) {
      const m = model(1);
      m.compile({ optimizer: id as 'sgd', loss: 'sparseCategoricalCrossentropy' });
      expect(m.optimizer!.className).toBe(className);
    }
    const m = model(1);
    m.compile({ optimizer: 'Adam' as 'adam', loss: 'sparseCategoricalCrossentropy' });
    expect(m.optimizer!.learningRate).toBeCloseTo(0.001, 12);
  });
});
