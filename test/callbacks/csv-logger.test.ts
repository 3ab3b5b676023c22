import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, layers, optimizers, sequential } from '../../src/index.js';
import { Callback } from '../../src/callbacks/callback.js';
import { ValueError } from '../../src/errors.js';
import { blobs } from '../helpers/data.js';

let dir = '';
beforeEach(() => {
  clearSession();
  dir = mkdtempSync(join(tmpdir(), 'simdnet-csv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function train(logger: Callback, epochs = 3, validation = true, extra: Callback[] = []) {
  const { x, y } = blobs(32, 5, 3, 4);
  const model = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [5] })], { seed: 9 });
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model.fit(x, y, {
    epochs,
    batchSize: 8,
    verbose: 0,
    validationData: validation ? [x, y] : undefined,
    callbacks: [logger, ...extra],
  });
}

const KEYS = ['accuracy', 'learningRate', 'loss', 'valAccuracy', 'valLoss'];

function rowsOf(history: Awaited<ReturnType<typeof train>>, keys = KEYS, sep = ',') {
  return history.epoch.map((e, i) => [String(e), ...keys.map((k) => String(history.history[k][i]))].join(sep));
}

describe('csvLogger', () => {
  it('writes a header (epoch, then the log keys sorted) and one row per epoch with the exact values', async () => {
    const filename = join(dir, 'log.csv');
    const history = await train(callbacks.csvLogger({ filename }));
    expect(readFileSync(filename, 'utf8')).toBe([`epoch,${KEYS.join(',')}`, ...rowsOf(history), ''].join('\n'));
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['log.csv']);
  });

  it('each epoch’s row is on disk when the epoch ends', async () => {
    const filename = join(dir, 'log.csv');
    const seen: number[] = [];
    class Peek extends Callback {
      override onEpochEnd(): void {
        seen.push(readFileSync(filename, 'utf8').trim().split('\n').length);
      }
    }
    await train(callbacks.csvLogger({ filename }), 3, false, [new Peek()]);
    expect(seen).toEqual([2, 3, 4]);
  });

  it('replaces an earlier file without append, and appends rows under its header with append', async () => {
    const filename = join(dir, 'log.csv');
    writeFileSync(filename, 'old,content\n1,2\n');
    const first = await train(callbacks.csvLogger({ filename }), 2);
    const second = await train(callbacks.csvLogger({ filename, append: true }), 2);
    expect(readFileSync(filename, 'utf8')).toBe(
      [`epoch,${KEYS.join(',')}`, ...rowsOf(first), ...rowsOf(second), ''].join('\n'),
    );
  });

  it('append to a missing or empty file writes the header first; missing figures are NA', async () => {
    const filename = join(dir, 'new.csv');
    const history = await train(callbacks.csvLogger({ filename, append: true }), 1);
    const noValidation = await train(callbacks.csvLogger({ filename, append: true }), 1, false);
    const lines = readFileSync(filename, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      `epoch,${KEYS.join(',')}`,
      ...rowsOf(history),
      `0,${noValidation.history.accuracy[0]},0.1,${noValidation.history.loss[0]},NA,NA`,
    ]);
  });

  it('uses the separator, quoting cells that contain it', async () => {
    const filename = join(dir, 'log.tsv');
    const history = await train(callbacks.csvLogger({ filename, separator: '\t' }), 2);
    expect(readFileSync(filename, 'utf8')).toBe(
      [`epoch\t${KEYS.join('\t')}`, ...rowsOf(history, KEYS, '\t'), ''].join('\n'),
    );
    const dotted = join(dir, 'dots.csv');
    const h = await train(callbacks.csvLogger({ filename: dotted, separator: '.' }), 1, false);
    const [header, row] = readFileSync(dotted, 'utf8').trim().split('\n');
    expect(header).toBe('epoch.accuracy.learningRate.loss');
    expect(row).toBe(`0."${h.history.accuracy[0]}"."0.1"."${h.history.loss[0]}"`);
  });

  it('appending logs with figures the file has no column for is an error', async () => {
    const filename = join(dir, 'log.csv');
    await train(callbacks.csvLogger({ filename }), 1, false);
    await expect(train(callbacks.csvLogger({ filename, append: true }), 1, true)).rejects.toThrow(
      new RegExp(
        'csvLogger: .*log\\.csv has the columns epoch, accuracy, learningRate, loss, which lack valLoss, ' +
          "valAccuracy of this run's logs; log to another file or pass append: false\\.",
      ),
    );
    // The rows already written are intact.
    expect(readFileSync(filename, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('checks its options', () => {
    const e = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(pattern);
    };
    e(
      () => callbacks.csvLogger(undefined as never),
      /csvLogger: expected \{ filename: 'training.csv' \}, received undefined/,
    );
    e(() => callbacks.csvLogger({ filename: '' }), /csvLogger: filename must be a non-empty path string, received ""/);
    e(
      () => callbacks.csvLogger({ filename: 'a.csv', separator: ';;' }),
      new RegExp(
        "csvLogger: separator must be one character other than a quote or a line break, such as ',' or ';', " +
          'received ";;"',
      ),
    );
    e(
      () => callbacks.csvLogger({ filename: 'a.csv', separator: '"' }),
      /separator must be one character other than a quote/,
    );
    e(
      () => callbacks.csvLogger({ filename: 'a.csv', append: 1 as never }),
      /csvLogger: append must be true or false, received 1/,
    );
  });
});
