// Random calls: dropout at several rates (0 included) with and without its mask, at the boundary
// (a rate equal to an element's uniform keeps it, the next float64 up drops it), in place; alpha
// dropout; the masked backward. On a backend with the WASM random stream the masks must be the
// reference's exactly; on the others they are checked statistically (calls-harness.ts).

import { expect } from 'vitest';
import { uniformStream } from '../../../../src/backend/reference/random-stream.js';
import { ALPHA_P } from '../../../../src/layers/alpha-dropout.js';
import { type CallCase, dropoutCheck, normals, uniforms } from '../calls-harness.js';

const N = 37;
const seed = { value: 0x9e3779b1 };

function dropout(
  name: string,
  rate: number,
  salt: number,
  o: { n?: number; mask?: boolean; inPlace?: boolean; x?: Float32Array } = {},
): CallCase {
  const n = o.n ?? N;
  const mask = o.mask ?? true;
  const y = o.inPlace ? 'x' : 'y';
  return {
    name,
    buffers: {
      x: { data: o.x ?? normals(n) },
      ...(o.inPlace ? {} : { y: { length: n } }),
      ...(mask ? { mask: { length: n } } : {}),
    },
    call: (s) => ({ kind: 'dropout', x: s.x, y: s[y], mask: mask ? s.mask : null, n, rate, seed, salt }),
    exact: [y, ...(mask ? ['mask'] : [])],
    random: {
      outputs: [y, ...(mask ? ['mask'] : [])],
      check: dropoutCheck({
        x: 'x',
        y,
        mask: mask ? 'mask' : undefined,
        rate,
        keep: (x) => x / (1 - rate),
        dropped: 0,
        maskKept: 1 / (1 - rate),
      }),
    },
    expectReference: (out) => {
      const dropped = out[y].filter((v) => v === 0).length;
      if (rate > 0) expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(n);
    },
  };
}

/** Element 5's uniform in the stream of salt 13: a dropout at exactly this rate keeps it. */
const u5 = uniformStream(6, seed.value, 13)[5];
const boundaryX = () => {
  const x = normals(N);
  x[5] = 1;
  return x;
};

function alphaDropout(rate: number, mask: boolean): CallCase {
  const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
  const b = -a * ALPHA_P * rate;
  return {
    name: `alphaDropout rate ${rate}, with${mask ? '' : 'out'} a mask`,
    buffers: { x: { data: normals(N) }, y: { length: N }, ...(mask ? { mask: { length: N } } : {}) },
    call: (s) => ({
      kind: 'alphaDropout',
      x: s.x,
      y: s.y,
      mask: mask ? s.mask : null,
      n: N,
      rate,
      a,
      b,
      alphaP: ALPHA_P,
      seed,
      salt: 5,
    }),
    exact: mask ? ['mask'] : [],
    random: {
      outputs: ['y', ...(mask ? ['mask'] : [])],
      check: dropoutCheck({
        x: 'x',
        y: 'y',
        mask: mask ? 'mask' : undefined,
        rate,
        keep: (x) => a * x + b,
        dropped: a * ALPHA_P + b,
        maskKept: a,
      }),
    },
  };
}

const backwardMask = Float32Array.from(uniforms(N, 0, 1), (u) => (u < 0.3 ? 0 : 1 / 0.7));

export const RANDOM_CASES: CallCase[] = [
  ...[0.3, 0.5, 0.1, 0].flatMap((rate) =>
    [true, false].map((mask) => dropout(`dropout rate ${rate}, with${mask ? '' : 'out'} a mask`, rate, 11, { mask })),
  ),
  dropout('dropout rate 0.3 over 4096 elements (the kept fraction)', 0.3, 17, { n: 4096 }),
  {
    ...dropout('dropout at the boundary: rate = u₅ keeps element 5', u5, 13, { x: boundaryX() }),
    expectReference: (out) => expect(out.mask[5]).not.toBe(0),
  },
  {
    ...dropout('dropout at the boundary: rate = u₅ + 1e-12 drops element 5', u5 + 1e-12, 13, { x: boundaryX() }),
    expectReference: (out) => expect(out.mask[5]).toBe(0),
  },
  dropout('dropout in place (y = x)', 0.4, 3, { inPlace: true }),
  ...[0.2, 0.45].flatMap((rate) => [true, false].map((mask) => alphaDropout(rate, mask))),
  ...[false, true].map(
    (inPlace): CallCase => ({
      name: `dropoutBackward${inPlace ? ' in place (dx = dy)' : ''}`,
      buffers: { dy: { data: normals(N) }, mask: { data: backwardMask }, dx: { length: N } },
      call: (s) => ({ kind: 'dropoutBackward', dy: s.dy, mask: s.mask, dx: inPlace ? s.dy : s.dx, n: N }),
    }),
  ),
];
