// Conformance, one call at a time: every case of cases/ (every kind of kernel call, primitive or
// fused, and its variants and edge cases) runs as a one-call program on every backend of
// backends.ts and must give the float64 reference backend's outputs (the fused calls there expanded
// into primitives) within the backend's callTolerance: |a − e| ≤ atol + rtol·|e| elementwise, rtol =
// callTolerance and atol = callTolerance / 10, NaN and ±Infinity where the reference has them.
// Random outputs match exactly on a backend with the WASM random stream; on the others they are
// checked statistically, and a second run must repeat them. On two threads every program runs on the
// team, and the cases large enough to split must equal one thread's results bit for bit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, KernelCall } from '../../../src/backend/backend.js';
import { BINARY_OPS, PRIMITIVE_KINDS, REDUCE_OPS, UNARY_OPS } from '../../../src/backend/calls/primitive.js';
import { expandProgram } from '../../../src/backend/defaults/expand.js';
import { DEFAULTS } from '../../../src/backend/defaults/index.js';
import { ReferenceBackend } from '../../../src/backend/reference/reference-backend.js';
import { testing } from '../../../src/backend/wasm/testing.js';
import { WasmBackend } from '../../../src/backend/wasm/wasm-backend.js';
import { configureBackend, ready } from '../../../src/index.js';
import { CONFORMANCE_BACKENDS, type ConformanceBackend } from './backends.js';
import { type CallCase, expectClose, expectSame, type Outputs, placeholderProgram, runCase } from './calls-harness.js';
import { CALL_CASES } from './cases/index.js';

const reference = new ReferenceBackend();
const expected = new Map<CallCase, Outputs>();

/** The reference's outputs of a case (run once). */
function referenceOutputs(c: CallCase): Outputs {
  let out = expected.get(c);
  if (!out) {
    out = runCase(reference, c);
    expected.set(c, out);
  }
  return out;
}

function expectConformant(out: Outputs, c: CallCase, b: ConformanceBackend): void {
  const ref = referenceOutputs(c);
  const ownStream = !b.sameRandomStream && c.random ? new Set(c.random.outputs) : new Set<string>();
  for (const name of Object.keys(ref)) {
    if (ownStream.has(name)) continue;
    if (c.exact?.includes(name)) expectSame(out[name], ref[name], name);
    else expectClose(out[name], ref[name], b.callTolerance, b.callTolerance / 10, name);
  }
  if (ownStream.size > 0) c.random!.check(out, c);
}

afterAll(() => configureBackend({ backend: 'wasm', threads: 1, relaxedSimd: true }));

describe('the reference', () => {
  it.each(CALL_CASES.filter((c) => c.expectReference))('$name', (c) => c.expectReference!(referenceOutputs(c)));
});

describe.each(CONFORMANCE_BACKENDS)('$name', (b) => {
  let backend: Backend;
  beforeAll(async () => {
    configureBackend(b.options);
    backend = await ready();
    // Every program on the team (the backend would otherwise pick the faster of team and main thread).
    if (backend instanceof WasmBackend && b.threads > 1) testing.runOnTeam(backend);
  });

  it.each(CALL_CASES)('$name', (c) => {
    const out = runCase(backend, c);
    expectConformant(out, c, b);
    if (c.random)
      for (const [name, again] of Object.entries(runCase(backend, c)))
        expectSame(again, out[name], `${name}, the same seed again`);
  });

  if (b.threads > 1) {
    describe('split over the team: bitwise one thread’s result', () => {
      let one: WasmBackend;
      beforeAll(() => {
        one = new WasmBackend({ threads: 1, relaxedSimd: b.options.relaxedSimd });
      });

      it.each(CALL_CASES.filter((c) => c.split))('$name', (c) => {
        const team = backend as WasmBackend;
        expect(team.activeThreads).toBe(b.threads);
        const teamRuns = team.teamRuns;
        const split = runCase(team, c);
        expect(team.teamRuns - teamRuns, 'runs on the team (some call split)').toBe(c.steps ?? 1);
        const whole = runCase(one, c);
        for (const name of Object.keys(whole)) expectSame(split[name], whole[name], name);
      });
    });
  }
});

describe('coverage of the case table', () => {
  const calls: KernelCall[] = CALL_CASES.map((c) => placeholderProgram(c).calls[0]);
  const primitive = new Set<string>(PRIMITIVE_KINDS);
  const fusedKinds = Object.keys(DEFAULTS);

  it('has a case for every kind of call (the primitives and every kind with a default)', () => {
    const covered = new Set(calls.map((c) => c.kind));
    const kinds = [...PRIMITIVE_KINDS, ...fusedKinds];
    expect(kinds.filter((k) => !covered.has(k as KernelCall['kind']))).toEqual([]);
    // and no case of a kind that is neither (a primitive missing from PRIMITIVE_KINDS, a fused call without a default)
    expect([...covered].filter((k) => !kinds.includes(k))).toEqual([]);
  });

  it(
    'has every unary op, binary op × operand mode (number and HostScalar constants), reduction × axis, matmul ' +
      'layout',
    () => {
      const seen = new Set<string>();
      for (const c of calls) {
        if (c.kind === 'unary') seen.add(`unary ${c.op}`);
        if (c.kind === 'binary') {
          for (const o of [c.a, c.b])
            seen.add(
              `binary ${c.op} ` +
                `${o.kind}${o.kind === 'constant' ? (typeof o.value === 'number' ? ' number' : ' HostScalar') : ''}`,
            );
        }
        if (c.kind === 'reduce') seen.add(`reduce ${c.op} ${c.axis}`);
        if (c.kind === 'matmul') seen.add(`matmul ${c.layout}`);
      }
      const modes = ['full', 'row', 'column', 'scalar', 'constant number', 'constant HostScalar'];
      const wanted = [
        ...UNARY_OPS.map((op) => `unary ${op}`),
        ...BINARY_OPS.flatMap((op) => modes.map((m) => `binary ${op} ${m}`)),
        ...REDUCE_OPS.flatMap((op) => ['rows', 'cols'].map((axis) => `reduce ${op} ${axis}`)),
        ...['nn', 'tn', 'nt'].map((layout) => `matmul ${layout}`),
      ];
      expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
    },
  );

  it('gives every fused kind a default and no primitive one', () => {
    for (const kind of fusedKinds) expect(typeof (DEFAULTS as Record<string, unknown>)[kind], kind).toBe('function');
    expect(fusedKinds.filter((k) => primitive.has(k))).toEqual([]);
  });

  it('expands a program of every fused case into primitives only, on a backend that implements only those', () => {
    const fused = calls.filter((c) => !primitive.has(c.kind));
    const program = expandProgram({ arenaBytes: 64, calls: fused }, (call) => primitive.has(call.kind));
    expect(program.calls.length).toBeGreaterThan(fused.length);
    expect([...new Set(program.calls.map((c) => c.kind))].filter((k) => !primitive.has(k))).toEqual([]);
    expect(reference.expand({ arenaBytes: 64, calls: fused }).calls.map((c) => c.kind)).toEqual(
      program.calls.map((c) => c.kind),
    );
    // a program of primitives is left as it is
    const primitives = { arenaBytes: 0, calls: calls.filter((c) => primitive.has(c.kind)) };
    expect(expandProgram(primitives, (call) => primitive.has(call.kind))).toBe(primitives);
  });
});
