// gatherRows: a batch gathered inside a compiled program from a buffer bound when it runs, on one
// thread and split over two (each thread copying its range of rows), checked against the rows picked
// in JavaScript.
import { afterAll, describe, expect, it } from 'vitest';
import { testing } from '../../src/backend/wasm/testing.js';
import { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import type { BufferBinding } from '../../src/backend/backend.js';
import { CompiledGraph } from '../../src/graph/compile.js';
import { gatherRows } from '../../src/graph/ops/gather.js';
import { placeholder } from '../../src/graph/tensor.js';

const backends: WasmBackend[] = [];
afterAll(async () => {
  for (const b of backends) await b.stop();
});

async function backendWith(threads: number): Promise<WasmBackend> {
  const backend = new WasmBackend({ threads });
  backends.push(backend);
  await backend.start();
  if (threads > 1) testing.runOnTeam(backend);
  return backend;
}

/** Rows `rows` of `source` (rows of `length` values), as JavaScript picks them. */
function picked(source: ArrayLike<number>, rows: ArrayLike<number>, length: number): number[] {
  return Array.from(rows).flatMap((r) => Array.from(source).slice(r * length, (r + 1) * length));
}

describe('gatherRows', () => {
  for (const threads of [1, 2]) {
    it(
      `copies the indexed rows of the bound buffer, and reads whatever buffer is bound at each run (${threads} ` +
        `thread${threads > 1 ? 's' : ''})`,
      async () => {
        const backend = await backendWith(threads);
        // 40 rows of 784: 31,360 values, above the split threshold, so two threads share the copy.
        const samples = 50;
        const length = 784;
        const source = Float32Array.from({ length: samples * length }, (_, i) => (i % 997) * 0.25 - 100);
        const other = source.map((v) => -v);
        const labels = Int32Array.from({ length: samples }, (_, i) => (i * 7) % 10);
        const [a, b, l] = [source, other, labels].map((data) => {
          const buffer = backend.createBuffer(data.byteLength);
          backend.write(buffer, data);
          return buffer;
        });
        const xBinding: BufferBinding = { buffer: a };
        const yBinding: BufferBinding = { buffer: l };
        const rows = placeholder([40], 'int32', 'rows');
        const x = gatherRows(xBinding, rows, [28, 28], 'float32');
        const y = gatherRows(yBinding, rows, [], 'int32');
        expect(x.shape).toEqual([40, 28, 28]);
        const graph = new CompiledGraph(backend, { feeds: [rows], fetches: [x, y] });
        const order = Int32Array.from({ length: 40 }, (_, i) => (i * 31 + 5) % samples);
        graph.write(rows, order);
        const before = backend.teamRuns;
        graph.run();
        expect(Array.from(graph.read(x))).toEqual(picked(source, order, length));
        expect(Array.from(graph.read(y))).toEqual(picked(labels, order, 1));
        if (threads > 1) expect(backend.teamRuns).toBe(before + 1);

        xBinding.buffer = b;
        const reversed = order.slice().reverse();
        graph.write(rows, reversed);
        graph.run();
        expect(Array.from(graph.read(x))).toEqual(picked(other, reversed, length));
        expect(Array.from(graph.read(y))).toEqual(picked(labels, reversed, 1));
        graph.dispose();
      },
    );
  }

  it('refuses to run with nothing bound, before any kernel runs', async () => {
    const backend = await backendWith(1);
    const binding: BufferBinding = { buffer: null };
    const rows = placeholder([2], 'int32', 'rows');
    const x = gatherRows(binding, rows, [3], 'float32');
    const graph = new CompiledGraph(backend, { feeds: [rows], fetches: [x] });
    graph.write(rows, Int32Array.of(1, 0));
    expect(() => graph.run()).toThrow(/unbound data buffer/);
    graph.dispose();
  });
});
