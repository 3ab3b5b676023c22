// Every optimizer argument check: the error type and the whole message.
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { optimizers } from '../../src/index.js';

type Factory = (args: Record<string, unknown>) => unknown;
const ALL: [string, Factory][] = [
  ['sgd', (a) => optimizers.sgd(a)],
  ['adam', (a) => optimizers.adam(a)],
  ['adamw', (a) => optimizers.adamw(a)],
  ['adagrad', (a) => optimizers.adagrad(a)],
  ['rmsprop', (a) => optimizers.rmsprop(a)],
  ['adamax', (a) => optimizers.adamax(a)],
  ['nadam', (a) => optimizers.nadam(a)],
  ['adadelta', (a) => optimizers.adadelta(a)],
  ['lion', (a) => optimizers.lion(a)],
];

function throws(f: () => unknown, message: string) {
  expect(f).toThrow(ValueError);
  expect(f).toThrow(message);
  try {
    f();
  } catch (e) {
    expect((e as Error).message).toBe(message);
  }
}

describe('optimizer validation', () => {
  it('defaults construct (Keras defaults)', () => {
    expect(optimizers.sgd().learningRate).toBe(0.01);
    for (const [name, make] of ALL) {
      const o = make({}) as { learningRate: number; weightDecay: number };
      expect(o.learningRate, name).toBe(name === 'sgd' ? 0.01 : 0.001);
      expect(o.weightDecay, name).toBe(name === 'adamw' ? 0.004 : 0);
    }
    const adam = optimizers.adam();
    expect([adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad]).toEqual([0.9, 0.999, 1e-7, false]);
    const rms = optimizers.rmsprop();
    expect([rms.rho, rms.momentum, rms.epsilon, rms.centered]).toEqual([0.9, 0, 1e-7, false]);
    const ada = optimizers.adagrad();
    expect([ada.initialAccumulatorValue, ada.epsilon]).toEqual([0.1, 1e-7]);
    const delta = optimizers.adadelta();
    expect([delta.rho, delta.epsilon]).toEqual([0.95, 1e-7]);
  });

  it('options must be an object', () => {
    for (const [name, make] of ALL) {
      expect(() => make(3 as never), name).toThrow(ValueError);
      expect(() => make(null as never), name).toThrow(
        new RegExp(`^${name}: expected an options object such as \\{ .* \\}, received null\\.$`),
      );
    }
  });

  it('learning rates must be finite and >= 0; the legacy decay too', () => {
    for (const [name, make] of ALL) {
      for (const bad of [-0.1, Number.NaN, Infinity])
        expect(() => make({ learningRate: bad }), name).toThrow(ValueError);
      throws(() => make({ learningRate: -1 }), 'learningRate: expected a finite number >= 0, received -1.');
      throws(() => make({ decay: -1 }), 'decay: expected a finite number >= 0 (η / (1 + decay·step)), received -1.');
    }
  });

  it('momentum, betas and rho must lie in [0, 1)', () => {
    for (const bad of [1, -0.1, 1.5, Number.NaN, '0.9']) {
      expect(() => optimizers.sgd({ momentum: bad as number })).toThrow(ValueError);
      expect(() => optimizers.rmsprop({ momentum: bad as number })).toThrow(ValueError);
      expect(() => optimizers.rmsprop({ rho: bad as number })).toThrow(ValueError);
      expect(() => optimizers.adadelta({ rho: bad as number })).toThrow(ValueError);
      for (const make of [optimizers.adam, optimizers.adamw, optimizers.adamax, optimizers.nadam]) {
        expect(() => make({ beta1: bad as number })).toThrow(ValueError);
        expect(() => make({ beta2: bad as number })).toThrow(ValueError);
      }
    }
    throws(() => optimizers.sgd({ momentum: 1 }), 'sgd: momentum must be a number in [0, 1), received 1.');
    throws(
      () => optimizers.rmsprop({ momentum: -0.5 }),
      'rmsprop: momentum must be a number in [0, 1), received -0.5.',
    );
    throws(() => optimizers.rmsprop({ rho: 1 }), 'rmsprop: rho must be a number in [0, 1), received 1.');
    throws(() => optimizers.adadelta({ rho: 2 }), 'adadelta: rho must be a number in [0, 1), received 2.');
    throws(() => optimizers.adam({ beta1: 1 }), 'adam: beta1 must be a number in [0, 1), received 1.');
    throws(() => optimizers.adamw({ beta2: -0.1 }), 'adamw: beta2 must be a number in [0, 1), received -0.1.');
    throws(() => optimizers.adamax({ beta2: 1 }), 'adamax: beta2 must be a number in [0, 1), received 1.');
    throws(() => optimizers.nadam({ beta1: Number.NaN }), 'nadam: beta1 must be a number in [0, 1), received NaN.');
    // 0 is allowed (no momentum / no averaging)
    expect(optimizers.sgd({ momentum: 0 }).momentum).toBe(0);
    expect(optimizers.adam({ beta1: 0 }).beta1).toBe(0);
  });

  it('epsilon must be a finite number > 0', () => {
    // sgd and lion have no ε (lion refuses it as an unknown option: lion.test.ts)
    for (const [name, make] of ALL.filter(([n]) => n !== 'sgd' && n !== 'lion')) {
      for (const bad of [0, -1e-7, Number.NaN, Infinity])
        expect(() => make({ epsilon: bad }), name).toThrow(ValueError);
      throws(() => make({ epsilon: 0 }), `${name}: epsilon must be a finite number > 0, received 0.`);
    }
  });

  it('clip thresholds must be finite numbers > 0, and one kind at a time', () => {
    for (const [name, make] of ALL) {
      for (const key of ['clipNorm', 'globalClipNorm', 'clipValue']) {
        for (const bad of [0, -1, Number.NaN, Infinity, '1'])
          expect(() => make({ [key]: bad }), `${name} ${key}`).toThrow(ValueError);
        throws(
          () => make({ [key]: 0 }),
          `${name}: ${key} must be a finite number > 0, received 0. Leave it out to turn clipping off.`,
        );
      }
      throws(
        () => make({ clipNorm: 1, globalClipNorm: 2 }),
        `${name}: only one of clipNorm, globalClipNorm and clipValue can be set, received clipNorm=1, ` +
          `globalClipNorm=2. Keep the one you mean.`,
      );
      throws(
        () => make({ clipNorm: 1, clipValue: 0.5 }),
        `${name}: only one of clipNorm, globalClipNorm and clipValue can be set, received clipNorm=1, clipValue=0.5. ` +
          `Keep the one you mean.`,
      );
      expect(() => make({ clipNorm: undefined, globalClipNorm: 1 })).not.toThrow();
    }
  });

  it('weightDecay must be a finite number >= 0', () => {
    for (const [name, make] of ALL) {
      for (const bad of [-0.01, Number.NaN, Infinity])
        expect(() => make({ weightDecay: bad }), name).toThrow(ValueError);
      throws(() => make({ weightDecay: -0.01 }), `${name}: weightDecay must be a finite number >= 0, received -0.01.`);
    }
    expect(optimizers.adamw({ weightDecay: 0 }).weightDecay).toBe(0);
  });

  it('flags must be booleans, the initial accumulator >= 0', () => {
    throws(
      () => optimizers.sgd({ momentum: 0.9, nesterov: 1 as never }),
      'sgd: nesterov must be true or false, received 1.',
    );
    throws(() => optimizers.adam({ amsgrad: 'yes' as never }), 'adam: amsgrad must be true or false, received "yes".');
    throws(() => optimizers.rmsprop({ centered: 1 as never }), 'rmsprop: centered must be true or false, received 1.');
    throws(
      () => optimizers.adagrad({ initialAccumulatorValue: -1 }),
      'adagrad: initialAccumulatorValue must be a finite number >= 0, received -1.',
    );
  });
});
