// The order in which fit calls user callback hooks, as Keras does: onTrainBegin, then per epoch
// onEpochBegin, onBatchBegin/onBatchEnd for every step (the last step taking the remainder),
// onEpochEnd (with the validation figures and the learning rate of the next step), and onTrainEnd;
// several callbacks in the order given, a hook's promise awaited before the next hook; and
// model.stopTraining set in onBatchEnd ending training after that batch (onEpochEnd and onTrainEnd
// still run, as in Keras).

import { describe, expect, it } from 'vitest';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { layers, optimizers, sequential, Tensor, type Sequential } from '../../src/index.js';

const SAMPLES = 10;
const BATCH = 4; // steps of 4, 4 and 2
const x = new Tensor(
  Float32Array.from({ length: SAMPLES * 3 }, (_, i) => Math.cos(i * 1.3)),
  [SAMPLES, 3],
);
const y = new Tensor(
  Int32Array.from({ length: SAMPLES }, (_, i) => i % 2),
  [SAMPLES],
);
const vx = new Tensor(
  Float32Array.from({ length: 4 * 3 }, (_, i) => Math.sin(i)),
  [4, 3],
);
const vy = new Tensor(Int32Array.of(0, 1, 1, 0), [4]);
/** A rate that changes every step, so the epoch's logged rate tells which step it belongs to. */
const rateAt = (step: number) => 0.1 / (1 + step);

function model(): Sequential {
  const m = sequential(
    [
      layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
    { seed: 6 },
  );
  m.compile({ optimizer: optimizers.sgd({ learningRate: rateAt }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Writes every hook call into a shared log as `tag:hook[:index]`; can be asynchronous. */
class Recorder extends Callback {
  readonly epochLogs: Logs[] = [];
  readonly batchSizes: number[] = [];
  constructor(
    private readonly tag: string,
    private readonly log: string[],
    private readonly async = false,
  ) {
    super();
  }
  private note(entry: string): void | Promise<void> {
    if (!this.async) {
      this.log.push(`${this.tag}:${entry}`);
      return;
    }
    // resolved on a later turn of the event loop: fit must wait for it before the next hook
    return new Promise((resolve) => setTimeout(() => resolve(void this.log.push(`${this.tag}:${entry}`)), 1));
  }
  override onTrainBegin() {
    return this.note('trainBegin');
  }
  override onEpochBegin(epoch: number) {
    return this.note(`epochBegin:${epoch}`);
  }
  override onBatchBegin(batch: number, logs: Logs) {
    this.batchSizes.push(logs.size);
    return this.note(`batchBegin:${batch}`);
  }
  override onBatchEnd(batch: number) {
    return this.note(`batchEnd:${batch}`);
  }
  override onEpochEnd(epoch: number, logs: Logs) {
    this.epochLogs.push({ ...logs });
    return this.note(`epochEnd:${epoch}`);
  }
  override onTrainEnd() {
    return this.note('trainEnd');
  }
}

const epochOf = (epoch: number) => [
  `epochBegin:${epoch}`,
  'batchBegin:0',
  'batchEnd:0',
  'batchBegin:1',
  'batchEnd:1',
  'batchBegin:2',
  'batchEnd:2',
  `epochEnd:${epoch}`,
];

describe('callback hook order in fit', () => {
  it(
    'trainBegin → (epochBegin → (batchBegin → batchEnd) × steps → epochEnd) × epochs → trainEnd; ' +
      'epochEnd logs learningRate and valLoss',
    async () => {
      const log: string[] = [];
      const rec = new Recorder('a', log);
      const m = model();
      const valLosses: number[] = [];
      // evaluated by hand at each epoch end: what the epoch's valLoss must be
      class Validator extends Callback {
        override onEpochEnd(): void {
          valLosses.push(m.evaluate(vx, vy).loss);
        }
      }
      await m.fit(x, y, {
        epochs: 2,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
        validationData: [vx, vy],
        callbacks: [rec, new Validator()],
      });
      expect(log.map((e) => e.slice(2))).toEqual(['trainBegin', ...epochOf(0), ...epochOf(1), 'trainEnd']);
      expect(rec.batchSizes).toEqual([4, 4, 2, 4, 4, 2]);
      rec.epochLogs.forEach((l, i) => {
        // the rate of the next step: 3 steps per epoch
        expect(l.learningRate).toBeCloseTo(rateAt(3 * (i + 1)), 12);
        expect(l.valLoss).toBeCloseTo(valLosses[i], 6);
        expect(Object.keys(l)).toEqual(expect.arrayContaining(['loss', 'valLoss', 'learningRate']));
      });
      expect(valLosses[1]).not.toBeCloseTo(valLosses[0], 6);
      m.dispose();
    },
  );

  it(
    'several callbacks run in the order given at every hook, ' + 'and an asynchronous hook is awaited before the next',
    async () => {
      const log: string[] = [];
      const m = model();
      await m.fit(x, y, {
        epochs: 1,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
        callbacks: [new Recorder('a', log, true), new Recorder('b', log)],
      });
      const once = ['trainBegin', ...epochOf(0), 'trainEnd'];
      expect(log).toEqual(once.flatMap((e) => [`a:${e}`, `b:${e}`]));
      m.dispose();
    },
  );

  it(
    'model.stopTraining set in onBatchEnd ends training after that batch: epochEnd and trainEnd still run, no ' +
      'further step',
    async () => {
      const log: string[] = [];
      const m = model();
      class StopAfterSecondBatch extends Callback {
        override onBatchEnd(batch: number): void {
          if (batch === 1) this.model!.stopTraining = true;
        }
      }
      const history = await m.fit(x, y, {
        epochs: 3,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
        callbacks: [new StopAfterSecondBatch(), new Recorder('a', log)],
      });
      expect(log.map((e) => e.slice(2))).toEqual([
        'trainBegin',
        'epochBegin:0',
        'batchBegin:0',
        'batchEnd:0',
        'batchBegin:1',
        'batchEnd:1',
        'epochEnd:0',
        'trainEnd',
      ]);
      expect(history.epoch).toEqual([0]);
      expect(m.optimizer!.iterations).toBe(2);
      // the weights are those of exactly two steps: the same model trained on the first 8 samples
      const twoSteps = model();
      await twoSteps.fit(new Tensor(x.data.slice(0, 8 * 3), [8, 3]), new Tensor(y.data.slice(0, 8), [8]), {
        epochs: 1,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
      });
      expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(
        twoSteps.getWeights().map((w) => Array.from(w.data)),
      );
      // a later fit starts afresh: stopTraining is reset
      await m.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      expect(m.optimizer!.iterations).toBe(5);
      for (const model of [m, twoSteps]) model.dispose();
    },
  );

  it('a step whose asynchronous onBatchBegin set stopTraining still runs, then training ends', async () => {
    const log: string[] = [];
    const m = model();
    class StopAtSecondBegin extends Callback {
      override onBatchBegin(batch: number): Promise<void> | void {
        if (batch === 1)
          return new Promise((resolve) =>
            setTimeout(() => {
              this.model!.stopTraining = true;
              resolve();
            }, 1),
          );
      }
    }
    await m.fit(x, y, {
      epochs: 2,
      batchSize: BATCH,
      shuffle: false,
      verbose: 0,
      callbacks: [new StopAtSecondBegin(), new Recorder('a', log)],
    });
    expect(log.map((e) => e.slice(2))).toEqual([
      'trainBegin',
      'epochBegin:0',
      'batchBegin:0',
      'batchEnd:0',
      'batchBegin:1',
      'batchEnd:1',
      'epochEnd:0',
      'trainEnd',
    ]);
    expect(m.optimizer!.iterations).toBe(2);
    m.dispose();
  });

  it('lets the event loop run during a long epoch (a timer set before fit fires before fit ends)', async () => {
    const m = model();
    const samples = 600;
    const xs = new Tensor(
      Float32Array.from({ length: samples * 3 }, (_, i) => Math.cos(i)),
      [samples, 3],
    );
    const ys = new Tensor(
      Int32Array.from({ length: samples }, (_, i) => i % 2),
      [samples],
    );
    // 300 steps of at least 1 ms each: fit must hand the event loop a turn every ~100 ms.
    const busy = {
      onBatchEnd: () => {
        const until = performance.now() + 1;
        while (performance.now() < until);
      },
    };
    let turns = 0;
    let fitting = true;
    const tick = () => {
      if (!fitting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await m.fit(xs, ys, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0, callbacks: busy });
    fitting = false;
    // ≥ 300 ms of steps: turns at ~100 ms and ~200 ms, and the one after the epoch.
    expect(turns).toBeGreaterThanOrEqual(3);
    m.dispose();
  });
});
