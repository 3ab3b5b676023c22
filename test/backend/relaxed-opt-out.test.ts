// SIMDNET_RELAXED_SIMD=0 opts out of the relaxed-SIMD kernels. The build is chosen once per process
// when the kernels load, so each case runs in a child process (node with tsx's loader, on the
// sources) that prints the backend's description and a small prediction: with the variable set to
// 0 the plain-SIMD kernels load (even when configureBackend asks for relaxed SIMD), without it (or
// with another value) the relaxed ones do, and both builds compute the same prediction.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = new URL('../../src/index.ts', import.meta.url).href;

const SCRIPT = `
const { configureBackend, getBackend, layers, sequential, tensor } = await import(${JSON.stringify(entry)});
if (process.argv.includes('--ask-relaxed')) configureBackend({ relaxedSimd: true });
const model = sequential([layers.dense({ units: 3, activation: 'tanh', inputShape: [4] })], { seed: 1 });
const y = model.predict(tensor([[0.5, -1, 2, 0.25], [1, 1, -1, 0]]));
console.log(JSON.stringify({ description: getBackend().description, y: Array.from(y.data) }));
`;

/** Runs SCRIPT in a fresh node with `relaxed` as SIMDNET_RELAXED_SIMD (undefined: unset). */
async function child(relaxed: string | undefined, args: string[] = []): Promise<{ description: string; y: number[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SIMDNET_THREADS: '1' };
  delete env.SIMDNET_RELAXED_SIMD;
  if (relaxed !== undefined) env.SIMDNET_RELAXED_SIMD = relaxed;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...args],
    { cwd: root, env, timeout: 60_000 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as { description: string; y: number[] };
}

describe('SIMDNET_RELAXED_SIMD opt-out (child processes)', () => {
  it('SIMDNET_RELAXED_SIMD=0 loads the plain-SIMD kernels; unset, the relaxed ones; both predict alike', async () => {
    const [plain, relaxed] = await Promise.all([child('0'), child(undefined)]);
    expect(plain.description).toBe('wasm (simd, 1 thread)');
    expect(relaxed.description).toBe('wasm (relaxed-simd, 1 thread)');
    expect(plain.y).toHaveLength(6);
    for (const [i, v] of plain.y.entries()) expect(Math.abs(v - relaxed.y[i])).toBeLessThan(1e-6);
    expect(plain.y.some((v) => v !== 0)).toBe(true);
  });

  it('the variable wins over configureBackend({ relaxedSimd: true }); only "0" opts out', async () => {
    const [asked, one] = await Promise.all([child('0', ['--ask-relaxed']), child('1')]);
    expect(asked.description).toBe('wasm (simd, 1 thread)');
    expect(one.description).toBe('wasm (relaxed-simd, 1 thread)');
  });
});
