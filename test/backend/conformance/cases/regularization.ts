// Regularization calls: the weight penalty and the activity regularizer (with and without its
// gradient, in place) for l1, l2 and both; a zero in x (sign(0) = 0).

import { type CallCase, normals } from '../calls-harness.js';

const N = 23;
const withZero = () => {
  const x = normals(N);
  x[4] = 0;
  return x;
};

export const REGULARIZATION_CASES: CallCase[] = [
  ...[
    [0.01, 0],
    [0, 0.03],
    [0.01, 0.03],
  ].flatMap(([l1, l2]): CallCase[] => [
    {
      name: `regularizerPenalty l1 ${l1}, l2 ${l2} (overwriting out)`,
      buffers: { x: { data: withZero() }, out: { data: Float32Array.of(7) } },
      call: (s) => ({ kind: 'regularizerPenalty', x: s.x, n: N, l1, l2, out: s.out }),
    },
    ...[true, false].map(
      (withGrad): CallCase => ({
        name: `activityRegularizer l1 ${l1}, l2 ${l2}, with${withGrad ? '' : 'out'} the gradient`,
        buffers: { x: { data: withZero() }, out: { data: Float32Array.of(7) }, grad: { length: N } },
        call: (s) => ({
          kind: 'activityRegularizer',
          x: s.x,
          n: N,
          l1,
          l2,
          scale: 1 / 3,
          out: s.out,
          grad: withGrad ? s.grad : null,
        }),
      }),
    ),
  ]),
  {
    name: 'activityRegularizer in place (grad = x)',
    buffers: { x: { data: normals(N) }, out: { length: 1 } },
    call: (s) => ({ kind: 'activityRegularizer', x: s.x, n: N, l1: 0.02, l2: 0.01, scale: 0.5, out: s.out, grad: s.x }),
  },
];
