// The lowering does not change: every program recorded in ../fixtures/lowering.json (the reference
// models' training, evaluation and prediction programs, and hand-made programs of every call kind
// with its options on and off) lowers today, on 1, 2 and 3 threads, to exactly the recorded kernel
// calls: the same exports, arguments, host-scalar slots and splits. Recorded by
// ../fixtures/record-lowering.ts with the positional lowerers that the kernel table replaced.
//
// One normalization: a split's offsets are compared as a set (sorted by argument), since the
// positional lowerers listed them in no particular order and the table's builder lists them in
// argument order; partArgs adds each offset to its own argument, so the order changes nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeCalls,
  encodeLowered,
  lowerRecorded,
  type Json,
  type RecordedProgram,
} from '../fixtures/lowering-codec.js';

const { programs } = JSON.parse(readFileSync(new URL('../fixtures/lowering.json', import.meta.url), 'utf8')) as {
  programs: RecordedProgram[];
};

/** The lowering with every split's offsets sorted by argument. */
function normalized(lowered: Json): Json {
  const copy = JSON.parse(JSON.stringify(lowered)) as { calls: { split: { offsets: [number, number][] } | null }[] };
  for (const call of copy.calls) call.split?.offsets.sort((a, b) => a[0] - b[0]);
  return copy as unknown as Json;
}

describe('lowered programs are those recorded', () => {
  it('has programs of every kind', () => {
    const kinds = new Set(programs.flatMap((p) => (p.calls as { kind: string }[]).map((c) => c.kind)));
    expect(programs.length).toBeGreaterThan(30);
    expect(kinds.size).toBeGreaterThanOrEqual(40);
  });
  for (const p of programs) {
    it(p.name, () => {
      for (const [threads, expected] of Object.entries(p.lowered)) {
        const lowered = encodeLowered(lowerRecorded(decodeCalls(p.calls), p.arenaBytes, Number(threads)));
        expect(normalized(lowered), `${threads} thread(s)`).toEqual(normalized(expected));
      }
    });
  }
});
