// Basic calls: add (and in place) and the squared gradient norm with every regularizer combination,
// overwriting or accumulating.

import { type CallCase, normals } from '../calls-harness.js';

const N = 21;
/** Past one 8-float turn of the kernel, with a remainder. */
const LONG = 37;

export const BASIC_CASES: CallCase[] = [
  {
    name: 'add',
    buffers: { a: { data: normals(N) }, b: { data: normals(N) }, y: { length: N } },
    call: (s) => ({ kind: 'add', a: s.a, b: s.b, y: s.y, n: N }),
  },
  {
    name: 'add in place (y = b)',
    buffers: { a: { data: normals(N) }, b: { data: normals(N) } },
    call: (s) => ({ kind: 'add', a: s.a, b: s.b, y: s.b, n: N }),
  },
  ...[
    [0, 0],
    [0.01, 0],
    [0, 0.02],
    [0.01, 0.02],
  ].flatMap(([l1, l2]) =>
    [false, true].map((accumulate): CallCase => {
      const w = normals(LONG);
      w[3] = 0;
      return {
        name: `gradientNormSq l1 ${l1}, l2 ${l2}${accumulate ? ', accumulating' : ''}`,
        buffers: { g: { data: normals(LONG, 0.1) }, w: { data: w }, out: { data: Float32Array.of(2.5) } },
        call: (s) => ({ kind: 'gradientNormSq', g: s.g, w: s.w, n: LONG, l1, l2, accumulate, out: s.out }),
      };
    }),
  ),
];
