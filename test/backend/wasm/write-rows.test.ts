// WasmBackend.writeRows: a shuffled batch gathered into a buffer, on private memory (one thread)
// and on shared memory (threads: rows go through a plain staging array first).
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';

describe('writeRows', () => {
  for (const threads of [1, 2]) {
    it(
      `gathers rows in the given order, leaves the rest of the buffer alone ` +
        `(${threads === 1 ? 'private' : 'shared'} memory)`,
      () => {
        const backend = new WasmBackend({ threads });
        const rowLength = 5;
        const source = Float32Array.from({ length: 8 * rowLength }, (_, i) => i + 0.5);
        const rows = Int32Array.from([7, 2, 5, 0, 3, 1, 6, 4]);
        const buffer = backend.createBuffer(4 * rowLength * 4 + 8);
        backend.write(buffer, Float32Array.of(-1, -2), 4 * rowLength * 4);
        // Rows rows[3 … 7): 0, 3, 1, 6; then a smaller batch that reuses the staging array.
        backend.writeRows(buffer, source, rows, 3, 4, rowLength);
        const expected = [0, 3, 1, 6].flatMap((r) => Array.from(source.subarray(r * rowLength, (r + 1) * rowLength)));
        expect(Array.from(backend.readF32(buffer, 0, 4 * rowLength + 2))).toEqual([...expected, -1, -2]);
        backend.writeRows(buffer, source, rows, 0, 2, rowLength);
        const first = [7, 2].flatMap((r) => Array.from(source.subarray(r * rowLength, (r + 1) * rowLength)));
        expect(Array.from(backend.readF32(buffer, 0, 4 * rowLength))).toEqual([
          ...first,
          ...expected.slice(2 * rowLength),
        ]);
      },
    );
  }

  it('refuses rows that do not fit the buffer', () => {
    const backend = new WasmBackend({ threads: 1 });
    const buffer = backend.createBuffer(3 * 4);
    expect(() => backend.writeRows(buffer, new Float32Array(8), Int32Array.of(0, 1), 0, 2, 4)).toThrow(RangeError);
  });
});
