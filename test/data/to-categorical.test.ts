import { describe, expect, it } from 'vitest';
import { Tensor, toCategorical, ValueError } from '../../src/index.js';

describe('toCategorical', () => {
  it('one-hot encodes class indices, float32, numClasses inferred or given', () => {
    const t = toCategorical([0, 2, 1]);
    expect(t.shape).toEqual([3, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(toCategorical(Int32Array.from([1, 1]), 4).shape).toEqual([2, 4]);
    expect(Array.from(toCategorical(Int32Array.from([1, 3]), 4).data)).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('keeps leading axes and drops a trailing axis of 1, as Keras', () => {
    expect(toCategorical([[0], [1]], 2).shape).toEqual([2, 2]);
    const t = toCategorical(new Tensor(Int32Array.from([0, 1, 2, 0]), [2, 2]), 3);
    expect(t.shape).toEqual([2, 2, 3]);
    expect(Array.from(t.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });

  it('refuses non-integer, negative and out-of-range labels, and a bad numClasses', () => {
    expect(() => toCategorical([0, 1.5])).toThrow(ValueError);
    expect(() => toCategorical([0, 1.5])).toThrow(
      /toCategorical: labels must be non-negative integer class indices, received 1.5 at index 1/,
    );
    expect(() => toCategorical([0, -1])).toThrow(/received -1 at index 1/);
    expect(() => toCategorical(Float32Array.from([0, NaN]))).toThrow(/received NaN at index 1/);
    expect(() => toCategorical([0, 5], 3)).toThrow(
      new RegExp(
        'toCategorical: label 5 is out of range for numClasses 3 \\(expected 0 to 2\\); raise numClasses or check ' +
          'the labels',
      ),
    );
    expect(() => toCategorical([0, 1], 0)).toThrow(
      /toCategorical: numClasses: expected a positive integer, received 0/,
    );
    expect(() => toCategorical([0, 1], 2.5)).toThrow(/numClasses: expected a positive integer, received 2.5/);
    expect(() => toCategorical(undefined as never)).toThrow(/toCategorical: labels: expected class indices/);
  });
});
