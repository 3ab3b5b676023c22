import { describe, expect, it } from 'vitest';
import { tensor, Tensor, ShapeError, ValueError } from '../src/index.js';

describe('tensor', () => {
  it('wraps float32 and int32 arrays without copying and infers nested shapes', () => {
    const data = new Float32Array(6);
    const t = tensor(data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.shape).toEqual([2, 3]);
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).array(),
    ).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([1, 2], undefined, 'int32').dtype).toBe('int32');
    expect(tensor(new Uint8Array([1, 2])).dtype).toBe('int32');
  });

  it('reshape with -1 resolves the free dimension', () => {
    expect(tensor(new Float32Array(12), [12]).reshape([-1, 4]).shape).toEqual([3, 4]);
  });

  it('refuses shapes that do not fit the data', () => {
    expect(() => tensor(new Float32Array(12), [12]).reshape([-1, 5])).toThrow(
      /cannot reshape 12 values to \[-1, 5\]: 12 is not a multiple of 5/,
    );
    expect(() => tensor(new Float32Array(12), [12]).reshape([-1, -1])).toThrow(/only one dimension may be -1/);
    expect(() => tensor(new Float32Array(12), [12]).reshape([5, 3])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(6), [2.5, 2.4])).toThrow(
      /shape must be an array of non-negative integers, received \[2.5, 2.4\]/,
    );
    expect(() => tensor(new Float32Array(6), [4])).toThrow(/shape \[4\] holds 4 values but data has 6/);
    expect(() => tensor('abc' as never)).toThrow(ValueError);
  });
});
