// Atomic saves: a child process saving a 1.3M-weight model (5 MB of weights, 5 MB of momentum) in a
// loop is killed with SIGKILL at random moments; after every kill the directory must load and equal
// one complete save (every weight, slot, step count and epoch the same k, the save the child last
// reported or the one it was writing). The next child continues from the loaded k.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Generator, loadModel } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(process.cwd(), 'test', 'helpers', 'save-loop.ts');

/** Runs the child until it has reported `minSaves` saves, then kills it after a random delay. */
function runAndKill(first: number, minSaves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader (not the tsx wrapper, whose own child would outlive a SIGKILL)
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = -1;
    let saves = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/saved (\d+)/g)) {
        last = Number(m[1]);
        if (++saves === minSaves) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child exited with ${code}: ${stderr}`)),
    );
  });
}

it('a save killed at a random moment leaves the previous (or the new) save loadable, six times', async () => {
  const rng = new Generator(2024);
  let next = 0;
  let midSave = 0;
  const outcomes: string[] = [];
  // six kills, and more (up to twelve) until one has landed inside a save
  let rounds = 0;
  for (let round = 0; round < 12 && (round < 6 || midSave === 0); round++, rounds++) {
    const delay = Math.floor(rng.uniform() * 80);
    const reported = await runAndKill(next, 1 + (round % 2), delay);
    const model = await loadModel(`file://${dir}`);
    const k = model.epoch;
    // the last reported save, or the one being written when the kill came (its model.json was renamed)
    expect([reported, reported + 1]).toContain(k);
    for (const w of model.getWeights()) expect(w.data.every((v) => v === k)).toBe(true);
    const state = model.optimizer!.getWeights();
    expect(state[0].data[0]).toBe(k);
    const temporaries = readdirSync(dir).filter((f) => f.startsWith('.simdnet-tmp-'));
    if (temporaries.length > 0) midSave++;
    outcomes.push(
      `killed ${delay} ms after save ${reported}: loaded save ` +
        `${k}${temporaries.length ? ` (mid-save: ${temporaries.join(', ')} left)` : ''}`,
    );
    model.dispose();
    next = k + 1;
  }
  // nothing but model.json, the two names of each binary file, and temporaries of the last kill
  const known = ['model.json', 'weights.bin', 'weights.alt.bin', 'optimizer.bin', 'optimizer.alt.bin'];
  expect(readdirSync(dir).filter((f) => !f.startsWith('.simdnet-tmp-') && !known.includes(f))).toEqual([]);
  console.log(`${outcomes.join('\n')}\n${midSave} of ${rounds} kills interrupted a save`);
  // the kills must actually land inside saves for this test to mean anything
  expect(midSave).toBeGreaterThan(0);
}, 60_000);
