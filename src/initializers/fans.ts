// Fan-in and fan-out of a weight shape, as Keras's compute_fans defines them.

/**
 * Fan-in and fan-out of a weight shape: [in, out] for a dense kernel; for a convolution kernel
 * [...receptive field, in, out] each channel count times the receptive field's size.
 *
 * @example
 * fans([784, 300]);        // { fanIn: 784, fanOut: 300 }
 * fans([3, 3, 16, 32]);    // { fanIn: 144, fanOut: 288 }
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** Number of values in a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
