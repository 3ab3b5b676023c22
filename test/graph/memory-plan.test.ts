import { describe, expect, it } from 'vitest';
import { planMemory, type Interval } from '../../src/graph/memory-plan.js';
import { getBackend } from '../../src/backend/index.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { activation } from '../../src/graph/ops/activation.js';
import { placeholder } from '../../src/graph/tensor.js';
import { Generator } from '../../src/random.js';

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

describe('planMemory', () => {
  it('never gives two tensors live at the same node overlapping bytes (random lifetimes)', () => {
    const rng = new Generator(5);
    for (let trial = 0; trial < 50; trial++) {
      const intervals: Interval[] = Array.from({ length: 40 }, (_, key) => {
        const start = rng.int(30);
        return { key, bytes: 1 + rng.int(5000), start, end: start + rng.int(6) };
      });
      const plan = planMemory(intervals);
      for (const a of intervals)
        for (const b of intervals) {
          if (a.key >= b.key || !overlaps(a, b)) continue;
          const oa = plan.offsets.get(a.key)!;
          const ob = plan.offsets.get(b.key)!;
          expect(oa + a.bytes <= ob || ob + b.bytes <= oa).toBe(true);
        }
      for (const a of intervals) {
        expect(plan.offsets.get(a.key)! % 64).toBe(0);
        expect(plan.offsets.get(a.key)! + a.bytes).toBeLessThanOrEqual(plan.arenaBytes);
      }
    }
  });

  it('reuses the bytes of dead tensors: a chain needs two buffers, not ten', () => {
    const chain: Interval[] = Array.from({ length: 10 }, (_, i) => ({ key: i, bytes: 4096, start: i, end: i + 1 }));
    expect(planMemory(chain).arenaBytes).toBe(2 * 4096);
  });
});

describe('CompiledGraph', () => {
  it('a chain of ten activations runs in an arena of two intermediates and computes the composition', () => {
    const x = placeholder([4, 16], 'float32', 'x');
    let h = x;
    for (let i = 0; i < 10; i++) h = activation(h, 'tanh');
    const graph = new CompiledGraph(getBackend(), { feeds: [x], fetches: [h] });
    // Nine intermediates; the last is fetched into its own buffer.
    expect(graph.arenaBytes).toBe(2 * 4 * 16 * 4);
    const data = Float32Array.from({ length: 64 }, (_, i) => (i - 32) / 10);
    graph.write(x, data);
    graph.run();
    const out = graph.read(h);
    data.forEach((v, i) => {
      let y = v;
      for (let k = 0; k < 10; k++) y = Math.tanh(y);
      expect(out[i]).toBeCloseTo(y, 5);
    });
    graph.dispose();
  });
});
