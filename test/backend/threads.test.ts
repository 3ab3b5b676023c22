// Threads in Node: the same weights whatever the thread count, a process that exits by itself, a
// worker that dies mid-training, and the threads setting's errors.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  callbacks,
  configureBackend,
  getBackend,
  layers,
  optimizers,
  ready,
  sequential,
  tensor,
  ValueError,
  WorkerError,
} from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { testing } from '../../src/backend/wasm/testing.js';

/** 640 samples of 784 features in [0, 1) and 10 classes, from integer arithmetic only. */
function referenceData(samples = 640) {
  const x = new Float32Array(samples * 784);
  let state = 7;
  for (let i = 0; i < x.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    x[i] = (state >>> 8) / 16777216;
  }
  const y = new Int32Array(samples).map((_, i) => (i * 7 + (i >> 3)) % 10);
  return { x: tensor(x, [samples, 784]), y };
}

/**
 * The reference MLP (with dropout, to cover the random kernels) trained for `steps` steps of batch 32.
 * `alternate`: steps take turns on the team and on the main thread alone (the workers told to rest).
 */
async function trainReference(
  threads: number,
  epochs = 10,
  alternate = false,
  optimizer: () => optimizers.Optimizer = () => optimizers.adam({ learningRate: 0.001 }),
) {
  configureBackend({ threads });
  const backend = (await ready()) as WasmBackend;
  // Every step on the team: the backend would otherwise pick the faster of team and main thread.
  testing.runOnTeam(backend);
  const turns = new (class extends callbacks.Callback {
    override onBatchEnd(batch: number) {
      if (batch % 2 === 1) testing.runOnTeam(backend);
      else testing.runAlone(backend);
    }
  })();
  const { x, y } = referenceData();
  const model = sequential(
    [
      layers.dense({ units: 300, activation: 'relu', inputShape: [784] }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 100, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 11 },
  );
  model.compile({ optimizer: optimizer(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs, batchSize: 32, verbose: 0, callbacks: alternate ? [turns] : [] });
  testing.runAsChosen(backend);
  return { backend, history: history.history, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
}

afterAll(() => configureBackend({ threads: 1 }));

describe('determinism', () => {
  it('trains the reference model for 200 steps to bitwise the same weights on 1 and 2 threads', async () => {
    const one = await trainReference(1);
    const two = await trainReference(2);
    expect(one.backend.activeThreads).toBe(1);
    expect(two.backend.activeThreads).toBe(2);
    expect(two.backend.teamRuns).toBeGreaterThanOrEqual(200);
    expect(two.history.loss).toEqual(one.history.loss);
    expect(two.history.loss[9]).toBeLessThan(two.history.loss[0]);
    expect(two.weights).toHaveLength(one.weights.length);
    two.weights.forEach((w, i) => {
      const differing = w.filter((v, j) => !Object.is(v, one.weights[i][j])).length;
      expect(differing, `weight ${i}: elements that differ`).toBe(0);
    });
  }, 120_000);

  it("gives bitwise the same weights with every optimizer state split by the first layer's columns (RMSprop centered " +
    'with momentum, Nesterov SGD)', async () => {
    // At batch 32 the first layer's 784×300 kernel is split by columns on 2 threads (lower/split.ts
    // ownsColumns), its optimizer state with it; RMSprop's optional buffers are the pointers that
    // may be 0.
    for (const optimizer of [
      () => optimizers.rmsprop({ learningRate: 0.001, centered: true, momentum: 0.5 }),
      () => optimizers.sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true }),
    ]) {
      const one = await trainReference(1, 2, false, optimizer);
      const two = await trainReference(2, 2, false, optimizer);
      expect(two.backend.teamRuns).toBeGreaterThanOrEqual(40);
      expect(two.history.loss).toEqual(one.history.loss);
      for (const [i, w] of two.weights.entries()) {
        expect(w.filter((v, j) => !Object.is(v, one.weights[i][j])).length, `weight ${i}`).toBe(0);
      }
    }
  }, 120_000);

  it('gives the same weights when steps take turns on the team and on the main thread alone', async () => {
    const one = await trainReference(1, 3);
    const mixed = await trainReference(2, 3, true);
    // 60 steps: batches 0, 2, …, 18 of each epoch on the team, the odd ones alone.
    expect(mixed.backend.teamRuns).toBe(30);
    expect(mixed.history.loss).toEqual(one.history.loss);
    for (const [i, w] of mixed.weights.entries()) {
      expect(w.filter((v, j) => !Object.is(v, one.weights[i][j])).length, `weight ${i}`).toBe(0);
    }
  }, 120_000);
});

describe('lifetime', () => {
  it('a process that trained on two threads exits by itself when its work is done', async () => {
    const script = fileURLToPath(new URL('./fixtures/train-and-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, SIMDNET_THREADS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after 60 s');
      }, 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 'killed');
      });
    });
    expect(code, err).toBe(0);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.threads).toBe(2);
    expect(result.loss).toHaveLength(2);
    expect(result.loss[1]).toBeLessThan(result.loss[0]);
  }, 90_000);
});

describe('a worker that dies', () => {
  for (const mode of ['exit', 'throw'] as const) {
    it(`(${mode}) makes fit reject with a WorkerError, and the next fit trains on a fresh team`, async () => {
      configureBackend({ threads: 2 });
      const backend = (await ready()) as WasmBackend;
      const { x, y } = referenceData(256);
      const model = sequential(
        [
          layers.dense({ units: 32, activation: 'relu', inputShape: [784] }),
          layers.dense({ units: 10, activation: 'softmax' }),
        ],
        { seed: 2 },
      );
      model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
      class Kill extends callbacks.Callback {
        override onBatchEnd(batch: number): void {
          if (batch === 2) testing.failWorker(backend, 1, mode);
        }
      }
      const failed = model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: [new Kill()] });
      await expect(failed).rejects.toThrow(WorkerError);
      await expect(failed).rejects.toThrow(
        mode === 'exit'
          ? /worker thread 1 of 1 stopped .*exited with code 3.*next fit\(\)/
          : /worker thread 1 of 1 stopped .*failure injected by a test/,
      );
      expect(backend.activeThreads).toBe(1);
      const history = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
      expect(backend.activeThreads).toBe(2);
      expect(history.history.loss.every(Number.isFinite)).toBe(true);
      expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
    }, 60_000);
  }
});

describe('the threads setting', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('refuses a value that is not a positive integer, naming the option and the fix', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2' as unknown as number]) {
      expect(() => configureBackend({ threads: bad })).toThrow(ValueError);
      expect(() => configureBackend({ threads: bad })).toThrow(
        /configureBackend: threads must be a positive integer.*received .*use 1 for the main thread alone/,
      );
    }
  });

  it('refuses an unknown option', () => {
    expect(() => configureBackend({ thread: 2 } as never)).toThrow(
      /unknown option "thread"; the options are .*\bthreads\b/,
    );
  });

  it('reads SIMDNET_THREADS, and names it when it is wrong', async () => {
    configureBackend({ threads: undefined });
    vi.stubEnv('SIMDNET_THREADS', '1');
    expect(getBackend().threads).toBe(1);
    configureBackend({});
    vi.stubEnv('SIMDNET_THREADS', 'two');
    expect(() => getBackend()).toThrow(
      /the environment variable SIMDNET_THREADS must be a positive integer.*received "two"/,
    );
    vi.stubEnv('SIMDNET_THREADS', '');
    configureBackend({});
  });

  it('warns, once, when more threads are asked for than there are cores, and still trains', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    configureBackend({ threads: 64 });
    expect(getBackend().threads).toBe(64);
    configureBackend({ threads: 65 });
    getBackend();
    const messages = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('core'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/64 threads asked for, but this machine has \d+ cores?/);
  });

  it('is readable back from the backend, and the default is one thread per core', async () => {
    configureBackend({ threads: 2 });
    expect(getBackend().threads).toBe(2);
    configureBackend({ threads: undefined });
    vi.stubEnv('SIMDNET_THREADS', '');
    const { availableParallelism } = await import('node:os');
    expect(getBackend().threads).toBe(availableParallelism());
  });
});
