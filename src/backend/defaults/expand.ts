// The expansion pass: rewrites a program into the calls a backend implements, replacing every other
// call by its default composition (defaults/index.ts), recursively. The compositions' temporaries
// go after the program's planned arena, each top-level call reusing the same space (they live
// during that call only), so the expanded program asks for arenaBytes + the largest expansion.

import type { KernelCall, Program, Slice } from '../backend.js';
import { Composer, type ExpansionSink } from './compose.js';
import { DEFAULTS } from './index.js';
import type { Default } from './types.js';

/** Temporaries start on a 64-byte line, as the memory planner's tensors do. */
const ALIGN = 64;

const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

/**
 * `program` with every call `implemented` refuses replaced by its default composition.
 * A program the backend implements whole is returned as it is.
 */
export function expandProgram(program: Program, implemented: (call: KernelCall) => boolean): Program {
  if (program.calls.every(implemented)) return program;
  const base = align(program.arenaBytes);
  let top = base;
  let arenaBytes = program.arenaBytes;
  const calls: KernelCall[] = [];
  const sink: ExpansionSink = {
    temp(floats) {
      const slice: Slice = { kind: 'arena', byteOffset: top };
      top += align(floats * 4);
      arenaBytes = Math.max(arenaBytes, top);
      return slice;
    },
    emit(call) {
      if (implemented(call)) calls.push(call);
      else expandOne(call, composer);
    },
  };
  const composer = new Composer(sink);
  for (const call of program.calls) {
    top = base;
    sink.emit(call);
  }
  return { arenaBytes, calls };
}

function expandOne(call: KernelCall, c: Composer): void {
  const rule = (DEFAULTS as Record<string, Default<KernelCall> | undefined>)[call.kind];
  if (!rule) throw new Error(`simdnet internal: ${call.kind} is a primitive call, which every backend must implement`);
  rule(call, c);
}
