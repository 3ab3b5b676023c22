// No tensor leaks on the tfjs backend: a compiled program run 50 times holds as many tensors after
// the 50th run as after the 2nd (the first runs fill the arena and buffers), and disposing the
// program and its buffers returns tf.memory().numTensors to where it started.

import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceBuffer, KernelCall, Slice } from '../../../src/backend/backend.js';
import { UNARY_OPS } from '../../../src/backend/calls/primitive.js';
import type { TfjsBackend } from '../../../src/backend/tfjs/tfjs-backend.js';
import { quarters, tf, tfjsCpu, uniforms } from './helpers.js';
import { stepProgram } from './step-program.js';

let tfjs: TfjsBackend;
let plain: TfjsBackend;
beforeAll(async () => {
  ({ tfjs, plain } = await tfjsCpu());
});

const tensors = () => tf.memory().numTensors;

/** Every primitive kind (every unary op) on arena slices, reading and writing across segments. */
function everyPrimitive(backend: TfjsBackend): { run(): void; dispose(): void } {
  const R = 5;
  const C = 7;
  const buffers: DeviceBuffer[] = [];
  const up = (data: Float32Array | Int32Array): Slice => {
    const buffer = backend.upload(data);
    buffers.push(buffer);
    return { kind: 'buffer', buffer, byteOffset: 0 };
  };
  const x = up(quarters(R * C, 1));
  const labels = up(new Int32Array([0, 2, 1, 6, -1]));
  const rows = up(new Int32Array([4, 0, 2]));
  const source = { buffer: backend.upload(uniforms(R * C, 2)) };
  buffers.push(source.buffer);
  const out = backend.createBuffer(4 * R * C);
  buffers.push(out);
  let top = 0;
  const arena = (floats: number): Slice => {
    const s: Slice = { kind: 'arena', byteOffset: top };
    top += Math.ceil((floats * 4) / 64) * 64;
    return s;
  };
  const t = arena(R * C);
  const u = arena(R * C);
  const col = arena(R);
  const host = { value: 3 };
  const calls: KernelCall[] = [
    ...UNARY_OPS.map((op): KernelCall => ({ kind: 'unary', op, x, y: t, n: R * C })),
    { kind: 'reduce', op: 'max', axis: 'cols', x, y: col, rows: R, cols: C },
    {
      kind: 'binary',
      op: 'sub',
      a: { kind: 'full', slice: x },
      b: { kind: 'column', slice: col },
      y: t,
      rows: R,
      cols: C,
    },
    {
      kind: 'binary',
      op: 'pow',
      a: { kind: 'full', slice: t },
      b: { kind: 'constant', value: host },
      y: t,
      rows: R,
      cols: C,
    },
    {
      kind: 'where',
      cond: { kind: 'row', slice: x },
      a: { kind: 'full', slice: t },
      b: { kind: 'scalar', slice: x },
      y: u,
      rows: R,
      cols: C,
    },
    { kind: 'reduce', op: 'argmax', axis: 'rows', x: u, y: col, rows: R, cols: C },
    { kind: 'matmul', layout: 'nt', m: R, n: R, k: C, a: x, b: u, c: t },
    { kind: 'oneHot', labels, y: u, rows: R, cols: C },
    { kind: 'randomUniform', y: t, n: R * C, seed: host, salt: 1 },
    { kind: 'fill', y: { ...t, byteOffset: t.byteOffset + 8 }, n: 3, value: host }, // a write inside a segment
    { kind: 'unary', op: 'identity', x: { ...t, byteOffset: t.byteOffset + 4 }, y: u, n: 4 }, // a read across segments
    { kind: 'gatherRows', source, rows, out: u, count: 3, rowLength: C },
    {
      kind: 'binary',
      op: 'add',
      a: { kind: 'full', slice: u },
      b: { kind: 'full', slice: t },
      y: { kind: 'buffer', buffer: out, byteOffset: 0 },
      rows: R,
      cols: C,
    },
  ];
  const exe = backend.compile({ arenaBytes: top, calls });
  return {
    run: () => exe.run(),
    dispose() {
      exe.dispose();
      for (const b of buffers) backend.disposeBuffer(b);
    },
  };
}

describe('tfjs backend: no tensor leaks', () => {
  it('a program of every primitive: stable over 50 runs, back to the start after dispose', () => {
    const start = tensors();
    const p = everyPrimitive(tfjs);
    p.run();
    p.run();
    const afterTwo = tensors();
    for (let i = 2; i < 50; i++) p.run();
    expect(tensors()).toBe(afterTwo);
    p.dispose();
    expect(tensors()).toBe(start);
  });

  for (const [label, overrides] of [
    ['with overrides', true],
    ['defaults only', false],
  ] as const) {
    it(`a training step (gather, gemm, dropout, cross-entropy, accuracy, backward, Adam), ${label}`, () => {
      const backend = overrides ? tfjs : plain;
      const start = tensors();
      const p = stepProgram(backend, 0.3);
      p.step(1);
      p.step(2);
      void p.loss();
      void p.hits();
      const afterTwo = tensors();
      for (let t = 3; t <= 50; t++) {
        p.step(t);
        void p.loss();
      }
      expect(Number.isFinite(p.loss())).toBe(true);
      expect(tensors()).toBe(afterTwo);
      p.dispose();
      expect(tensors()).toBe(start);
    });
  }

  it('a failing call frees what it made and leaves the program runnable', () => {
    const start = tensors();
    const a = tfjs.upload(new Float32Array([1, 2, 3, 4]));
    const y = tfjs.createBuffer(16);
    const binding: { buffer: DeviceBuffer | null } = { buffer: null };
    const rows = tfjs.upload(new Int32Array([0]));
    const exe = tfjs.compile({
      arenaBytes: 0,
      calls: [
        {
          kind: 'unary',
          op: 'exp',
          x: { kind: 'buffer', buffer: a, byteOffset: 0 },
          y: { kind: 'buffer', buffer: y, byteOffset: 0 },
          n: 4,
        },
        {
          kind: 'gatherRows',
          source: binding,
          rows: { kind: 'buffer', buffer: rows, byteOffset: 0 },
          out: { kind: 'buffer', buffer: y, byteOffset: 0 },
          count: 1,
          rowLength: 4,
        },
      ],
    });
    expect(() => exe.run()).toThrow(/unbound/);
    const afterFailure = tensors();
    expect(() => exe.run()).toThrow(/unbound/);
    expect(tensors()).toBe(afterFailure);
    binding.buffer = a;
    exe.run();
    expect(Array.from(tfjs.readF32(y, 0, 4))).toEqual([1, 2, 3, 4]);
    exe.dispose();
    for (const b of [a, y, rows]) tfjs.disposeBuffer(b);
    expect(tensors()).toBe(start);
  });
});
