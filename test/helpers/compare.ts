// The relative error the parity tests use: max|a − b| normalised by the reference's largest value.

import { expect } from 'vitest';

/** max|a − b| / max(max|b|, 1e-30); Infinity when a holds NaN. The lengths must agree. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return Number.isNaN(d) ? Infinity : d / Math.max(m, 1e-30);
}
