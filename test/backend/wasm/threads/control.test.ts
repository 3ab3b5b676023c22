// Control.waitChange, the wait under every barrier and idle worker: it returns once the word
// changes, whether that happens while it polls or after it blocked; it throws the team's fault from
// either part, and a stall after stallMs of blocking.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BEAT, Control, KEEP_US, REST, SEQ, ThreadFault } from '../../../../src/backend/wasm/threads/control.js';

const WORD = SEQ;

function control(): Control {
  return new Control(new Int32Array(new SharedArrayBuffer(512)), 0, true, 2);
}

/** Another thread that sets word `index` to `value` (and wakes waiters) after `ms`. */
function setLater(words: Int32Array, index: number, value: number, ms: number): Worker {
  const code = `const { workerData: { words, index, value, ms } } = require('node:worker_threads');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    Atomics.store(words, index, value); Atomics.notify(words, index);`;
  return new Worker(code, { eval: true, workerData: { words, index, value, ms } });
}

describe('Control.waitChange', () => {
  it('returns at once when the word already differs', () => {
    const c = control();
    c.store(WORD, 5);
    // Waiting at all would end in the 1 ms stall fault.
    c.waitChange(WORD, 4, 1, 1);
    expect(c.fault()).toBeNull();
  });

  it('returns when another thread changes the word while it polls, and after it blocked', async () => {
    for (const spinMs of [5_000, 1]) {
      const c = control();
      const worker = setLater(c.words, WORD, 1, 30);
      c.waitChange(WORD, 0, 10_000, spinMs);
      expect(c.load(WORD)).toBe(1);
      await worker.terminate();
    }
  });

  it('throws the team fault recorded by another thread, polling or blocked', async () => {
    for (const spinMs of [5_000, 1]) {
      const c = control();
      const other = new Control(c.words, 0, true, 2);
      // FAULT is set through fail() on this thread's view; a second thread's notify wakes the wait.
      other.fail(1, 'boom');
      expect(() => c.waitChange(WORD, 0, 10_000, spinMs)).toThrow(ThreadFault);
      expect(() => c.waitChange(WORD, 0, 10_000, spinMs)).toThrow('worker thread 1 failed: boom');
    }
  });

  it('fails the team when the word does not change within stallMs of blocking', () => {
    const c = control();
    expect(() => c.waitChange(WORD, 0, 30, 1)).toThrow(
      'worker thread 2 failed: a thread did not reach a barrier within 0.03 s',
    );
    expect(c.fault()?.thread).toBe(2);
  });

  it('idle: stops polling at REST and blocks until the next change', async () => {
    const c = control();
    c.store(REST, 1);
    const worker = setLater(c.words, WORD, 1, 30);
    c.waitChange(WORD, 0, Infinity, 60_000, true);
    expect(c.load(WORD)).toBe(1);
    await worker.terminate();
  });

  it('idle: returns at the change after a BEAT asked it to poll on', async () => {
    const c = control();
    // The other thread beats at 5 ms (poll 1.5 s more) and changes the word at 60 ms without a
    // notify: waitChange must see the change (polling, or at its next blocking slice).
    const words = c.words;
    const code = `const { workerData: { words } } = require('node:worker_threads');
      const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      sleep(5); Atomics.store(words, ${KEEP_US}, 1500000); Atomics.add(words, ${BEAT}, 1);
      sleep(55); Atomics.store(words, ${WORD}, 1);`;
    const worker = new Worker(code, { eval: true, workerData: { words } });
    c.waitChange(WORD, 0, 10_000, 1, true);
    expect(c.load(WORD)).toBe(1);
    expect(c.fault()).toBeNull();
    await worker.terminate();
  });
});
